// The gradient of a run-time scan: a backward scan (SCAN-SEMANTICS.md §11, the reference's Scan.pullback), as a graph
// node the interpreter runs (ScanGradientPlan). Its step graph is the forward step's, differentiated by the shared
// reverse sweep with the op table's rules, with every forward result replaced by the stored trace row (the
// reference's forced_replace: tanh's derivative reads the stored output, dead forward work disappears). Runtime only.
using System;
using System.Collections.Generic;
using System.Linq;

namespace SymGen.Graph;

/// <summary>
/// The backward scan of <see cref="Forward"/>: given the forward scan's inputs, its traces and the cotangents of its
/// traces, the gradients of its sequences, initial states (every tap row), and non-sequences (shared inputs included).
/// Shared-variable updates are constants: no gradient flows through them.
/// </summary>
internal sealed class ScanGradientNode
{
    private ScanGradientNode(ScanNode forward, IReadOnlyList<Variable?> cotangents, IReadOnlyList<InputVariable?> values,
        IReadOnlyList<InputVariable?> outputCotangents, IReadOnlyList<Variable?> stepInputGradients)
    {
        Forward = forward;
        Cotangents = cotangents;
        Values = values;
        OutputCotangents = outputCotangents;
        StepInputGradients = stepInputGradients;
        OuterInputs = forward.OuterInputs.Concat(forward.Outputs).Concat(cotangents.Where(c => c is not null).Select(c => c!)).Distinct().ToList();

        // One gradient per outer input (sequences, initial states, non-sequences) some step input's gradient reaches.
        var gradients = new ScanGradientVariable?[forward.OuterInputs.Count];
        int k = 0, outer = 0;
        for (int q = 0; q < forward.Sequences.Count; q++, outer++)
        {
            bool reached = false;
            foreach (var _ in forward.Sequences[q].Taps) reached |= stepInputGradients[k++] is not null;
            if (reached) gradients[outer] = new ScanGradientVariable(this, outer, forward.Sequences[q].Source);
        }
        for (int o = 0; o < forward.OutputInfo.Count; o++)
        {
            bool reached = false;
            foreach (var _ in forward.OutputInfo[o].Taps) reached |= stepInputGradients[k++] is not null;
            if (forward.OutputInfo[o].Initial is not { } initial) continue;
            if (reached) gradients[outer] = new ScanGradientVariable(this, outer, initial);
            outer++;
        }
        for (int n = 0; n < forward.NonSequences.Count; n++, outer++, k++)
            if (stepInputGradients[k] is not null) gradients[outer] = new ScanGradientVariable(this, outer, forward.NonSequences[n]);
        Gradients = gradients;
    }

    /// <summary>The forward scan.</summary>
    public ScanNode Forward { get; }
    /// <summary>The cotangent of each forward output's trace (<see cref="ScanNode.Outputs"/>), or null for none.</summary>
    public IReadOnlyList<Variable?> Cotangents { get; }
    /// <summary>Per forward output, the backward step's input holding its stored value at step t (its trace's row t), or null where the gradient does not read it.</summary>
    public IReadOnlyList<InputVariable?> Values { get; }
    /// <summary>
    /// Per forward output, the backward step's input holding the whole cotangent of its value at step t (the trace's
    /// cotangent row t plus what later steps sent back through its taps), or null for outputs no gradient flows through.
    /// </summary>
    public IReadOnlyList<InputVariable?> OutputCotangents { get; }
    /// <summary>Per forward step input (<see cref="ScanNode.StepInputs"/>), its gradient at step t, or null for none.</summary>
    public IReadOnlyList<Variable?> StepInputGradients { get; }
    /// <summary>Every outer variable the backward scan reads: the forward scan's inputs, its traces, the cotangents.</summary>
    public IReadOnlyList<Variable> OuterInputs { get; }
    /// <summary>Per forward outer input (<see cref="ScanNode.OuterInputs"/>), its gradient, or null where none flows.</summary>
    public IReadOnlyList<ScanGradientVariable?> Gradients { get; }

    /// <summary>
    /// The backward scan of <paramref name="forward"/> for these <paramref name="cotangents"/> (one per output of
    /// <see cref="ScanNode.Outputs"/>, null for none; updates' cotangents are ignored).
    /// </summary>
    /// <exception cref="NotSupportedException">The step differentiates through an op with no derivative.</exception>
    public static ScanGradientNode Build(ScanNode forward, IReadOnlyList<Variable?> cotangents)
    {
        int outputCount = forward.Outputs.Count, traced = forward.Outputs.Count - forward.Updates.Count;
        var stepInputs = forward.StepInputs;

        // Where each output's taps are among the step inputs.
        var tapInputs = new List<int>[outputCount];
        int k = forward.Sequences.Sum(q => q.Taps.Count);
        for (int o = 0; o < outputCount; o++)
        {
            tapInputs[o] = [];
            foreach (var _ in forward.OutputInfo[o].Taps) tapInputs[o].Add(k++);
        }

        // The outputs a gradient flows through: those with a cotangent, and the recurrent ones whose past values the
        // gradient of those reaches (until nothing changes: each pass can only add outputs).
        var live = new bool[outputCount];
        for (int o = 0; o < traced; o++)
            live[o] = cotangents[o] is not null && Backpropagation.IsDifferentiable(forward.StepOutputs[o].Type.Element);
        var outputCotangents = new InputVariable?[outputCount];
        Variable?[] gradients;
        while (true)
        {
            for (int o = 0; o < traced; o++)
                if (live[o] && outputCotangents[o] is null)
                    outputCotangents[o] = new InputVariable($"d{OutputName(forward, o)}[t]", forward.StepOutputs[o].Type);
            var seeds = Enumerable.Range(0, traced).Where(o => live[o])
                .Select(o => (forward.StepOutputs[o], (Variable)outputCotangents[o]!)).ToList();
            gradients = VariableGradients.Backward(seeds, stepInputs, $"The gradient of scan '{forward.Name}' goes, in its step,");
            bool grew = false;
            for (int o = 0; o < traced; o++)
                if (!live[o] && tapInputs[o].Any(i => gradients[i] is not null))
                    live[o] = grew = true;
            if (!grew) break;
        }
        // Updated shared variables are constants: their current values get no gradient.
        for (int o = traced; o < outputCount; o++)
            foreach (var i in tapInputs[o]) gradients[i] = null;

        // forced_replace: the gradient reads each forward result from its stored trace instead of computing it again.
        var values = new InputVariable?[outputCount];
        var replacements = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        for (int o = 0; o < traced; o++)
            if (forward.StepOutputs[o] is ApplyVariable result && !replacements.ContainsKey(result))
                replacements[result] = values[o] = new InputVariable($"{OutputName(forward, o)}[t]", result.Type);
        var replaced = Replace(gradients, replacements);
        var read = new HashSet<Variable>(Order(replaced), ReferenceEqualityComparer.Instance);
        for (int o = 0; o < outputCount; o++)
            if (values[o] is { } value && !read.Contains(value)) values[o] = null;
        return new ScanGradientNode(forward, cotangents, values, outputCotangents, replaced);
    }

    private static string OutputName(ScanNode scan, int o) => scan.Outputs[o].Name ?? $"{scan.Name}.{o}";

    /// <summary>
    /// The graphs of <paramref name="roots"/> with every node of <paramref name="replacements"/> replaced, rebuilding
    /// only the nodes above a replaced one (in evaluation order, an explicit stack: no recursion).
    /// </summary>
    private static Variable?[] Replace(Variable?[] roots, Dictionary<Variable, Variable> replacements)
    {
        var map = new Dictionary<Variable, Variable>(replacements, ReferenceEqualityComparer.Instance);
        foreach (var node in Order(roots))
        {
            if (map.ContainsKey(node) || node is not ApplyVariable apply) continue;
            var inputs = apply.Inputs.Select(i => map.TryGetValue(i, out var r) ? r : i).ToList();
            if (inputs.SequenceEqual(apply.Inputs)) continue;
            map[node] = new ApplyVariable(apply.Op, inputs, apply.Axis, apply.Type, apply.Name, apply.Label);
        }
        return roots.Select(r => r is null ? null : map.TryGetValue(r, out var m) ? m : r).ToArray();
    }

    /// <summary>Every node the non-null <paramref name="roots"/> depend on, each after its inputs.</summary>
    private static List<Variable> Order(IEnumerable<Variable?> roots) =>
        Interpreting.Compiler.Order(roots.Where(r => r is not null).Select(r => r!).Distinct().ToList(), []);
}

/// <summary>
/// The gradient of a cost with respect to one outer input of a scan (a sequence, an initial state, a non-sequence),
/// computed by the scan's backward scan (<see cref="ScanGradientNode"/>); of the input's type.
/// </summary>
public sealed class ScanGradientVariable : Variable
{
    internal ScanGradientVariable(ScanGradientNode node, int index, Variable of) : base(of.Type, $"grad({of})")
    {
        Node = node;
        Index = index;
        Of = of;
    }

    internal ScanGradientNode Node { get; }

    /// <summary>Which of the scan's outer inputs (<see cref="ScanNode.OuterInputs"/>) this is the gradient of.</summary>
    public int Index { get; }

    /// <summary>The scan whose backward pass computes this gradient.</summary>
    public ScanNode Scan => Node.Forward;

    /// <summary>The outer input this is the gradient of.</summary>
    public Variable Of { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Inputs => Node.OuterInputs;
}
