using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Google.Protobuf;
using Onnx;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>
/// One ONNX graph being written: the model's top graph, or a Loop's body. It knows the ONNX value of each SymGen
/// variable it has written; a body reads its enclosing graphs' values by name (ONNX's outer-scope references), and
/// writes work that does not change from step to step there, once, rather than in the loop.
/// </summary>
internal sealed partial class Scope
{
    private readonly Dictionary<Variable, string> _values = new();
    private readonly Dictionary<ScanNode, LoopValues> _loops = new();

    public Scope(ModelWriter writer, Scope? parent, GraphProto graph, DimNames dims)
    {
        Writer = writer;
        Parent = parent;
        Graph = graph;
        Dims = dims;
    }

    public ModelWriter Writer { get; }
    public Scope? Parent { get; }
    public GraphProto Graph { get; }
    public DimNames Dims { get; }

    /// <summary>For a Loop body: the step inputs that change from step to step, and what depends on them.</summary>
    public Func<Variable, bool>? VariesPerStep { get; set; }

    /// <summary>For a Loop body: the work done for all steps before the loop, and the step's index.</summary>
    public Batch? Batch { get; set; }
    public string? StepIndex { get; set; }

    private Scope Root => Parent?.Root ?? this;

    public void Bind(Variable v, string name) => _values[v] = name;

    private bool TryLookUp(Variable v, out string name)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s._values.TryGetValue(v, out name!)) return true;
        name = "";
        return false;
    }

    /// <summary>The ONNX value of <paramref name="v"/>, writing the nodes that compute it where they belong.</summary>
    public string Emit(Variable v)
    {
        if (TryLookUp(v, out var known)) return known;
        switch (v)
        {
            case ConstantVariable c when Parent is not null:
                return Root.Emit(c);
            case ConstantVariable c:
                return _values[c] = Constant(c.Value, c.Type.Element);
            case InputVariable input:
                throw new ArgumentException($"'{input}' is not an input of the function.", nameof(v));
            case ApplyVariable a when Parent is not null && VariesPerStep is { } varies && !varies(a) && OnnxOps.MayHoist(a):
                // The same every step: computed once, before the loop.
                return Parent.Emit(a);
            case ApplyVariable a when Batch is { } batch && batch.Hoists(a):
                // Computed for all steps before the loop: this step's row.
                return _values[a] = Add("Gather", [batch.All(a), StepIndex!], [Writer.Fresh((a.Name ?? "v") + "_t")], null, $"row t of {a.Label ?? a.Name}", Int("axis", 0));
            case ApplyVariable a:
                var operands = a.Inputs.Select(Emit).ToArray();
                return _values[a] = OnnxOps.Write(this, a, operands);
            case ScanOutputVariable o when Parent is not null && VariesPerStep is { } varies && !varies(o):
                return Parent.Emit(o);
            case ScanOutputVariable o:
                return _values[o] = Loop(o.Scan).Traces[o.Index];
            default:
                throw new ArgumentException($"A {v.GetType().Name} is not part of a SymGen graph.", nameof(v));
        }
    }

    /// <summary>The final value of shared variable <paramref name="u"/> after <paramref name="scan"/>.</summary>
    public string ScanFinal(ScanNode scan, InputVariable u)
    {
        var loop = Loop(scan);
        int output = scan.Outputs.Count - scan.Updates.Count + scan.Updates.ToList().IndexOf(u);
        return loop.Finals[output] ?? throw new InvalidOperationException($"Shared variable '{u}' has no final value.");
    }

    private LoopValues Loop(ScanNode scan) => _loops.TryGetValue(scan, out var loop) ? loop : _loops[scan] = WriteLoop(scan);

    /// <summary>Adds a node; returns its (first) output.</summary>
    public string Add(string op, string[] inputs, string[]? outputs = null, string? name = null, string? doc = null, params AttributeProto[] attributes)
    {
        outputs ??= [Writer.Fresh(op.ToLowerInvariant())];
        var node = new NodeProto { OpType = op, Name = name ?? Writer.Fresh(op), DocString = doc ?? "" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs[0];
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto GraphAttribute(string name, GraphProto graph) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    /// <summary>A scalar constant of <paramref name="kind"/> (C#'s cast of <paramref name="value"/>).</summary>
    public string Constant(object value, ElementKind kind, string? stem = null)
    {
        var tensor = new TensorProto { DataType = (int)OnnxExport.DataType(kind) };
        switch (ElementKinds.Cast(value, kind))
        {
            case bool b: tensor.Int32Data.Add(b ? 1 : 0); break;
            case int i: tensor.Int32Data.Add(i); break;
            case long l: tensor.Int64Data.Add(l); break;
            case float f: tensor.FloatData.Add(f); break;
            case double d: tensor.DoubleData.Add(d); break;
        }
        var text = Convert.ToString(ElementKinds.Cast(value, kind), CultureInfo.InvariantCulture);
        return Add("Constant", [], [Writer.Fresh(stem ?? "const")], null, $"{ElementKinds.Keyword(kind)} {text}",
            new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
    }

    /// <summary>A constant vector of int64 (axes, shapes, starts).</summary>
    public string Longs(params long[] values)
    {
        if (Parent is not null) return Root.Longs(values);
        var key = "i64[" + string.Join(",", values) + "]";
        if (_constants.TryGetValue(key, out var known)) return known;
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return _constants[key] = Add("Constant", [], [Writer.Fresh("i64")], null, null,
            new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
    }

    /// <summary>A scalar constant of a kind, shared by the model (0, 1, ln 2...).</summary>
    public string Scalar(double value, ElementKind kind)
    {
        if (Parent is not null) return Root.Scalar(value, kind);
        var key = $"{kind}:{value.ToString("R", CultureInfo.InvariantCulture)}";
        if (_constants.TryGetValue(key, out var known)) return known;
        return _constants[key] = Constant(value, kind);
    }

    private readonly Dictionary<string, string> _constants = new();

    /// <summary>Axis <paramref name="axis"/> of <paramref name="value"/>'s shape, as an int64 vector of one element.</summary>
    public string ShapeAxis(string value, int axis) =>
        Add("Shape", [value], null, null, null, Int("start", axis), Int("end", axis + 1));

    public string Cast(string value, ElementKind to) => Add("Cast", [value], null, null, null, Int("to", (int)OnnxExport.DataType(to)));
}
