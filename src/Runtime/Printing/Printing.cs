using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace SymGen;

/// <summary>
/// Where <c>Sym.Print</c> and <c>Tensor.Print</c> write (Theano's <c>Print</c> writes to stdout): one line per print,
/// <c>label = value</c>, values as <see cref="Format{T}(ReadOnlySpan{T}, Dims)"/> writes them (<c>[1, 2, 3]</c>).
/// </summary>
public static class Printing
{
    private static TextWriter? _default;
    private static readonly AsyncLocal<TextWriter?> Scoped = new();

    /// <summary>
    /// The writer prints go to: the one of the innermost <see cref="To"/> scope of this async flow, else the one set
    /// here, else <see cref="Console.Out"/>. Setting it (null for <see cref="Console.Out"/>) changes it for every thread.
    /// </summary>
    public static TextWriter Writer
    {
        get => Scoped.Value ?? _default ?? Console.Out;
        set => _default = value;
    }

    /// <summary>
    /// Sends the prints of this async flow (this thread and the tasks it starts) to <paramref name="writer"/> until the
    /// returned scope is disposed: <c>using (Printing.To(log)) { ... }</c>.
    /// </summary>
    public static IDisposable To(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var scope = new Scope(Scoped.Value);
        Scoped.Value = writer;
        return scope;
    }

    private sealed class Scope(TextWriter? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Scoped.Value = previous;
        }
    }

    /// <summary>Writes <c>label = value</c> for a scalar.</summary>
    public static void Write<T>(string label, T value) => Writer.WriteLine(label + " = " + Format(value));

    /// <summary>Writes <c>label = value</c> for a vector or a matrix of <paramref name="dims"/>.</summary>
    public static void Write<T>(string label, ReadOnlySpan<T> values, Dims dims) => Writer.WriteLine(label + " = " + Format(values, dims));

    /// <summary>A scalar as C# writes it, culture-invariant and round-tripping: <c>5</c>, <c>0.1</c>, <c>NaN</c>, <c>true</c>.</summary>
    public static string Format<T>(T value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };

    /// <summary>A vector as <c>[1, 2, 3]</c>, a matrix as <c>[[1, 2], [3, 4]]</c> (row by row), a scalar as <see cref="Format{T}(T)"/>.</summary>
    public static string Format<T>(ReadOnlySpan<T> values, Dims dims)
    {
        if (values.Length != dims.Count)
            throw new ArgumentException($"A {dims} has {dims.Count} elements, not {values.Length}.", nameof(values));
        return dims.Rank switch
        {
            0 => Format(values[0]),
            1 => Format(values, [dims.Rows]),
            _ => Format(values, [dims.Rows, dims.Columns]),
        };
    }

    /// <summary>
    /// The one way values are printed (Print, the modes' hooks and reports): elements of any rank, row-major, nested
    /// one bracket per axis, each element as <see cref="Format{T}(T)"/>; a scalar (no axis) as its element.
    /// </summary>
    internal static string Format<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return Format(values[0]);
        var text = new StringBuilder();
        Append(text, values, shape);
        return text.ToString();
    }

    private static void Append<T>(StringBuilder text, ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
    {
        text.Append('[');
        int stride = values.Length / Math.Max(shape[0], 1);
        for (int i = 0; i < shape[0]; i++)
        {
            if (i > 0) text.Append(", ");
            if (shape.Length == 1) text.Append(Format(values[i]));
            else Append(text, values.Slice(i * stride, stride), shape[1..]);
        }
        text.Append(']');
    }
}
