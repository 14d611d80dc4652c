using System;
using System.Numerics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// The tensor operations a step method can use (the op table's <c>Sym</c> functions). Called directly they compute
/// eagerly, allocating their result; inside a <c>[Symbolic]</c> scan the generator turns them into graph nodes and
/// writes a loop that allocates nothing per step.
/// </summary>
public static class Sym
{
    // ---- Dot ------------------------------------------------------------------------------------------------------

    /// <summary>The inner product x · y.</summary>
    public static T Dot<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Eager.Shape(Op.Dot, -1, Eager.Of(x), Eager.Of(y));
        return Kernels.Dot<T>(x.Span, Eager.DimsOf(x), y.Span, Eager.DimsOf(y));
    }

    /// <summary>The matrix-vector product W x.</summary>
    public static Vec<T> Dot<T>(Mat<T> w, Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewVector<T>(Eager.Shape(Op.Dot, -1, Eager.Of(w), Eager.Of(x)));
        Kernels.Dot<T>(w.Span, Eager.DimsOf(w), x.Span, Eager.DimsOf(x), result.Span);
        return result;
    }

    /// <summary>The vector-matrix product xᵀ W.</summary>
    public static Vec<T> Dot<T>(Vec<T> x, Mat<T> w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewVector<T>(Eager.Shape(Op.Dot, -1, Eager.Of(x), Eager.Of(w)));
        Kernels.Dot<T>(x.Span, Eager.DimsOf(x), w.Span, Eager.DimsOf(w), result.Span);
        return result;
    }

    /// <summary>The matrix product A B.</summary>
    public static Mat<T> Dot<T>(Mat<T> a, Mat<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.Dot, -1, Eager.Of(a), Eager.Of(b)));
        Kernels.Dot<T>(a.Span, Eager.DimsOf(a), b.Span, Eager.DimsOf(b), result.Span);
        return result;
    }

    // ---- Elementwise functions ------------------------------------------------------------------------------------

#pragma warning disable CS1591 // each is the function it names, element by element
    public static Vec<T> Tanh<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Tanh, x);
    public static Mat<T> Tanh<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Tanh, x);
    public static T Tanh<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    public static Vec<T> Sigmoid<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Sigmoid, x);
    public static Mat<T> Sigmoid<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Sigmoid, x);
    public static T Sigmoid<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
    public static Vec<T> Relu<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Relu, x);
    public static Mat<T> Relu<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Relu, x);
    public static T Relu<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero);
    public static Vec<T> Exp<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Exp, x);
    public static Mat<T> Exp<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Exp, x);
    public static Vec<T> Log<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Log, x);
    public static Mat<T> Log<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Log, x);
    public static Vec<T> Sqrt<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Sqrt, x);
    public static Mat<T> Sqrt<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Sqrt, x);
    public static Vec<T> Abs<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Abs, x);
    public static Mat<T> Abs<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Unary(Op.Abs, x);

    // Every System.Math function of the op table, on vectors and matrices element by element (and on scalars, as
    // Math computes it). Math.Sign's int per element is a T on tensors.
    public static T Abs<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x);
    public static T Sqrt<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
    public static Vec<T> Cbrt<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Cbrt, Of(x));
    public static Mat<T> Cbrt<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Cbrt, Of(x));
    public static T Cbrt<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cbrt(x);
    public static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
    public static T Log<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
    public static Vec<T> Log2<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Log2, Of(x));
    public static Mat<T> Log2<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Log2, Of(x));
    public static T Log2<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log2(x);
    public static Vec<T> Log10<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Log10, Of(x));
    public static Mat<T> Log10<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Log10, Of(x));
    public static T Log10<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log10(x);
    public static Vec<T> Sin<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Sin, Of(x));
    public static Mat<T> Sin<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Sin, Of(x));
    public static T Sin<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    public static Vec<T> Cos<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Cos, Of(x));
    public static Mat<T> Cos<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Cos, Of(x));
    public static T Cos<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static Vec<T> Tan<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Tan, Of(x));
    public static Mat<T> Tan<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Tan, Of(x));
    public static T Tan<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tan(x);
    public static Vec<T> Asin<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Asin, Of(x));
    public static Mat<T> Asin<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Asin, Of(x));
    public static T Asin<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
    public static Vec<T> Acos<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Acos, Of(x));
    public static Mat<T> Acos<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Acos, Of(x));
    public static T Acos<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
    public static Vec<T> Atan<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Atan, Of(x));
    public static Mat<T> Atan<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Atan, Of(x));
    public static T Atan<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
    public static Vec<T> Sinh<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Sinh, Of(x));
    public static Mat<T> Sinh<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Sinh, Of(x));
    public static T Sinh<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
    public static Vec<T> Cosh<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Cosh, Of(x));
    public static Mat<T> Cosh<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Cosh, Of(x));
    public static T Cosh<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
    public static Vec<T> Floor<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Floor, Of(x));
    public static Mat<T> Floor<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Floor, Of(x));
    public static T Floor<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Floor(x);
    public static Vec<T> Ceiling<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Ceiling, Of(x));
    public static Mat<T> Ceiling<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Ceiling, Of(x));
    public static T Ceiling<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Ceiling(x);
    public static Vec<T> Truncate<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Truncate, Of(x));
    public static Mat<T> Truncate<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Truncate, Of(x));
    public static T Truncate<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Truncate(x);
    public static Vec<T> Round<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Round, Of(x));
    public static Mat<T> Round<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Round, Of(x));
    public static T Round<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Round(x);
    public static Vec<T> Sign<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Sign, Of(x));
    public static Mat<T> Sign<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Sign, Of(x));
    public static int Sign<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sign(x);
    public static Vec<T> Pow<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Pow, Of(x), Of(y));
    public static Vec<T> Pow<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Pow, Of(x), Of(in y));
    public static Vec<T> Pow<T>(T x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Pow, Of(in x), Of(y));
    public static Mat<T> Pow<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Pow, Of(x), Of(y));
    public static Mat<T> Pow<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Pow, Of(x), Of(y));
    public static Mat<T> Pow<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Pow, Of(x), Of(in y));
    public static Mat<T> Pow<T>(T x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Pow, Of(in x), Of(y));
    public static T Pow<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Pow(x, y);
    public static Vec<T> Atan2<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Atan2, Of(x), Of(y));
    public static Vec<T> Atan2<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Atan2, Of(x), Of(in y));
    public static Vec<T> Atan2<T>(T x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Atan2, Of(in x), Of(y));
    public static Mat<T> Atan2<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Atan2, Of(x), Of(y));
    public static Mat<T> Atan2<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Atan2, Of(x), Of(y));
    public static Mat<T> Atan2<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Atan2, Of(x), Of(in y));
    public static Mat<T> Atan2<T>(T x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Atan2, Of(in x), Of(y));
    public static T Atan2<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan2(x, y);
    public static Vec<T> Maximum<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Maximum, Of(x), Of(y));
    public static Vec<T> Maximum<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Maximum, Of(x), Of(in y));
    public static Vec<T> Maximum<T>(T x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Maximum, Of(in x), Of(y));
    public static Mat<T> Maximum<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Maximum, Of(x), Of(y));
    public static Mat<T> Maximum<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Maximum, Of(x), Of(y));
    public static Mat<T> Maximum<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Maximum, Of(x), Of(in y));
    public static Mat<T> Maximum<T>(T x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Maximum, Of(in x), Of(y));
    public static T Maximum<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, y);
    public static Vec<T> Minimum<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Minimum, Of(x), Of(y));
    public static Vec<T> Minimum<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Minimum, Of(x), Of(in y));
    public static Vec<T> Minimum<T>(T x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Minimum, Of(in x), Of(y));
    public static Mat<T> Minimum<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Minimum, Of(x), Of(y));
    public static Mat<T> Minimum<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Minimum, Of(x), Of(y));
    public static Mat<T> Minimum<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Minimum, Of(x), Of(in y));
    public static Mat<T> Minimum<T>(T x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Minimum, Of(in x), Of(y));
    public static T Minimum<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Min(x, y);
    public static Vec<T> FusedMultiplyAdd<T>(Vec<T> x, Vec<T> y, Vec<T> addend) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.FusedMultiplyAdd, Of(x), Of(y), Of(addend));
    public static Mat<T> FusedMultiplyAdd<T>(Mat<T> x, Mat<T> y, Mat<T> addend) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.FusedMultiplyAdd, Of(x), Of(y), Of(addend));
    public static T FusedMultiplyAdd<T>(T x, T y, T addend) where T : unmanaged, IFloatingPointIeee754<T> => T.FusedMultiplyAdd(x, y, addend);
#pragma warning restore CS1591

    // ---- Comparisons: masks of 1 (true) and 0 (false), which Sym.Where takes ----------------------------------------

#pragma warning disable CS1591 // each compares element by element, with broadcasting: 1 where it holds, else 0
    public static Vec<T> Less<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Less, Of(x), Of(y));
    public static Vec<T> Less<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Less, Of(x), Of(in y));
    public static Mat<T> Less<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Less, Of(x), Of(y));
    public static Mat<T> Less<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Less, Of(x), Of(y));
    public static Mat<T> Less<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Less, Of(x), Of(in y));
    public static Vec<T> LessOrEqual<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.LessOrEqual, Of(x), Of(y));
    public static Vec<T> LessOrEqual<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.LessOrEqual, Of(x), Of(in y));
    public static Mat<T> LessOrEqual<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.LessOrEqual, Of(x), Of(y));
    public static Mat<T> LessOrEqual<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.LessOrEqual, Of(x), Of(y));
    public static Mat<T> LessOrEqual<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.LessOrEqual, Of(x), Of(in y));
    public static Vec<T> Greater<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Greater, Of(x), Of(y));
    public static Vec<T> Greater<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Greater, Of(x), Of(in y));
    public static Mat<T> Greater<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Greater, Of(x), Of(y));
    public static Mat<T> Greater<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Greater, Of(x), Of(y));
    public static Mat<T> Greater<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Greater, Of(x), Of(in y));
    public static Vec<T> GreaterOrEqual<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.GreaterOrEqual, Of(x), Of(y));
    public static Vec<T> GreaterOrEqual<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.GreaterOrEqual, Of(x), Of(in y));
    public static Mat<T> GreaterOrEqual<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.GreaterOrEqual, Of(x), Of(y));
    public static Mat<T> GreaterOrEqual<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.GreaterOrEqual, Of(x), Of(y));
    public static Mat<T> GreaterOrEqual<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.GreaterOrEqual, Of(x), Of(in y));
    public static Vec<T> Equal<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Equal, Of(x), Of(y));
    public static Vec<T> Equal<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Equal, Of(x), Of(in y));
    public static Mat<T> Equal<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Equal, Of(x), Of(y));
    public static Mat<T> Equal<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Equal, Of(x), Of(y));
    public static Mat<T> Equal<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Equal, Of(x), Of(in y));
    public static Vec<T> NotEqual<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.NotEqual, Of(x), Of(y));
    public static Vec<T> NotEqual<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.NotEqual, Of(x), Of(in y));
    public static Mat<T> NotEqual<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.NotEqual, Of(x), Of(y));
    public static Mat<T> NotEqual<T>(Mat<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.NotEqual, Of(x), Of(y));
    public static Mat<T> NotEqual<T>(Mat<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.NotEqual, Of(x), Of(in y));
#pragma warning restore CS1591

    // ---- Where and Clip ------------------------------------------------------------------------------------------

#pragma warning disable CS1591 // Where: a where the condition (a mask) is non-zero, else b; a scalar branch broadcasts
    /// <summary>Element i is <paramref name="a"/>[i] where <paramref name="condition"/>[i] is non-zero, else <paramref name="b"/>[i] (Theano's switch).</summary>
    public static Vec<T> Where<T>(Vec<T> condition, Vec<T> a, Vec<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Select, Of(condition), Of(a), Of(b));

    public static Vec<T> Where<T>(Vec<T> condition, Vec<T> a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Select, Of(condition), Of(a), Of(in b));
    public static Vec<T> Where<T>(Vec<T> condition, T a, Vec<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Select, Of(condition), Of(in a), Of(b));
    public static Vec<T> Where<T>(Vec<T> condition, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Select, Of(condition), Of(in a), Of(in b));
    public static Mat<T> Where<T>(Mat<T> condition, Mat<T> a, Mat<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Select, Of(condition), Of(a), Of(b));
    public static Mat<T> Where<T>(Mat<T> condition, Mat<T> a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Select, Of(condition), Of(a), Of(in b));
    public static Mat<T> Where<T>(Mat<T> condition, T a, Mat<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Select, Of(condition), Of(in a), Of(b));
    public static Mat<T> Where<T>(Mat<T> condition, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Select, Of(condition), Of(in a), Of(in b));
#pragma warning restore CS1591

#pragma warning disable CS1591 // Clip: x limited to [lo, hi], element by element: Min(Max(x, lo), hi), as Theano's clip
    public static T Clip<T>(T x, T lo, T hi) where T : unmanaged, IFloatingPointIeee754<T> => T.Min(T.Max(x, lo), hi);
    public static Vec<T> Clip<T>(Vec<T> x, T lo, T hi) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Clip, Of(x), Of(in lo), Of(in hi));
    public static Mat<T> Clip<T>(Mat<T> x, T lo, T hi) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Clip, Of(x), Of(in lo), Of(in hi));
    public static Vec<T> Clip<T>(Vec<T> x, Vec<T> lo, Vec<T> hi) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Clip, Of(x), Of(lo), Of(hi));
    public static Mat<T> Clip<T>(Mat<T> x, Mat<T> lo, Mat<T> hi) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Clip, Of(x), Of(lo), Of(hi));
#pragma warning restore CS1591

    // ---- Reductions and Softmax -----------------------------------------------------------------------------------

#pragma warning disable CS1591 // Sum, Prod, Mean, Max of all elements, or along an axis (0: each column, 1: each row)
    public static T Sum<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Sum, x.Span);
    public static T Sum<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Sum, x.Span);
    public static Vec<T> Sum<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.Sum, x, axis);
    public static T Prod<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Prod, x.Span);
    public static T Prod<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Prod, x.Span);
    public static Vec<T> Prod<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.Prod, x, axis);
    public static T Mean<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Mean, x.Span);
    public static T Mean<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Mean, x.Span);
    public static Vec<T> Mean<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.Mean, x, axis);
    public static T Max<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Max, x.Span);
    public static T Max<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Max, x.Span);
    public static Vec<T> Max<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.Max, x, axis);
    public static T Min<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Min, x.Span);
    public static T Min<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.Min, x.Span);
    public static Vec<T> Min<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.Min, x, axis);
#pragma warning restore CS1591

#pragma warning disable CS1591 // log(sum(exp(x))), computed stably as max + log(sum(exp(x - max))); -inf for no elements
    public static T LogSumExp<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.LogSumExp, x.Span);
    public static T LogSumExp<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Reduce<T>(Op.LogSumExp, x.Span);
    public static Vec<T> LogSumExp<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(Op.LogSumExp, x, axis);
#pragma warning restore CS1591

#pragma warning disable CS1591 // ArgMax/ArgMin: the index of the first largest/smallest element (the first NaN if any), a matrix's
    // read row by row as numpy's argmax with no axis; along an axis, each column's (0) or row's (1) index, as a
    // vector of exact integers in T (step tensors are float or double). No elements: an ArgumentException.
    public static int ArgMax<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.ArgReduce<T>(Op.ArgMax, x.Span, Eager.DimsOf(x));
    public static int ArgMax<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.ArgReduce<T>(Op.ArgMax, x.Span, Eager.DimsOf(x));
    public static Vec<T> ArgMax<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => ArgReduce(Op.ArgMax, x, axis);
    public static int ArgMin<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.ArgReduce<T>(Op.ArgMin, x.Span, Eager.DimsOf(x));
    public static int ArgMin<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.ArgReduce<T>(Op.ArgMin, x.Span, Eager.DimsOf(x));
    public static Vec<T> ArgMin<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> => ArgReduce(Op.ArgMin, x, axis);
#pragma warning restore CS1591

    /// <summary>exp(x) / sum(exp(x)), computed stably.</summary>
    public static Vec<T> Softmax<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(x.Length);
        Kernels.Softmax<T>(x.Span, result.Span);
        return result;
    }

    /// <summary>The softmax of each row.</summary>
    public static Mat<T> Softmax<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(x.Rows, x.Columns);
        Kernels.Softmax<T>(x.Span, x.Rows, x.Columns, result.Span);
        return result;
    }

    // ---- Structural: Transpose, Outer, Diagonal, Trace (indexing is Vec's and Mat's indexers) ---------------------

    /// <summary>The transpose xᵀ: row i is column i of <paramref name="x"/>.</summary>
    public static Mat<T> Transpose<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.Transpose, -1, Eager.Of(x)));
        Kernels.Transpose<T>(x.Span, Eager.DimsOf(x), result.Span);
        return result;
    }

    /// <summary>The outer product a bᵀ: element [i, j] is a[i] · b[j].</summary>
    public static Mat<T> Outer<T>(Vec<T> a, Vec<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.Outer, -1, Eager.Of(a), Eager.Of(b)));
        Kernels.Outer<T>(a.Span, Eager.DimsOf(a), b.Span, Eager.DimsOf(b), result.Span);
        return result;
    }

    /// <summary>The diagonal of a square matrix: element i is x[i, i].</summary>
    public static Vec<T> Diagonal<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewVector<T>(Eager.Shape(Op.Diagonal, -1, Eager.Of(x)));
        Kernels.Diagonal<T>(x.Span, Eager.DimsOf(x), result.Span);
        return result;
    }

    /// <summary>The trace of a square matrix: the sum of its diagonal.</summary>
    public static T Trace<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Eager.Shape(Op.Trace, -1, Eager.Of(x));
        return Kernels.Trace<T>(x.Span, Eager.DimsOf(x));
    }

    /// <summary>x with element <paramref name="index"/> replaced by <paramref name="value"/> (Theano's <c>set_subtensor(x[i], v)</c>); x is unchanged.</summary>
    public static Vec<T> SetIndex<T>(Vec<T> x, T value, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewVector<T>(Eager.Shape(Op.SetIndex, -1, Eager.Of(x), [], []));
        Kernels.SetIndex<T>(x.Span, Eager.DimsOf(x), value, index, result.Span);
        return result;
    }

    /// <summary>The matrix x with row <paramref name="index"/> replaced by <paramref name="value"/>; x is unchanged.</summary>
    public static Mat<T> SetIndex<T>(Mat<T> x, Vec<T> value, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.SetIndex, -1, Eager.Of(x), Eager.Of(value), []));
        Kernels.SetIndex<T>(x.Span, Eager.DimsOf(x), value.Span, Eager.DimsOf(value), index, result.Span);
        return result;
    }

    /// <summary>The square matrix x with its diagonal replaced by <paramref name="diagonal"/>; x is unchanged.</summary>
    public static Mat<T> SetDiagonal<T>(Mat<T> x, Vec<T> diagonal) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.SetDiagonal, -1, Eager.Of(x), Eager.Of(diagonal)));
        Kernels.SetDiagonal<T>(x.Span, Eager.DimsOf(x), diagonal.Span, Eager.DimsOf(diagonal), result.Span);
        return result;
    }

    /// <summary>
    /// Theano's <c>Print</c>: writes <c>label = x</c> (<c>h = [0.5, 1]</c>) to <see cref="Printing.Writer"/> and returns x
    /// unchanged. In a scan it prints at every step, in every engine: it is never merged, hoisted or dropped.
    /// </summary>
    public static T Print<T>(T x, string label) where T : unmanaged => Kernels.Print(x, RequireLabel(label));

    /// <summary>Writes <c>label = [x0, x1, ...]</c> to <see cref="Printing.Writer"/> and returns x (the same vector).</summary>
    public static Vec<T> Print<T>(Vec<T> x, string label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Printing.Write(RequireLabel(label), (ReadOnlySpan<T>)x.Span, Eager.DimsOf(x));
        return x;
    }

    /// <summary>Writes <c>label = [[row 0], [row 1], ...]</c> to <see cref="Printing.Writer"/> and returns x (the same matrix).</summary>
    public static Mat<T> Print<T>(Mat<T> x, string label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Printing.Write(RequireLabel(label), (ReadOnlySpan<T>)x.Span, Eager.DimsOf(x));
        return x;
    }

    private static string RequireLabel(string label) =>
        label ?? throw new ArgumentNullException(nameof(label), "Print needs a label to write before the value.");

#pragma warning disable CS1591 // Fill(x, v): v broadcast to the shape of x and v together (Theano's fill); x's elements are not read
    public static Vec<T> Fill<T>(Vec<T> x, T value) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Fill, Of(x), Of(in value));
    public static Vec<T> Fill<T>(Vec<T> x, Vec<T> value) where T : unmanaged, IFloatingPointIeee754<T> => Vector(Op.Fill, Of(x), Of(value));
    public static Mat<T> Fill<T>(Mat<T> x, T value) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Fill, Of(x), Of(in value));
    public static Mat<T> Fill<T>(Mat<T> x, Vec<T> value) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Fill, Of(x), Of(value));
    public static Mat<T> Fill<T>(Mat<T> x, Mat<T> value) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(Op.Fill, Of(x), Of(value));
    public static T Fill<T>(T x, T value) where T : unmanaged, IFloatingPointIeee754<T> => value;
#pragma warning restore CS1591

    /// <summary>The log-softmax of a vector, x - LogSumExp(x), computed stably.</summary>
    public static Vec<T> LogSoftmax<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewVector<T>(Eager.Shape(Op.LogSoftmax, -1, Eager.Of(x)));
        Kernels.LogSoftmax<T>(x.Span, Eager.DimsOf(x), result.Span);
        return result;
    }

    /// <summary>The log-softmax of each row.</summary>
    public static Mat<T> LogSoftmax<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Eager.NewMatrix<T>(Eager.Shape(Op.LogSoftmax, -1, Eager.Of(x)));
        Kernels.LogSoftmax<T>(x.Span, Eager.DimsOf(x), result.Span);
        return result;
    }

    private static Vec<T> Unary<T>(Op op, Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector(op, Of(x));

    private static Mat<T> Unary<T>(Op op, Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Matrix(op, Of(x));

    private static Vec<T> Reduce<T>(Op op, Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = AlongAxis(x, axis);
        Kernels.Reduce<T>(op, x.Span, x.Rows, x.Columns, axis, result.Span);
        return result;
    }

    private static Vec<T> ArgReduce<T>(Op op, Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = AlongAxis(x, axis);
        Kernels.ArgReduce<T>(op, x.Span, Eager.DimsOf(x), axis, result.Span);
        return result;
    }

    /// <summary>The result of a reduction of <paramref name="x"/> along <paramref name="axis"/>, zeros.</summary>
    private static Vec<T> AlongAxis<T>(Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        axis is 0 or 1 ? Vec<T>.Zeros(axis == 0 ? x.Columns : x.Rows)
            : throw new ArgumentOutOfRangeException(nameof(axis), axis, "A matrix has axes 0 (reduce each column) and 1 (reduce each row).");

    // ---- Elementwise ops through the op table: its shape rule (the scan's words in errors), then its kernel ------

    /// <summary>An operand of an elementwise op: a tensor's elements, or one scalar, with its dimensions.</summary>
    private readonly ref struct Operand<T>(ReadOnlySpan<T> values, Dims dims)
    {
        public ReadOnlySpan<T> Values { get; } = values;
        public Dims Dims { get; } = dims;
    }

    private static Operand<T> Of<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => new(x.Span, Eager.DimsOf(x));

    private static Operand<T> Of<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => new(x.Span, Eager.DimsOf(x));

    private static Operand<T> Of<T>(in T x) where T : unmanaged, IFloatingPointIeee754<T> => new(new ReadOnlySpan<T>(in x), Dims.Scalar);

    private static Vec<T> Vector<T>(Op op, Operand<T> x, Operand<T> y = default, Operand<T> z = default) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Elementwise(op, out _, x, y, z));

    private static Mat<T> Matrix<T>(Op op, Operand<T> x, Operand<T> y = default, Operand<T> z = default) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = Elementwise(op, out var shape, x, y, z);
        return new(values, shape[0], shape[1]);
    }

    /// <summary>The elementwise <paramref name="op"/> of its row's arity on the first operands, with broadcasting.</summary>
    private static T[] Elementwise<T>(Op op, out int[] shape, Operand<T> x, Operand<T> y, Operand<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int arity = OpTable.Get(op).Arity;
        shape = arity switch
        {
            1 => Eager.Shape(op, -1, x.Dims.ToShape()),
            2 => Eager.Shape(op, -1, x.Dims.ToShape(), y.Dims.ToShape()),
            _ => Eager.Shape(op, -1, x.Dims.ToShape(), y.Dims.ToShape(), z.Dims.ToShape()),
        };
        var dims = Dims.Of(shape);
        var result = new T[dims.Count];
        if (arity == 1) Kernels.Elementwise<T>(op, x.Values, x.Dims, result, dims);
        else if (arity == 2) Kernels.Elementwise<T>(op, x.Values, x.Dims, y.Values, y.Dims, result, dims);
        else Kernels.Elementwise<T>(op, x.Values, x.Dims, y.Values, y.Dims, z.Values, z.Dims, result, dims);
        return result;
    }
}
