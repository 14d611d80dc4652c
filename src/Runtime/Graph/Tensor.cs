using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SymGen.Graph;

/// <summary>The traces of a scan (one per output, indexable), and the scan itself.</summary>
public sealed class ScanResult : IReadOnlyList<ScanOutputVariable>
{
    internal ScanResult(ScanNode node) => Node = node;

    /// <summary>The scan node.</summary>
    public ScanNode Node { get; }

    /// <summary>Trace <paramref name="index"/>.</summary>
    public ScanOutputVariable this[int index] => Node.Traces[index];

    /// <summary>The number of traces.</summary>
    public int Count => Node.Traces.Count;

    /// <inheritdoc />
    public IEnumerator<ScanOutputVariable> GetEnumerator() => Node.Traces.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>What a scan's step returns: one value per output, and optionally a stop condition (Theano's <c>until</c>).</summary>
public sealed record ScanStep(IReadOnlyList<Variable> Outputs, Variable? Until = null)
{
    /// <summary>A step returning these outputs.</summary>
    public static ScanStep Of(params Variable[] outputs) => new(outputs);

    /// <summary>A step returning these outputs that stops the loop after the first step where <paramref name="condition"/> holds.</summary>
    public static ScanStep Stop(Variable condition, params Variable[] outputs) => new(outputs, condition);
}

/// <summary>
/// Builds graphs without the generator (Theano's <c>tensor</c> module): inputs, constants, the op table's ops, scans,
/// and functions that evaluate graphs with the interpreter. Usable from F#: no ref structs, delegates for steps.
/// </summary>
public static class Tensor
{
    /// <summary>A named input of a function.</summary>
    public static InputVariable Input(string name, TensorType type) => new(name, type);

    /// <summary>An input whose argument is a <see cref="Shared{T}"/> of values of <paramref name="type"/>.</summary>
    public static InputVariable SharedInput(string name, TensorType type) => new(name, type, isShared: true);

    /// <summary>A <c>double</c> scalar input.</summary>
    public static InputVariable Scalar(string name) => Input(name, TensorType.Float64Scalar);

    /// <summary>A vector-of-<c>double</c> input.</summary>
    public static InputVariable Vector(string name) => Input(name, TensorType.Float64Vector);

    /// <summary>A matrix-of-<c>double</c> input.</summary>
    public static InputVariable Matrix(string name) => Input(name, TensorType.Float64Matrix);

    /// <summary>A scalar constant of the given element kind.</summary>
    public static ConstantVariable Constant(double value, ElementKind kind = ElementKind.Float64) =>
        new(ElementKinds.Cast(value, kind), new TensorType(kind, 0));

#pragma warning disable CS1591 // a constant of the argument's own type
    public static ConstantVariable Constant(int value) => new(value, new TensorType(ElementKind.Int32, 0));
    public static ConstantVariable Constant(long value) => new(value, new TensorType(ElementKind.Int64, 0));
    public static ConstantVariable Constant(float value) => new(value, new TensorType(ElementKind.Float32, 0));
    public static ConstantVariable Constant(bool value) => new(value, new TensorType(ElementKind.Bool, 0));
#pragma warning restore CS1591

    /// <summary><paramref name="op"/> applied to <paramref name="inputs"/>; its type follows the op table and C#'s promotions.</summary>
    public static Variable Apply(Op op, params Variable[] inputs) => Apply(op, -1, inputs);

    /// <summary><paramref name="op"/> along <paramref name="axis"/> (reductions), applied to <paramref name="inputs"/>.</summary>
    public static Variable Apply(Op op, int axis, params Variable[] inputs) => Apply(op, axis, null, null, inputs);

    /// <summary>
    /// <paramref name="op"/> along <paramref name="axis"/>, applied to <paramref name="inputs"/>, with a
    /// <paramref name="name"/> and the <paramref name="label"/> of the source it stands for. A generated graph names
    /// each node as the generated loop does (<c>n5</c>) and labels it with its C# expression: the loop's comments,
    /// <see cref="GraphPrinter.DebugPrint"/> and <see cref="GraphPrinter.ToDot"/> show the same node the same way.
    /// </summary>
    public static Variable Apply(Op op, int axis, string? name, string? label, params Variable[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var info = OpTable.Get(op);
        if (info.Category is OpCategory.Leaf or OpCategory.Conversion)
            throw new ArgumentException($"{info.Name} is not applied to operands; use Tensor.Input, Tensor.Constant or Tensor.Convert.", nameof(op));
        if (inputs.Length != info.Arity)
            throw new ArgumentException($"{info.Name} takes {info.Arity} operand(s); {inputs.Length} were given.", nameof(inputs));
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"Operand {i} of {info.Name} is null.");
        // The op table's type and shape rules, as the generator's step-graph builder applies them (sizes are
        // checked when the graph runs: only ranks are known here).
        var kinds = Array.ConvertAll(inputs, v => v.Type.Element);
        var ranks = Array.ConvertAll(inputs, v => new int[v.Type.Rank]);
        var (kind, shape) = NodeRules.Infer(op, axis, kinds, ranks, static (_, _, _) => { }, out var error)
            ?? throw new ArgumentException($"{info.Name}: {error}.", nameof(inputs));
        if (info.HasText)
            throw new ArgumentException($"{info.Name} takes a text besides its operands: use Tensor.{info.Name}.", nameof(op));
        return new ApplyVariable(op, inputs, info.HasAxis ? axis : -1, new TensorType(kind, shape.Length), name, label);
    }

    /// <summary>
    /// Theano's <c>Print</c>: x unchanged, after writing <c>label = x</c> to <see cref="SymGen.Printing.Writer"/> each
    /// time the graph computes it (each step, in a scan's step). An effect: never merged with another print, hoisted
    /// out of a loop or removed; it prints when a result needs its value (use the returned variable, as in Theano).
    /// </summary>
    /// <param name="x">The value to print.</param>
    /// <param name="label">The text written before the value.</param>
    /// <param name="name">The node's name (a generated graph's <c>n5</c>), if any.</param>
    /// <param name="source">The source the node stands for (a generated graph's <c>Sym.Print(x, "x")</c>), if any.</param>
    public static Variable Print(Variable x, string label, string? name = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(label, nameof(label));
        return new ApplyVariable(Op.Print, [x], -1, x.Type, name, source, label);
    }

    /// <summary>A scalar converted to another element kind, with C#'s conversion rules.</summary>
    public static Variable Convert(Variable x, ElementKind kind) =>
        x.Type.Rank == 0 ? new ApplyVariable(Op.Convert, [x], -1, new TensorType(kind, 0), null, null)
            : throw new ArgumentException("Only scalars are converted.", nameof(x));

#pragma warning disable CS1591 // each builds the op it names (see the op table and Sym for their meaning)
    public static Variable Tanh(Variable x) => Apply(Op.Tanh, x);
    public static Variable Sigmoid(Variable x) => Apply(Op.Sigmoid, x);
    public static Variable Relu(Variable x) => Apply(Op.Relu, x);
    public static Variable Exp(Variable x) => Apply(Op.Exp, x);
    public static Variable Log(Variable x) => Apply(Op.Log, x);
    public static Variable Sqrt(Variable x) => Apply(Op.Sqrt, x);
    public static Variable Abs(Variable x) => Apply(Op.Abs, x);
    public static Variable Pow(Variable x, Variable y) => Apply(Op.Pow, x, y);
    public static Variable Maximum(Variable x, Variable y) => Apply(Op.Maximum, x, y);
    public static Variable Minimum(Variable x, Variable y) => Apply(Op.Minimum, x, y);
    public static Variable Where(Variable condition, Variable a, Variable b) => Apply(Op.Select, condition, a, b);
    public static Variable Dot(Variable x, Variable y) => Apply(Op.Dot, x, y);
    public static Variable Sum(Variable x, int axis = -1) => Apply(Op.Sum, axis, x);
    public static Variable Prod(Variable x, int axis = -1) => Apply(Op.Prod, axis, x);
    public static Variable Mean(Variable x, int axis = -1) => Apply(Op.Mean, axis, x);
    public static Variable Max(Variable x, int axis = -1) => Apply(Op.Max, axis, x);
    public static Variable Softmax(Variable x) => Apply(Op.Softmax, x);
    public static Variable Less(Variable x, Variable y) => Apply(Op.Less, x, y);
    public static Variable Greater(Variable x, Variable y) => Apply(Op.Greater, x, y);
    public static Variable LessOrEqual(Variable x, Variable y) => Apply(Op.LessOrEqual, x, y);
    public static Variable GreaterOrEqual(Variable x, Variable y) => Apply(Op.GreaterOrEqual, x, y);
    public static Variable Equal(Variable x, Variable y) => Apply(Op.Equal, x, y);
    public static Variable NotEqual(Variable x, Variable y) => Apply(Op.NotEqual, x, y);
    public static Variable Clip(Variable x, Variable lo, Variable hi) => Apply(Op.Clip, x, lo, hi);
    public static Variable Min(Variable x, int axis = -1) => Apply(Op.Min, axis, x);
    public static Variable ArgMax(Variable x, int axis = -1) => Apply(Op.ArgMax, axis, x);
    public static Variable ArgMin(Variable x, int axis = -1) => Apply(Op.ArgMin, axis, x);
    public static Variable LogSumExp(Variable x, int axis = -1) => Apply(Op.LogSumExp, axis, x);
    public static Variable LogSoftmax(Variable x) => Apply(Op.LogSoftmax, x);
#pragma warning restore CS1591

#pragma warning disable CS1591 // the structural ops (see Sym for their meaning)
    public static Variable Transpose(Variable x) => Apply(Op.Transpose, x);
    public static Variable Outer(Variable a, Variable b) => Apply(Op.Outer, a, b);
    public static Variable Diagonal(Variable x) => Apply(Op.Diagonal, x);
    public static Variable Trace(Variable x) => Apply(Op.Trace, x);
    public static Variable Fill(Variable x, Variable value) => Apply(Op.Fill, x, value);
    public static Variable SetIndex(Variable x, Variable value, Variable index) => Apply(Op.SetIndex, x, value, index);
    public static Variable SetDiagonal(Variable x, Variable diagonal) => Apply(Op.SetDiagonal, x, diagonal);
#pragma warning restore CS1591

    /// <summary><c>x[index]</c>: an element of a vector or a row of a matrix, at an int or long scalar index.</summary>
    public static Variable Index(Variable x, Variable index) => Apply(Op.Index, x, index);

    /// <summary>
    /// The gradients of the scalar <paramref name="cost"/> with respect to each of <paramref name="wrt"/> (Theano's
    /// <c>T.grad</c>): new variables of the same graph, one per <paramref name="wrt"/>, of its type, built from the op
    /// table's derivative rules by reverse-mode differentiation. A variable the cost reaches only through ops of zero
    /// gradient (comparisons, rounding, ArgMax) gets zeros. Through a scan the gradient is a backward scan with the
    /// reference's semantics (<c>truncateGradient</c>, <c>goBackwards</c>, taps, <c>until</c>; no gradient through
    /// updated shared variables), run by the interpreter: see docs/interpreter.md, "Gradients".
    /// </summary>
    /// <exception cref="ArgumentException">The cost is not a float or double scalar; a <paramref name="wrt"/> is not
    /// floating-point, or is not part of the cost's graph (Theano's DisconnectedInputError).</exception>
    /// <exception cref="NotSupportedException">The cost depends on a <paramref name="wrt"/> through an op with no
    /// derivative, or through the gradient of a scan (a second derivative).</exception>
    public static Variable[] Grad(Variable cost, params Variable[] wrt) => VariableGradients.Grad(cost, wrt);

    /// <summary>
    /// A scan (Theano's <c>scan</c>). <paramref name="step"/> receives, in order, each sequence's taps, each recurrent
    /// output's taps, each updated shared input's current value, then the non-sequences; it returns one value per
    /// output, then each updated shared input's next value (and optionally a stop condition).
    /// Returns the traces, one per output (not the updates: a function writes those back).
    /// </summary>
    public static ScanResult Scan(
        Func<IReadOnlyList<Variable>, ScanStep> step,
        IEnumerable<ScanSequence>? sequences = null,
        IEnumerable<ScanOutputInfo>? outputs = null,
        IEnumerable<Variable>? nonSequences = null,
        Variable? steps = null,
        bool goBackwards = false,
        int truncateGradient = -1,
        string name = "scan",
        IEnumerable<string?>? outputNames = null,
        IEnumerable<string>? stepInputNames = null,
        IEnumerable<InputVariable>? updates = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        var seqs = (sequences ?? []).ToList();
        var outs = (outputs ?? []).ToList();
        var nons = (nonSequences ?? []).ToList();
        var shared = (updates ?? []).ToList();
        if (shared.FirstOrDefault(u => !u.IsShared) is { } notShared)
            throw new ArgumentException($"'{notShared}' is updated but is not a shared input (Tensor.SharedInput).", nameof(updates));
        if (shared.Distinct().Count() != shared.Count)
            throw new ArgumentException("A shared input is updated twice.", nameof(updates));
        if (seqs.Count == 0 && steps is null)
            throw new ArgumentException("No information about the number of steps: give a sequence or the number of steps.", nameof(steps));
        // As SYMG0031 for a generated scan: 0 or below -1 has no meaning.
        if (truncateGradient is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(truncateGradient), truncateGradient, "truncateGradient must be -1 (differentiate through every step) or a number of steps k >= 1 (only the last k).");
        if (steps is not null && (steps.Type.Rank != 0 || steps.Type.Element is not (ElementKind.Int32 or ElementKind.Int64)))
            throw new ArgumentException($"The number of steps must be an int or long scalar, not {steps.Type}.", nameof(steps));
        // Taps are checked here, when the graph is built, so that tap arithmetic (depths, spans, rows) cannot
        // overflow when it runs: a tap reaches at most Array.MaxLength rows away, as far as any array does.
        for (int i = 0; i < outs.Count; i++)
        {
            var o = outs[i];
            if (o.Initial is null ? o.Taps.Count > 0 : o.Taps.Count == 0)
                throw new ArgumentException($"Output {i}: an output with taps needs an initial state, and an initial state needs taps.", nameof(outputs));
            if (o.Taps.Any(t => t >= 0 || t < -Array.MaxLength) || o.Taps.Distinct().Count() != o.Taps.Count)
                throw new ArgumentException($"Output {i}'s taps must be different and between -{Array.MaxLength} and -1; [{string.Join(", ", o.Taps)}] was given.", nameof(outputs));
        }
        for (int i = 0; i < seqs.Count; i++)
        {
            var taps = seqs[i].Taps;
            if (taps.Count == 0)
                throw new ArgumentException($"Sequence {i} ('{seqs[i].Source}') needs at least one tap.", nameof(sequences));
            if (Math.Max(0L, taps.Max()) - Math.Min(0L, taps.Min()) > Array.MaxLength)
                throw new ArgumentException($"The taps of sequence '{seqs[i].Source}' must span at most {Array.MaxLength} rows (max(taps, 0) - min(taps, 0)); [{string.Join(", ", taps)}] was given.", nameof(sequences));
        }

        // Step parameters are named as given, else after what they receive: x[t-1], out.0[t-2], w.
        var names = (outputNames ?? []).ToList();
        var given = (stepInputNames ?? []).ToList();
        var inputs = new List<InputVariable>();
        string Name(string fallback) => inputs.Count < given.Count ? given[inputs.Count] : fallback;
        foreach (var s in seqs)
            foreach (var tap in s.Taps)
                inputs.Add(new InputVariable(Name($"{s.Source}[t{Signed(tap)}]"), s.Source.Type.Row));
        for (int i = 0; i < outs.Count; i++)
            foreach (var tap in outs[i].Taps)
                inputs.Add(new InputVariable(Name($"{(i < names.Count && names[i] is { } n ? n : $"{name}.{i}")}[t{Signed(tap)}]"),
                    outs[i].IsRows ? outs[i].Initial!.Type.Row : outs[i].Initial!.Type));
        foreach (var u in shared)
            inputs.Add(new InputVariable(Name(u.ToString()), u.Type));
        foreach (var n in nons)
            inputs.Add(new InputVariable(Name(n.ToString()), n.Type));

        var result = step(inputs) ?? throw new InvalidOperationException("The step returned null.");
        if (outs.Count == 0)
            outs = result.Outputs.Take(result.Outputs.Count - shared.Count).Select(_ => ScanOutputInfo.Map).ToList();
        // The step returns each updated shared variable's next value after the outputs.
        outs.AddRange(shared.Select(ScanOutputInfo.Recurrent));
        if (result.Outputs.Count != outs.Count)
            throw new ArgumentException($"The step returns {result.Outputs.Count} output(s), but {outs.Count} were described; describe a map output with ScanOutputInfo.Map.", nameof(outputs));
        if (result.Until is { Type: var t } && t != new TensorType(ElementKind.Bool, 0))
            throw new ArgumentException($"The stop condition must be a bool scalar, not {t}.", nameof(step));
        var node = new ScanNode(name, inputs, result.Outputs, result.Until, seqs, outs, nons, steps, goBackwards, truncateGradient,
            Enumerable.Range(0, outs.Count).Select(i => i < names.Count ? names[i] : null).ToList(), shared);
        return new ScanResult(node);
    }

    /// <summary>
    /// A function of <paramref name="inputs"/> computing <paramref name="outputs"/> with the interpreter. Scans it
    /// runs write their shared-variable updates back when a call succeeds; <paramref name="updating"/> names scans
    /// that run for their updates alone (no output of theirs is asked for).
    /// </summary>
    public static Function Function(IEnumerable<InputVariable> inputs, IEnumerable<Variable> outputs, params ScanNode[] updating) =>
        new(inputs.ToList(), outputs.ToList(), updating);

    private static string Signed(int tap) => tap == 0 ? "" : tap > 0 ? "+" + tap.ToString(CultureInfo.InvariantCulture) : tap.ToString(CultureInfo.InvariantCulture);
}
