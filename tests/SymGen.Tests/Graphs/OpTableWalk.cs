// How the op table's tests walk the table: every (op, operand ranks, axis) its shape rule accepts, operand kinds its
// type rule accepts, sizes that satisfy its size checks, random values, and the C# spelling of each type. Shared by
// the eager and shape tests (tests/SymGen.Tests) and the emitted and interpreted ones (linked into
// tests/SymGen.Generator.Tests), so that an op added to the table is tested in every layer with no list to update.
#if SYMGEN_GENERATOR_TESTS
extern alias runtime;
#endif
using System;
using System.Collections.Generic;
using System.Linq;
#if SYMGEN_GENERATOR_TESTS
using runtime::SymGen.Graph; // the runtime's op table, not the generator's linked copy
#else
using SymGen.Graph;
#endif

namespace SymGen.Tests.Graphs;

/// <summary>One application of an op: its row, its operands' ranks, and the axis (-1 for none or all elements).</summary>
public sealed record OpApplication(OpInfo Row, int[] Ranks, int Axis)
{
    /// <summary>The result's rank, by the table's shape rule.</summary>
    public int ResultRank => OpTableWalk.Infer(Row.Op, Ranks.Select(r => Enumerable.Range(0, r).Select(_ => 0).ToArray()).ToArray(), Axis)!.Length;

    public override string ToString() =>
        $"{Row.Name}({string.Join(", ", Ranks.Select(ShapeRules.RankName))}{(Axis >= 0 ? $", axis {Axis}" : "")})";
}

public static class OpTableWalk
{
    /// <summary>The ops that compute something (every row but constants and inputs).</summary>
    public static IEnumerable<OpInfo> Computing => OpTable.All.Where(r => r.Shape != ShapeRule.Leaf);

    /// <summary>Every combination of operand ranks 0..2 (and axis, for ops that take one) that the op's shape rule accepts.</summary>
    public static IEnumerable<OpApplication> Applications(OpInfo row)
    {
        int[] axes = row.HasAxis ? [-1, 0, 1] : [-1];
        foreach (var ranks in RankTuples(row.Arity))
            foreach (var axis in axes)
                if (Infer(row.Op, ranks.Select(r => new int[r]).ToArray(), axis) is not null)
                    yield return new OpApplication(row, ranks, axis);
    }

    public static IEnumerable<int[]> RankTuples(int arity) =>
        arity == 0 ? [[]] : RankTuples(arity - 1).SelectMany(rest => new[] { 0, 1, 2 }.Select(r => (int[])[.. rest, r]));

    /// <summary>The table's shape rule on these operand dimensions (sizes unchecked), or null when it rejects the ranks.</summary>
    public static int[]? Infer(Op op, int[][] shapes, int axis) => ShapeRules.Infer<int>(op, shapes, axis, (_, _, _) => { }, out _);

    /// <summary>
    /// Random operand dimensions (1 to 4) for <paramref name="application"/> that pass its size checks: every pair
    /// of dimensions the rule ties together gets one size. The rule only chooses the inputs here; the shape tests
    /// check the rule itself.
    /// </summary>
    public static int[][] Dimensions(OpApplication application, Random random)
    {
        // Number each dimension slot, ask the rule which slots must agree, and give each class of slots one size.
        int slot = 0;
        var slots = application.Ranks.Select(r => Enumerable.Range(0, r).Select(_ => slot++).ToArray()).ToArray();
        var parent = Enumerable.Range(0, slot).ToArray();
        int Find(int s) => parent[s] == s ? s : parent[s] = Find(parent[s]);
        ShapeRules.Infer<int>(application.Row.Op, slots, application.Axis, (a, b, _) => parent[Find(a)] = Find(b), out _);
        var sizes = Enumerable.Range(0, slot).Select(_ => random.Next(1, 5)).ToArray();
        return slots.Select(s => s.Select(d => sizes[Find(d)]).ToArray()).ToArray();
    }

    /// <summary>
    /// The operand element kinds to test <paramref name="application"/> with, in <paramref name="floating"/> (double
    /// or float) where the op takes numbers: all floating; else a bool condition first (a scalar Select) or an int
    /// last (an index); else, for ops that take no floating-point operands (the logical ops), bools and ints. Tensor
    /// operands are always floating (Vec and Mat hold float or double).
    /// </summary>
    public static IEnumerable<ElementKind[]> OperandKinds(OpApplication application, ElementKind floating)
    {
        int n = application.Ranks.Length, rank = application.ResultRank;
        if (application.Row.Type == TypeRule.Target) // a conversion's result type is its target: scalars only
            return application.Ranks.All(r => r == 0) ? [[floating]] : [];
        ElementKind[] Fill(Func<int, ElementKind> kind) => Enumerable.Range(0, n).Select(kind).ToArray();
        var candidates = new[]
        {
            Fill(_ => floating),
            Fill(i => i == 0 ? ElementKind.Bool : floating),
            Fill(i => i == n - 1 ? ElementKind.Int32 : floating),
        };
        var accepted = candidates.Where(k => Fits(application, k, rank)).Take(1).ToList();
        if (accepted.Count == 0)
            accepted = new[] { Fill(_ => ElementKind.Bool), Fill(_ => ElementKind.Int32) }.Where(k => Fits(application, k, rank)).ToList();
        return accepted;
    }

    private static bool Fits(OpApplication application, ElementKind[] kinds, int resultRank) =>
        kinds.Select((k, i) => application.Ranks[i] == 0 || ElementKinds.IsFloatingPoint(k)).All(b => b)
        && TypeRules.Infer(application.Row.Op, kinds, resultRank, out _) is not null;

    /// <summary>
    /// Whether the op applies to floating-point vectors or matrices. The others (the logical ops, conversions) take
    /// scalars only: their kernel and eager form are C#'s own operators and casts, tested by the emitted and
    /// interpreted layers (the step method called directly is the eager form).
    /// </summary>
    public static bool HasTensorForm(OpInfo row) =>
        Applications(row).Any(a => a.Ranks.Any(r => r > 0) && OperandKinds(a, ElementKind.Float64).Any());

    /// <summary>C#'s metadata name of the operator <paramref name="token"/> with <paramref name="arity"/> operands (op_Addition...).</summary>
    public static string? OperatorMethod(string token, int arity) => (token, arity) switch
    {
        ("-", 1) => "op_UnaryNegation", ("!", 1) => "op_LogicalNot", ("+", 2) => "op_Addition", ("-", 2) => "op_Subtraction",
        ("*", 2) => "op_Multiply", ("/", 2) => "op_Division", ("%", 2) => "op_Modulus", ("<", 2) => "op_LessThan",
        ("<=", 2) => "op_LessThanOrEqual", (">", 2) => "op_GreaterThan", (">=", 2) => "op_GreaterThanOrEqual",
        ("==", 2) => "op_Equality", ("!=", 2) => "op_Inequality", ("&", 2) => "op_BitwiseAnd", ("|", 2) => "op_BitwiseOr",
        ("^", 2) => "op_ExclusiveOr", _ => null,
    };

    /// <summary>The public static method <paramref name="name"/> of <paramref name="type"/> taking exactly <paramref name="parameters"/> (a generic one closed over their element type).</summary>
    public static System.Reflection.MethodInfo? FindMethod(Type type, string name, Type[] parameters)
    {
        var element = parameters.Select(p => p.IsGenericType ? p.GetGenericArguments()[0] : p).FirstOrDefault(t => t == typeof(double) || t == typeof(float));
        foreach (var method in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Where(m => m.Name == name))
        {
            var closed = method;
            if (method.IsGenericMethodDefinition)
            {
                if (element is null || method.GetGenericArguments().Length != 1) continue;
                try { closed = method.MakeGenericMethod(element); }
                catch (ArgumentException) { continue; } // a constraint the element type does not meet
            }
            if (closed.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters)) return closed;
        }
        return null;
    }

    /// <summary>The C# type of a value of <paramref name="kind"/> and <paramref name="rank"/> (3: a trace of matrices).</summary>
    public static string CSharpType(ElementKind kind, int rank) => rank switch
    {
        0 => ElementKinds.Keyword(kind),
        1 => $"Vec<{ElementKinds.Keyword(kind)}>",
        2 => $"Mat<{ElementKinds.Keyword(kind)}>",
        _ => $"Tensor3<{ElementKinds.Keyword(kind)}>",
    };

    /// <summary>The CLR type of a value of <paramref name="kind"/> and <paramref name="rank"/> (0 to 2).</summary>
    public static Type ClrType(ElementKind kind, int rank)
    {
        var element = ElementType(kind);
        return rank switch { 0 => element, 1 => typeof(Vec<>).MakeGenericType(element), _ => typeof(Mat<>).MakeGenericType(element) };
    }

    public static Type ElementType(ElementKind kind) => kind switch
    {
        ElementKind.Float64 => typeof(double), ElementKind.Float32 => typeof(float), ElementKind.Int64 => typeof(long),
        ElementKind.Int32 => typeof(int), _ => typeof(bool),
    };

    /// <summary>
    /// A random element: mostly in [-3, 3], often in (0, 1) (inside every function's domain: Log, Sqrt, Asin...),
    /// sometimes a half-integer (so that comparisons meet equal operands and Round meets ties). An int operand is an
    /// index below <paramref name="indexBound"/>.
    /// </summary>
    public static object Element(ElementKind kind, Random random, int indexBound = 3) => kind switch
    {
        ElementKind.Bool => random.Next(2) == 0,
        ElementKind.Int32 => random.Next(indexBound),
        ElementKind.Int64 => (long)random.Next(indexBound),
        ElementKind.Float32 => (float)Real(random),
        _ => Real(random),
    };

    private static double Real(Random random) => random.Next(4) switch
    {
        0 => random.Next(-6, 7) / 2.0,
        1 => 0.05 + 0.9 * random.NextDouble(),
        _ => -3 + 6 * random.NextDouble(),
    };

    /// <summary>A random value of <paramref name="kind"/> with these dimensions: a scalar, a Vec or a Mat.</summary>
    public static object Value(ElementKind kind, int[] dims, Random random, int indexBound = 3)
    {
        if (dims.Length == 0) return Element(kind, random, indexBound);
        int count = dims.Aggregate(1, (a, b) => a * b);
        return kind == ElementKind.Float32
            ? dims.Length == 1 ? new Vec<float>(Floats(count, random)) : new Mat<float>(Floats(count, random), dims[0], dims[1])
            : dims.Length == 1 ? new Vec<double>(Doubles(count, random)) : new Mat<double>(Doubles(count, random), dims[0], dims[1]);
    }

    private static double[] Doubles(int count, Random random) => Enumerable.Range(0, count).Select(_ => Real(random)).ToArray();

    private static float[] Floats(int count, Random random) => Enumerable.Range(0, count).Select(_ => (float)Real(random)).ToArray();

    /// <summary>
    /// How many representable numbers lie between <paramref name="a"/> and <paramref name="b"/> (0: the same; NaN
    /// equals NaN, and -0 equals +0), in the precision of <paramref name="single"/>.
    /// </summary>
    public static long UlpsBetween(double a, double b, bool single)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        if (a == b) return 0;
        if (double.IsInfinity(a) || double.IsInfinity(b)) return long.MaxValue;
        if (single)
            return Distance(Ordered(BitConverter.SingleToInt32Bits((float)a)), Ordered(BitConverter.SingleToInt32Bits((float)b)));
        return Distance(Ordered(BitConverter.DoubleToInt64Bits(a)), Ordered(BitConverter.DoubleToInt64Bits(b)));
    }

    // Sign-magnitude bits to a line on which neighbouring numbers are neighbouring integers (-0 and +0 both 0).
    private static long Ordered(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static long Distance(long x, long y) => (long)Int128.Min(Int128.Abs((Int128)x - y), long.MaxValue);

    /// <summary>
    /// Whether two results of an op agree within <paramref name="ulps"/> units in the last place. Below 1 the units
    /// are those of 1: a vectorised function's error near zero is absolute, not relative (TensorPrimitives.Tanh gives
    /// tanh(0f) = -6e-8, one ulp of 0.5, and tanh(0.0019) 84 ulps of its value away from Math.Tanh's).
    /// </summary>
    public static bool WithinUlps(double expected, double actual, int ulps, bool single)
    {
        double unit = single ? MathF.BitIncrement(1f) - 1f : Math.BitIncrement(1.0) - 1.0;
        return UlpsBetween(expected, actual, single) <= ulps || Math.Abs(expected - actual) <= ulps * unit;
    }

    /// <summary>A value's shape and elements as doubles (bools as 1 and 0): scalars, arrays, Vec, Mat and Tensor3 of either precision.</summary>
    public static (int[] Shape, double[] Values) Flatten(object value) => value switch
    {
        double d => ([], [d]),
        float f => ([], [f]),
        int i => ([], [i]),
        long l => ([], [l]),
        bool b => ([], [b ? 1 : 0]),
        double[] a => ([a.Length], a),
        float[] a => ([a.Length], a.Select(v => (double)v).ToArray()),
        int[] a => ([a.Length], a.Select(v => (double)v).ToArray()),
        long[] a => ([a.Length], a.Select(v => (double)v).ToArray()),
        bool[] a => ([a.Length], a.Select(v => v ? 1.0 : 0.0).ToArray()),
        Vec<double> v => ([v.Length], v.ToArray()),
        Vec<float> v => ([v.Length], v.ToArray().Select(x => (double)x).ToArray()),
        Mat<double> m => ([m.Rows, m.Columns], m.Span.ToArray()),
        Mat<float> m => ([m.Rows, m.Columns], m.Span.ToArray().Select(x => (double)x).ToArray()),
        Tensor3<double> t => ([t.Length, t.Rows, t.Columns], t.Span.ToArray()),
        Tensor3<float> t => ([t.Length, t.Rows, t.Columns], t.Span.ToArray().Select(x => (double)x).ToArray()),
        _ => throw new ArgumentException($"Cannot compare a {value.GetType().Name}."),
    };
}
