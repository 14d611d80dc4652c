using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using SymGen.Scanning;

namespace SymGen.Graph;

/// <summary>A tensor value inside the interpreter: a run of an array, with a shape (row-major).</summary>
internal sealed class TensorValue
{
    public TensorValue(ElementKind kind, Array data, int offset, int[] shape)
    {
        (Kind, Data, Offset, Shape) = (kind, data, offset, shape);
        Length = shape.Aggregate(1, (a, b) => a * b);
    }

    public ElementKind Kind { get; }
    public Array Data { get; }
    public int Offset { get; }
    public int[] Shape { get; }
    public int Length { get; }

    public static TensorValue Zeros(ElementKind kind, int[] shape)
    {
        int length = shape.Aggregate(1, (a, b) => a * b);
        Array data = kind switch
        {
            ElementKind.Float64 => new double[length],
            ElementKind.Float32 => new float[length],
            ElementKind.Int64 => new long[length],
            ElementKind.Int32 => new int[length],
            _ => new bool[length],
        };
        return new TensorValue(kind, data, 0, shape);
    }

    public Span<T> Span<T>() => ((T[])Data).AsSpan(Offset, Length);

    /// <summary>Row <paramref name="index"/> (one rank less): a boxed scalar for a vector, else a view.</summary>
    public object Row(int index)
    {
        if (Shape.Length == 1)
            return Data.GetValue(Offset + index)!;
        int width = Length / Shape[0];
        return new TensorValue(Kind, Data, Offset + index * width, Shape[1..]);
    }

    public void SetRow(int index, object value)
    {
        if (Shape.Length == 1)
        {
            Data.SetValue(ScalarOps.Cast(value, Kind), Offset + index);
            return;
        }
        var row = (TensorValue)value;
        int width = Length / Shape[0];
        Array.Copy(row.Data, row.Offset, Data, Offset + index * width, width);
    }

    /// <summary>The first <paramref name="rows"/> rows.</summary>
    public TensorValue Take(int rows) => new(Kind, Data, Offset, [rows, .. Shape[1..]]);

    /// <summary>A copy with <paramref name="rows"/> rows: the first ones of this value, then zeros.</summary>
    public TensorValue Resized(int rows)
    {
        var resized = Zeros(Kind, [rows, .. Shape[1..]]);
        int width = Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        Array.Copy(Data, Offset, resized.Data, 0, Math.Min(rows, Shape[0]) * width);
        return resized;
    }
}

/// <summary>
/// A dimension at run time and the user's parameter it comes from (<c>W.Rows</c> is 3, read from <c>W</c>): size
/// errors name both sides in the generated code's words, and blame a parameter of the user's.
/// </summary>
internal readonly record struct Size(int Value, string Text, string Parameter)
{
    private static readonly string[][] Members = [[], ["Length"], ["Rows", "Columns"], ["Length", "Rows", "Columns"]];

    /// <summary>The dimensions of a value of <paramref name="shape"/> passed as <paramref name="input"/>, spelt as generated code reads them.</summary>
    public static Size[] Of(InputVariable input, int[] shape)
    {
        var owner = input.IsShared ? $"{input}.Value" : input.ToString();
        var members = Members[Math.Min(shape.Length, 3)];
        return shape.Select((d, i) => new Size(d, $"{owner}.{(i < members.Length ? members[i] : $"Dimension{i}")}", input.ToString())).ToArray();
    }
}

/// <summary>
/// Evaluates graphs, scans included, with the generated loop's semantics: sequences with taps (go_backwards too),
/// recurrent outputs with taps, map outputs, non-sequences, n_steps, until; sizes checked once before the first
/// step, with the generated code's checks and messages (<see cref="ScanArguments"/>); each tensor node's buffer
/// allocated once per scan and reused by every step. Graphs are walked in topological order with explicit stacks:
/// no recursion, whatever the graph's depth.
/// </summary>
internal sealed class Interpreter
{
    private readonly Dictionary<Variable, object> _values = new();
    private readonly Dictionary<Variable, TensorValue> _buffers = new();
    /// <summary>Where each tensor's dimensions come from; a step's are known before its first step.</summary>
    private readonly Dictionary<Variable, Size[]> _sizes = new();
    private readonly Dictionary<ScanNode, object[]> _scans = new();

    public Interpreter(IReadOnlyDictionary<InputVariable, object> inputs)
    {
        foreach (var (input, value) in inputs) _values[input] = value;
    }

    public object Evaluate(Variable variable)
    {
        if (_values.TryGetValue(variable, out var known))
            return known;
        foreach (var node in Unevaluated([variable], _values))
            _values[node] = Compute(node);
        return _values[variable];
    }

    /// <summary>The variables <paramref name="roots"/> depend on that have no value yet, each after its inputs.</summary>
    private static List<Variable> Unevaluated(IEnumerable<Variable> roots, IReadOnlyDictionary<Variable, object> known)
    {
        var order = new List<Variable>();
        var visited = new HashSet<Variable>();
        var pending = new Stack<(Variable Node, bool InputsDone)>();
        foreach (var root in roots.Reverse()) pending.Push((root, false));
        while (pending.Count > 0)
        {
            var (node, inputsDone) = pending.Pop();
            if (inputsDone)
            {
                order.Add(node);
                continue;
            }
            if (known.ContainsKey(node) || !visited.Add(node)) continue;
            pending.Push((node, true));
            for (int i = node.Inputs.Count - 1; i >= 0; i--) pending.Push((node.Inputs[i], false));
        }
        return order;
    }

    /// <summary>One node's value, its inputs' values known.</summary>
    private object Compute(Variable variable) => variable switch
    {
        ConstantVariable c => c.Value,
        ApplyVariable a => Apply(a),
        ScanOutputVariable s => EvaluateScan(s.Scan)[s.Index],
        InputVariable i => throw new ArgumentException($"No value was given for input '{i}'."),
        _ => throw new NotSupportedException(variable.GetType().Name),
    };

    // ---- Ops --------------------------------------------------------------------------------------------------

    private object Apply(ApplyVariable node)
    {
        var operands = new object[node.Inputs.Count];
        for (int i = 0; i < operands.Length; i++) operands[i] = _values[node.Inputs[i]];
        if (node.Type.Rank == 0 && operands.All(o => o is not TensorValue))
            return ScalarOps.Evaluate(node.Op, node.Type.Element, operands);
        // A tensor op computes in its tensors' element type (ArgMax's result is an int).
        var kind = node.Type.Rank > 0 ? node.Type.Element : operands.OfType<TensorValue>().First().Kind;
        return kind switch
        {
            ElementKind.Float64 => Tensor<double>(node, operands),
            ElementKind.Float32 => Tensor<float>(node, operands),
            _ => throw new NotSupportedException($"{OpTable.Get(node.Op).Name} on tensors of {node.Type.Element} is not supported."),
        };
    }

    /// <summary>A buffer for <paramref name="node"/>'s value, the same one at every step of a scan.</summary>
    private TensorValue Buffer(Variable node, int[] shape)
    {
        if (_buffers.TryGetValue(node, out var buffer) && buffer.Shape.SequenceEqual(shape))
            return buffer;
        return _buffers[node] = TensorValue.Zeros(node.Type.Element, shape);
    }

    /// <summary>A tensor's dimensions: known (a step's, an op's already computed, a trace's), or read from an input's value.</summary>
    private Size[] SizesOf(Variable variable, object value)
    {
        if (_sizes.TryGetValue(variable, out var sizes)) return sizes;
        if (value is not TensorValue t) return [];
        return _sizes[variable] = variable is InputVariable input
            ? Size.Of(input, t.Shape)
            : t.Shape.Select((d, i) => new Size(d, $"dimension {i} of {Describe(variable)}", Describe(variable))).ToArray();
    }

    private object Tensor<T>(ApplyVariable node, object[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_sizes.TryGetValue(node, out var sizes))
            _sizes[node] = sizes = InferSizes(node, node.Inputs.Select((input, i) => SizesOf(input, x[i])).ToList(), "");
        var shape = Array.ConvertAll(sizes, s => s.Value);
        if (shape.Length == 0)
        {
            var v = (TensorValue)x[0];
            if (node.Op is Op.ArgMax or Op.ArgMin) return Kernels.ArgReduce<T>(node.Op, v.Span<T>(), Dims.Of(v.Shape)); // issue 11 wiring
            return node.Op == Op.Dot ? Kernels.Dot<T>(v.Span<T>(), ((TensorValue)x[1]).Span<T>()) : Kernels.Reduce<T>(node.Op, v.Span<T>());
        }
        var result = Buffer(node, shape);
        var dest = result.Span<T>();
        switch (node.Op)
        {
            case Op.Dot:
                TensorValue a = (TensorValue)x[0], b = (TensorValue)x[1];
                if (a.Shape.Length == 2 && b.Shape.Length == 1) Kernels.MatVec<T>(a.Span<T>(), a.Shape[0], a.Shape[1], b.Span<T>(), dest);
                else if (a.Shape.Length == 1) Kernels.VecMat<T>(a.Span<T>(), b.Span<T>(), b.Shape[0], b.Shape[1], dest);
                else Kernels.MatMul<T>(a.Span<T>(), a.Shape[0], a.Shape[1], b.Span<T>(), b.Shape[1], dest);
                break;
            case Op.Softmax:
                var s = (TensorValue)x[0];
                if (s.Shape.Length == 1) Kernels.Softmax<T>(s.Span<T>(), dest);
                else Kernels.Softmax<T>(s.Span<T>(), s.Shape[0], s.Shape[1], dest);
                break;
            case Op.Sum or Op.Prod or Op.Mean or Op.Max or Op.Min or Op.LogSumExp:
                var m = (TensorValue)x[0];
                Kernels.Reduce<T>(node.Op, m.Span<T>(), m.Shape[0], m.Shape[1], node.Axis, dest);
                break;
            // Issue 11 wiring of the new ops: their kernel entries (the compiled interpreter calls them from its plan).
            case Op.ArgMax or Op.ArgMin:
                var g = (TensorValue)x[0];
                Kernels.ArgReduce<T>(node.Op, g.Span<T>(), Dims.Of(g.Shape), node.Axis, dest);
                break;
            case Op.LogSoftmax:
                var l = (TensorValue)x[0];
                Kernels.LogSoftmax<T>(l.Span<T>(), Dims.Of(l.Shape), dest);
                break;
            default:
                Elementwise<T>(node, x, result);
                break;
        }
        return result;
    }

    /// <summary>
    /// An op's result dimensions from its operands', checking every pair the shape rule ties together. Which
    /// parameter is blamed follows the generated code's rule (<see cref="ShapeRules.Blame{TDim}"/>) with the scan's
    /// <paramref name="precedence"/>; outside scans, the left operand establishes.
    /// </summary>
    private static Size[] InferSizes(ApplyVariable node, IReadOnlyList<Size[]> operands, string where, Func<Size, int>? precedence = null) =>
        ShapeRules.Infer(node.Op, operands, node.Axis, (first, second, what) =>
        {
            var (a, b) = ShapeRules.Blame(first, second, precedence ?? (_ => 0));
            ScanArguments.RequireSameSize(a.Value, b.Value, a.Text, b.Text, where + what, a.Parameter, b.Parameter);
        }, out var rankError) ?? throw new ArgumentException(rankError);

    /// <summary>Elementwise ops with Theano's broadcasting, on the eager kernels where the shapes allow.</summary>
    private static void Elementwise<T>(ApplyVariable node, object[] x, TensorValue result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dest = result.Span<T>();
        int arity = x.Length;
        // The vectorised kernels take operands of the result's element type, and only the ops they implement.
        bool sameKind = x.All(v => v is not TensorValue t || t.Kind == result.Kind);
        if (sameKind && arity == 1 && node.Op is Op.Negate or Op.Abs or Op.Sqrt or Op.Exp or Op.Log or Op.Tanh or Op.Sigmoid or Op.Relu)
        {
            Kernels.Unary<T>(node.Op, ((TensorValue)x[0]).Span<T>(), dest);
            return;
        }
        if (sameKind && arity == 2 && node.Op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Pow or Op.Maximum or Op.Minimum)
        {
            switch (x[0], x[1])
            {
                case (TensorValue a, TensorValue b) when a.Length == b.Length:
                    Kernels.Binary<T>(node.Op, a.Span<T>(), b.Span<T>(), dest);
                    return;
                case (TensorValue a, TensorValue b) when a.Shape.Length == 2:
                    for (int r = 0; r < a.Shape[0]; r++)
                        Kernels.Binary<T>(node.Op, a.Span<T>().Slice(r * b.Length, b.Length), b.Span<T>(), dest.Slice(r * b.Length, b.Length));
                    return;
                case (TensorValue a, TensorValue b):
                    for (int r = 0; r < b.Shape[0]; r++)
                        Kernels.Binary<T>(node.Op, a.Span<T>(), b.Span<T>().Slice(r * a.Length, a.Length), dest.Slice(r * a.Length, a.Length));
                    return;
                case (TensorValue a, var b):
                    Kernels.Binary<T>(node.Op, a.Span<T>(), (T)ScalarOps.Cast(b, result.Kind), dest);
                    return;
                case (var a, TensorValue b):
                    Kernels.Binary<T>(node.Op, (T)ScalarOps.Cast(a, result.Kind), b.Span<T>(), dest);
                    return;
            }
        }
        // Issue 11 wiring: operands of the result's element type (masks, comparisons, the math functions, Where,
        // Clip, FusedMultiplyAdd) go through the op table's elementwise kernel entry.
        if (x.All(v => v is TensorValue t ? t.Kind == result.Kind : ElementKinds.Of(v) == result.Kind))
        {
            var scalars = Array.ConvertAll(x, v => v is T scalar ? scalar : T.Zero);
            ReadOnlySpan<T> Values(int k) => x[k] is TensorValue t ? t.Span<T>() : scalars.AsSpan(k, 1);
            Dims DimsOf(int k) => x[k] is TensorValue t ? Dims.Of(t.Shape) : Dims.Scalar;
            var dd = Dims.Of(result.Shape);
            if (arity == 1) Kernels.Elementwise<T>(node.Op, Values(0), DimsOf(0), dest, dd);
            else if (arity == 2) Kernels.Elementwise<T>(node.Op, Values(0), DimsOf(0), Values(1), DimsOf(1), dest, dd);
            else Kernels.Elementwise<T>(node.Op, Values(0), DimsOf(0), Values(1), DimsOf(1), Values(2), DimsOf(2), dest, dd);
            return;
        }
        // The rest (mixed element types, a bool condition): element by element with the scalar kernels, each
        // operand read in its own type and converted as C# would.
        int columns = result.Shape[^1];
        for (int i = 0; i < result.Length; i++)
        {
            var operands = x.Select(v => v is TensorValue t
                ? t.Data.GetValue(t.Offset + (t.Shape.Length == result.Shape.Length ? i : i % columns))!
                : v).ToArray();
            dest[i] = (T)ScalarOps.Evaluate(node.Op, result.Kind, operands);
        }
    }

    /// <summary>How errors name a variable: an input by its (the user's parameter's) name.</summary>
    private static string Describe(Variable node) => node switch
    {
        { Name: { } name } => name,
        ApplyVariable a => $"{OpTable.Get(a.Op).Name} #{a.Id}",
        ScanOutputVariable s => $"output {s.Index} of scan '{s.Scan.Name}'",
        _ => node.ToString(),
    };

    // ---- Scans ------------------------------------------------------------------------------------------------

    private object[] EvaluateScan(ScanNode scan)
    {
        if (_scans.TryGetValue(scan, out var done))
            return done; // every output of a scan comes from one run
        var sequences = scan.Sequences.Select(s => (TensorValue)Evaluate(s.Source)).ToList();
        var initials = scan.OutputInfo.Select(o => o.Initial is null ? null : Evaluate(o.Initial)).ToList();
        var nonSequences = scan.NonSequences.Select(Evaluate).ToList();

        // The generated code's checks, in its order and words: steps, sequence lengths, initial rows, sizes.
        int steps;
        string stepsName = scan.Steps is { } stepsVariable ? Describe(stepsVariable) : sequences.Count > 0 ? Describe(scan.Sequences[0].Source) : scan.Name;
        var spans = scan.Sequences.Select(s => Math.Max(0, s.Taps.Max()) - Math.Min(0, s.Taps.Min())).ToList();
        // A sequence shorter than its taps' span is an error, as in the generated scan.
        int StepsProvided(int s) => ScanArguments.StepsProvided(sequences[s].Shape[0], spans[s], string.Join(", ", scan.Sequences[s].Taps), Describe(scan.Sequences[s].Source));
        if (scan.Steps is { } given)
        {
            steps = ScanArguments.RequireSteps(System.Convert.ToInt64(Evaluate(given), System.Globalization.CultureInfo.InvariantCulture), stepsName);
            for (int s = 0; s < sequences.Count; s++)
                ScanArguments.RequireSequenceSteps(sequences[s].Shape[0], spans[s], string.Join(", ", scan.Sequences[s].Taps), steps,
                    Describe(scan.Sequences[s].Source), stepsName);
        }
        else
            steps = Enumerable.Range(0, sequences.Count).Select(StepsProvided).Min();
        for (int o = 0; o < initials.Count; o++)
            if (scan.OutputInfo[o].IsRows)
                ScanArguments.RequireInitialRows(((TensorValue)initials[o]!).Shape[0], scan.OutputInfo[o].Depth,
                    string.Join(", ", scan.OutputInfo[o].Taps), Describe(scan.OutputInfo[o].Initial!));

        // Sizes of the step's values from the inputs' alone, each named after the outer parameter it comes from:
        // the traces exist, and every size is checked, before the first step.
        var step = new Interpreter(new Dictionary<InputVariable, object>());
        var sizes = step._sizes;
        // A while loop's traces start small and double as it runs (its step count is only a maximum).
        int capacity = scan.StepCondition is null ? steps : ScanTraces.FirstCapacity(steps);
        int k = 0;
        for (int s = 0; s < sequences.Count; s++)
            foreach (var _ in scan.Sequences[s].Taps)
                sizes[scan.StepInputs[k++]] = SizesOf(scan.Sequences[s].Source, sequences[s])[1..];
        var initialSizes = new List<Size[]>();
        for (int o = 0; o < initials.Count; o++)
        {
            var info = scan.OutputInfo[o];
            initialSizes.Add(info.Initial is null ? [] : info.IsRows ? SizesOf(info.Initial, initials[o]!)[1..] : SizesOf(info.Initial, initials[o]!));
            foreach (var _ in info.Taps)
                sizes[scan.StepInputs[k++]] = initialSizes[o];
        }
        for (int n = 0; n < nonSequences.Count; n++)
            sizes[scan.StepInputs[k++]] = SizesOf(scan.NonSequences[n], nonSequences[n]);
        var roots = scan.StepCondition is null ? scan.StepOutputs : scan.StepOutputs.Append(scan.StepCondition);
        var order = Unevaluated(roots, scan.StepInputs.ToDictionary(i => (Variable)i, i => (object)i));
        string where = $"step of scan '{scan.Name}': ";
        // The order in which the scan's parameters establish sizes (ShapeRules.Blame), as the generated code's.
        var precedence = scan.Sequences.Select(q => (Variable?)q.Source).Concat(scan.OutputInfo.Select(o => o.Initial)).Concat(scan.NonSequences)
            .Select(v => v is null ? null : Describe(v)).ToList();
        int Precedence(Size size) => precedence.IndexOf(size.Parameter) is var i and >= 0 ? i : int.MaxValue;
        foreach (var node in order)
            sizes[node] = node switch
            {
                ConstantVariable => [],
                ApplyVariable a => InferSizes(a, a.Inputs.Select(i => sizes[i]).ToList(), where, Precedence),
                _ => throw new NotSupportedException($"A step graph cannot contain {node.GetType().Name}."),
            };
        var traces = scan.StepOutputs.Select((output, o) =>
        {
            var shape = sizes[output];
            if (scan.OutputInfo[o].Initial is { } initial)
            {
                if (initialSizes[o].Length != shape.Length)
                    throw new ArgumentException($"Output {o} of scan '{scan.Name}' has rank {shape.Length} per step, but its initial state '{Describe(initial)}' rank {initialSizes[o].Length}.");
                for (int d = 0; d < shape.Length; d++)
                {
                    var (a, b) = ShapeRules.Blame(initialSizes[o][d], shape[d], Precedence);
                    ScanArguments.RequireSameSize(a.Value, b.Value, a.Text, b.Text,
                        $"output '{scan.Outputs[o].Name ?? o.ToString(System.Globalization.CultureInfo.InvariantCulture)}' of scan '{scan.Name}' must keep the shape of its initial state '{Describe(initial)}'",
                        a.Parameter, b.Parameter);
                }
            }
            long width = shape.Aggregate(1L, (a, s) => a * s.Value);
            ScanArguments.RequireTraceFits(capacity, width, stepsName); // checked again as a while loop's traces grow
            return TensorValue.Zeros(output.Type.Element, [capacity, .. shape.Select(s => s.Value)]);
        }).ToList();

        int executed = steps;
        step._buffers.EnsureCapacity(16);
        for (int t = 0; t < steps; t++)
        {
            if (t == capacity)
            {
                capacity = ScanTraces.Grow(capacity, steps);
                for (int o = 0; o < traces.Count; o++)
                {
                    ScanArguments.RequireTraceFits(capacity, traces[o].Shape.Skip(1).Aggregate(1L, (a, s) => a * s), stepsName);
                    traces[o] = traces[o].Resized(capacity);
                }
            }
            step._values.Clear();
            int a = 0;
            for (int s = 0; s < sequences.Count; s++)
            {
                int lo = Math.Min(0, scan.Sequences[s].Taps.Min()), hi = Math.Max(0, scan.Sequences[s].Taps.Max());
                foreach (var tap in scan.Sequences[s].Taps)
                {
                    int row = scan.GoBackwards ? sequences[s].Shape[0] - 1 - hi + tap - t : t + tap - lo;
                    step._values[scan.StepInputs[a++]] = sequences[s].Row(row);
                }
            }
            for (int o = 0; o < initials.Count; o++)
                foreach (var tap in scan.OutputInfo[o].Taps)
                {
                    int j = -tap, depth = scan.OutputInfo[o].Depth;
                    step._values[scan.StepInputs[a++]] = t >= j ? traces[o].Row(t - j)
                        : scan.OutputInfo[o].IsRows ? ((TensorValue)initials[o]!).Row(depth - j + t) : initials[o]!;
                }
            foreach (var n in nonSequences)
                step._values[scan.StepInputs[a++]] = n;
            foreach (var node in order)
                step._values[node] = step.Compute(node);
            for (int o = 0; o < scan.StepOutputs.Count; o++)
                traces[o].SetRow(t, step._values[scan.StepOutputs[o]]);
            if (scan.StepCondition is { } condition && (bool)step._values[condition])
            {
                executed = t + 1;
                break;
            }
        }
        var stepsSize = new Size(executed, $"the number of steps of scan '{scan.Name}'", stepsName);
        for (int o = 0; o < scan.Outputs.Count; o++)
            _sizes[scan.Outputs[o]] = [stepsSize, .. sizes[scan.StepOutputs[o]]];
        return _scans[scan] = traces.Select(tr => (object)(executed < capacity ? tr.Take(executed) : tr)).ToArray();
    }
}

/// <summary>
/// A graph compiled into a callable function (Theano's <c>theano.function</c>), evaluated by the interpreter.
/// Arguments: scalars, arrays (vectors), <see cref="Vec{T}"/>, <see cref="Mat{T}"/>, <see cref="Tensor3{T}"/>.
/// Results: scalars, <see cref="Vec{T}"/>, <see cref="Mat{T}"/>, <see cref="Tensor3{T}"/> (arrays for int/long/bool vectors).
/// </summary>
public sealed class Function
{
    private readonly IReadOnlyList<ScanNode> _updating;

    internal Function(IReadOnlyList<InputVariable> inputs, IReadOnlyList<Variable> outputs, IReadOnlyList<ScanNode> updating)
    {
        Inputs = inputs;
        Outputs = outputs;
        _updating = updating;
    }

    /// <summary>The inputs, in argument order.</summary>
    public IReadOnlyList<InputVariable> Inputs { get; }

    /// <summary>The outputs, in result order.</summary>
    public IReadOnlyList<Variable> Outputs { get; }

    /// <summary>The graph as an indented tree (see <see cref="GraphPrinter.DebugPrint"/>).</summary>
    public string DebugPrint() => GraphPrinter.DebugPrint(PrintRoots());

    /// <summary>The graph as Graphviz DOT (see <see cref="GraphPrinter.ToDot"/>).</summary>
    public string ToDot() => GraphPrinter.ToDot(PrintRoots());

    /// <summary>The outputs, and the first output of each scan that runs for its updates alone.</summary>
    private Variable[] PrintRoots() => Outputs.Concat(_updating.Where(s => s.Outputs.Count > 0).Select(s => (Variable)s.Outputs[0])).Distinct().ToArray();

    /// <summary>Evaluates the outputs for these arguments.</summary>
    public object[] Invoke(params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length != Inputs.Count)
            throw new ArgumentException($"The function takes {Inputs.Count} argument(s) ({string.Join(", ", Inputs)}); {arguments.Length} were given.", nameof(arguments));
        var values = new Dictionary<InputVariable, object>();
        var shared = new Dictionary<InputVariable, SharedVariable>();
        for (int i = 0; i < arguments.Length; i++)
            if (Inputs[i].IsShared)
                // As the generated code's ThrowIfNull: the parameter's name, also as ParamName.
                shared[Inputs[i]] = arguments[i] as SharedVariable
                    ?? (arguments[i] is null ? throw new ArgumentNullException(Inputs[i].ToString())
                        : throw new ArgumentException($"Argument '{Inputs[i]}' must be a shared variable (Shared<T>); a {CSharpName(arguments[i].GetType())} was given.", Inputs[i].ToString()));

        // The call is a transaction on its shared variables, as a generated scan's (SharedTransaction).
        var scans = Scans(Outputs).Union(_updating).ToList();
        var updated = scans.SelectMany(s => s.Updates).ToHashSet();
        using var transaction = SharedTransaction.Begin(
            shared.Where(s => updated.Contains(s.Key)).Select(s => s.Value).ToArray(),
            shared.Where(s => !updated.Contains(s.Key)).Select(s => s.Value).ToArray());
        for (int i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i];
            if (Inputs[i].IsShared)
            {
                argument = shared[Inputs[i]].BoxedValue;
                if (argument is bool or int or long or float or double && ScalarOps.KindOf(argument) != Inputs[i].Type.Element)
                    throw new ArgumentException($"Shared variable '{shared[Inputs[i]].Name}' for '{Inputs[i]}' holds {ScalarOps.KindOf(argument).ToString().ToLowerInvariant()} values; the input is a {Inputs[i].Type}.", Inputs[i].ToString());
            }
            values[Inputs[i]] = ToValue(argument, Inputs[i]);
        }
        transaction.EndReads();
        var interpreter = new Interpreter(values);
        var results = Outputs.Select(o => FromValue(interpreter.Evaluate(o))).ToArray();

        // The call succeeded: every scan's updates are written back, all together (Theano's function(updates=...)).
        var updates = new List<SharedUpdate>();
        foreach (var scan in scans)
            for (int k = 0; k < scan.Updates.Count; k++)
            {
                var trace = (TensorValue)interpreter.Evaluate(scan.Outputs[scan.Outputs.Count - scan.Updates.Count + k]);
                var final = trace.Shape[0] == 0 ? interpreter.Evaluate(scan.Updates[k]) : trace.Row(trace.Shape[0] - 1);
                updates.Add(shared[scan.Updates[k]].BoxedUpdate(FromValue(final)));
            }
        if (updates.Count > 0)
            SharedUpdates.Apply(updates.ToArray());
        return results;
    }

    private static List<ScanNode> Scans(IEnumerable<Variable> outputs)
    {
        var scans = new List<ScanNode>();
        var seen = new HashSet<Variable>();
        var pending = new Stack<Variable>(outputs);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            if (!seen.Add(v)) continue;
            if (v is ScanOutputVariable s && !scans.Contains(s.Scan)) scans.Add(s.Scan);
            foreach (var input in v.Inputs) pending.Push(input);
        }
        return scans;
    }

    /// <summary>
    /// An argument as the interpreter holds it, accepted exactly when the generated method would accept it: the
    /// input's element type and rank, or a scalar C# converts implicitly (int to long, float or double; long to
    /// float or double; float to double), converted as C# does. No other conversion: a long for an int, a double for
    /// an int or a bool for a double is an <see cref="ArgumentException"/> naming the input, as the compiler would
    /// refuse the call. A vector may come as an array or a <see cref="Vec{T}"/> (the graph does not record which
    /// container the method declares), a matrix as a <see cref="Mat{T}"/> or a rectangular array.
    /// </summary>
    private static object ToValue(object? argument, InputVariable input)
    {
        var name = input.ToString();
        if (argument is null)
            throw new ArgumentNullException(name);
        object? value = argument switch
        {
            Vec<double> v => new TensorValue(ElementKind.Float64, v.ToArray(), 0, [v.Length]),
            Vec<float> v => new TensorValue(ElementKind.Float32, v.ToArray(), 0, [v.Length]),
            Mat<double> m => new TensorValue(ElementKind.Float64, m.Span.ToArray(), 0, [m.Rows, m.Columns]),
            Mat<float> m => new TensorValue(ElementKind.Float32, m.Span.ToArray(), 0, [m.Rows, m.Columns]),
            Tensor3<double> t => new TensorValue(ElementKind.Float64, t.Span.ToArray(), 0, [t.Length, t.Rows, t.Columns]),
            Tensor3<float> t => new TensorValue(ElementKind.Float32, t.Span.ToArray(), 0, [t.Length, t.Rows, t.Columns]),
            // C# converts a rectangular array to a Mat<T> parameter implicitly.
            double[,] m => new TensorValue(ElementKind.Float64, ((Mat<double>)m).Span.ToArray(), 0, [m.GetLength(0), m.GetLength(1)]),
            float[,] m => new TensorValue(ElementKind.Float32, ((Mat<float>)m).Span.ToArray(), 0, [m.GetLength(0), m.GetLength(1)]),
            Array a when a.Rank == 1 && KindOfArray(a) is { } kind => new TensorValue(kind, (Array)a.Clone(), 0, [a.Length]),
            bool or int or long or float or double => argument,
            _ => null,
        };
        var given = value switch { TensorValue t => (t.Kind, t.Shape.Length), null => default((ElementKind, int)?), _ => (ScalarOps.KindOf(value), 0) };
        if (given is not var (givenKind, rank) || rank != input.Type.Rank
            || (givenKind != input.Type.Element && (rank > 0 || !ConvertsImplicitly(givenKind, input.Type.Element))))
            throw new ArgumentException(
                $"Argument '{name}' must be {Article(input.Type.ToString())} ({CSharpNames(input.Type)}); {Article(CSharpName(argument.GetType()))} was given.", name);
        return rank == 0 ? ScalarOps.Cast(value!, input.Type.Element) : value!;
    }

    /// <summary>C#'s implicit numeric conversions between the graph's scalar types.</summary>
    private static bool ConvertsImplicitly(ElementKind from, ElementKind to) => (from, to) switch
    {
        (ElementKind.Int32, ElementKind.Int64 or ElementKind.Float32 or ElementKind.Float64) => true,
        (ElementKind.Int64, ElementKind.Float32 or ElementKind.Float64) => true,
        (ElementKind.Float32, ElementKind.Float64) => true,
        _ => false,
    };

    private static ElementKind? KindOfArray(Array a) => a switch
    {
        double[] => ElementKind.Float64,
        float[] => ElementKind.Float32,
        long[] => ElementKind.Int64,
        int[] => ElementKind.Int32,
        bool[] => ElementKind.Bool,
        _ => null,
    };

    private static readonly string[] Keywords = ["bool", "int", "long", "float", "double"];

    /// <summary>The C# types an argument of <paramref name="type"/> can have.</summary>
    private static string CSharpNames(TensorType type)
    {
        var element = Keywords[(int)type.Element];
        return type.Rank switch
        {
            0 => element,
            1 when type.Element is ElementKind.Float32 or ElementKind.Float64 => $"{element}[] or Vec<{element}>",
            1 => element + "[]",
            2 => $"Mat<{element}>",
            _ => $"Tensor3<{element}>",
        };
    }

    /// <summary>A type as C# spells it: <c>long</c>, <c>double[]</c>, <c>Vec&lt;double&gt;</c>.</summary>
    private static string CSharpName(Type type)
    {
        if (type.IsArray) return CSharpName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        var keyword = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool", TypeCode.Int32 => "int", TypeCode.Int64 => "long", TypeCode.Single => "float",
            TypeCode.Double => "double", TypeCode.String => "string", TypeCode.Decimal => "decimal", TypeCode.Int16 => "short",
            TypeCode.Byte => "byte", TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.Char => "char",
            _ => null,
        };
        if (keyword is not null) return keyword;
        if (!type.IsGenericType) return type.Name;
        return $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(CSharpName))}>";
    }

    private static string Article(string noun) => ("aeiou".Contains(noun[0]) ? "an " : "a ") + noun;

    private static object FromValue(object value) => value switch
    {
        TensorValue { Kind: ElementKind.Float64 } t => Wrap<double>(t),
        TensorValue { Kind: ElementKind.Float32 } t => Wrap<float>(t),
        TensorValue t => t.Data is var data && t.Offset == 0 && t.Length == data.Length ? data : Copy(t),
        _ => value,
    };

    private static Array Copy(TensorValue t)
    {
        var result = TensorValue.Zeros(t.Kind, [t.Length]).Data;
        Array.Copy(t.Data, t.Offset, result, 0, t.Length);
        return result;
    }

    private static object Wrap<T>(TensorValue t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = t.Span<T>().ToArray();
        return t.Shape.Length switch
        {
            1 => new Vec<T>(data),
            2 => new Mat<T>(data, t.Shape[0], t.Shape[1]),
            _ => new Tensor3<T>(data, t.Shape[0], t.Shape[1], t.Shape[2]),
        };
    }
}
