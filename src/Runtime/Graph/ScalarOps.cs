using System;
using System.Globalization;
using System.Numerics;

namespace SymGen.Graph;

/// <summary>
/// The op table's scalar kernels for the interpreter, with C#'s semantics: operands are promoted to the result's
/// element kind (as the compiler would), integer arithmetic is unchecked and truncates, float math uses MathF.
/// </summary>
internal static class ScalarOps
{
    public static ElementKind KindOf(object value) => ElementKinds.Of(value)
        ?? throw new ArgumentException($"{value?.GetType().Name ?? "null"} is not a scalar of a graph.", nameof(value));

    /// <summary>A C# cast (unchecked) of a boxed scalar to <paramref name="kind"/>.</summary>
    public static object Cast(object value, ElementKind kind) => ElementKinds.Cast(value, kind);

    public static object Evaluate(Op op, ElementKind kind, object[] x)
    {
        var info = OpTable.Get(op);
        switch (info.Category)
        {
            case OpCategory.Conversion:
                return Cast(x[0], kind);
            case OpCategory.Comparison:
                var common = (ElementKind)Math.Max((int)KindOf(x[0]), (int)KindOf(x[1]));
                return Compare(op, Cast(x[0], common), Cast(x[1], common));
            case OpCategory.Select:
                return (bool)Cast(x[0], ElementKind.Bool) ? Cast(x[1], kind) : Cast(x[2], kind);
        }
        if (kind == ElementKind.Bool)
        {
            bool a = (bool)x[0], b = x.Length > 1 && (bool)x[1];
            return op switch { Op.Not => !a, Op.And => a & b, Op.Or => a | b, Op.Xor => a ^ b, _ => throw Unsupported(op, kind) };
        }
        if (op == Op.Sign)
            return KindOf(x[0]) == ElementKind.Float32 ? MathF.Sign((float)x[0]) : Math.Sign(Convert.ToDouble(x[0], CultureInfo.InvariantCulture));
        var operands = Array.ConvertAll(x, v => Cast(v, kind));
        // Boxed in each arm: the switch's natural type would be double, turning every int and long result into one.
        return kind switch
        {
            ElementKind.Float64 => (object)Float(op, Array.ConvertAll(operands, v => (double)v)),
            ElementKind.Float32 => Float(op, Array.ConvertAll(operands, v => (float)v)),
            ElementKind.Int64 => Integer(op, Array.ConvertAll(operands, v => (long)v)),
            _ => Integer(op, Array.ConvertAll(operands, v => (int)v)),
        };
    }

    private static bool Compare(Op op, object a, object b)
    {
        int order = a switch
        {
            bool p => p.CompareTo((bool)b),
            int p => p.CompareTo((int)b),
            long p => p.CompareTo((long)b),
            float p => float.IsNaN(p) || float.IsNaN((float)b) ? 2 : p.CompareTo((float)b),
            _ => double.IsNaN((double)a) || double.IsNaN((double)b) ? 2 : ((double)a).CompareTo((double)b),
        };
        // NaN compares false for everything but !=, as in C#.
        if (order == 2) return op == Op.NotEqual;
        return op switch
        {
            Op.Less => order < 0, Op.LessOrEqual => order <= 0, Op.Greater => order > 0,
            Op.GreaterOrEqual => order >= 0, Op.Equal => order == 0, _ => order != 0,
        };
    }

    private static T Float<T>(Op op, T[] x) where T : IFloatingPointIeee754<T> =>
        Float(op, x[0], x.Length > 1 ? x[1] : T.Zero, x.Length > 2 ? x[2] : T.Zero);

    /// <summary>
    /// The floating-point kernels of the elementwise ops, once for float and double (T.Sqrt is Math.Sqrt or
    /// MathF.Sqrt): the scalar form of each op, the one every engine computes. On tensors, comparisons give masks
    /// (1 or 0) and Select reads a mask's non-zero elements as true.
    /// </summary>
    internal static T Float<T>(Op op, T a, T b, T c) where T : IFloatingPointIeee754<T> => op switch
    {
        Op.Negate => -a, Op.Add => a + b, Op.Subtract => a - b, Op.Multiply => a * b,
        Op.Divide => a / b, Op.Remainder => a % b,
        Op.Less => Mask<T>(a < b), Op.LessOrEqual => Mask<T>(a <= b), Op.Greater => Mask<T>(a > b),
        Op.GreaterOrEqual => Mask<T>(a >= b), Op.Equal => Mask<T>(a == b), Op.NotEqual => Mask<T>(a != b),
        Op.Select => a != T.Zero ? b : c,
        Op.Abs => T.Abs(a), Op.Sqrt => T.Sqrt(a), Op.Cbrt => T.Cbrt(a), Op.Exp => T.Exp(a),
        Op.Log => T.Log(a), Op.Log2 => T.Log2(a), Op.Log10 => T.Log10(a),
        Op.Sin => T.Sin(a), Op.Cos => T.Cos(a), Op.Tan => T.Tan(a), Op.Asin => T.Asin(a),
        Op.Acos => T.Acos(a), Op.Atan => T.Atan(a), Op.Sinh => T.Sinh(a), Op.Cosh => T.Cosh(a),
        Op.Tanh => T.Tanh(a), Op.Floor => T.Floor(a), Op.Ceiling => T.Ceiling(a),
        Op.Truncate => T.Truncate(a), Op.Round => T.Round(a), Op.Sign => T.CreateTruncating(T.Sign(a)),
        Op.Pow => T.Pow(a, b), Op.Atan2 => T.Atan2(a, b), Op.Maximum => T.Max(a, b),
        Op.Minimum => T.Min(a, b), Op.FusedMultiplyAdd => T.FusedMultiplyAdd(a, b, c),
        Op.Sigmoid => T.One / (T.One + T.Exp(-a)), Op.Relu => T.Max(a, T.Zero), Op.Clip => T.Min(T.Max(a, b), c),
        _ => throw Unsupported(op, typeof(T) == typeof(float) ? ElementKind.Float32 : ElementKind.Float64),
    };

    private static T Mask<T>(bool value) where T : IFloatingPointIeee754<T> => value ? T.One : T.Zero;

    /// <summary>The integer kernels, once for int and long: unchecked, truncating, as C# computes them.</summary>
    private static T Integer<T>(Op op, T[] x) where T : IBinaryInteger<T> => unchecked(op switch
    {
        Op.Negate => -x[0], Op.Add => x[0] + x[1], Op.Subtract => x[0] - x[1], Op.Multiply => x[0] * x[1],
        Op.Divide => x[0] / x[1], Op.Remainder => x[0] % x[1], Op.Abs => T.Abs(x[0]),
        Op.Maximum => T.Max(x[0], x[1]), Op.Minimum => T.Min(x[0], x[1]),
        Op.Not => ~x[0], Op.And => x[0] & x[1], Op.Or => x[0] | x[1], Op.Xor => x[0] ^ x[1],
        _ => throw Unsupported(op, typeof(T) == typeof(int) ? ElementKind.Int32 : ElementKind.Int64),
    });

    private static NotSupportedException Unsupported(Op op, ElementKind kind) =>
        new($"{OpTable.Get(op).Name} has no {kind.ToString().ToLowerInvariant()} scalar kernel.");
}
