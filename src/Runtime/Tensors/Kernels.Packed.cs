using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymGen;

// The mat-vec over a PackedMatrix: the four-row kernel of Kernels.cs reading one aligned stream (see PackedMatrix).
public static partial class Kernels
{
    /// <summary>destination = W x for a <see cref="PackedMatrix{T}"/> W: as <see cref="MatVec{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, Span{T})"/> bit for bit.</summary>
    public static void MatVec<T>(scoped in PackedMatrix<T> w, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!w.IsPacked)
        {
            MatVec(w.Unpacked, w.Rows, w.Columns, x, destination);
            return;
        }
        if (w.ByColumns) throw new ArgumentException("The matrix was packed by columns (PackColumns, for A M and x M); W x needs PackedMatrix.Pack.", nameof(w));
        RequireLength(x.Length, w.Columns, "Dot(matrix, vector)");
        RequireLength(destination.Length, w.Rows, "Dot(matrix, vector)");
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        if (w.Width == Vector512<T>.Count) PackedMatVec<T, Vector512<T>, Simd512<T>>(ref w.First, w.Rows, w.Columns, ref x0, ref d0);
        else if (w.Width == Vector256<T>.Count) PackedMatVec<T, Vector256<T>, Simd256<T>>(ref w.First, w.Rows, w.Columns, ref x0, ref d0);
        else PackedMatVec<T, Vector128<T>, Simd128<T>>(ref w.First, w.Rows, w.Columns, ref x0, ref d0);
    }

    /// <summary>
    /// Each block of four rows: four accumulators fed by one load of x and four consecutive loads of the block, then
    /// each summed across its lanes and the columns past the last whole vector added one by one, as MatVec does.
    /// A block past the last row holds zeros; its sums are not written.
    /// </summary>
    private static void PackedMatVec<T, TVector, TSimd>(ref T packed, int rows, int columns, ref T x, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, vectorColumns = columns - columns % width, tail = columns - vectorColumns;
        ref T block = ref packed;
        for (int r = 0; r < rows; r += RowBlock)
        {
            TVector s0 = TSimd.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (int c = 0; c < vectorColumns; c += width)
            {
                TVector xv = TSimd.Load(ref x, (nuint)c);
                s0 = TSimd.Fma(TSimd.Load(ref block, 0), xv, s0);
                s1 = TSimd.Fma(TSimd.Load(ref block, (nuint)width), xv, s1);
                s2 = TSimd.Fma(TSimd.Load(ref block, (nuint)(2 * width)), xv, s2);
                s3 = TSimd.Fma(TSimd.Load(ref block, (nuint)(3 * width)), xv, s3);
                block = ref Unsafe.Add(ref block, RowBlock * width);
            }
            T d0 = TSimd.Sum(s0), d1 = TSimd.Sum(s1), d2 = TSimd.Sum(s2), d3 = TSimd.Sum(s3);
            for (int c = 0; c < tail; c++)
            {
                T xc = Unsafe.Add(ref x, vectorColumns + c);
                d0 += Unsafe.Add(ref block, c) * xc;
                d1 += Unsafe.Add(ref block, tail + c) * xc;
                d2 += Unsafe.Add(ref block, 2 * tail + c) * xc;
                d3 += Unsafe.Add(ref block, 3 * tail + c) * xc;
            }
            block = ref Unsafe.Add(ref block, RowBlock * tail);
            int left = rows - r;
            Unsafe.Add(ref destination, r) = d0;
            if (left > 1) Unsafe.Add(ref destination, r + 1) = d1;
            if (left > 2) Unsafe.Add(ref destination, r + 2) = d2;
            if (left > 3) Unsafe.Add(ref destination, r + 3) = d3;
        }
    }

    /// <summary>destination = A M for A of n x k and a <see cref="PackedMatrix{T}.PackColumns"/> M: as MatMul on M as given, bit for bit.</summary>
    public static void MatMul<T>(ReadOnlySpan<T> a, int n, int k, scoped in PackedMatrix<T> m, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!m.IsPacked)
        {
            MatMul(a, n, k, m.Unpacked, m.Columns, destination);
            return;
        }
        RequireColumnPacked(m);
        RequireMatrix(a.Length, n, k, "Dot(matrix, matrix)");
        RequireLength(k, m.Rows, "Dot(matrix, matrix)");
        RequireMatrix(destination.Length, n, m.Columns, "Dot(matrix, matrix)");
        ColumnPackedProduct<T, Vector512<T>, Simd512<T>>(ref MemoryMarshal.GetReference(a), n, k, ref m.First, m.Columns, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>destination = xᵀ M for a <see cref="PackedMatrix{T}.PackColumns"/> M: as VecMat on M as given, bit for bit.</summary>
    public static void VecMat<T>(ReadOnlySpan<T> x, scoped in PackedMatrix<T> m, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!m.IsPacked)
        {
            VecMat(x, m.Unpacked, m.Rows, m.Columns, destination);
            return;
        }
        RequireColumnPacked(m);
        RequireLength(x.Length, m.Rows, "Dot(vector, matrix)");
        RequireLength(destination.Length, m.Columns, "Dot(vector, matrix)");
        ColumnPackedProduct<T, Vector512<T>, Simd512<T>>(ref MemoryMarshal.GetReference(x), 1, m.Rows, ref m.First, m.Columns, ref MemoryMarshal.GetReference(destination));
    }

    private static void RequireColumnPacked<T>(scoped in PackedMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!m.ByColumns) throw new ArgumentException("The matrix was packed by rows (Pack, for W x); A M and x M need PackedMatrix.PackColumns.", nameof(m));
    }

    /// <summary>
    /// A M over column strips: for each strip, blocks of four rows of A by the strip's four vectors (16 accumulators,
    /// one load of the strip's row feeding four FMAs), then the rows left one at a time; then the columns past the last
    /// whole vector, element by element without FMA. Each element's terms in order of k, as MatMul and VecMat add them.
    /// </summary>
    private static void ColumnPackedProduct<T, TVector, TSimd>(ref T a, int n, int k, ref T packed, int m, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, strip = 4 * width, vectorColumns = m - m % width, tail = m - vectorColumns;
        ref T column = ref packed;
        for (int c = 0; c < vectorColumns; c += strip, column = ref Unsafe.Add(ref column, (nint)k * strip))
        {
            int vectors = Math.Min(strip, vectorColumns - c) / width;
            int i = 0;
            for (; i <= n - ProductRows; i += ProductRows)
                Block4x4<T, TVector, TSimd>(ref Unsafe.Add(ref a, (nint)i * k), k, ref column, 4 * TSimd.Count, ref Unsafe.Add(ref destination, (nint)i * m + c), m, vectors);
            for (; i < n; i++)
                StripRow<T, TVector, TSimd>(ref Unsafe.Add(ref a, (nint)i * k), k, ref column, ref Unsafe.Add(ref destination, (nint)i * m + c), vectors);
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < tail; j++)
            {
                T d = T.Zero;
                for (int r = 0; r < k; r++)
                    d += Unsafe.Add(ref column, (nint)r * tail + j) * Unsafe.Add(ref a, (nint)i * k + r);
                Unsafe.Add(ref destination, (nint)i * m + vectorColumns + j) = d;
            }
    }

    /// <summary>
    /// Four rows of A times four vectors of columns of B, whose rows are <paramref name="rowStride"/> apart (B as given:
    /// its row length; a column-packed strip: the strip's width): 16 accumulators, one FMA per k in order of k for each
    /// element; the first <paramref name="vectors"/> vectors stored (a packed strip's padding is not).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x4<T, TVector, TSimd>(ref T a0, int k, ref T column, int rowStride, ref T d0, int m, int vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count;
        ref T a1 = ref Unsafe.Add(ref a0, k);
        ref T a2 = ref Unsafe.Add(ref a1, k);
        ref T a3 = ref Unsafe.Add(ref a2, k);
        TVector s00 = TSimd.Zero, s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        TVector s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        ref T row = ref column;
        for (int r = 0; r < k; r++, row = ref Unsafe.Add(ref row, rowStride))
        {
            TVector w0 = TSimd.Load(ref row, 0), w1 = TSimd.Load(ref row, (nuint)width);
            TVector w2 = TSimd.Load(ref row, (nuint)(2 * width)), w3 = TSimd.Load(ref row, (nuint)(3 * width));
            TVector x = TSimd.Broadcast(Unsafe.Add(ref a0, r));
            s00 = TSimd.Fma(w0, x, s00); s01 = TSimd.Fma(w1, x, s01); s02 = TSimd.Fma(w2, x, s02); s03 = TSimd.Fma(w3, x, s03);
            x = TSimd.Broadcast(Unsafe.Add(ref a1, r));
            s10 = TSimd.Fma(w0, x, s10); s11 = TSimd.Fma(w1, x, s11); s12 = TSimd.Fma(w2, x, s12); s13 = TSimd.Fma(w3, x, s13);
            x = TSimd.Broadcast(Unsafe.Add(ref a2, r));
            s20 = TSimd.Fma(w0, x, s20); s21 = TSimd.Fma(w1, x, s21); s22 = TSimd.Fma(w2, x, s22); s23 = TSimd.Fma(w3, x, s23);
            x = TSimd.Broadcast(Unsafe.Add(ref a3, r));
            s30 = TSimd.Fma(w0, x, s30); s31 = TSimd.Fma(w1, x, s31); s32 = TSimd.Fma(w2, x, s32); s33 = TSimd.Fma(w3, x, s33);
        }
        StoreStrip<T, TVector, TSimd>(ref d0, vectors, s00, s01, s02, s03);
        StoreStrip<T, TVector, TSimd>(ref Unsafe.Add(ref d0, m), vectors, s10, s11, s12, s13);
        StoreStrip<T, TVector, TSimd>(ref Unsafe.Add(ref d0, 2 * m), vectors, s20, s21, s22, s23);
        StoreStrip<T, TVector, TSimd>(ref Unsafe.Add(ref d0, 3 * m), vectors, s30, s31, s32, s33);
    }

    /// <summary>One row of A (or x) by one strip.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StripRow<T, TVector, TSimd>(ref T a0, int k, ref T strip, ref T d0, int vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count;
        TVector s0 = TSimd.Zero, s1 = s0, s2 = s0, s3 = s0;
        ref T row = ref strip;
        for (int r = 0; r < k; r++, row = ref Unsafe.Add(ref row, 4 * width))
        {
            TVector x = TSimd.Broadcast(Unsafe.Add(ref a0, r));
            s0 = TSimd.Fma(TSimd.Load(ref row, 0), x, s0);
            s1 = TSimd.Fma(TSimd.Load(ref row, (nuint)width), x, s1);
            s2 = TSimd.Fma(TSimd.Load(ref row, (nuint)(2 * width)), x, s2);
            s3 = TSimd.Fma(TSimd.Load(ref row, (nuint)(3 * width)), x, s3);
        }
        StoreStrip<T, TVector, TSimd>(ref d0, vectors, s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreStrip<T, TVector, TSimd>(ref T d, int vectors, TVector v0, TVector v1, TVector v2, TVector v3)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count;
        TSimd.Store(v0, ref d, 0);
        if (vectors > 1) TSimd.Store(v1, ref d, (nuint)width);
        if (vectors > 2) TSimd.Store(v2, ref d, (nuint)(2 * width));
        if (vectors > 3) TSimd.Store(v3, ref d, (nuint)(3 * width));
    }
}
