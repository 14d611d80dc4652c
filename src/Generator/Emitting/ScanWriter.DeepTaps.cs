using System.Linq;
using SymGen.Generator.Model;

namespace SymGen.Generator.Emitting;

// Deep taps (past values below the registers, read from the trace): the first steps read the initial state, the
// others the trace. One test per step (t >= depth ?) costs a compare and a branch in a loop that is otherwise a few
// instructions; so the loop is written twice: the first `depth` steps with the test, the rest without. The code is
// the same size for any depth.
internal sealed partial class ScanWriter
{
    /// <summary>Whether the loop being written is past the peeled steps: deep taps read the trace unconditionally.</summary>
    private bool _pastPeel;

    /// <summary>The deepest tap read from the trace, or 0 when no step input tests t against its depth.</summary>
    private int PeelDepth() =>
        _segmentStart is not null || _gradient is not null ? 0
        : _step.Arguments.Where(IsDeepTap).Select(a => -a.Tap).DefaultIfEmpty(0).Max();

    /// <summary>Writes the peeled loop and the main loop, if the scan has deep taps; returns whether it did.</summary>
    private bool WritePeeledLoops()
    {
        int depth = PeelDepth();
        if (depth == 0) return false;
        var peelEnd = _names.Fresh("peelEnd");
        _w.WriteLine($"// Steps 0..{depth - 1} read the initial state '{_scan.Outputs.First(o => o.Depth >= depth).InitialParameter}' for their deepest taps; the loop after them reads only the trace.");
        _w.WriteLine($"int {peelEnd} = global::System.Math.Min({depth}, {_steps});");
        WriteLoop("0", peelEnd);
        _pastPeel = true;
        // A while loop that stopped in the first steps ran them all ('executed' is below 'steps' only after a stop).
        WriteLoop(peelEnd, _step.Condition >= 0 ? _executed : _steps);
        _pastPeel = false;
        return true;
    }
}
