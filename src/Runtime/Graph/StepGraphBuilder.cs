// The one step-graph builder: node creation, effect-aware common-subexpression elimination, type and shape inference
// (the op table's rules) and size checks. Independent of Roslyn; linked into the generator, where the C# translator
// builds step graphs with it (dimensions are C# expressions there), and the derivative rules will.
using System;
using System.Collections.Generic;
using System.Text;

namespace SymGen.Graph;

/// <summary>A node of a step graph being built: an op of the op table applied to earlier nodes.</summary>
/// <typeparam name="TDim">A dimension: a number at run time, a C# expression in the generator.</typeparam>
internal sealed class BuiltNode<TDim>
{
    internal BuiltNode(int id, Op op, ElementKind kind, TDim[] shape, int[] inputs, string? literal, int argument, int axis, string label)
    {
        Id = id; Op = op; Kind = kind; Shape = shape; Inputs = inputs; Literal = literal; Argument = argument; Axis = axis; Label = label;
    }

    /// <summary>The node's number: its place in the graph, stable for one source (the generated loop's <c>n{Id}</c>).</summary>
    public int Id { get; }
    /// <summary>The op.</summary>
    public Op Op { get; }
    /// <summary>The element kind of its value.</summary>
    public ElementKind Kind { get; }
    /// <summary>Its dimensions, one per rank (none for a scalar).</summary>
    public TDim[] Shape { get; }
    /// <summary>Its operands' ids.</summary>
    public int[] Inputs { get; }
    /// <summary>For a constant: its value as a C# literal; for an op that takes a text (Print): the text.</summary>
    public string? Literal { get; }
    /// <summary>For an input: the index of the step argument, else -1.</summary>
    public int Argument { get; }
    /// <summary>For ops with an axis: -1 for all elements, else the axis.</summary>
    public int Axis { get; }
    /// <summary>The source it was built from (the C# expression), for comments, printed graphs and errors.</summary>
    public string Label { get; }
}

/// <summary>
/// Builds a step graph in SSA form: each node is made once (a pure op applied twice to the same operands is one
/// node; an op that observes its value is never merged), typed and shaped by the op table's rules, its size
/// constraints reported to the caller.
/// </summary>
internal sealed class StepGraphBuilder<TDim>
{
    private readonly List<BuiltNode<TDim>> _nodes = new();
    private readonly Dictionary<string, int> _computed = new();
    private readonly Action<TDim, TDim, string, string> _requireEqual;

    /// <param name="requireEqual">Receives each pair of dimensions that must be equal, the label of the node that needs it, and why.</param>
    public StepGraphBuilder(Action<TDim, TDim, string, string> requireEqual) => _requireEqual = requireEqual;

    /// <summary>The nodes built so far, in order: each after its operands.</summary>
    public IReadOnlyList<BuiltNode<TDim>> Nodes => _nodes;

    /// <summary>Step argument <paramref name="argument"/>: never merged with another.</summary>
    public int Input(ElementKind kind, TDim[] shape, int argument, string label) =>
        Add(Op.Input, kind, shape, [], null, argument, -1, label, merge: false);

    /// <summary>A scalar constant of <paramref name="kind"/> (converted as C# casts it).</summary>
    public int Constant(object value, ElementKind kind, string label) =>
        Add(Op.Constant, kind, [], [], ElementKinds.Literal(value, kind), -1, -1, label, merge: true);

    /// <summary>
    /// A conversion of scalar node <paramref name="x"/> to <paramref name="kind"/> with C#'s rules (a constant is
    /// converted now), or -1 with an <paramref name="error"/> for a tensor.
    /// </summary>
    public int Convert(int x, ElementKind kind, string label, out string? error)
    {
        error = null;
        var source = _nodes[x];
        if (source.Kind == kind) return x;
        if (source.Shape.Length != 0)
        {
            error = "SymGen converts scalars only";
            return -1;
        }
        if (source.Op == Op.Constant)
            return Constant(ElementKinds.ParseLiteral(source.Literal!, source.Kind), kind, source.Label);
        return Add(Op.Convert, kind, [], [x], null, -1, -1, label, merge: true);
    }

    /// <summary>
    /// <paramref name="op"/> applied to <paramref name="inputs"/> (along <paramref name="axis"/> for ops with one),
    /// typed and shaped by its row; or -1 with an <paramref name="error"/> when the operands' ranks or kinds do not fit.
    /// </summary>
    public int Apply(Op op, int axis, IReadOnlyList<int> inputs, string label, out string? error) => Apply(op, axis, inputs, null, label, out error);

    /// <summary><paramref name="op"/> with its <paramref name="text"/> (Print's label: <see cref="OpInfo.HasText"/>).</summary>
    public int Apply(Op op, int axis, IReadOnlyList<int> inputs, string? text, string label, out string? error)
    {
        var info = OpTable.Get(op);
        error = null;
        if (info.Category is OpCategory.Leaf or OpCategory.Conversion || inputs.Count != info.Arity)
        {
            error = info.Category is OpCategory.Leaf or OpCategory.Conversion
                ? $"{info.Name} is not applied to operands"
                : $"{info.Name} takes {info.Arity} operand(s), not {inputs.Count}";
            return -1;
        }
        var shapes = new TDim[inputs.Count][];
        var kinds = new ElementKind[inputs.Count];
        for (int i = 0; i < inputs.Count; i++) (shapes[i], kinds[i]) = (_nodes[inputs[i]].Shape, _nodes[inputs[i]].Kind);
        if (NodeRules.Infer(op, axis, kinds, shapes, (a, b, what) => _requireEqual(a, b, label, what), out error) is not var (kind, shape))
            return -1;
        var ids = new int[inputs.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = inputs[i];
        return Add(op, kind, shape, ids, info.HasText ? text ?? "" : null, -1, info.HasAxis ? axis : -1, label, merge: info.Effect == OpEffect.Pure);
    }

    private int Add(Op op, ElementKind kind, TDim[] shape, int[] inputs, string? literal, int argument, int axis, string label, bool merge)
    {
        string? key = null;
        if (merge)
        {
            var text = new StringBuilder().Append((int)op).Append('|').Append((int)kind).Append('|').Append(literal).Append('|').Append(axis);
            foreach (var input in inputs) text.Append('|').Append(input);
            key = text.ToString();
            if (_computed.TryGetValue(key, out var existing)) return existing;
        }
        int id = _nodes.Count;
        _nodes.Add(new BuiltNode<TDim>(id, op, kind, shape, inputs, literal, argument, axis, label));
        if (key is not null) _computed[key] = id;
        return id;
    }
}

/// <summary>An applied op's type and shape: the op table's rules in one call, for the builder and the runtime's graph API.</summary>
internal static class NodeRules
{
    /// <summary>
    /// The element kind and dimensions of <paramref name="op"/> applied to operands of <paramref name="kinds"/> and
    /// <paramref name="shapes"/>, or null with an <paramref name="error"/>; each pair of dimensions that must be equal
    /// goes to <paramref name="requireEqual"/>.
    /// </summary>
    public static (ElementKind Kind, TDim[] Shape)? Infer<TDim>(Op op, int axis, IReadOnlyList<ElementKind> kinds, IReadOnlyList<TDim[]> shapes,
        Action<TDim, TDim, string> requireEqual, out string? error)
    {
        var shape = ShapeRules.Infer(op, shapes, OpTable.Get(op).HasAxis ? axis : -1, requireEqual, out error);
        if (shape is null) return null;
        var kind = TypeRules.Infer(op, kinds, shape.Length, out error);
        return kind is null ? null : (kind.Value, shape);
    }
}
