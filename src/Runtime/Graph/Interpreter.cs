using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

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
}

/// <summary>
/// Evaluates graphs, scans included, with the generated loop's semantics: sequences with taps (go_backwards too),
/// recurrent outputs with taps, map outputs, non-sequences, n_steps, until; sizes checked once before the first
/// step; each tensor node's buffer allocated once per scan and reused by every step.
/// </summary>
internal sealed class Interpreter
{
    private readonly Dictionary<Variable, object> _values = new();
    private readonly Dictionary<Variable, TensorValue> _buffers = new();

    public Interpreter(IReadOnlyDictionary<InputVariable, object> inputs)
    {
        foreach (var (input, value) in inputs) _values[input] = value;
    }

    public object Evaluate(Variable variable)
    {
        if (_values.TryGetValue(variable, out var known))
            return known;
        object value = variable switch
        {
            ConstantVariable c => c.Value,
            ApplyVariable a => Apply(a),
            ScanOutputVariable s => EvaluateScan(s.Scan)[s.Index],
            InputVariable i => throw new ArgumentException($"No value was given for input '{i}'."),
            _ => throw new NotSupportedException(variable.GetType().Name),
        };
        _values[variable] = value;
        return value;
    }

    // ---- Ops --------------------------------------------------------------------------------------------------

    private object Apply(ApplyVariable node)
    {
        var operands = node.Inputs.Select(Evaluate).ToArray();
        if (node.Type.Rank == 0 && operands.All(o => o is not TensorValue))
            return ScalarOps.Evaluate(node.Op, node.Type.Element, operands);
        return node.Type.Element switch
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

    private object Tensor<T>(ApplyVariable node, object[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = ShapeRules.Infer(node.Op, x.Select(ShapeOf).ToList(), node.Axis, RequireEqual(node), out var rankError)
            ?? throw new ArgumentException(rankError);
        if (shape.Length == 0)
        {
            var v = (TensorValue)x[0];
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
            case Op.Sum or Op.Prod or Op.Mean or Op.Max:
                var m = (TensorValue)x[0];
                Kernels.Reduce<T>(node.Op, m.Span<T>(), m.Shape[0], m.Shape[1], node.Axis, dest);
                break;
            default:
                Elementwise<T>(node, x, result);
                break;
        }
        return result;
    }

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
        // The rest (Where, the other math functions, mixed element types): element by element with the scalar
        // kernels, each operand read in its own type and converted as C# would.
        int columns = result.Shape[^1];
        for (int i = 0; i < result.Length; i++)
        {
            var operands = x.Select(v => v is TensorValue t
                ? t.Data.GetValue(t.Offset + (t.Shape.Length == result.Shape.Length ? i : i % columns))!
                : v).ToArray();
            dest[i] = (T)ScalarOps.Evaluate(node.Op, result.Kind, operands);
        }
    }

    private static int[] ShapeOf(object value) => value is TensorValue t ? t.Shape : [];

    private static Action<int, int, string> RequireEqual(Variable node) => (a, b, what) =>
    {
        if (a != b) throw new ArgumentException($"{a} and {b} must be equal ({what}) in {Describe(node)}.");
    };

    private static string Describe(Variable node) => node is ApplyVariable a ? OpTable.Get(a.Op).Name : node.ToString();

    // ---- Scans ------------------------------------------------------------------------------------------------

    private object[] EvaluateScan(ScanNode scan)
    {
        var sequences = scan.Sequences.Select(s => (TensorValue)Evaluate(s.Source)).ToList();
        var initials = scan.OutputInfo.Select(o => o.Initial is null ? null : Evaluate(o.Initial)).ToList();
        var nonSequences = scan.NonSequences.Select(Evaluate).ToList();

        int steps;
        var spans = scan.Sequences.Select(s => Math.Max(0, s.Taps.Max()) - Math.Min(0, s.Taps.Min())).ToList();
        if (scan.Steps is { } given)
        {
            long n = Convert.ToInt64(Evaluate(given), System.Globalization.CultureInfo.InvariantCulture);
            if (n < 0) throw new ArgumentOutOfRangeException(nameof(scan), n, $"The number of steps of scan '{scan.Name}' must be zero or more; it was {n}.");
            steps = (int)n;
            for (int s = 0; s < sequences.Count; s++)
                if (sequences[s].Shape[0] - spans[s] < steps)
                    throw new ArgumentException($"Sequence {s} of scan '{scan.Name}' has {sequences[s].Shape[0]} element(s); with taps [{string.Join(", ", scan.Sequences[s].Taps)}] it provides {Math.Max(0, sequences[s].Shape[0] - spans[s])} step(s), but {steps} were asked for.");
        }
        else
            steps = sequences.Select((s, i) => Math.Max(0, s.Shape[0] - spans[i])).Min();
        for (int o = 0; o < initials.Count; o++)
            if (scan.OutputInfo[o].IsRows && ((TensorValue)initials[o]!).Shape[0] < scan.OutputInfo[o].Depth)
                throw new ArgumentException($"The initial state of output {o} of scan '{scan.Name}' has {((TensorValue)initials[o]!).Shape[0]} row(s), but its taps need {scan.OutputInfo[o].Depth}.");

        // Shapes of the step's outputs, from the inputs' shapes alone: the traces exist before the first step.
        var inputShapes = new Dictionary<Variable, int[]>();
        int k = 0;
        for (int s = 0; s < sequences.Count; s++)
            foreach (var _ in scan.Sequences[s].Taps)
                inputShapes[scan.StepInputs[k++]] = sequences[s].Shape[1..];
        for (int o = 0; o < initials.Count; o++)
            foreach (var _ in scan.OutputInfo[o].Taps)
                inputShapes[scan.StepInputs[k++]] = scan.OutputInfo[o].IsRows ? ((TensorValue)initials[o]!).Shape[1..] : ShapeOf(initials[o]!);
        foreach (var n in nonSequences)
            inputShapes[scan.StepInputs[k++]] = ShapeOf(n);
        var traces = scan.StepOutputs.Select((output, o) =>
        {
            var shape = StaticShape(output, inputShapes);
            if (initials[o] is { } initial && !(scan.OutputInfo[o].IsRows ? ((TensorValue)initial).Shape[1..] : ShapeOf(initial)).SequenceEqual(shape))
                throw new ArgumentException($"Output {o} of scan '{scan.Name}' has shape ({string.Join(", ", shape)}) per step, but its initial state has another.");
            return TensorValue.Zeros(output.Type.Element, [steps, .. shape]);
        }).ToList();

        int executed = steps;
        var step = new Interpreter(new Dictionary<InputVariable, object>());
        step._buffers.EnsureCapacity(16);
        for (int t = 0; t < steps; t++)
        {
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
            var results = scan.StepOutputs.Select(step.Evaluate).ToList();
            for (int o = 0; o < results.Count; o++)
                traces[o].SetRow(t, results[o]);
            if (scan.StepCondition is { } condition && (bool)step.Evaluate(condition))
            {
                executed = t + 1;
                break;
            }
        }
        return traces.Select(tr => (object)(executed < steps ? tr.Take(executed) : tr)).ToArray();
    }

    /// <summary>A variable's shape from the shapes of the step's inputs, checking every size the rules tie together.</summary>
    private static int[] StaticShape(Variable variable, Dictionary<Variable, int[]> known)
    {
        if (known.TryGetValue(variable, out var shape)) return shape;
        shape = variable switch
        {
            ConstantVariable => [],
            ApplyVariable a => ShapeRules.Infer(a.Op, a.Inputs.Select(i => StaticShape(i, known)).ToList(), a.Axis, RequireEqual(a), out var error)
                               ?? throw new ArgumentException(error),
            _ => throw new NotSupportedException($"A step graph cannot contain {variable.GetType().Name}."),
        };
        return known[variable] = shape;
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
        {
            var argument = arguments[i];
            if (Inputs[i].IsShared)
            {
                shared[Inputs[i]] = argument as SharedVariable
                    ?? throw new ArgumentException($"Argument '{Inputs[i]}' must be a shared variable (Shared<T>); a {argument?.GetType().Name ?? "null"} was given.");
                argument = shared[Inputs[i]].BoxedValue;
                if (argument is bool or int or long or float or double && ScalarOps.KindOf(argument) != Inputs[i].Type.Element)
                    throw new ArgumentException($"Shared variable '{shared[Inputs[i]].Name}' for '{Inputs[i]}' holds {ScalarOps.KindOf(argument).ToString().ToLowerInvariant()} values; the input is a {Inputs[i].Type}.");
            }
            values[Inputs[i]] = ToValue(argument, Inputs[i]);
        }
        var interpreter = new Interpreter(values);
        var results = Outputs.Select(o => FromValue(interpreter.Evaluate(o))).ToArray();

        // The call succeeded: every scan's updates are written back, all together (Theano's function(updates=...)).
        var updates = new List<SharedUpdate>();
        foreach (var scan in Scans(Outputs).Union(_updating))
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

    private static object ToValue(object argument, InputVariable input)
    {
        object value = argument switch
        {
            Vec<double> v => new TensorValue(ElementKind.Float64, v.ToArray(), 0, [v.Length]),
            Vec<float> v => new TensorValue(ElementKind.Float32, v.ToArray(), 0, [v.Length]),
            Mat<double> m => new TensorValue(ElementKind.Float64, m.Span.ToArray(), 0, [m.Rows, m.Columns]),
            Mat<float> m => new TensorValue(ElementKind.Float32, m.Span.ToArray(), 0, [m.Rows, m.Columns]),
            Tensor3<double> t => new TensorValue(ElementKind.Float64, t.Span.ToArray(), 0, [t.Length, t.Rows, t.Columns]),
            Tensor3<float> t => new TensorValue(ElementKind.Float32, t.Span.ToArray(), 0, [t.Length, t.Rows, t.Columns]),
            Array a when a.Rank == 1 => new TensorValue(KindOfArray(a), (Array)a.Clone(), 0, [a.Length]),
            bool or int or long or float or double => ScalarOps.Cast(argument, input.Type.Element),
            _ => throw new ArgumentException($"Argument '{input}' is a {argument?.GetType().Name ?? "null"}; it must be a scalar, an array, Vec<T>, Mat<T> or Tensor3<T>."),
        };
        var (kind, rank) = value is TensorValue tv ? (tv.Kind, tv.Shape.Length) : (ScalarOps.KindOf(value), 0);
        if (rank != input.Type.Rank || (kind != input.Type.Element && value is TensorValue))
            throw new ArgumentException($"Argument '{input}' must be a {input.Type}; a {kind.ToString().ToLowerInvariant()} of rank {rank} was given.");
        return value;
    }

    private static ElementKind KindOfArray(Array a) => a switch
    {
        double[] => ElementKind.Float64,
        float[] => ElementKind.Float32,
        long[] => ElementKind.Int64,
        int[] => ElementKind.Int32,
        bool[] => ElementKind.Bool,
        _ => throw new ArgumentException($"An array of {a.GetType().Name} is not a vector of a graph."),
    };

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
