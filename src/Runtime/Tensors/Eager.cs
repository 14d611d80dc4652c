using System;
using System.Numerics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// What the eager <see cref="Sym"/> functions share: the op table's shape rule decides an eager result's shape and
/// words its size errors (the same words as a scan's checks), then the op's kernel computes it.
/// </summary>
internal static class Eager
{
    /// <summary>The result shape of <paramref name="op"/> on operands of <paramref name="shapes"/>, or an ArgumentException in the rule's words.</summary>
    public static int[] Shape(Op op, int axis, params int[][] shapes)
    {
        var name = OpTable.Get(op).Name;
        return ShapeRules.Infer<int>(op, shapes, axis, (a, b, what) =>
            {
                if (a != b) throw new ArgumentException($"{name}: {what} must be equal; they are {a} and {b}.");
            }, out var rankError)
            ?? throw new ArgumentException($"{name}: {rankError}.");
    }

    public static int[] Of<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => [x.Length];

    public static int[] Of<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => [x.Rows, x.Columns];

    public static Dims DimsOf<T>(Vec<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Dims.Vector(x.Length);

    public static Dims DimsOf<T>(Mat<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Dims.Matrix(x.Rows, x.Columns);

    /// <summary>A new vector or matrix (by rank) for a result of <paramref name="shape"/>.</summary>
    public static Vec<T> NewVector<T>(int[] shape) where T : unmanaged, IFloatingPointIeee754<T> => Vec<T>.Zeros(shape[0]);

    public static Mat<T> NewMatrix<T>(int[] shape) where T : unmanaged, IFloatingPointIeee754<T> => Mat<T>.Zeros(shape[0], shape[1]);
}
