using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using SymGen.Graph;

namespace SymGen;

// The op table's kernels: one entry per op (or per family of ops, with the op as first argument), named by the op's
// row (OpInfo.Kernel), taking each tensor operand as a span and its Dims. Generated code, the interpreter and the
// eager Sym functions all call these; rank dispatch and span checks live here once.
public static partial class Kernels
{
    // ---- Elementwise: every elementwise op of the table, with Theano's broadcasting ------------------------------

    /// <summary>destination = op(x), element by element.</summary>
    public static void Elementwise<T>(Op op, ReadOnlySpan<T> x, Dims xd, Span<T> destination, Dims dd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        RequireSpan(destination.Length, dd, op);
        RequireLength(xd.Count, dd.Count, op.ToString());
        if (HasVectorisedUnary(op)) Unary(op, x, destination);
        else
            for (int i = 0; i < destination.Length; i++) destination[i] = ScalarOps.Float(op, x[i], T.Zero, T.Zero);
    }

    /// <summary>destination = x op y, element by element; a scalar operand (a span of one) or a vector over a matrix's rows broadcasts.</summary>
    public static void Elementwise<T>(Op op, ReadOnlySpan<T> x, Dims xd, ReadOnlySpan<T> y, Dims yd, Span<T> destination, Dims dd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        RequireSpan(y.Length, yd, op);
        RequireSpan(destination.Length, dd, op);
        if (HasVectorisedBinary(op) && xd.Rank == dd.Rank && yd.Rank == dd.Rank)
            Binary(op, x, y, destination);
        else if (HasVectorisedBinary(op) && xd.Rank == dd.Rank && yd.Rank == 0)
            Binary(op, x, y[0], destination);
        else if (HasVectorisedBinary(op) && xd.Rank == 0 && yd.Rank == dd.Rank)
            Binary(op, x[0], y, destination);
        else
            for (int i = 0; i < destination.Length; i++)
                destination[i] = ScalarOps.Float(op, x[Broadcast(xd, dd, i)], y[Broadcast(yd, dd, i)], T.Zero);
    }

    /// <summary>destination = op(x, y, z), element by element (Select, Clip, FusedMultiplyAdd), with broadcasting.</summary>
    public static void Elementwise<T>(Op op, ReadOnlySpan<T> x, Dims xd, ReadOnlySpan<T> y, Dims yd, ReadOnlySpan<T> z, Dims zd, Span<T> destination, Dims dd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        RequireSpan(y.Length, yd, op);
        RequireSpan(z.Length, zd, op);
        RequireSpan(destination.Length, dd, op);
        for (int i = 0; i < destination.Length; i++)
            destination[i] = ScalarOps.Float(op, x[Broadcast(xd, dd, i)], y[Broadcast(yd, dd, i)], z[Broadcast(zd, dd, i)]);
    }

    /// <summary>Where element <paramref name="i"/> of a result of <paramref name="result"/> reads an operand of <paramref name="operand"/>.</summary>
    private static int Broadcast(Dims operand, Dims result, int i) =>
        operand.Rank == result.Rank ? i : operand.Rank == 0 ? 0 : i % result.Columns;

    private static bool HasVectorisedUnary(Op op) => op is Op.Negate or Op.Abs or Op.Sqrt or Op.Exp or Op.Log or Op.Tanh or Op.Sigmoid or Op.Relu;

    private static bool HasVectorisedBinary(Op op) => op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Pow or Op.Maximum or Op.Minimum;

    // ---- Dot ------------------------------------------------------------------------------------------------------

    /// <summary>The inner product of two vectors.</summary>
    public static T Dot<T>(ReadOnlySpan<T> a, Dims ad, ReadOnlySpan<T> b, Dims bd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(a.Length, ad, Op.Dot);
        RequireSpan(b.Length, bd, Op.Dot);
        if (ad.Rank != 1 || bd.Rank != 1)
            throw new ArgumentException($"Dot of {ad} and {bd} is not a scalar.");
        RequireLength(b.Length, a.Length, "Dot(vector, vector)");
        return TensorPrimitives.Dot(a, b);
    }

    /// <summary>destination = a · b: matrix·vector, vector·matrix or matrix·matrix.</summary>
    public static void Dot<T>(ReadOnlySpan<T> a, Dims ad, ReadOnlySpan<T> b, Dims bd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(a.Length, ad, Op.Dot);
        RequireSpan(b.Length, bd, Op.Dot);
        switch (ad.Rank, bd.Rank)
        {
            case (2, 1): MatVec(a, ad.Rows, ad.Columns, b, destination); break;
            case (1, 2): VecMat(a, b, bd.Rows, bd.Columns, destination); break;
            case (2, 2): MatMul(a, ad.Rows, ad.Columns, b, bd.Columns, destination); break;
            default: throw new ArgumentException($"Dot of {ad} and {bd} has no tensor result.");
        }
    }

    // ---- Reductions -----------------------------------------------------------------------------------------------

    /// <summary>The reduction <paramref name="op"/> (Sum, Prod, Mean, Max, Min, LogSumExp) of every element of x.</summary>
    public static T Reduce<T>(Op op, ReadOnlySpan<T> x, Dims xd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        return Reduce(op, x);
    }

    /// <summary>The reduction of a matrix along <paramref name="axis"/>: 0 reduces each column, 1 each row.</summary>
    public static void Reduce<T>(Op op, ReadOnlySpan<T> x, Dims xd, int axis, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        if (xd.Rank != 2 || axis is not (0 or 1))
            throw new ArgumentException($"{op} along axis {axis} needs a matrix and axis 0 or 1; it was given a {xd}.");
        Reduce(op, x, xd.Rows, xd.Columns, axis, destination);
    }

    // ---- Softmax ------------------------------------------------------------------------------------------------

    /// <summary>The softmax of a vector, or of each row of a matrix.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Dims xd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.Softmax);
        RequireLength(destination.Length, x.Length, "Softmax");
        if (xd.Rank == 2) Softmax(x, xd.Rows, xd.Columns, destination);
        else Softmax(x, destination);
    }

    // ---- Structural: Transpose, Outer, Diagonal, Trace, Index -----------------------------------------------------

    /// <summary>Tiles of this many rows and columns: a tile's source rows and destination rows both stay in cache.</summary>
    private const int TransposeTile = 32;

    /// <summary>destination = xᵀ: a matrix's columns as rows, copied tile by tile (cache-friendly for large matrices).</summary>
    public static void Transpose<T>(ReadOnlySpan<T> x, Dims xd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.Transpose);
        RequireRank(xd, 2, Op.Transpose);
        RequireLength(destination.Length, x.Length, "Transpose");
        int rows = xd.Rows, columns = xd.Columns;
        for (int r0 = 0; r0 < rows; r0 += TransposeTile)
        {
            int r1 = Math.Min(r0 + TransposeTile, rows);
            for (int c0 = 0; c0 < columns; c0 += TransposeTile)
            {
                int c1 = Math.Min(c0 + TransposeTile, columns);
                for (int r = r0; r < r1; r++)
                {
                    var row = x.Slice(r * columns, columns);
                    for (int c = c0; c < c1; c++) destination[c * rows + r] = row[c];
                }
            }
        }
    }

    /// <summary>destination = a bᵀ, the outer product of two vectors: row i is a[i] · b.</summary>
    public static void Outer<T>(ReadOnlySpan<T> a, Dims ad, ReadOnlySpan<T> b, Dims bd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(a.Length, ad, Op.Outer);
        RequireSpan(b.Length, bd, Op.Outer);
        RequireRank(ad, 1, Op.Outer);
        RequireRank(bd, 1, Op.Outer);
        RequireLength(destination.Length, a.Length * b.Length, "Outer");
        for (int i = 0; i < a.Length; i++)
            TensorPrimitives.Multiply(b, a[i], destination.Slice(i * b.Length, b.Length));
    }

    /// <summary>destination = the diagonal of a square matrix.</summary>
    public static void Diagonal<T>(ReadOnlySpan<T> x, Dims xd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSquare(x, xd, Op.Diagonal);
        RequireLength(destination.Length, xd.Rows, "Diagonal");
        for (int i = 0; i < destination.Length; i++) destination[i] = x[i * (xd.Columns + 1)];
    }

    /// <summary>The sum of a square matrix's diagonal, in order.</summary>
    public static T Trace<T>(ReadOnlySpan<T> x, Dims xd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSquare(x, xd, Op.Trace);
        var sum = T.Zero;
        for (int i = 0; i < xd.Rows; i++) sum += x[i * (xd.Columns + 1)];
        return sum;
    }

    /// <summary>Element <paramref name="index"/> of a vector (<c>x[i]</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the vector, as <see cref="Vec{T}"/>'s indexer throws.</exception>
    public static T Index<T>(ReadOnlySpan<T> x, Dims xd, long index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.Index);
        RequireRank(xd, 1, Op.Index);
        return x[CheckIndex(index, xd)];
    }

    /// <summary>destination = row <paramref name="index"/> of a matrix (<c>m[i]</c>, <c>m.Row(i)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix, as <see cref="Mat{T}"/>'s indexer throws.</exception>
    public static void Index<T>(ReadOnlySpan<T> x, Dims xd, long index, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.Index);
        RequireRank(xd, 2, Op.Index);
        RequireLength(destination.Length, xd.Columns, "Index");
        x.Slice(CheckIndex(index, xd) * xd.Columns, xd.Columns).CopyTo(destination);
    }

    /// <summary>
    /// An index checked against a vector's length or a matrix's rows: the one check (and message) of every engine
    /// and of <see cref="Vec{T}"/>'s and <see cref="Mat{T}"/>'s indexers, so a scan throws what its step method throws.
    /// </summary>
    internal static int CheckIndex(long index, Dims xd)
    {
        if ((ulong)index >= (ulong)xd.Rows)
            throw xd.Rank == 1
                ? new ArgumentOutOfRangeException("index", index, $"Index {index} is outside a vector of {xd.Rows} element(s).")
                : new ArgumentOutOfRangeException("row", index, $"Row {index} is outside a matrix of {xd.Rows} row(s).");
        return (int)index;
    }

    // ---- Checks ---------------------------------------------------------------------------------------------------

    private static void RequireRank(Dims dims, int rank, Op op)
    {
        if (dims.Rank != rank)
            throw new ArgumentException($"{op} takes {ShapeRules.RankName(rank)}; it was given a {dims}.");
    }

    private static void RequireSquare<T>(ReadOnlySpan<T> x, Dims xd, Op op)
    {
        RequireSpan(x.Length, xd, op);
        if (xd.Rank != 2 || xd.Rows != xd.Columns)
            throw new ArgumentException($"{op} takes a square matrix; it was given a {xd}.");
    }

    /// <summary>A span must hold exactly its dimensions' elements: the kernels read it without further checks.</summary>
    private static void RequireSpan(int length, Dims dims, Op op)
    {
        if (length != dims.Count)
            throw new ArgumentException($"{op} was given a span of {length} element(s) for a {dims}.");
    }
}
