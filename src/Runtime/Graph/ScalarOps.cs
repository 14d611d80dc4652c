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
    public static ElementKind KindOf(object value) => value switch
    {
        bool => ElementKind.Bool,
        int => ElementKind.Int32,
        long => ElementKind.Int64,
        float => ElementKind.Float32,
        double => ElementKind.Float64,
        _ => throw new ArgumentException($"{value?.GetType().Name ?? "null"} is not a scalar of a graph.", nameof(value)),
    };

    /// <summary>A C# cast (unchecked) of a boxed scalar to <paramref name="kind"/>.</summary>
    public static object Cast(object value, ElementKind kind) => (value, kind) switch
    {
        (bool b, ElementKind.Bool) => b,
        (_, ElementKind.Bool) => Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        (double d, ElementKind.Int32) => unchecked((int)d),
        (double d, ElementKind.Int64) => unchecked((long)d),
        (double d, ElementKind.Float32) => (float)d,
        (float f, ElementKind.Int32) => unchecked((int)f),
        (float f, ElementKind.Int64) => unchecked((long)f),
        (float f, ElementKind.Float64) => (double)f,
        (long l, ElementKind.Int32) => unchecked((int)l),
        (long l, ElementKind.Float32) => (float)l,
        (long l, ElementKind.Float64) => (double)l,
        (int i, ElementKind.Int64) => (long)i,
        (int i, ElementKind.Float32) => (float)i,
        (int i, ElementKind.Float64) => (double)i,
        (bool b, _) => Cast(b ? 1 : 0, kind),
        _ => value,
    };

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
        return kind switch
        {
            ElementKind.Float64 => Float(op, Array.ConvertAll(operands, v => (double)v)),
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

    /// <summary>The floating-point kernels, once for float and double (T.Sqrt is Math.Sqrt or MathF.Sqrt).</summary>
    private static T Float<T>(Op op, T[] x) where T : IFloatingPointIeee754<T> => op switch
    {
        Op.Negate => -x[0], Op.Add => x[0] + x[1], Op.Subtract => x[0] - x[1], Op.Multiply => x[0] * x[1],
        Op.Divide => x[0] / x[1], Op.Remainder => x[0] % x[1],
        Op.Abs => T.Abs(x[0]), Op.Sqrt => T.Sqrt(x[0]), Op.Cbrt => T.Cbrt(x[0]), Op.Exp => T.Exp(x[0]),
        Op.Log => T.Log(x[0]), Op.Log2 => T.Log2(x[0]), Op.Log10 => T.Log10(x[0]),
        Op.Sin => T.Sin(x[0]), Op.Cos => T.Cos(x[0]), Op.Tan => T.Tan(x[0]), Op.Asin => T.Asin(x[0]),
        Op.Acos => T.Acos(x[0]), Op.Atan => T.Atan(x[0]), Op.Sinh => T.Sinh(x[0]), Op.Cosh => T.Cosh(x[0]),
        Op.Tanh => T.Tanh(x[0]), Op.Floor => T.Floor(x[0]), Op.Ceiling => T.Ceiling(x[0]),
        Op.Truncate => T.Truncate(x[0]), Op.Round => T.Round(x[0]),
        Op.Pow => T.Pow(x[0], x[1]), Op.Atan2 => T.Atan2(x[0], x[1]), Op.Maximum => T.Max(x[0], x[1]),
        Op.Minimum => T.Min(x[0], x[1]), Op.FusedMultiplyAdd => T.FusedMultiplyAdd(x[0], x[1], x[2]),
        Op.Sigmoid => T.One / (T.One + T.Exp(-x[0])), Op.Relu => T.Max(x[0], T.Zero),
        _ => throw Unsupported(op, typeof(T) == typeof(float) ? ElementKind.Float32 : ElementKind.Float64),
    };

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
