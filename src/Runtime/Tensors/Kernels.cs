using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// The tensor kernels, on spans: the eager operators and <see cref="Sym"/> call them, and so does generated code for
/// every op it does not fuse into a loop of its own (Dot, reductions, Softmax). Vectorised with
/// <see cref="TensorPrimitives"/>; nothing here allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Kernels
{
    // ---- Elementwise --------------------------------------------------------------------------------------------

    /// <summary><paramref name="destination"/>[i] = x[i] op y[i].</summary>
    public static void Binary<T>(Op op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(x, y, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(x, y, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(x, y, destination); break;
            case Op.Minimum: TensorPrimitives.Min(x, y, destination); break;
            default: throw NotElementwise(op, 2);
        }
    }

    /// <summary><paramref name="destination"/>[i] = x[i] op y.</summary>
    public static void Binary<T>(Op op, ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(x, y, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(x, y, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(x, y, destination); break;
            case Op.Minimum: TensorPrimitives.Min(x, y, destination); break;
            default: throw NotElementwise(op, 2);
        }
    }

    /// <summary><paramref name="destination"/>[i] = x op y[i].</summary>
    public static void Binary<T>(Op op, T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(y, x, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(y, x, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(y, x, destination); break;
            case Op.Minimum: TensorPrimitives.Min(y, x, destination); break;
            default: throw NotElementwise(op, 2);
        }
    }

    /// <summary><paramref name="destination"/>[i] = op(x[i]).</summary>
    public static void Unary<T>(Op op, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty && destination.IsEmpty) return; // TensorPrimitives.Sigmoid rejects empty spans
        switch (op)
        {
            case Op.Negate: TensorPrimitives.Negate(x, destination); break;
            case Op.Abs: TensorPrimitives.Abs(x, destination); break;
            case Op.Sqrt: TensorPrimitives.Sqrt(x, destination); break;
            case Op.Exp: TensorPrimitives.Exp(x, destination); break;
            case Op.Log: TensorPrimitives.Log(x, destination); break;
            case Op.Tanh: TensorPrimitives.Tanh(x, destination); break;
            case Op.Sigmoid: TensorPrimitives.Sigmoid(x, destination); break;
            case Op.Relu: TensorPrimitives.Max(x, T.Zero, destination); break;
            default: throw NotElementwise(op, 1);
        }
    }

    /// <summary><paramref name="destination"/>[i] = condition[i] != 0 ? a[i] : b[i] (Theano's switch).</summary>
    public static void Where<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(a.Length, condition.Length, "Where");
        RequireLength(b.Length, condition.Length, "Where");
        RequireLength(destination.Length, condition.Length, "Where");
        for (int i = 0; i < condition.Length; i++)
            destination[i] = condition[i] != T.Zero ? a[i] : b[i];
    }

    // ---- Dot products -------------------------------------------------------------------------------------------

    /// <summary>x · y.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Dot(x, y);

    /// <summary>destination = W x, for W of <paramref name="rows"/> x <paramref name="columns"/> (row-major).</summary>
    public static void MatVec<T>(ReadOnlySpan<T> w, int rows, int columns, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(x.Length, columns, "Dot(matrix, vector)");
        RequireLength(destination.Length, rows, "Dot(matrix, vector)");
        for (int r = 0; r < rows; r++)
            destination[r] = TensorPrimitives.Dot(w.Slice(r * columns, columns), x);
    }

    /// <summary>destination = xᵀ W, for W of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public static void VecMat<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, int rows, int columns, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(x.Length, rows, "Dot(vector, matrix)");
        RequireLength(destination.Length, columns, "Dot(vector, matrix)");
        destination.Clear();
        for (int r = 0; r < rows; r++)
            TensorPrimitives.MultiplyAdd(w.Slice(r * columns, columns), x[r], destination, destination);
    }

    /// <summary>destination = A B, for A of n x k and B of k x m.</summary>
    public static void MatMul<T>(ReadOnlySpan<T> a, int n, int k, ReadOnlySpan<T> b, int m, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(destination.Length, n * m, "Dot(matrix, matrix)");
        for (int i = 0; i < n; i++)
            VecMat(a.Slice(i * k, k), b, k, m, destination.Slice(i * m, m));
    }

    // ---- Reductions and Softmax ---------------------------------------------------------------------------------

    /// <summary>The reduction <paramref name="op"/> (Sum, Prod, Mean, Max) of all of x.</summary>
    public static T Reduce<T>(Op op, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        Op.Sum => TensorPrimitives.Sum(x),
        Op.Prod => x.IsEmpty ? T.One : TensorPrimitives.Product(x),
        Op.Mean => TensorPrimitives.Sum(x) / T.CreateChecked(x.Length),
        Op.Max => x.IsEmpty ? throw new ArgumentException("Max of an empty vector has no value.", nameof(x)) : TensorPrimitives.Max(x),
        _ => throw new ArgumentException($"{op} is not a reduction.", nameof(op)),
    };

    /// <summary>
    /// The reduction of a <paramref name="rows"/> x <paramref name="columns"/> matrix along <paramref name="axis"/>:
    /// axis 0 reduces each column (giving <paramref name="columns"/> values), axis 1 each row.
    /// </summary>
    public static void Reduce<T>(Op op, ReadOnlySpan<T> x, int rows, int columns, int axis, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (axis == 1)
        {
            RequireLength(destination.Length, rows, op.ToString());
            for (int r = 0; r < rows; r++)
                destination[r] = Reduce(op, x.Slice(r * columns, columns));
            return;
        }
        RequireLength(destination.Length, columns, op.ToString());
        if (op == Op.Max && rows == 0)
            throw new ArgumentException("Max over zero rows has no value.", nameof(x));
        for (int c = 0; c < columns; c++)
        {
            T acc = op switch { Op.Prod => T.One, Op.Max => x[c], _ => T.Zero };
            for (int r = 0; r < rows; r++)
            {
                T v = x[r * columns + c];
                acc = op switch { Op.Prod => acc * v, Op.Max => T.Max(acc, v), _ => acc + v };
            }
            destination[c] = op == Op.Mean ? acc / T.CreateChecked(rows) : acc;
        }
    }

    /// <summary>destination = exp(x - max x) / sum(exp(x - max x)).</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(destination.Length, x.Length, "Softmax");
        if (x.IsEmpty) return;
        TensorPrimitives.SoftMax(x, destination);
    }

    /// <summary>Softmax of each row of a <paramref name="rows"/> x <paramref name="columns"/> matrix.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
            Softmax(x.Slice(r * columns, columns), destination.Slice(r * columns, columns));
    }

    // ---- Eager helpers for the operators of Vec and Mat ---------------------------------------------------------

    internal static Vec<T> Map<T>(Vec<T> a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(b.Length, a.Length, op.ToString());
        var result = Vec<T>.Zeros(a.Length);
        Binary(op, a.Span, b.Span, result.Span);
        return result;
    }

    internal static Vec<T> Map<T>(Vec<T> a, T b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(a.Length);
        Binary(op, a.Span, b, result.Span);
        return result;
    }

    internal static Vec<T> Map<T>(T a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(b.Length);
        Binary(op, a, b.Span, result.Span);
        return result;
    }

    internal static Vec<T> Negate<T>(Vec<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(a.Length);
        Unary(Op.Negate, a.Span, result.Span);
        return result;
    }

    internal static Mat<T> Map<T>(Mat<T> a, Mat<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
            throw new ArgumentException($"{op} needs matrices of one shape; they are {a.Rows} x {a.Columns} and {b.Rows} x {b.Columns}.");
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Binary(op, a.Span, b.Span, result.Span);
        return result;
    }

    /// <summary>A row vector broadcast over every row of the matrix, as Theano broadcasts a vector.</summary>
    internal static Mat<T> Map<T>(Mat<T> a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(b.Length, a.Columns, op.ToString());
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        for (int r = 0; r < a.Rows; r++)
            Binary(op, a.Row(r).Span, b.Span, result.Row(r).Span);
        return result;
    }

    internal static Mat<T> Map<T>(Mat<T> a, T b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Binary(op, a.Span, b, result.Span);
        return result;
    }

    internal static Mat<T> Negate<T>(Mat<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Unary(Op.Negate, a.Span, result.Span);
        return result;
    }

    private static void RequireLength(int actual, int expected, string operation)
    {
        if (actual != expected)
            throw new ArgumentException($"{operation} needs lengths that agree: {actual} and {expected}.");
    }

    private static ArgumentException NotElementwise(Op op, int arity) =>
        new($"{op} is not an elementwise op of {arity} operand(s).", nameof(op));
}
