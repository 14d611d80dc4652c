using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;
using SymGen.Graph.Interpreting;
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
    /// <summary>The array and where the value starts in it: a step input's view moves from row to row.</summary>
    public Array Data { get; set; }
    public int Offset { get; set; }
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
/// A graph compiled into a callable function (Theano's <c>theano.function</c>), evaluated by the interpreter.
/// Arguments: scalars, arrays (vectors), <see cref="Vec{T}"/>, <see cref="Mat{T}"/>, <see cref="Tensor3{T}"/>.
/// Results: scalars, <see cref="Vec{T}"/>, <see cref="Mat{T}"/>, <see cref="Tensor3{T}"/> (arrays for int/long/bool vectors).
/// </summary>
public sealed class Function
{
    private readonly IReadOnlyList<ScanNode> _updating;
    private readonly object _compiling = new();
    private Plan? _plan, _monitoredPlan;

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

    /// <summary>The scans that run for their shared-variable updates alone (no output of theirs is asked for).</summary>
    public IReadOnlyList<ScanNode> Updating => _updating;

    /// <summary>The graph as an indented tree (see <see cref="GraphPrinter.DebugPrint"/>).</summary>
    public string DebugPrint() => GraphPrinter.DebugPrint(PrintRoots());

    /// <summary>The graph as Graphviz DOT (see <see cref="GraphPrinter.ToDot"/>).</summary>
    public string ToDot() => GraphPrinter.ToDot(PrintRoots());

    /// <summary>The outputs, and the first output of each scan that runs for its updates alone.</summary>
    private Variable[] PrintRoots() => Outputs.Concat(_updating.Where(s => s.Outputs.Count > 0).Select(s => (Variable)s.Outputs[0])).Distinct().ToArray();

    /// <summary>Evaluates the outputs for these arguments (in the scope's <see cref="ScanMode.Current"/> mode, if any).</summary>
    public object[] Invoke(params object[] arguments) => Invoke(null, CancellationToken.None, arguments);

    /// <summary>
    /// Evaluates the outputs for these arguments in <paramref name="mode"/> (Theano's <c>function(..., mode=...)</c>):
    /// hooks, checks and measures around every node; null for the scope's mode (<see cref="ScanMode.Current"/>), the
    /// fast path when there is none. Results, errors and shared updates are those of the fast path. (A null first
    /// argument binds here in C#: it is taken as the function's first argument, as before this overload existed.)
    /// </summary>
    public object[] Invoke(ScanMode? mode, params object[] arguments) =>
        mode is null ? Invoke(null, CancellationToken.None, [null!, .. arguments ?? [null!]]) : Invoke(mode, CancellationToken.None, arguments);

    /// <summary>
    /// Evaluates the outputs for these arguments; scans check <paramref name="cancellation"/> as generated scans do
    /// (every 1024 steps) and throw <see cref="OperationCanceledException"/>, writing no shared variable back.
    /// </summary>
    public object[] Invoke(CancellationToken cancellation, params object[] arguments) => Invoke(null, cancellation, arguments);

    /// <summary>
    /// Evaluates the outputs for these arguments in <paramref name="mode"/> (null: the scope's, if any), checking
    /// <paramref name="cancellation"/>. A hook or check that throws stops the call: no shared variable is written back.
    /// </summary>
    public object[] Invoke(ScanMode? mode, CancellationToken cancellation, params object[] arguments)
    {
        mode ??= ScanMode.Current;
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
        var plan = Compiled(scans, monitored: mode is not null);
        var state = plan.Run(values, cancellation, mode);
        var handedOut = new HashSet<Array>(ReferenceEqualityComparer.Instance);
        var results = Outputs.Select(o => FromValue(plan.Value(state, o), handedOut)).ToArray();

        // The call succeeded: every scan's updates are written back, all together (Theano's function(updates=...)).
        var updates = new List<SharedUpdate>();
        foreach (var scan in scans)
            for (int k = 0; k < scan.Updates.Count; k++)
            {
                var trace = (TensorValue)plan.Value(state, scan.Outputs[scan.Outputs.Count - scan.Updates.Count + k]);
                var final = trace.Shape[0] == 0 ? plan.Value(state, scan.Updates[k]) : trace.Row(trace.Shape[0] - 1);
                updates.Add(shared[scan.Updates[k]].BoxedUpdate(FromValue(final, handedOut)));
            }
        if (updates.Count > 0)
            SharedUpdates.Apply(updates.ToArray());
        return results;
    }

    /// <summary>
    /// The compiled plan, built by the first call and reused by every later one (a failed compilation is not kept,
    /// so each call reports it). Its roots: the outputs, then every update of the scans the call runs.
    /// </summary>
    /// <summary>The plan, once the first call has compiled it (tests observe that later calls reuse it).</summary>
    internal object? CompiledPlan => Volatile.Read(ref _plan);

    /// <summary>The plan with hooks, once a call in a mode has compiled it (one for every mode: the run holds the mode).</summary>
    internal object? CompiledMonitoredPlan => Volatile.Read(ref _monitoredPlan);

    private Plan Compiled(List<ScanNode> scans, bool monitored)
    {
        ref var cached = ref monitored ? ref _monitoredPlan : ref _plan;
        if (Volatile.Read(ref cached) is { } plan) return plan;
        lock (_compiling)
        {
            if (cached is null)
            {
                var roots = Outputs.Concat(scans.SelectMany(s => s.Outputs.Skip(s.Outputs.Count - s.Updates.Count))).ToList();
                Volatile.Write(ref cached, Plan.Compile(Inputs, roots, monitored));
            }
            return cached!;
        }
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
            || (givenKind != input.Type.Element && (rank > 0 || !ElementKinds.ConvertsImplicitly(givenKind, input.Type.Element))))
            throw new ArgumentException(
                $"Argument '{name}' must be {Article(input.Type.ToString())} ({CSharpNames(input.Type)}); {Article(CSharpName(argument.GetType()))} was given.", name);
        return rank == 0 ? ScalarOps.Cast(value!, input.Type.Element) : value!;
    }

    private static ElementKind? KindOfArray(Array a) => a switch
    {
        double[] => ElementKind.Float64,
        float[] => ElementKind.Float32,
        long[] => ElementKind.Int64,
        int[] => ElementKind.Int32,
        bool[] => ElementKind.Bool,
        _ => null,
    };

    /// <summary>The C# types an argument of <paramref name="type"/> can have.</summary>
    private static string CSharpNames(TensorType type)
    {
        var element = ElementKinds.Keyword(type.Element);
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

    /// <summary>
    /// A value as the caller receives it. Every array of a call's values is the call's own (arguments are copied,
    /// traces and buffers are per call), so a whole array is handed out as it is, once; a view, or an array
    /// already handed out (an output asked for twice), is copied.
    /// </summary>
    private static object FromValue(object value, HashSet<Array> handedOut) => value switch
    {
        TensorValue { Kind: ElementKind.Float64 } t => Wrap(Own<double>(t, handedOut), t.Shape),
        TensorValue { Kind: ElementKind.Float32 } t => Wrap(Own<float>(t, handedOut), t.Shape),
        TensorValue t => t.Offset == 0 && t.Length == t.Data.Length && handedOut.Add(t.Data) ? t.Data : Copy(t),
        _ => value,
    };

    private static T[] Own<T>(TensorValue t, HashSet<Array> handedOut) where T : unmanaged =>
        t.Offset == 0 && t.Length == t.Data.Length && handedOut.Add(t.Data) ? (T[])t.Data : t.Span<T>().ToArray();

    private static Array Copy(TensorValue t)
    {
        var result = TensorValue.Zeros(t.Kind, [t.Length]).Data;
        Array.Copy(t.Data, t.Offset, result, 0, t.Length);
        return result;
    }

    private static object Wrap<T>(T[] data, int[] shape) where T : unmanaged, IFloatingPointIeee754<T> => shape.Length switch
    {
        1 => new Vec<T>(data),
        2 => new Mat<T>(data, shape[0], shape[1]),
        _ => new Tensor3<T>(data, shape[0], shape[1], shape[2]),
    };
}
