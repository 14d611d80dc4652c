using System;
using System.Runtime.InteropServices;
using SymGen.Graph;
using SymGen.Graph.Interpreting;

namespace SymGen;

/// <summary>
/// A node of a graph or of a scan's step, as hooks, reports and printed graphs name it: its op, its name and the
/// source it stands for (<c>Dot n5 'Sym.Dot(W, h)'</c>, the label <see cref="GraphPrinter.DebugPrint"/> shows).
/// </summary>
public sealed class NodeInfo
{
    internal NodeInfo(ApplyVariable node, string? scan)
    {
        Id = node.Id;
        Op = node.Op;
        Name = node.Name;
        Label = node.Label;
        Scan = scan;
        Text = GraphPrinter.Label(node);
    }

    private string Text { get; }

    /// <summary>The node's variable's id (<see cref="Variable.Id"/>).</summary>
    public long Id { get; }
    /// <summary>The op.</summary>
    public Op Op { get; }
    /// <summary>The node's name (a generated graph's <c>n5</c>), if any.</summary>
    public string? Name { get; }
    /// <summary>The source it stands for (<c>Sym.Dot(W, h)</c>), if known.</summary>
    public string? Label { get; }
    /// <summary>The scan whose step the node is in, or null for a node of the outer graph.</summary>
    public string? Scan { get; }

    /// <summary>The op, name and source label: <c>Dot n5 'Sym.Dot(W, h)'</c>.</summary>
    public override string ToString() => Text;
}

/// <summary>
/// A node about to run or just run: the step, the node, and views of its input and output values, valid while the
/// hook runs (copy what you keep: <see cref="NodeValue.Box"/>).
/// </summary>
public readonly struct NodeEvent
{
    private readonly State _state;
    private readonly MonitoredNode _node;

    internal NodeEvent(State state, MonitoredNode node, int step, bool ran)
    {
        _state = state;
        _node = node;
        Step = step;
        HasOutput = ran;
    }

    /// <summary>The step of the node's scan's loop (0, 1, ...), or -1 for a node of the outer graph.</summary>
    public int Step { get; }

    /// <summary>The node.</summary>
    public NodeInfo Node => _node.Info;

    /// <summary>Whether the node has run (the hook after it), so that <see cref="Output"/> holds its value.</summary>
    public bool HasOutput { get; }

    /// <summary>How many operands the node has.</summary>
    public int InputCount => _node.Operands.Length;

    /// <summary>Operand <paramref name="index"/>'s value.</summary>
    public NodeValue Input(int index)
    {
        if ((uint)index >= (uint)_node.Operands.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{_node.Info} has {_node.Operands.Length} input(s).");
        return new NodeValue(_state, _node.Operands[index]);
    }

    /// <summary>The node's value; only in the hook after it (<see cref="HasOutput"/>).</summary>
    public NodeValue Output => HasOutput ? new NodeValue(_state, _node.Dest)
        : throw new InvalidOperationException($"{_node.Info} has not run yet: its output is there in the hook after it.");
}

/// <summary>
/// A typed view of one value (a scalar or a tensor) while a hook runs: read it without boxing
/// (<see cref="AsDouble"/>, <see cref="AsSpan{T}"/>), or box a copy (<see cref="Box"/>).
/// </summary>
public readonly struct NodeValue
{
    private readonly State _state;
    private readonly Slot _slot;

    internal NodeValue(State state, Slot slot)
    {
        _state = state;
        _slot = slot;
    }

    private TensorValue TensorValue => _state.T[_slot.Index];

    /// <summary>The element type.</summary>
    public ElementKind Kind => _slot.Kind;

    /// <summary>The rank: 0 for a scalar.</summary>
    public int Rank => _slot.Rank;

    /// <summary>The dimensions (none for a scalar).</summary>
    public ReadOnlySpan<int> Shape => _slot.IsTensor ? TensorValue.Shape : default;

    /// <summary>How many elements (1 for a scalar).</summary>
    public int Length => _slot.IsTensor ? TensorValue.Length : 1;

    /// <summary>A scalar's value as a double (as C# converts it; a bool is 0 or 1).</summary>
    public double AsDouble()
    {
        if (_slot.IsTensor) throw new InvalidOperationException($"The value is a {new TensorType(Kind, Rank)}, not a scalar: read it with AsSpan<T>().");
        return Element(0);
    }

    /// <summary>The elements (row-major), of the value's own type <typeparamref name="T"/> (a scalar is one element).</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged
    {
        if (KindOf<T>() != Kind)
            throw new InvalidOperationException($"The value's elements are {ElementKinds.Keyword(Kind)}, not {typeof(T).Name}.");
        if (_slot.IsTensor) return TensorValue.Span<T>();
        Array slots = Kind switch
        {
            ElementKind.Float64 => _state.D, ElementKind.Float32 => _state.F, ElementKind.Int64 => _state.L,
            ElementKind.Int32 => _state.I, _ => _state.B,
        };
        return MemoryMarshal.CreateReadOnlySpan(ref ((T[])slots)[_slot.Index], 1);
    }

    private static ElementKind? KindOf<T>() =>
        typeof(T) == typeof(double) ? ElementKind.Float64 : typeof(T) == typeof(float) ? ElementKind.Float32
        : typeof(T) == typeof(long) ? ElementKind.Int64 : typeof(T) == typeof(int) ? ElementKind.Int32
        : typeof(T) == typeof(bool) ? ElementKind.Bool : null;

    /// <summary>Element <paramref name="index"/> (row-major) as a double.</summary>
    public double Element(int index)
    {
        if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"The value has {Length} element(s).");
        if (!_slot.IsTensor)
            return Kind switch
            {
                ElementKind.Float64 => _state.D[_slot.Index], ElementKind.Float32 => _state.F[_slot.Index],
                ElementKind.Int64 => _state.L[_slot.Index], ElementKind.Int32 => _state.I[_slot.Index],
                _ => _state.B[_slot.Index] ? 1 : 0,
            };
        var t = TensorValue;
        return ValueText.ElementAsDouble(t.Data, t.Offset + index);
    }

    /// <summary>A copy: a boxed scalar, or the elements as an array of the value's type (row-major).</summary>
    public object Box()
    {
        if (!_slot.IsTensor) return _state.Box(_slot);
        var t = TensorValue;
        var copy = TensorValue.Zeros(t.Kind, [t.Length]).Data;
        Array.Copy(t.Data, t.Offset, copy, 0, t.Length);
        return copy;
    }

    /// <summary>The value as <see cref="ValueText"/> prints it: <c>15</c>, <c>[5, 10, 15]</c>, <c>[[1, 2], [3, 4]]</c>.</summary>
    public override string ToString() => _slot.IsTensor ? ValueText.Format(TensorValue) : ValueText.Format(_state.Box(_slot));
}

/// <summary>
/// How modes print values: as <see cref="Printing"/> prints them (one formatter): a scalar as C# prints it in the
/// invariant culture (shortest round-trip form: <c>15</c>, <c>0.1</c>, <c>NaN</c>, <c>true</c>), a vector
/// <c>[5, 10, 15]</c>, a matrix <c>[[1, 2], [3, 4]]</c>.
/// </summary>
internal static class ValueText
{
    public static string Format(object scalar) => scalar switch
    {
        bool b => Printing.Format(b),
        double d => Printing.Format(d),
        float f => Printing.Format(f),
        long l => Printing.Format(l),
        int n => Printing.Format(n),
        _ => Printing.Format(scalar),
    };

    public static string Format(TensorValue t) => t.Kind switch
    {
        ElementKind.Float64 => Printing.Format(t.Span<double>(), t.Shape),
        ElementKind.Float32 => Printing.Format(t.Span<float>(), t.Shape),
        ElementKind.Int64 => Printing.Format(t.Span<long>(), t.Shape),
        ElementKind.Int32 => Printing.Format(t.Span<int>(), t.Shape),
        _ => Printing.Format(t.Span<bool>(), t.Shape),
    };

    public static double ElementAsDouble(Array data, int index) => data switch
    {
        double[] d => d[index],
        float[] f => f[index],
        long[] l => l[index],
        int[] n => n[index],
        bool[] b => b[index] ? 1 : 0,
        _ => throw new ArgumentException("Not an array of a graph's elements.", nameof(data)),
    };
}
