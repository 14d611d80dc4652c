using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;

namespace SymGen.Tests.Conformance;

/// <summary>How far two engines (or an engine and a plain C# loop) may differ on a scan's results.</summary>
public static class Tolerance
{
    // The one place the suite decides tolerances. Issue 11 adds each op's tolerance to the op table (OpInfo); the
    // lead wires it here: the largest tolerance of the graph's ops, in place of ExactOnTensors below.

    /// <summary>
    /// Tensor ops whose every element is one correctly rounded operation, so a vectorised kernel, a fused loop and a
    /// scalar loop give the same bits. Reductions, contractions, Softmax and the transcendental functions may
    /// round differently per engine (SIMD order, FMA, vector approximations).
    /// </summary>
    private static readonly HashSet<Op> ExactOnTensors =
    [
        Op.Constant, Op.Input, Op.Convert, Op.Negate, Op.Not, Op.Add, Op.Subtract, Op.Multiply, Op.Divide, Op.Remainder,
        Op.Less, Op.LessOrEqual, Op.Greater, Op.GreaterOrEqual, Op.Equal, Op.NotEqual, Op.And, Op.Or, Op.Xor, Op.Select,
        Op.Abs, Op.Sqrt, Op.Floor, Op.Ceiling, Op.Truncate, Op.Round, Op.Sign, Op.Maximum, Op.Minimum, Op.Relu, Op.Max,
    ];

    /// <summary>
    /// 0 (bit for bit) for a graph whose step is scalar only or uses only exact tensor ops; else relative 1e-12,
    /// or 1e-5 when an inexact op works in float.
    /// </summary>
    public static double Of(Function graph)
    {
        var ops = ApplyVariables(graph.Outputs).ToList();
        // A scan that runs for its updates alone is not reachable from the outputs: judge it by its inputs.
        if (graph.Outputs.Count == 0)
            return graph.Inputs.All(i => i.Type.Rank == 0) ? 0 : 1e-12;
        var inexact = ops.Where(a => !ExactOnTensors.Contains(a.Op) && a.Inputs.Append(a).Any(v => v.Type.Rank > 0)).ToList();
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
