using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymGen;

/// <summary>
/// A matrix laid out for many products W x with the same W (a scan's weight, step after step): the rows in blocks of
/// four, each block stored vector by vector (row r's columns c..c+width, then row r+1's, ...), then the block's
/// columns past the last whole vector; the first element 64-byte aligned. The four-row mat-vec then reads one
/// aligned stream instead of four rows each split across cache lines: 1.4-1.8x faster once W is past the L1 cache
/// (benchmarks/README). The products are <see cref="Kernels.MatVec{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, Span{T})"/>'s
/// bit for bit: the same vector width, lanes, sums and tail, only the layout differs.
/// </summary>
/// <remarks>
/// The storage is rented from <see cref="ArrayPool{T}.Shared"/> (a call that packs allocates nothing) and goes back on
/// <see cref="Dispose"/>. Packing reads and writes W once, so for fewer than <see cref="MinimumProducts"/> products
/// the matrix is used as it is. Generated loops pack a non-sequence matrix before the loop (<c>using var</c>).
/// </remarks>
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

    private PackedMatrix(ReadOnlySpan<T> unpacked, T[]? array, int offset, int rows, int columns, int width)
    {
        _unpacked = unpacked;
        (_array, _offset, Rows, Columns, Width) = (array, offset, rows, columns, width);
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
