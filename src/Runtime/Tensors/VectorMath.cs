using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymGen;

/// <summary>
/// The vector forms of the elementwise functions that <c>System.Runtime.Intrinsics</c> does not have (Tanh, Sigmoid),
/// per vector width and element type, computed as <c>TensorPrimitives</c> computes them, so that a generated fused
/// loop and the eager kernels agree. Generated code calls these (the op table's <c>VectorForm</c> names them); the
/// functions the intrinsics have (Exp, Log, Sqrt, Max...) are called there directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    // Tanh: with y = |x| and z = e^(-2y) - 1, tanh(y) = -z / (z + 2), and tanh(-x) = -tanh(x) (TensorPrimitives'
    // TanhOperator, after AMD's vrs4_tanhf). Accurate absolutely, not relatively, near 0 (the op's NoUlpBound).

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x)
    {
        var z = Vector512.Exp(Vector512.Create(-2d) * Vector512.Abs(x)) - Vector512<double>.One;
        var sign = x.AsUInt64() & Vector512.Create(0x8000_0000_0000_0000UL);
        return (sign ^ (-z / (z + Vector512.Create(2d))).AsUInt64()).AsDouble();
    }

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x)
    {
        var z = Vector256.Exp(Vector256.Create(-2d) * Vector256.Abs(x)) - Vector256<double>.One;
        var sign = x.AsUInt64() & Vector256.Create(0x8000_0000_0000_0000UL);
        return (sign ^ (-z / (z + Vector256.Create(2d))).AsUInt64()).AsDouble();
    }

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x)
    {
        var z = Vector128.Exp(Vector128.Create(-2d) * Vector128.Abs(x)) - Vector128<double>.One;
        var sign = x.AsUInt64() & Vector128.Create(0x8000_0000_0000_0000UL);
        return (sign ^ (-z / (z + Vector128.Create(2d))).AsUInt64()).AsDouble();
    }

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var z = Vector512.Exp(Vector512.Create(-2f) * Vector512.Abs(x)) - Vector512<float>.One;
        var sign = x.AsUInt32() & Vector512.Create(0x8000_0000U);
        return (sign ^ (-z / (z + Vector512.Create(2f))).AsUInt32()).AsSingle();
    }

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var z = Vector256.Exp(Vector256.Create(-2f) * Vector256.Abs(x)) - Vector256<float>.One;
        var sign = x.AsUInt32() & Vector256.Create(0x8000_0000U);
        return (sign ^ (-z / (z + Vector256.Create(2f))).AsUInt32()).AsSingle();
    }

    /// <summary>tanh of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var z = Vector128.Exp(Vector128.Create(-2f) * Vector128.Abs(x)) - Vector128<float>.One;
        var sign = x.AsUInt32() & Vector128.Create(0x8000_0000U);
        return (sign ^ (-z / (z + Vector128.Create(2f))).AsUInt32()).AsSingle();
    }

    // Sigmoid: 1 / (1 + e^-x), as the op's scalar formula and TensorPrimitives' SigmoidOperator.

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x) => Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-x));

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> x) => Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-x));

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> x) => Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-x));

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    /// <summary>1 / (1 + e^-x) of each element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
}
