using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using SymGen.Graph;

namespace SymGen.Scanning;

/// <summary>
/// A <c>[Gradient]</c> method under a debugging mode: its gradient computed by the interpreter with
/// <see cref="Tensor.Grad"/> on the scan's graph, in the mode (hooks, NaN guard, profile), instead of the generated
/// forward and reverse loops. Called by generated code only.
/// </summary>
public static class GradientModes
{
    // One gradient function per scan graph and request (which inputs, which outputs have cotangents), built once.
    private static readonly ConditionalWeakTable<Function, ConcurrentDictionary<string, Function>> s_functions = new();

    /// <summary>
    /// Runs the gradient of <paramref name="graph"/> (a scan's graph: its inputs the scan's parameters, its outputs
    /// the returned traces) in <paramref name="mode"/>: the vector-Jacobian product of the traces with
    /// <paramref name="cotangents"/> (one per output, null for one that takes none), with respect to the inputs named
    /// <paramref name="wrt"/>. Returns the gradients in <paramref name="wrt"/>'s order, then the traces. Writes no
    /// shared variable (a gradient applies no update).
    /// </summary>
    public static object[] Run(Function graph, ScanMode mode, CancellationToken cancellation, string[] wrt, object[] arguments, object?[] cotangents)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(cotangents);
        if (cotangents.Length != graph.Outputs.Count)
            throw new ArgumentException($"The scan's graph has {graph.Outputs.Count} output(s); {cotangents.Length} cotangent(s) were given.", nameof(cotangents));
        // A default or empty cotangent means zero, as in the generated loops: that output seeds nothing.
        cotangents = cotangents.Select(c => IsZero(c) ? null : c).ToArray();
        var key = string.Join(",", wrt) + "|" + string.Concat(cotangents.Select(c => c is null ? '0' : '1'));
        var function = s_functions.GetOrCreateValue(graph).GetOrAdd(key, _ => Build(graph, wrt, cotangents.Select(c => c is not null).ToArray()));
        return function.Invoke(mode, cancellation, [.. arguments, .. cotangents.OfType<object>()]);
    }

    private static bool IsZero(object? cotangent) => cotangent switch
    {
        null => true,
        Array a => a.Length == 0,
        Vec<double> v => v.Span.Length == 0,
        Vec<float> v => v.Span.Length == 0,
        Mat<double> m => m.Span.Length == 0,
        Mat<float> m => m.Span.Length == 0,
        Tensor3<double> t => t.Span.Length == 0,
        Tensor3<float> t => t.Span.Length == 0,
        _ => false,
    };

    /// <summary>
    /// The vector-Jacobian product of the traces with their cotangents (as Tensor.Grad of Σ sum(trace ⊙ cotangent),
    /// for traces of any rank), then the traces; an input no cotangent reaches gets zeros.
    /// </summary>
    private static Function Build(Function graph, string[] wrt, bool[] hasCotangent)
    {
        var inputs = graph.Inputs.ToList();
        var seeds = new List<(Variable Node, Variable Cotangent)>();
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            if (!hasCotangent[o]) continue;
            var output = graph.Outputs[o];
            var cotangent = Tensor.Input("d" + (output.Name ?? "output" + o), output.Type);
            inputs.Add(cotangent);
            seeds.Add((output, cotangent));
        }
        var targets = wrt.Select(name => graph.Inputs.FirstOrDefault(i => i.Name == name)
            ?? throw new InvalidOperationException($"The scan's graph has no input '{name}'.")).ToArray<Variable>();
        var gradients = (seeds.Count == 0 ? new Variable?[targets.Length] : VariableGradients.Backward(seeds, targets, "The gradient goes"))
            .Select((g, i) => g ?? (targets[i].Type.Rank == 0 ? Tensor.Constant(0, targets[i].Type.Element) : Tensor.Fill(targets[i], Tensor.Constant(0, targets[i].Type.Element))));
        return Tensor.Function(inputs, gradients.Concat(graph.Outputs));
    }
}
