using System;
using System.Linq;
using System.Numerics;

namespace SymGen;

/// <summary>
/// A dense rank-3 tensor of <c>float</c> or <c>double</c>: <see cref="Length"/> matrices of <see cref="Rows"/> x
/// <see cref="Columns"/>, stored one after another (row-major). It is the trace of a scan whose state is a matrix,
/// and a sequence of matrices: matrix <c>t</c> is step <c>t</c>.
/// </summary>
public readonly struct Tensor3<T> : IEquatable<Tensor3<T>>, ICopyable<Tensor3<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _data;

    /// <summary>A view of <paramref name="data"/> as <paramref name="length"/> matrices of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public Tensor3(T[] data, int length, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (length < 0 || rows < 0 || columns < 0 || (long)length * rows * columns > data.Length)
            throw new ArgumentException($"{length} matrices of {rows} x {columns} do not fit an array of {data.Length}.", nameof(data));
        (_data, Length, Rows, Columns) = (data, length, rows, columns);
    }

    /// <summary>A new tensor of zeros.</summary>
    public static Tensor3<T> Zeros(int length, int rows, int columns) => new(new T[checked(length * rows * columns)], length, rows, columns);

    /// <summary>The number of matrices.</summary>
    public int Length { get; }

    /// <summary>The rows of each matrix.</summary>
    public int Rows { get; }

    /// <summary>The columns of each matrix.</summary>
    public int Columns { get; }

    /// <summary>All elements, matrix after matrix, writable (a tensor is a view).</summary>
    public Span<T> Span => _data is null ? default : _data.AsSpan(0, Length * Rows * Columns);

    /// <summary>Matrix <paramref name="index"/>, viewing the same memory.</summary>
    public Mat<T> this[int index] =>
        (uint)index < (uint)Length ? new Mat<T>(_data!, index * Rows * Columns, Rows, Columns)
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The tensor holds {Length} matrices.");

    /// <summary>A new tensor holding a copy of the elements.</summary>
    public Tensor3<T> Copy() => new(Span.ToArray(), Length, Rows, Columns);

    /// <summary>The first <paramref name="length"/> matrices, viewing the same memory.</summary>
    public Tensor3<T> Take(int length) =>
        (uint)length <= (uint)Length ? new Tensor3<T>(_data ?? [], length, Rows, Columns)
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"The tensor holds {Length} matrices.");

    /// <summary>Same shape and elements.</summary>
    public bool Equals(Tensor3<T> other) =>
        Length == other.Length && Rows == other.Rows && Columns == other.Columns && Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Tensor3<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Length, Rows, Columns, Length > 0 ? this[0].GetHashCode() : 0);

    /// <summary>Equal shape and elements.</summary>
    public static bool operator ==(Tensor3<T> a, Tensor3<T> b) => a.Equals(b);

    /// <summary>Different shape or elements.</summary>
    public static bool operator !=(Tensor3<T> a, Tensor3<T> b) => !a.Equals(b);

    /// <summary>The matrices as <c>[[[1, 2]], [[3, 4]]]</c>, culture-invariant.</summary>
    public override string ToString()
    {
        var self = this;
        return "[" + string.Join(", ", Enumerable.Range(0, Length).Select(i => self[i].ToString())) + "]";
    }
}
