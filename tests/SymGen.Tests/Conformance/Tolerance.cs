using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;

namespace SymGen.Tests.Conformance;

/// <summary>How far two engines (or an engine and a plain C# loop) may differ on a scan's results.</summary>
public static class Tolerance
{
    // The one place the suite decides tolerances, from the op table: a tensor op whose row has ToleranceUlps 0 gives
    // the same bits in every engine and in a plain loop; any other (a vector approximation, a sum in another order)
    // makes the whole result approximate, and a recurrence carries the difference on through its steps, so the
    // bound is relative to the result over the suite's sizes rather than a few ulps.

    /// <summary>
    /// 0 (bit for bit) for a graph whose step is scalar only or uses only exact tensor ops (ToleranceUlps 0); else
    /// relative 1e-12, or 1e-5 when an approximate op works in float.
    /// </summary>
    public static double Of(Function graph)
    {
        var ops = ApplyVariables(graph.Outputs).ToList();
        // A scan that runs for its updates alone is not reachable from the outputs: judge it by its inputs.
        if (graph.Outputs.Count == 0)
            return graph.Inputs.All(i => i.Type.Rank == 0) ? 0 : 1e-12;
        var inexact = ops.Where(a => OpTable.Get(a.Op).ToleranceUlps > 0 && a.Inputs.Append(a).Any(v => v.Type.Rank > 0)).ToList();
        if (inexact.Count == 0) return 0;
        return inexact.Any(a => a.Inputs.Append(a).Any(v => v.Type.Element == ElementKind.Float32)) ? 1e-5 : 1e-12;
    }

    /// <summary>Every op applied in the graph, inside scan steps too.</summary>
    private static IEnumerable<ApplyVariable> ApplyVariables(IEnumerable<Variable> outputs)
    {
        var seen = new HashSet<Variable>();
        var pending = new Stack<Variable>(outputs);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            if (!seen.Add(v)) continue;
            if (v is ApplyVariable apply) yield return apply;
            if (v is ScanOutputVariable output)
                foreach (var step in output.Scan.StepOutputs.Append(output.Scan.StepCondition))
                    if (step is not null) pending.Push(step);
            foreach (var input in v.Inputs) pending.Push(input);
        }
    }
}
