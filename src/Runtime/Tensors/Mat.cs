using System;
using System.Linq;
using System.Numerics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// A dense row-major matrix of <c>float</c> or <c>double</c>, a view of an array (no copy when made from one).
/// A scan's sequence of vectors and its trace of vector states are matrices: row <c>t</c> is step <c>t</c>.
/// </summary>
public readonly struct Mat<T> : IEquatable<Mat<T>>, ICopyable<Mat<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _data;
    private readonly int _offset;

    /// <summary>A view of <paramref name="data"/> as <paramref name="rows"/> x <paramref name="columns"/>, row-major.</summary>
    public Mat(T[] data, int rows, int columns) : this(data, 0, rows, columns) { }

    /// <summary>A view of <paramref name="data"/> from <paramref name="offset"/>, row-major.</summary>
    public Mat(T[] data, int offset, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0 || columns < 0 || (long)rows * columns > data.Length - (long)offset || offset < 0)
            throw new ArgumentException($"A {rows} x {columns} matrix from offset {offset} does not fit an array of {data.Length}.", nameof(data));
        (_data, _offset, Rows, Columns) = (data, offset, rows, columns);
    }

    /// <summary>A new matrix of zeros.</summary>
    public static Mat<T> Zeros(int rows, int columns) => new(new T[checked(rows * columns)], rows, columns);

    /// <summary>A new matrix holding a copy of <paramref name="rows"/>, which must all have one length.</summary>
    public static Mat<T> FromRows(params T[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int columns = rows.Length == 0 ? 0 : rows[0].Length;
        var result = Zeros(rows.Length, columns);
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns)
                throw new ArgumentException($"Row {r} has {rows[r].Length} elements; row 0 has {columns}.", nameof(rows));
            rows[r].CopyTo(result.Row(r).Span);
        }
        return result;
    }

    /// <summary>A new matrix with a copy of a rectangular array.</summary>
    public static implicit operator Mat<T>(T[,] values)
    {
        var result = Zeros(values.GetLength(0), values.GetLength(1));
        for (int r = 0; r < result.Rows; r++)
            for (int c = 0; c < result.Columns; c++)
                result.Span[r * result.Columns + c] = values[r, c];
        return result;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>All elements, row after row, writable (a matrix is a view).</summary>
    public Span<T> Span => _data is null ? default : _data.AsSpan(_offset, Rows * Columns);

    /// <summary>Row <paramref name="row"/>, as a vector viewing the same memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix (a scan's <c>m.Row(i)</c> throws the same).</exception>
    public Vec<T> Row(int row) => this[(long)row];

    /// <summary>Row <paramref name="row"/>, as a vector viewing the same memory (<c>E[token]</c>: an embedding's row).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix (a scan's <c>m[i]</c> throws the same).</exception>
    public Vec<T> this[int row] => this[(long)row];

    /// <summary>Row <paramref name="row"/> for a <c>long</c> index, checked in full: never truncated to an <c>int</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix.</exception>
    public Vec<T> this[long row] =>
        new(_data ?? [], _offset + Kernels.CheckIndex(row, Dims.Matrix(Rows, Columns)) * Columns, Columns);

    /// <summary>An element.</summary>
    public T this[int row, int column] =>
        (uint)column < (uint)Columns ? Row(row)[column] : throw new ArgumentOutOfRangeException(nameof(column), column, $"The matrix has {Columns} columns.");

    /// <summary>The elements as a new rectangular array.</summary>
    public T[,] ToArray()
    {
        var result = new T[Rows, Columns];
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                result[r, c] = Span[r * Columns + c];
        return result;
    }

#pragma warning disable CS1591 // element by element, with scalars and row vectors broadcast as Theano does
    public static Mat<T> operator +(Mat<T> a, Mat<T> b) => Kernels.Map(a, b, Op.Add);
    public static Mat<T> operator -(Mat<T> a, Mat<T> b) => Kernels.Map(a, b, Op.Subtract);
    public static Mat<T> operator *(Mat<T> a, Mat<T> b) => Kernels.Map(a, b, Op.Multiply);
    public static Mat<T> operator /(Mat<T> a, Mat<T> b) => Kernels.Map(a, b, Op.Divide);
    public static Mat<T> operator +(Mat<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Add);
    public static Mat<T> operator -(Mat<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Subtract);
    public static Mat<T> operator *(Mat<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Multiply);
    public static Mat<T> operator /(Mat<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Divide);
    public static Mat<T> operator +(Mat<T> a, T b) => Kernels.Map(a, b, Op.Add);
    public static Mat<T> operator -(Mat<T> a, T b) => Kernels.Map(a, b, Op.Subtract);
    public static Mat<T> operator *(Mat<T> a, T b) => Kernels.Map(a, b, Op.Multiply);
    public static Mat<T> operator /(Mat<T> a, T b) => Kernels.Map(a, b, Op.Divide);
    public static Mat<T> operator %(Mat<T> a, Mat<T> b) => Kernels.Map(a, b, Op.Remainder);
    public static Mat<T> operator %(Mat<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Remainder);
    public static Mat<T> operator %(Mat<T> a, T b) => Kernels.Map(a, b, Op.Remainder);
    public static Mat<T> operator +(T a, Mat<T> b) => Kernels.Map(b, a, Op.Add);
    public static Mat<T> operator *(T a, Mat<T> b) => Kernels.Map(b, a, Op.Multiply);
    public static Mat<T> operator -(Mat<T> a) => Kernels.Negate(a);
#pragma warning restore CS1591

    /// <summary>A new matrix holding a copy of the elements.</summary>
    public Mat<T> Copy() => new(Span.ToArray(), Rows, Columns);

    /// <summary>The first <paramref name="rows"/> rows, viewing the same memory.</summary>
    public Mat<T> Take(int rows) =>
        (uint)rows <= (uint)Rows ? new Mat<T>(_data ?? [], _offset, rows, Columns)
            : throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The matrix has {Rows} rows.");

    /// <summary>Same shape and elements.</summary>
    public bool Equals(Mat<T> other) => Rows == other.Rows && Columns == other.Columns && Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Mat<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, new Vec<T>(_data ?? [], _offset, Rows * Columns).GetHashCode());

    /// <summary>Equal shape and elements.</summary>
    public static bool operator ==(Mat<T> a, Mat<T> b) => a.Equals(b);

    /// <summary>Different shape or elements.</summary>
    public static bool operator !=(Mat<T> a, Mat<T> b) => !a.Equals(b);

    /// <summary>The rows as <c>[[1, 2], [3, 4]]</c>, culture-invariant.</summary>
    public override string ToString()
    {
        var self = this;
        return "[" + string.Join(", ", Enumerable.Range(0, Rows).Select(r => self.Row(r).ToString())) + "]";
    }
}
