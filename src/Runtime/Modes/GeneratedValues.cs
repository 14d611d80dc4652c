using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SymGen.Graph;

namespace SymGen.Scanning;

/// <summary>
/// Debug mode beside a generated loop: the value of every node of a <c>[Symbolic]</c> scan's step at every step, as
/// the generated code computed it. The generated method's observed loop (its loop planned with every node kept,
/// nothing fused or hoisted) hands each value here, typed and unboxed; then the interpreter runs the scan's graph
/// in <see cref="Mode"/> and compares each of its nodes with the generated code's value of the same node (by name,
/// <c>n5</c>) at the same step. Generated code calls this; it is no API of its own.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GeneratedValues
{
    // By node id (the step graph's: the graph names node 5 'n5'); null for a node the loop does not compute.
    private NodeTrace?[] _nodes = new NodeTrace?[16];

    private GeneratedValues(ScanMode mode) => Mode = mode.Beside(this);

    /// <summary>
    /// A test-only seam read once per call: node <c>Node</c>'s double elements x at step t are recorded as
    /// <c>Wrong(t, x)</c>, as if the generated loop's kernel were wrong, so that tests see Debug catch the generated side.
    /// </summary>
    internal static readonly System.Threading.AsyncLocal<(int Node, Func<int, double, double> Wrong)?> TestWrongValue = new();
    private readonly (int Node, Func<int, double, double> Wrong)? _wrong = TestWrongValue.Value;

    /// <summary>A recorder for a call in <paramref name="mode"/> if it is a Debug mode, else null (no observed loop runs).</summary>
    public static GeneratedValues? For(ScanMode mode) => mode.ChecksAgainstReference ? new GeneratedValues(mode) : null;

    /// <summary>The mode the call's graph runs in: the caller's, comparing with these values.</summary>
    public ScanMode Mode { get; }

    /// <summary>Scalar node <paramref name="node"/>'s value at step <paramref name="step"/>.</summary>
    public void Scalar<T>(int node, int step, T value) where T : unmanaged =>
        Trace<T>(node, Dims.Scalar).Add(step, MemoryMarshal.CreateReadOnlySpan(ref value, 1));

    /// <summary>Tensor node <paramref name="node"/>'s value (of <paramref name="dims"/>) at step <paramref name="step"/>.</summary>
    public void Tensor<T>(int node, int step, ReadOnlySpan<T> values, Dims dims) where T : unmanaged =>
        Trace<T>(node, dims).Add(step, values);

    private NodeTrace<T> Trace<T>(int node, Dims dims) where T : unmanaged
    {
        if (node >= _nodes.Length) Array.Resize(ref _nodes, Math.Max(node + 1, 2 * _nodes.Length));
        var trace = (NodeTrace<T>)(_nodes[node] ??= new NodeTrace<T>(dims));
        if (_wrong is { } wrong && wrong.Node == node && trace is NodeTrace<double> doubles) doubles.Wrong = wrong.Wrong;
        return trace;
    }

    /// <summary>The generated code's value of the node named <paramref name="name"/> (<c>n5</c>) at <paramref name="step"/>, if it computed one.</summary>
    internal NodeTrace? Find(string? name, int step)
    {
        if (name is not { Length: > 1 } || name[0] != 'n' || !int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
            return null;
        return id < _nodes.Length && _nodes[id] is { } trace && trace.Has(step) ? trace : null;
    }
}

/// <summary>One node's values at every step, as the generated loop computed them.</summary>
internal abstract class NodeTrace(Dims dims)
{
    public Dims Dims { get; } = dims;
    public ElementKind Kind { get; protected init; }
    public abstract bool Has(int step);
    /// <summary>Element <paramref name="e"/> at <paramref name="step"/> as a double (as C# converts it; a bool is 0 or 1).</summary>
    public abstract double Element(int step, int e);
    /// <summary>Whether element <paramref name="e"/> is exactly the interpreter's (for integers and bools, which a double may not hold).</summary>
    public abstract bool Equal(int step, int e, NodeValue value);
    /// <summary>The value at <paramref name="step"/> as modes print values.</summary>
    public abstract string Format(int step);
    /// <summary>Writes the value at <paramref name="step"/> over the interpreter's value in <paramref name="slot"/> (same kind and length).</summary>
    public abstract void WriteTo(int step, Graph.Interpreting.State s, Graph.Interpreting.Slot slot);
}

internal sealed class NodeTrace<T> : NodeTrace where T : unmanaged
{
    private readonly List<T> _values = new();
    private readonly List<int> _steps = new();

    public NodeTrace(Dims dims) : base(dims) =>
        Kind = typeof(T) == typeof(double) ? ElementKind.Float64 : typeof(T) == typeof(float) ? ElementKind.Float32
            : typeof(T) == typeof(long) ? ElementKind.Int64 : typeof(T) == typeof(int) ? ElementKind.Int32 : ElementKind.Bool;

    /// <summary>The test seam's change of each element (<see cref="GeneratedValues.TestWrongValue"/>), or null.</summary>
    public Func<int, double, double>? Wrong { get; set; }

    public void Add(int step, ReadOnlySpan<T> values)
    {
        // A node runs once per step, in step order (a loop that stops early stops recording).
        _steps.Add(step);
        foreach (var v in values) _values.Add(v);
        if (Wrong is { } wrong)
        {
            var recorded = CollectionsMarshal.AsSpan(_values)[^values.Length..];
            foreach (ref var x in recorded) x = (T)(object)wrong(step, (double)(object)x);
        }
    }

    private int Start(int step)
    {
        // Steps are recorded in order: step t is entry t (a loop runs every node of every step it runs).
        return step < _steps.Count && _steps[step] == step ? step * Dims.Count : -1;
    }

    public override bool Has(int step) => step >= 0 && Start(step) >= 0;

    private ReadOnlySpan<T> At(int step) => CollectionsMarshal.AsSpan(_values).Slice(Start(step), Dims.Count);

    public override double Element(int step, int e) => At(step)[e] switch
    {
        double d => d, float f => f, long l => l, int n => n, bool b => b ? 1 : 0, _ => double.NaN,
    };

    public override bool Equal(int step, int e, NodeValue value) =>
        value.Kind == Kind && EqualityComparer<T>.Default.Equals(At(step)[e], value.AsSpan<T>()[e]);

    public override string Format(int step) => Printing.Format(At(step), Dims);

    public override void WriteTo(int step, Graph.Interpreting.State s, Graph.Interpreting.Slot slot)
    {
        var values = At(step);
        if (slot.IsTensor)
        {
            values.CopyTo(s.T[slot.Index].Span<T>());
            return;
        }
        T value = values[0];
        switch (slot.Kind)
        {
            case ElementKind.Float64: s.D[slot.Index] = Unsafe.As<T, double>(ref value); break;
            case ElementKind.Float32: s.F[slot.Index] = Unsafe.As<T, float>(ref value); break;
            case ElementKind.Int64: s.L[slot.Index] = Unsafe.As<T, long>(ref value); break;
            case ElementKind.Int32: s.I[slot.Index] = Unsafe.As<T, int>(ref value); break;
            default: s.B[slot.Index] = Unsafe.As<T, bool>(ref value); break;
        }
    }
}
