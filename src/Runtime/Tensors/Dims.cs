using System;
using System.ComponentModel;

namespace SymGen;

/// <summary>
/// The dimensions of a kernel's operand or result: a scalar, a vector (<see cref="Rows"/> elements) or a matrix
/// (<see cref="Rows"/> x <see cref="Columns"/>, row-major). Kernels take them beside their spans, so that an op's
/// kernel is one entry for every rank it accepts (the rank dispatch of Dot lives in Dot's kernel, nowhere else).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct Dims
{
    private Dims(int rank, int rows, int columns)
    {
        if (rows < 0 || columns < 0)
            throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(columns), "Dimensions are zero or more.");
        (Rank, Rows, Columns) = (rank, rows, columns);
    }

    /// <summary>0 for a scalar, 1 for a vector, 2 for a matrix.</summary>
    public int Rank { get; }
    /// <summary>A vector's length, or a matrix's rows (1 for a scalar).</summary>
    public int Rows { get; }
    /// <summary>A matrix's columns (1 for a vector or a scalar).</summary>
    public int Columns { get; }
    /// <summary>The number of elements.</summary>
    public int Count => Rows * Columns;

    /// <summary>A scalar.</summary>
    public static Dims Scalar => new(0, 1, 1);
    /// <summary>A vector of <paramref name="length"/> elements.</summary>
    public static Dims Vector(int length) => new(1, length, 1);
    /// <summary>A matrix of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public static Dims Matrix(int rows, int columns) => new(2, rows, columns);
    /// <summary>The dimensions of one of <paramref name="shape"/>'s rank (none, a length, or rows and columns).</summary>
    public static Dims Of(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => Scalar,
        1 => Vector(shape[0]),
        2 => Matrix(shape[0], shape[1]),
        _ => throw new ArgumentException($"Kernels take scalars, vectors and matrices, not rank {shape.Length}.", nameof(shape)),
    };

    /// <summary>The dimensions as a shape: none, a length, or rows and columns.</summary>
    public int[] ToShape() => Rank switch { 0 => [], 1 => [Rows], _ => [Rows, Columns] };

    /// <inheritdoc />
    public override string ToString() => Rank switch { 0 => "scalar", 1 => $"vector of {Rows}", _ => $"{Rows} x {Columns} matrix" };
}
