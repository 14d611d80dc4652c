using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SymGen.Graph;

/// <summary>
/// The op table's scalar kernels: each elementwise op's scalar form, with C#'s semantics, the one every engine
/// computes (the interpreter's instructions, and the tensor kernels element by element where TensorPrimitives has no
/// vectorised form). <c>T.Tanh</c> is <c>Math.Tanh</c> for double and <c>MathF.Tanh</c> for float, as the generated
/// C# calls them; integer arithmetic is unchecked and truncates.
/// </summary>
internal static class ScalarOps
{
    public static ElementKind KindOf(object value) => ElementKinds.Of(value)
        ?? throw new ArgumentException($"{value?.GetType().Name ?? "null"} is not a scalar of a graph.", nameof(value));

    /// <summary>A C# cast (unchecked) of a boxed scalar to <paramref name="kind"/>.</summary>
    public static object Cast(object value, ElementKind kind) => ElementKinds.Cast(value, kind);

    /// <summary>
    /// The floating-point kernels of the elementwise ops, once for float and double. On tensors, comparisons give
    /// masks (1 or 0) and Select reads a mask's non-zero elements as true.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Float<T>(Op op, T a, T b, T c) where T : IFloatingPointIeee754<T> => op switch
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
        Op.Fill => b,
        _ => throw Unsupported(op, typeof(T) == typeof(float) ? ElementKind.Float32 : ElementKind.Float64),
    };

    /// <summary>The integer kernels, once for int and long: unchecked, truncating, as C# computes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Integer<T>(Op op, T a, T b) where T : IBinaryInteger<T> => unchecked(op switch
    {
        Op.Negate => -a, Op.Add => a + b, Op.Subtract => a - b, Op.Multiply => a * b,
        Op.Divide => a / b, Op.Remainder => a % b, Op.Abs => T.Abs(a),
        Op.Maximum => T.Max(a, b), Op.Minimum => T.Min(a, b), Op.Fill => b,
        Op.Not => ~a, Op.And => a & b, Op.Or => a | b, Op.Xor => a ^ b,
        _ => throw Unsupported(op, typeof(T) == typeof(int) ? ElementKind.Int32 : ElementKind.Int64),
    });

    /// <summary>The bool kernels.</summary>
    public static bool Logical(Op op, bool a, bool b) => op switch
    {
        Op.Not => !a, Op.And => a & b, Op.Or => a | b, Op.Xor => a ^ b,
        _ => throw Unsupported(op, ElementKind.Bool),
    };

    /// <summary>C#'s comparisons: NaN compares false for everything but !=.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Compare<T>(Op op, T a, T b) where T : INumber<T> => op switch
    {
        Op.Less => a < b, Op.LessOrEqual => a <= b, Op.Greater => a > b,
        Op.GreaterOrEqual => a >= b, Op.Equal => a == b, Op.NotEqual => a != b,
        _ => throw Unsupported(op, ElementKind.Bool),
    };

    private static T Mask<T>(bool value) where T : IFloatingPointIeee754<T> => value ? T.One : T.Zero;

    private static NotSupportedException Unsupported(Op op, ElementKind kind) =>
        new($"{OpTable.Get(op).Name} has no {kind.ToString().ToLowerInvariant()} scalar kernel.");
}
