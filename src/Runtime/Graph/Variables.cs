using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace SymGen.Graph;

/// <summary>A graph value's static type: element kind and rank (0 scalar, 1 vector, 2 matrix, 3 stack of matrices).</summary>
public sealed record TensorType(ElementKind Element, int Rank)
{
    /// <summary>A <c>double</c> scalar.</summary>
    public static readonly TensorType Float64Scalar = new(ElementKind.Float64, 0);
    /// <summary>A vector of <c>double</c>.</summary>
    public static readonly TensorType Float64Vector = new(ElementKind.Float64, 1);
    /// <summary>A matrix of <c>double</c>.</summary>
    public static readonly TensorType Float64Matrix = new(ElementKind.Float64, 2);

    /// <summary>The type of one row: a matrix's rows are vectors.</summary>
    public TensorType Row => Rank > 0 ? this with { Rank = Rank - 1 } : throw new InvalidOperationException("A scalar has no rows.");

    /// <summary>Theano's spelling: <c>float64 scalar</c>, <c>float64 vector</c>, <c>float64 matrix</c>.</summary>
    public override string ToString() =>
        $"{Element.ToString().ToLowerInvariant()} {Rank switch { 0 => "scalar", 1 => "vector", 2 => "matrix", _ => $"tensor{Rank}" }}";
}

/// <summary>
/// A symbolic value in a graph: an input, a constant, the result of an op, or an output of a scan. Variables are
/// immutable; a graph is the set of variables reachable from its outputs.
/// </summary>
public abstract class Variable
{
    private static long _nextId;

    private protected Variable(TensorType type, string? name)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Name = name;
        Id = Interlocked.Increment(ref _nextId);
    }

    /// <summary>The value's type.</summary>
    public TensorType Type { get; }

    /// <summary>A name for printing, if any.</summary>
    public string? Name { get; }

    /// <summary>A process-wide unique number: identity for printing, and a stable order.</summary>
    public long Id { get; }

    /// <summary>The variables this one is computed from.</summary>
    public abstract IReadOnlyList<Variable> Inputs { get; }

#pragma warning disable CS1591 // the operators build graph nodes of the op they spell
    public static Variable operator +(Variable a, Variable b) => Tensor.Apply(Op.Add, a, b);
    public static Variable operator -(Variable a, Variable b) => Tensor.Apply(Op.Subtract, a, b);
    public static Variable operator *(Variable a, Variable b) => Tensor.Apply(Op.Multiply, a, b);
    public static Variable operator /(Variable a, Variable b) => Tensor.Apply(Op.Divide, a, b);
    public static Variable operator +(Variable a, double b) => a + Tensor.Constant(b, a.Type.Element);
    public static Variable operator -(Variable a, double b) => a - Tensor.Constant(b, a.Type.Element);
    public static Variable operator *(Variable a, double b) => a * Tensor.Constant(b, a.Type.Element);
    public static Variable operator /(Variable a, double b) => a / Tensor.Constant(b, a.Type.Element);
    public static Variable operator +(double a, Variable b) => Tensor.Constant(a, b.Type.Element) + b;
    public static Variable operator -(double a, Variable b) => Tensor.Constant(a, b.Type.Element) - b;
    public static Variable operator *(double a, Variable b) => Tensor.Constant(a, b.Type.Element) * b;
    public static Variable operator /(double a, Variable b) => Tensor.Constant(a, b.Type.Element) / b;
    public static Variable operator -(Variable a) => Tensor.Apply(Op.Negate, a);
#pragma warning restore CS1591

    /// <inheritdoc />
    public override string ToString() => Name ?? $"#{Id}";
}

/// <summary>A value given when a graph is evaluated (a function's argument, or a step's parameter).</summary>
public sealed class InputVariable : Variable
{
    internal InputVariable(string name, TensorType type, bool isShared = false) : base(type, name) => IsShared = isShared;

    /// <summary>
    /// Whether the argument is a <see cref="SharedVariable"/>: its value is read when the function is called, and a
    /// scan's updates of it are written back when the call succeeds.
    /// </summary>
    public bool IsShared { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Inputs => [];
}

/// <summary>A constant value.</summary>
public sealed class ConstantVariable : Variable
{
    internal ConstantVariable(object value, TensorType type) : base(type, null) => Value = value;

    /// <summary>The value (boxed scalar).</summary>
    public object Value { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Inputs => [];

    /// <inheritdoc />
    public override string ToString() => Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}

/// <summary>An op of the op table applied to inputs.</summary>
public sealed class ApplyVariable : Variable
{
    internal ApplyVariable(Op op, IReadOnlyList<Variable> inputs, int axis, TensorType type, string? name, string? label, string? text = null) : base(type, name)
    {
        Op = op;
        Inputs = inputs;
        Axis = axis;
        Label = label;
        Text = text;
    }

    /// <summary>For an op that takes a text (<see cref="OpInfo.HasText"/>: Print's label), the text; else null.</summary>
    public string? Text { get; }

    /// <summary>The source this node stands for (a generated graph's C# expression, e.g. <c>Sym.Dot(W, h)</c>), if given.</summary>
    public string? Label { get; }

    /// <summary>The op.</summary>
    public Op Op { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Inputs { get; }

    /// <summary>For reductions: -1 for all elements, else the axis reduced.</summary>
    public int Axis { get; }
}

/// <summary>Output <see cref="Index"/> of a scan: its trace, one row per executed step.</summary>
public sealed class ScanOutputVariable : Variable
{
    internal ScanOutputVariable(ScanNode scan, int index, TensorType type, string? name) : base(type, name)
    {
        Scan = scan;
        Index = index;
    }

    /// <summary>The scan.</summary>
    public ScanNode Scan { get; }

    /// <summary>Which output.</summary>
    public int Index { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Inputs => Scan.OuterInputs;
}

/// <summary>A sequence of a scan: the variable iterated over its first axis, and the taps the step reads.</summary>
public sealed record ScanSequence(Variable Source, IReadOnlyList<int> Taps);

/// <summary>
/// An output of a scan: with an initial state and negative taps it is recurrent (the step reads its past values);
/// without, it is a map output.
/// </summary>
/// <param name="Initial">The initial state, or null for a map output.</param>
/// <param name="Taps">The taps the step reads (negative), in the order it receives them.</param>
/// <param name="InitialIsRows">Whether <paramref name="Initial"/> holds rows of past values (one rank more than a step's
/// value; row 0 is y[-depth]) rather than one step's value. Theano's rule by default: rows unless the taps are [-1].</param>
public sealed record ScanOutputInfo(Variable? Initial, IReadOnlyList<int> Taps, bool? InitialIsRows = null)
{
    /// <summary>A map output (Theano's <c>outputs_info=None</c>).</summary>
    public static ScanOutputInfo Map { get; } = new(null, []);

    /// <summary>A recurrent output fed back at tap -1 from one initial value.</summary>
    public static ScanOutputInfo Recurrent(Variable initial) => new(initial, [-1], false);

    /// <summary>Whether the initial state holds rows of past values.</summary>
    public bool IsRows => Initial is not null && (InitialIsRows ?? !(Taps.Count == 1 && Taps[0] == -1));

    /// <summary>How many past values the step reads back: <c>-min(taps)</c>.</summary>
    public int Depth => Taps.Count == 0 ? 0 : -Taps.Min();
}

/// <summary>
/// A scan (Theano's <c>scan</c>): its inner step graph, and how the outer values feed it. The step's inputs are, in
/// order, each sequence's taps, each recurrent output's taps, then the non-sequences.
/// </summary>
public sealed class ScanNode
{
    internal ScanNode(string name, IReadOnlyList<InputVariable> stepInputs, IReadOnlyList<Variable> stepOutputs, Variable? stepCondition,
        IReadOnlyList<ScanSequence> sequences, IReadOnlyList<ScanOutputInfo> outputs, IReadOnlyList<Variable> nonSequences,
        Variable? steps, bool goBackwards, int truncateGradient, IReadOnlyList<string?> outputNames, IReadOnlyList<InputVariable> updates)
    {
        Updates = updates;
        Name = name;
        StepInputs = stepInputs;
        StepOutputs = stepOutputs;
        StepCondition = stepCondition;
        Sequences = sequences;
        OutputInfo = outputs;
        NonSequences = nonSequences;
        Steps = steps;
        GoBackwards = goBackwards;
        TruncateGradient = truncateGradient;
        Outputs = stepOutputs.Select((o, i) => new ScanOutputVariable(this, i, o.Type with { Rank = o.Type.Rank + 1 }, outputNames[i])).ToList();
        OuterInputs = sequences.Select(s => s.Source)
            .Concat(outputs.Where(o => o.Initial is not null).Select(o => o.Initial!))
            .Concat(nonSequences)
            .Concat(steps is null ? [] : [steps])
            .ToList();
    }

    /// <summary>The scan's name.</summary>
    public string Name { get; }
    /// <summary>The step's parameters.</summary>
    public IReadOnlyList<InputVariable> StepInputs { get; }
    /// <summary>The step's results, one per output.</summary>
    public IReadOnlyList<Variable> StepOutputs { get; }
    /// <summary>The stop condition (Theano's <c>until</c>), if any.</summary>
    public Variable? StepCondition { get; }
    /// <summary>The sequences.</summary>
    public IReadOnlyList<ScanSequence> Sequences { get; }
    /// <summary>The outputs' initial states and taps.</summary>
    public IReadOnlyList<ScanOutputInfo> OutputInfo { get; }
    /// <summary>The values passed unchanged to every step.</summary>
    public IReadOnlyList<Variable> NonSequences { get; }
    /// <summary>The number of steps (Theano's <c>n_steps</c>), if given.</summary>
    public Variable? Steps { get; }
    /// <summary>Whether the sequences are visited from their end.</summary>
    public bool GoBackwards { get; }
    /// <summary>Theano's <c>truncate_gradient</c>; -1 for all steps.</summary>
    public int TruncateGradient { get; }
    /// <summary>The traces, one per output.</summary>
    public IReadOnlyList<ScanOutputVariable> Outputs { get; }
    /// <summary>Every outer variable the scan reads.</summary>
    public IReadOnlyList<Variable> OuterInputs { get; }

    /// <summary>
    /// The shared-variable inputs the scan updates (Theano's <c>updates</c>): they are its last outputs, fed back at
    /// tap -1 from the variable's value; a function writes their final values back when it returns.
    /// </summary>
    public IReadOnlyList<InputVariable> Updates { get; }

    /// <summary>The outputs that are traces the user asked for, not shared-variable updates.</summary>
    public IReadOnlyList<ScanOutputVariable> Traces => Outputs.Take(Outputs.Count - Updates.Count).ToList();
}
