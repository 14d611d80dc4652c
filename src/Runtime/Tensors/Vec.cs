using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// A dense vector of <c>float</c> or <c>double</c>: a view of a run of an array (no copy when made from an array or
/// taken as a row of a <see cref="Mat{T}"/>). Operators and <see cref="Sym"/> functions compute eagerly, so a step
/// method runs as plain C#; inside a scan the generator replaces them with a fused, allocation-free loop.
/// </summary>
public readonly struct Vec<T> : IEquatable<Vec<T>>, ICopyable<Vec<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _data;
    private readonly int _offset;

    /// <summary>A view of <paramref name="data"/> (not a copy).</summary>
    public Vec(T[] data) : this(data ?? throw new ArgumentNullException(nameof(data)), 0, data.Length) { }

    /// <summary>A view of <paramref name="length"/> elements of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    public Vec(T[] data, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(data);
        if ((uint)offset > (uint)data.Length || (uint)length > (uint)(data.Length - offset))
            throw new ArgumentOutOfRangeException(nameof(length), $"Elements [{offset}, {offset + length}) are outside an array of {data.Length}.");
        (_data, _offset, Length) = (data, offset, length);
    }

    /// <summary>A new vector of zeros.</summary>
    public static Vec<T> Zeros(int length) => new(new T[length]);

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements, writable (a vector is a view: writing changes the array it views).</summary>
    public Span<T> Span => _data is null ? default : _data.AsSpan(_offset, Length);

    /// <summary>Element <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the vector (a scan's <c>x[i]</c> throws the same).</exception>
    public T this[int index] => Span[Kernels.CheckIndex(index, Dims.Vector(Length))];

    /// <summary>Element <paramref name="index"/>, for a <c>long</c> index (a token id, a label), checked in full: never truncated to an <c>int</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the vector.</exception>
    public T this[long index] => Span[Kernels.CheckIndex(index, Dims.Vector(Length))];

    /// <summary>A view of an array.</summary>
    public static implicit operator Vec<T>(T[] data) => new(data);

    /// <summary>The elements, read-only.</summary>
    public static implicit operator ReadOnlySpan<T>(Vec<T> vector) => vector.Span;

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray() => Span.ToArray();

#pragma warning disable CS1591 // the operators are the arithmetic they spell, element by element, with scalars broadcast
    public static Vec<T> operator +(Vec<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Add);
    public static Vec<T> operator -(Vec<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Subtract);
    public static Vec<T> operator *(Vec<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Multiply);
    public static Vec<T> operator /(Vec<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Divide);
    public static Vec<T> operator +(Vec<T> a, T b) => Kernels.Map(a, b, Op.Add);
    public static Vec<T> operator -(Vec<T> a, T b) => Kernels.Map(a, b, Op.Subtract);
    public static Vec<T> operator *(Vec<T> a, T b) => Kernels.Map(a, b, Op.Multiply);
    public static Vec<T> operator /(Vec<T> a, T b) => Kernels.Map(a, b, Op.Divide);
    public static Vec<T> operator +(T a, Vec<T> b) => Kernels.Map(a, b, Op.Add);
    public static Vec<T> operator -(T a, Vec<T> b) => Kernels.Map(a, b, Op.Subtract);
    public static Vec<T> operator *(T a, Vec<T> b) => Kernels.Map(a, b, Op.Multiply);
    public static Vec<T> operator /(T a, Vec<T> b) => Kernels.Map(a, b, Op.Divide);
    public static Vec<T> operator %(Vec<T> a, Vec<T> b) => Kernels.Map(a, b, Op.Remainder);
    public static Vec<T> operator %(Vec<T> a, T b) => Kernels.Map(a, b, Op.Remainder);
    public static Vec<T> operator %(T a, Vec<T> b) => Kernels.Map(a, b, Op.Remainder);
    public static Vec<T> operator -(Vec<T> a) => Kernels.Negate(a);
#pragma warning restore CS1591

    /// <summary>A new vector holding a copy of the elements.</summary>
    public Vec<T> Copy() => new(ToArray());

    /// <summary>Same length and the same elements (NaN equals NaN, as <see cref="double.Equals(double)"/>).</summary>
    public bool Equals(Vec<T> other) => Length == other.Length && Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Vec<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var x in Span) hash.Add(x);
        return hash.ToHashCode();
    }

    /// <summary>Equal elements.</summary>
    public static bool operator ==(Vec<T> a, Vec<T> b) => a.Equals(b);

    /// <summary>Different length or elements.</summary>
    public static bool operator !=(Vec<T> a, Vec<T> b) => !a.Equals(b);

    /// <summary>The elements as <c>[1, 2.5, -3]</c>, culture-invariant.</summary>
    public override string ToString() => Format(Span);

    internal static string Format(ReadOnlySpan<T> values) =>
        "[" + string.Join(", ", values.ToArray().Select(v => v.ToString(null, CultureInfo.InvariantCulture))) + "]";
}
