using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymGen;

/// <summary>
/// A matrix laid out once for many products with it (a scan's weight, step after step), 64-byte aligned, in one of two
/// layouts. For <c>W x</c> (<see cref="Pack"/>): the rows in blocks of four, each block stored vector by vector (row
/// r's columns c..c+width, then row r+1's, ...), then the block's columns past the last whole vector; the four-row
/// mat-vec reads one aligned stream instead of four rows each split across cache lines (1.4-1.8x faster once W is
/// past the L1 cache). For <c>A M</c> and <c>x M</c> (<see cref="PackColumns"/>): strips of four 512-bit vectors of
/// columns, each strip's rows one after the other (the last strip padded with zeros), then the columns past the last
/// whole vector, row by row; the product's register blocks read a strip as one stream (1.47x in a probe of the
/// batched RNN's step). The products are those of <see cref="Kernels.MatVec{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, Span{T})"/>,
/// <see cref="Kernels.MatMul{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, int, Span{T})"/> and
/// <see cref="Kernels.VecMat{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, int, Span{T})"/> on the matrix as given, bit
/// for bit: the same lanes, the same order of terms, only the layout differs.
/// </summary>
public ref struct PackedMatrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Fewer products than this do not repay the packing (one more read and a write of W).</summary>
    public const int MinimumProducts = 4;

    private const int Alignment = 64;

    private readonly ReadOnlySpan<T> _unpacked;
    private T[]? _array;
    private readonly int _offset;

    /// <summary>Rows of W (the length of a product).</summary>
    public int Rows { get; }
    /// <summary>Columns of W (the length of the vector it multiplies).</summary>
    public int Columns { get; }
    /// <summary>Elements per vector of the layout, the width of the kernel that reads it; 0 when not packed.</summary>
    internal int Width { get; }
    /// <summary>Column strips (for A M and x M) rather than row blocks (for W x).</summary>
    internal bool ByColumns { get; }

    private PackedMatrix(ReadOnlySpan<T> unpacked, T[]? array, int offset, int rows, int columns, int width, bool byColumns = false)
    {
        _unpacked = unpacked;
        (_array, _offset, Rows, Columns, Width, ByColumns) = (array, offset, rows, columns, width, byColumns);
    }

    /// <summary>Whether the matrix was laid out in blocks (else it is read as it was given).</summary>
    public readonly bool IsPacked => Width > 0;

    /// <summary>The matrix as given, when it is not packed.</summary>
    internal readonly ReadOnlySpan<T> Unpacked => _unpacked;

    /// <summary>The packed elements, from the aligned first one.</summary>
    internal readonly ref T First => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array!), _offset);

    /// <summary>
    /// W (<paramref name="rows"/> x <paramref name="columns"/>, row-major) for <paramref name="products"/> products
    /// W x: packed when they are at least <see cref="MinimumProducts"/> and the kernels are vectorised, else as given.
    /// </summary>
    public static PackedMatrix<T> Pack(ReadOnlySpan<T> w, int rows, int columns, int products)
    {
        Kernels.RequireMatrix(w.Length, rows, columns, "PackedMatrix.Pack");
        int width = Kernels.MatVecWidth<T>(columns);
        if (width == 0 || products < MinimumProducts || rows == 0 || columns == 0)
            return new PackedMatrix<T>(w, null, 0, rows, columns, 0);

        int blocks = (rows + Kernels.RowBlock - 1) / Kernels.RowBlock;
        int slack = Alignment / Unsafe.SizeOf<T>();
        var array = ArrayPool<T>.Shared.Rent(blocks * Kernels.RowBlock * columns + slack);
        int offset = AlignedOffset(array);
        var packed = array.AsSpan(offset, blocks * Kernels.RowBlock * columns);
        int vectorColumns = columns - columns % width, tail = columns - vectorColumns, k = 0;
        for (int r = 0; r < rows; r += Kernels.RowBlock)
        {
            for (int c = 0; c < vectorColumns; c += width)
                for (int j = 0; j < Kernels.RowBlock; j++, k += width)
                    CopyOrClear(w, rows, columns, r + j, c, packed.Slice(k, width));
            for (int j = 0; j < Kernels.RowBlock; j++, k += tail)
                CopyOrClear(w, rows, columns, r + j, vectorColumns, packed.Slice(k, tail));
        }
        return new PackedMatrix<T>(default, array, offset, rows, columns, width);
    }

    /// <summary>Columns per strip of <see cref="PackColumns"/>: four 512-bit vectors (16 accumulators with four rows).</summary>
    internal static int StripColumns => 4 * Vector512<T>.Count;

    /// <summary>
    /// M (<paramref name="rows"/> x <paramref name="columns"/>, row-major) as the right operand of
    /// <paramref name="products"/> products A M or x M: packed in column strips when they are at least
    /// <see cref="MinimumProducts"/> and the CPU has 512-bit vectors (the layout the four-by-four register blocks were
    /// measured with), else as given.
    /// </summary>
    public static PackedMatrix<T> PackColumns(ReadOnlySpan<T> m, int rows, int columns, int products)
    {
        Kernels.RequireMatrix(m.Length, rows, columns, "PackedMatrix.PackColumns");
        bool simd = (typeof(T) == typeof(double) || typeof(T) == typeof(float)) && Vector512.IsHardwareAccelerated;
        if (!simd || products < MinimumProducts || rows == 0 || columns == 0)
            return new PackedMatrix<T>(m, null, 0, rows, columns, 0);

        int width = Vector512<T>.Count, strip = StripColumns;
        int vectorColumns = columns - columns % width, tail = columns - vectorColumns;
        int strips = (vectorColumns + strip - 1) / strip;
        int length = strips * strip * rows + tail * rows;
        var array = ArrayPool<T>.Shared.Rent(length + Alignment / Unsafe.SizeOf<T>());
        int offset = AlignedOffset(array);
        var packed = array.AsSpan(offset, length);
        int k = 0;
        for (int c = 0; c < vectorColumns; c += strip)
        {
            int real = Math.Min(strip, vectorColumns - c);
            for (int r = 0; r < rows; r++, k += strip)
            {
                m.Slice(r * columns + c, real).CopyTo(packed.Slice(k, real));
                packed.Slice(k + real, strip - real).Clear();
            }
        }
        for (int r = 0; r < rows; r++, k += tail)
            m.Slice(r * columns + vectorColumns, tail).CopyTo(packed.Slice(k, tail));
        return new PackedMatrix<T>(default, array, offset, rows, columns, width, byColumns: true);
    }

    /// <summary>Returns the storage to the pool (the matrix is not used after).</summary>
    public void Dispose()
    {
        if (_array is { } array) ArrayPool<T>.Shared.Return(array);
        _array = null;
    }

    /// <summary>Row <paramref name="row"/>'s columns from <paramref name="column"/>, or zeros for a row past the last (a block's padding).</summary>
    private static void CopyOrClear(ReadOnlySpan<T> w, int rows, int columns, int row, int column, Span<T> destination)
    {
        if (row < rows) w.Slice(row * columns + column, destination.Length).CopyTo(destination);
        else destination.Clear();
    }

    /// <summary>
    /// The first index of <paramref name="array"/> at a 64-byte boundary. Only the speed depends on it: an array the
    /// collector moves keeps its elements at the same index, merely unaligned.
    /// </summary>
    private static unsafe int AlignedOffset(T[] array)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (int)((Alignment - address % Alignment) % Alignment) / Unsafe.SizeOf<T>();
    }
}
