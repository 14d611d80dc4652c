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

    /// <summary>Rows of the product four at a time; returns the first row left (fewer than four remain).</summary>
    private static int MatMulRows<T, TVector, TSimd>(ref T a, int n, int k, ref T b, int m, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, i = 0;
        for (; i <= n - ProductRows; i += ProductRows)
        {
            ref T a0 = ref Unsafe.Add(ref a, (nint)i * k);
            ref T a1 = ref Unsafe.Add(ref a0, k);
            ref T a2 = ref Unsafe.Add(ref a1, k);
            ref T a3 = ref Unsafe.Add(ref a2, k);
            ref T d0 = ref Unsafe.Add(ref destination, (nint)i * m);
            ref T d1 = ref Unsafe.Add(ref d0, m);
            ref T d2 = ref Unsafe.Add(ref d1, m);
            ref T d3 = ref Unsafe.Add(ref d2, m);
            int c = 0;
            for (; c <= m - 2 * width; c += 2 * width)
            {
                TVector s00 = TSimd.Zero, s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                ref T column = ref Unsafe.Add(ref b, c);
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
                TSimd.Store(s00, ref d0, (nuint)c); TSimd.Store(s01, ref d0, (nuint)(c + width));
                TSimd.Store(s10, ref d1, (nuint)c); TSimd.Store(s11, ref d1, (nuint)(c + width));
                TSimd.Store(s20, ref d2, (nuint)c); TSimd.Store(s21, ref d2, (nuint)(c + width));
                TSimd.Store(s30, ref d3, (nuint)c); TSimd.Store(s31, ref d3, (nuint)(c + width));
            }
            // The columns left (under two vectors): as VecMat computes them, one row at a time.
            for (int j = 0; j < ProductRows; j++)
                VecMatColumns<T, TVector, TSimd>(ref Unsafe.Add(ref a0, (nint)j * k), ref b, k, m, c, ref Unsafe.Add(ref d0, (nint)j * m));
        }
        return i;
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
}
