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
        if (op == Op.FusedMultiplyAdd && xd.Rank == dd.Rank && yd.Rank == dd.Rank && zd.Rank == dd.Rank)
            TensorPrimitives.FusedMultiplyAdd(x, y, z, destination);
        else
            for (int i = 0; i < destination.Length; i++)
                destination[i] = ScalarOps.Float(op, x[Broadcast(xd, dd, i)], y[Broadcast(yd, dd, i)], z[Broadcast(zd, dd, i)]);
    }

    /// <summary>Where element <paramref name="i"/> of a result of <paramref name="result"/> reads an operand of <paramref name="operand"/>.</summary>
    private static int Broadcast(Dims operand, Dims result, int i) =>
        operand.Rank == result.Rank ? i : operand.Rank == 0 ? 0 : i % result.Columns;

    // TensorPrimitives' functions these use agree with System.Math within each row's ToleranceUlps. Not Sinh and
    // Cosh (its vectorised ones lose all relative accuracy near 0, Sinh(1e-17) is 0, and 496 ulps at large x), nor
    // Tan (wrong by billions of ulps at |x| ~ 1e5 on 128-bit vectors), nor Sign (an int per element): these are
    // computed element by element, as the generated loop computes them.
    internal static bool HasVectorisedUnary(Op op) => op is Op.Negate or Op.Abs or Op.Sqrt or Op.Cbrt or Op.Exp or Op.Log or Op.Log2
        or Op.Log10 or Op.Sin or Op.Cos or Op.Asin or Op.Acos or Op.Atan or Op.Tanh or Op.Floor or Op.Ceiling
        or Op.Truncate or Op.Round or Op.Sigmoid or Op.Relu;

    internal static bool HasVectorisedBinary(Op op) => op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Pow or Op.Atan2 or Op.Maximum or Op.Minimum;

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
        // MatVec, VecMat and MatMul check every span against the dimensions they are given.
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

    /// <summary>
    /// The index of the largest (ArgMax) or smallest (ArgMin) element of x, a matrix read row by row (numpy's
    /// argmax with no axis): the first one of equal elements, the first NaN if there is one.
    /// </summary>
    public static int ArgReduce<T>(Op op, ReadOnlySpan<T> x, Dims xd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        RequireArgReduction(op);
        if (x.IsEmpty) throw NoValue(op, $"an empty {(xd.Rank == 2 ? "matrix" : "vector")}", nameof(x));
        return op == Op.ArgMax ? TensorPrimitives.IndexOfMax(x) : TensorPrimitives.IndexOfMin(x);
    }

    /// <summary>
    /// ArgMax or ArgMin of each column (axis 0) or row (axis 1) of a matrix: the indices, exact integers, as a
    /// vector of <typeparamref name="T"/> (a step's tensors are float or double).
    /// </summary>
    public static void ArgReduce<T>(Op op, ReadOnlySpan<T> x, Dims xd, int axis, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, op);
        RequireArgReduction(op);
        if (xd.Rank != 2 || axis is not (0 or 1))
            throw new ArgumentException($"{op} along axis {axis} needs a matrix and axis 0 or 1; it was given a {xd}.");
        int rows = xd.Rows, columns = xd.Columns;
        RequireLength(destination.Length, axis == 0 ? columns : rows, op.ToString());
        if (destination.IsEmpty) return;
        if ((axis == 0 ? rows : columns) == 0)
            throw NoValue(op, axis == 0 ? "zero rows" : "an empty row", nameof(x));
        if (axis == 1)
        {
            for (int r = 0; r < rows; r++)
                destination[r] = T.CreateTruncating(ArgReduce(op, x.Slice(r * columns, columns), Dims.Vector(columns)));
            return;
        }
        for (int c = 0; c < columns; c++)
        {
            int best = 0;
            for (int r = 1; r < rows; r++)
                if (Beats(op, x[r * columns + c], x[best * columns + c])) best = r;
            destination[c] = T.CreateTruncating(best);
        }
    }

    /// <summary>Whether <paramref name="value"/> replaces <paramref name="best"/> in ArgMax/ArgMin, as TensorPrimitives.IndexOfMax/Min decide (first NaN, +0 above -0, first of ties).</summary>
    private static bool Beats<T>(Op op, T value, T best) where T : IFloatingPointIeee754<T> =>
        !T.IsNaN(best) && (T.IsNaN(value)
            || (op == Op.ArgMax ? value > best : value < best)
            || (value == best && T.IsZero(value) && T.IsNegative(op == Op.ArgMax ? best : value) && !T.IsNegative(op == Op.ArgMax ? value : best)));

    private static void RequireArgReduction(Op op)
    {
        if (op is not (Op.ArgMax or Op.ArgMin))
            throw new ArgumentException($"{op} is not ArgMax or ArgMin.", nameof(op));
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

    // ---- Structural: Transpose, Outer, Diagonal, Trace, Index, SetIndex, SetDiagonal--------------------------------------------------

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

    /// <summary>destination = x with element <paramref name="index"/> replaced by <paramref name="value"/> (Theano's <c>set_subtensor(x[i], v)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the vector, as <see cref="Index{T}(ReadOnlySpan{T}, Dims, long)"/> throws.</exception>
    public static void SetIndex<T>(ReadOnlySpan<T> x, Dims xd, T value, long index, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.SetIndex);
        RequireRank(xd, 1, Op.SetIndex);
        RequireLength(destination.Length, x.Length, "SetIndex");
        int at = CheckIndex(index, xd);
        x.CopyTo(destination);
        destination[at] = value;
    }

    /// <summary>destination = the matrix x with row <paramref name="index"/> replaced by the vector <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix, as <see cref="Index{T}(ReadOnlySpan{T}, Dims, long, Span{T})"/> throws.</exception>
    public static void SetIndex<T>(ReadOnlySpan<T> x, Dims xd, ReadOnlySpan<T> value, Dims vd, long index, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.SetIndex);
        RequireSpan(value.Length, vd, Op.SetIndex);
        RequireRank(xd, 2, Op.SetIndex);
        RequireRank(vd, 1, Op.SetIndex);
        RequireLength(value.Length, xd.Columns, "SetIndex");
        RequireLength(destination.Length, x.Length, "SetIndex");
        int at = CheckIndex(index, xd);
        x.CopyTo(destination);
        value.CopyTo(destination.Slice(at * xd.Columns, xd.Columns));
    }

    /// <summary>destination = the square matrix x with its diagonal replaced by <paramref name="diagonal"/>.</summary>
    public static void SetDiagonal<T>(ReadOnlySpan<T> x, Dims xd, ReadOnlySpan<T> diagonal, Dims vd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSquare(x, xd, Op.SetDiagonal);
        RequireSpan(diagonal.Length, vd, Op.SetDiagonal);
        RequireRank(vd, 1, Op.SetDiagonal);
        RequireLength(diagonal.Length, xd.Rows, "SetDiagonal");
        RequireLength(destination.Length, x.Length, "SetDiagonal");
        x.CopyTo(destination);
        for (int i = 0; i < diagonal.Length; i++) destination[i * (xd.Columns + 1)] = diagonal[i];
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

    /// <summary>The log-softmax of a vector, or of each row of a matrix: x - logsumexp(x), computed stably.</summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Dims xd, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSpan(x.Length, xd, Op.LogSoftmax);
        RequireLength(destination.Length, x.Length, "LogSoftmax");
        int columns = xd.Rank == 2 ? xd.Columns : x.Length;
        for (int start = 0; start < x.Length; start += columns)
            LogSoftmax(x.Slice(start, columns), destination.Slice(start, columns));
    }

    // ---- Print: an effect (Theano's Print) --------------------------------------------------------------------------

    /// <summary>Writes <c>label = x</c> to <see cref="Printing.Writer"/> and returns x (a scalar of any type).</summary>
    public static T Print<T>(T x, string label)
    {
        Printing.Write(label, x);
        return x;
    }

    /// <summary>Writes <c>label = x</c> to <see cref="Printing.Writer"/>; destination = x (a vector or a matrix).</summary>
    public static void Print<T>(ReadOnlySpan<T> x, Dims xd, string label, Span<T> destination) where T : unmanaged
    {
        RequireSpan(x.Length, xd, Op.Print);
        RequireLength(destination.Length, x.Length, "Print");
        Printing.Write(label, x, xd);
        x.CopyTo(destination);
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
