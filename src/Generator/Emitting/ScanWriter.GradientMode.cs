using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;

namespace SymGen.Generator.Emitting;

// A [Gradient] method under a debugging mode: one check per call, before the forward loop (the fast path unchanged),
// that hands the call to the interpreter (Tensor.Grad on the scan's graph, run in the mode).
internal sealed partial class ScanWriter
{
    /// <summary>
    /// Whether a gradient method routes itself to the interpreter under a mode: the runtime has modes, and the
    /// request is one the scan's graph answers with the same results. Not routed (the generated loops run, whatever
    /// the mode): [Forward] traces (no forward run to differentiate), a cotangent given as a function, a scan that
    /// updates shared variables (the graph would write them back), gradients returned as spans or memory.
    /// </summary>
    public static bool RoutesGradientModes(GradientSpec gradient) =>
        gradient.Scan.RoutesModes
        && gradient.ForwardTraces.Count == 0
        && gradient.Cotangents.All(c => !c.IsFunction)
        && gradient.Cotangents.Any(c => c.Parameter.Length > 0)
        && gradient.Scan.Outputs.All(o => o.SharedParameter is null)
        && gradient.Targets.All(t => t.Container is not (ContainerKind.Span or ContainerKind.ReadOnlySpan or ContainerKind.Memory or ContainerKind.ReadOnlyMemory));

    /// <summary>Whether this gradient method writes its mode route (set by the emitter with its graph property).</summary>
    public bool RoutesGradientMode { get; init; }

    private void WriteGradientModeRoute(GradientSpec gradient)
    {
        if (!RoutesGradientMode) return;
        string mode = _names.Fresh("mode"), results = _names.Fresh("results");
        var arguments = _signature.Parameters.Select(p => GraphArgument(p.Name.TrimStart('@'))).OfType<string>();
        // One cotangent per output of the graph (its returned outputs), null for an integer output.
        var cotangents = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null)
            .Select(o => gradient.Cotangents[ReturnedIndex(o)].Parameter is { Length: > 0 } c ? ScanParser.EscapeIdentifier(c) : "null");
        var wrt = gradient.Targets.Select(t => CSharpText.Literal(t.Kind switch
        {
            GradientTargetKind.Sequence => _scan.Sequences[t.Index].Parameter,
            GradientTargetKind.Initial => _scan.Outputs[t.Index].InitialParameter!,
            _ => _scan.NonSequences[t.Index].SharedParameter ?? _scan.NonSequences[t.Index].Parameter,
        }));
        var token = _scan.Cancellation is { } cancellation ? ScanParser.EscapeIdentifier(cancellation) : "default";
        _w.WriteLine("// A debugging mode (ScanMode.Current) runs the gradient in the interpreter: Tensor.Grad on the scan's graph.");
        _w.WriteLine($"if (global::SymGen.ScanMode.Current is {{ }} {mode})");
        _w.WriteLine("{");
        _w.Indent++;
        _w.WriteLine($"var {results} = global::SymGen.Scanning.GradientModes.Run({GraphWriter.PropertyName(_signature)}, {mode}, {token}, " +
                     $"new string[] {{ {string.Join(", ", wrt)} }}, new object[] {{ {string.Join(", ", arguments)} }}, new object?[] {{ {string.Join(", ", cotangents)} }});");
        int r = 0;
        foreach (var target in gradient.Targets)
            _w.WriteLine($"{ScanParser.EscapeIdentifier(target.Parameter)} = {Runtime}.ModeResult<{target.Type}>({results}[{r++}]);");
        if (gradient.ReturnsForward)
        {
            var values = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null)
                .Select(o => $"{Runtime}.ModeResult<{TraceType(_scan.Outputs[o])}>({results}[{r++}])").ToList();
            _w.WriteLine(_scan.ReturnsTuple ? $"return ({string.Join(", ", values)});" : $"return {values[0]};");
        }
        else
            _w.WriteLine("return;");
        _w.Indent--;
        _w.WriteLine("}");
        _w.WriteLineNoTabs("");
    }
}
