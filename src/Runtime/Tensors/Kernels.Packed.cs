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
}
