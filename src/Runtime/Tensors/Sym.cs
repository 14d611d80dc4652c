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

    public static Vec<T> Pow<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Pow);
    public static Vec<T> Pow<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Pow);
    public static Vec<T> Maximum<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Maximum);
    public static Vec<T> Maximum<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Maximum);
    public static Mat<T> Maximum<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Maximum);
    public static Vec<T> Minimum<T>(Vec<T> x, Vec<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Minimum);
    public static Vec<T> Minimum<T>(Vec<T> x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Minimum);
    public static Mat<T> Minimum<T>(Mat<T> x, Mat<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Kernels.Map(x, y, Op.Minimum);
#pragma warning restore CS1591

    /// <summary>Element i is <paramref name="a"/>[i] where <paramref name="condition"/>[i] is non-zero, else <paramref name="b"/>[i] (Theano's switch).</summary>
    public static Vec<T> Where<T>(Vec<T> condition, Vec<T> a, Vec<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(condition.Length);
        Kernels.Where<T>(condition.Span, a.Span, b.Span, result.Span);
        return result;
    }

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

    private static Vec<T> Unary<T>(Op op, Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(x.Length);
        Kernels.Unary<T>(op, x.Span, result.Span);
        return result;
    }

    private static Mat<T> Unary<T>(Op op, Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(x.Rows, x.Columns);
        Kernels.Unary<T>(op, x.Span, result.Span);
        return result;
    }

    private static Vec<T> Reduce<T>(Op op, Mat<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (axis is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(axis), axis, "A matrix has axes 0 (reduce each column) and 1 (reduce each row).");
        var result = Vec<T>.Zeros(axis == 0 ? x.Columns : x.Rows);
        Kernels.Reduce<T>(op, x.Span, x.Rows, x.Columns, axis, result.Span);
        return result;
    }
}
