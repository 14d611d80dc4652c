using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace SymGen;

// The matrix product A B of a mini-batch (a state of B rows times a weight matrix): four rows of A at a time, so each
// load of a row of B feeds four FMAs (the one-row product streams B once per row of A and waits on memory, not on
// the FMA units). Every element is summed as the one-row kernel sums it (one FMA per k, in order of k; the scalar
// column tail without FMA), so the results are those of VecMat row by row, bit for bit.
public static partial class Kernels
{
    private const int ProductRows = 4;

    private static void MatMulUnchecked<T>(ref T a, int n, int k, ref T b, int m, ref T destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (IsSimd<T>() && n >= ProductRows)
        {
            if (Vector512.IsHardwareAccelerated) i = MatMulRows<T, Vector512<T>, Simd512<T>>(ref a, n, k, ref b, m, ref destination);
            else if (Vector256.IsHardwareAccelerated) i = MatMulRows<T, Vector256<T>, Simd256<T>>(ref a, n, k, ref b, m, ref destination);
            else i = MatMulRows<T, Vector128<T>, Simd128<T>>(ref a, n, k, ref b, m, ref destination);
        }
        for (; i < n; i++)
            VecMatUnchecked(ref Unsafe.Add(ref a, (nint)i * k), ref b, k, m, ref Unsafe.Add(ref destination, (nint)i * m));
    }

    /// <summary>
    /// Rows of the product four at a time; returns the first row left (fewer than four remain). The strip of B two
    /// vectors wide is the outer loop, so it stays in the L1 cache while every block of four rows of A passes over it
    /// (B itself, a weight matrix, is usually larger than L1: read once per block of A it would come from L2).
    /// </summary>
    private static int MatMulRows<T, TVector, TSimd>(ref T a, int n, int k, ref T b, int m, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, blocks = n - n % ProductRows, c = 0;
        // With AVX-512's 32 registers, strips four vectors wide: 16 accumulators, each load of B feeding four FMAs
        // and each broadcast of A four (AVX2 has 16 registers: four-vector strips would spill).
        if (Unsafe.SizeOf<TVector>() == 64)
            for (; c <= m - 4 * width; c += 4 * width)
                for (int i = 0; i < blocks; i += ProductRows)
                    Block4x4<T, TVector, TSimd>(ref Unsafe.Add(ref a, (nint)i * k), k, ref Unsafe.Add(ref b, c), m, ref Unsafe.Add(ref destination, (nint)i * m + c), m, 4);
        for (; c <= m - 2 * width; c += 2 * width)
        {
            ref T column = ref Unsafe.Add(ref b, c);
            for (int i = 0; i < blocks; i += ProductRows)
            {
                ref T a0 = ref Unsafe.Add(ref a, (nint)i * k);
                ref T a1 = ref Unsafe.Add(ref a0, k);
                ref T a2 = ref Unsafe.Add(ref a1, k);
                ref T a3 = ref Unsafe.Add(ref a2, k);
                TVector s00 = TSimd.Zero, s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                for (int r = 0; r < k; r++)
                {
                    ref T row = ref Unsafe.Add(ref column, (nint)r * m);
                    TVector w0 = TSimd.Load(ref row, 0), w1 = TSimd.Load(ref row, (nuint)width);
                    TVector x0 = TSimd.Broadcast(Unsafe.Add(ref a0, r));
                    s00 = TSimd.Fma(w0, x0, s00);
                    s01 = TSimd.Fma(w1, x0, s01);
                    TVector x1 = TSimd.Broadcast(Unsafe.Add(ref a1, r));
                    s10 = TSimd.Fma(w0, x1, s10);
                    s11 = TSimd.Fma(w1, x1, s11);
                    TVector x2 = TSimd.Broadcast(Unsafe.Add(ref a2, r));
                    s20 = TSimd.Fma(w0, x2, s20);
                    s21 = TSimd.Fma(w1, x2, s21);
                    TVector x3 = TSimd.Broadcast(Unsafe.Add(ref a3, r));
                    s30 = TSimd.Fma(w0, x3, s30);
                    s31 = TSimd.Fma(w1, x3, s31);
                }
                ref T d0 = ref Unsafe.Add(ref destination, (nint)i * m + c);
                ref T d1 = ref Unsafe.Add(ref d0, m);
                ref T d2 = ref Unsafe.Add(ref d1, m);
                ref T d3 = ref Unsafe.Add(ref d2, m);
                TSimd.Store(s00, ref d0, 0); TSimd.Store(s01, ref d0, (nuint)width);
                TSimd.Store(s10, ref d1, 0); TSimd.Store(s11, ref d1, (nuint)width);
                TSimd.Store(s20, ref d2, 0); TSimd.Store(s21, ref d2, (nuint)width);
                TSimd.Store(s30, ref d3, 0); TSimd.Store(s31, ref d3, (nuint)width);
            }
        }
        // The columns left (under two vectors): as VecMat computes them, one row at a time.
        for (int i = 0; i < blocks; i++)
            VecMatColumns<T, TVector, TSimd>(ref Unsafe.Add(ref a, (nint)i * k), ref b, k, m, c, ref Unsafe.Add(ref destination, (nint)i * m));
        return blocks;
    }

    /// <summary>Columns from <paramref name="first"/> of xᵀ W, as VecMat's vector and scalar tails compute them.</summary>
    private static void VecMatColumns<T, TVector, TSimd>(ref T x, ref T w, int rows, int columns, int first, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, c = first;
        for (; c <= columns - width; c += width)
        {
            TVector s0 = TSimd.Zero;
            for (int r = 0; r < rows; r++)
                s0 = TSimd.Fma(TSimd.Load(ref w, (nuint)((nint)r * columns + c)), TSimd.Broadcast(Unsafe.Add(ref x, r)), s0);
            TSimd.Store(s0, ref destination, (nuint)c);
        }
        for (; c < columns; c++)
        {
            T d = T.Zero;
            for (int r = 0; r < rows; r++)
                d += Unsafe.Add(ref w, (nint)r * columns + c) * Unsafe.Add(ref x, r);
            Unsafe.Add(ref destination, c) = d;
        }
    }

    /// <summary>
    /// destination += Aᵀ B by blocks: four destination rows (columns i..i+3 of A) by two vectors of columns, loaded
    /// into registers, then for each row r of A and B one broadcast of a[r, i + j] and one FMA per vector; the
    /// columns under two vectors, and the destination rows under four, element by element.
    /// </summary>
    private static void AddTransposedProductBlocks<T, TVector, TSimd>(ref T a, int rows, int m, ref T b, int n, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, blocks = m - m % ProductRows, c = 0;
        for (; c <= n - 2 * width; c += 2 * width)
            for (int i = 0; i < blocks; i += ProductRows)
            {
                ref T d0 = ref Unsafe.Add(ref destination, (nint)i * n + c);
                ref T d1 = ref Unsafe.Add(ref d0, n);
                ref T d2 = ref Unsafe.Add(ref d1, n);
                ref T d3 = ref Unsafe.Add(ref d2, n);
                TVector s00 = TSimd.Load(ref d0, 0), s01 = TSimd.Load(ref d0, (nuint)width);
                TVector s10 = TSimd.Load(ref d1, 0), s11 = TSimd.Load(ref d1, (nuint)width);
                TVector s20 = TSimd.Load(ref d2, 0), s21 = TSimd.Load(ref d2, (nuint)width);
                TVector s30 = TSimd.Load(ref d3, 0), s31 = TSimd.Load(ref d3, (nuint)width);
                for (int r = 0; r < rows; r++)
                {
                    ref T row = ref Unsafe.Add(ref b, (nint)r * n + c);
                    ref T column = ref Unsafe.Add(ref a, (nint)r * m + i);
                    TVector w0 = TSimd.Load(ref row, 0), w1 = TSimd.Load(ref row, (nuint)width);
                    TVector x = TSimd.Broadcast(column);
                    s00 = TSimd.Fma(w0, x, s00); s01 = TSimd.Fma(w1, x, s01);
                    x = TSimd.Broadcast(Unsafe.Add(ref column, 1));
                    s10 = TSimd.Fma(w0, x, s10); s11 = TSimd.Fma(w1, x, s11);
                    x = TSimd.Broadcast(Unsafe.Add(ref column, 2));
                    s20 = TSimd.Fma(w0, x, s20); s21 = TSimd.Fma(w1, x, s21);
                    x = TSimd.Broadcast(Unsafe.Add(ref column, 3));
                    s30 = TSimd.Fma(w0, x, s30); s31 = TSimd.Fma(w1, x, s31);
                }
                TSimd.Store(s00, ref d0, 0); TSimd.Store(s01, ref d0, (nuint)width);
                TSimd.Store(s10, ref d1, 0); TSimd.Store(s11, ref d1, (nuint)width);
                TSimd.Store(s20, ref d2, 0); TSimd.Store(s21, ref d2, (nuint)width);
                TSimd.Store(s30, ref d3, 0); TSimd.Store(s31, ref d3, (nuint)width);
            }
        // The columns left (all rows of the destination), then the rows left (the columns done above).
        AddTransposedProductScalar(ref a, rows, m, ref b, n, 0, c, ref destination);
        if (blocks < m && c > 0)
            AddTransposedProductScalar(ref a, rows, m, ref b, c, blocks, 0, ref destination, n);
    }

    /// <summary>
    /// destination[i, j] += Σ_r a[r, i] b[r, j] for rows i from <paramref name="firstRow"/> and columns j from
    /// <paramref name="firstColumn"/> below <paramref name="columns"/>, in order of r, one FMA per term (as the blocks).
    /// B's and the destination's rows are <paramref name="stride"/> long (default: <paramref name="columns"/>).
    /// </summary>
    private static void AddTransposedProductScalar<T>(ref T a, int rows, int m, ref T b, int columns, int firstRow, int firstColumn, ref T destination, int stride = -1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (stride < 0) stride = columns;
        for (int i = firstRow; i < m; i++)
            for (int j = firstColumn; j < columns; j++)
            {
                ref T d = ref Unsafe.Add(ref destination, (nint)i * stride + j);
                T sum = d;
                for (int r = 0; r < rows; r++)
                    sum = T.FusedMultiplyAdd(Unsafe.Add(ref a, (nint)r * m + i), Unsafe.Add(ref b, (nint)r * stride + j), sum);
                d = sum;
            }
    }
}
