// The ONNX export: a SymGen graph (a [Symbolic] method's <Method>Graph, or one built with the Tensor API) written as
// an ONNX model, every scan an ONNX Loop. It walks the one graph the interpreter runs, and reads each op's row of the
// op table (its type and shape rules); OnnxOps.cs says how each op is written in ONNX, OnnxLoop.cs how a scan is.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>
/// Exports SymGen graphs to ONNX models that ONNX Runtime (and ML.NET, Windows ML, Triton) runs: each scan becomes an
/// ONNX <c>Loop</c>. The model's inputs are the function's inputs, in order and by name (a shared variable's input
/// takes its current value); its outputs are the function's outputs, then each updated shared variable's value after
/// the call (named <c>name.updated</c>), which the caller writes back. See docs/onnx.md.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the models use (ONNX Runtime 1.31 reads up to 26).</summary>
    public const int Opset = 18;

    /// <summary>The ONNX IR version the models declare (IR 8 goes with opset 18).</summary>
    public const int IrVersion = 8;

    /// <summary>The model of <paramref name="function"/>.</summary>
    /// <param name="function">The graph: a <c>[Symbolic]</c> method's <c>&lt;Method&gt;Graph</c>, or <c>Tensor.Function(...)</c>.</param>
    /// <param name="name">The model's graph name (Netron shows it); the function's first scan's name by default.</param>
    /// <exception cref="OnnxExportException">The graph uses an op that ONNX cannot express (its <see cref="OnnxExportException.Op"/>).</exception>
    public static ModelProto ToModel(Function function, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var writer = new ModelWriter(function);
        var graph = writer.Write(name);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SymGen.Onnx",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = "Exported by SymGen.Onnx: each SymGen scan is an ONNX Loop.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>The model of <paramref name="function"/>, serialized (what <c>new InferenceSession(bytes)</c> reads).</summary>
    /// <inheritdoc cref="ToModel(Function, string?)"/>
    public static byte[] ToBytes(Function function, string? name = null) => ToModel(function, name).ToByteArray();

    /// <summary>Writes the model of <paramref name="function"/> to <paramref name="path"/> (a .onnx file).</summary>
    /// <param name="function">The graph.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="name">The model's graph name.</param>
    public static void Save(Function function, string path, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ToBytes(function, name);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The names of the model's outputs: the function's outputs, then each updated shared variable's <c>name.updated</c>.</summary>
    public static IReadOnlyList<string> OutputNames(Function function) => new ModelWriter(function).OutputNames();

    /// <summary>The ONNX element type of a SymGen element kind (TensorProto.DataType).</summary>
    public static TensorProto.Types.DataType DataType(ElementKind kind) => kind switch
    {
        ElementKind.Bool => TensorProto.Types.DataType.Bool,
        ElementKind.Int32 => TensorProto.Types.DataType.Int32,
        ElementKind.Int64 => TensorProto.Types.DataType.Int64,
        ElementKind.Float32 => TensorProto.Types.DataType.Float,
        ElementKind.Float64 => TensorProto.Types.DataType.Double,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>An op of a SymGen graph that ONNX cannot express; <see cref="Op"/> names it.</summary>
public sealed class OnnxExportException : NotSupportedException
{
    internal OnnxExportException(Op op, string reason, string? where)
        : base($"{OpTable.Get(op).Name} cannot be exported to ONNX{(where is null ? "" : $" ({where})")}: {reason}") => Op = op;

    /// <summary>The op.</summary>
    public Op Op { get; }
}

/// <summary>Writes one function's model: its top graph, and a Loop body per scan.</summary>
internal sealed partial class ModelWriter
{
    private readonly Function _function;
    private int _next;

    public ModelWriter(Function function) => _function = function;

    /// <summary>A fresh value name, unique in the whole model (ONNX's names are global across subgraphs).</summary>
    public string Fresh(string stem) => $"{stem}_{_next++}";

    public IReadOnlyList<string> OutputNames()
    {
        var names = new List<string>();
        var used = new HashSet<string>(_function.Inputs.Select(i => i.ToString()));
        for (int i = 0; i < _function.Outputs.Count; i++)
        {
            var name = _function.Outputs[i].Name ?? $"output{i}";
            while (!used.Add(name)) name += "'";
            names.Add(name);
        }
        foreach (var u in Scans().SelectMany(s => s.Updates).Distinct())
            names.Add($"{u}.updated");
        return names;
    }

    /// <summary>Every scan the function runs: those of its outputs, and those that run for their updates alone.</summary>
    public IReadOnlyList<ScanNode> Scans()
    {
        var scans = new List<ScanNode>();
        var seen = new HashSet<Variable>();
        var pending = new Stack<Variable>(_function.Outputs);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            if (!seen.Add(v)) continue;
            if (v is ScanOutputVariable o && !scans.Contains(o.Scan)) scans.Add(o.Scan);
            foreach (var input in v.Inputs) pending.Push(input);
        }
        foreach (var s in _function.Updating)
            if (!scans.Contains(s)) scans.Add(s);
        return scans;
    }

    public GraphProto Write(string? name)
    {
        var scans = Scans();
        var dims = new DimNames(_function);
        var top = new Scope(this, null, new GraphProto { Name = name ?? scans.FirstOrDefault()?.Name ?? "symgen" }, dims);
        // Dimensions first, so that every scan's equal sizes are one named dimension.
        foreach (var scan in scans) dims.Analyse(scan);
        foreach (var input in _function.Inputs)
        {
            top.Graph.Input.Add(Value(input.ToString(), input.Type.Element, dims.Of(input)));
            top.Bind(input, input.ToString());
        }

        var names = OutputNames();
        for (int i = 0; i < _function.Outputs.Count; i++)
        {
            var output = _function.Outputs[i];
            top.Add("Identity", [top.Emit(output)], [names[i]], null, $"output {names[i]}");
            top.Graph.Output.Add(Value(names[i], output.Type.Element, dims.OfTopLevel(output)));
        }
        int k = _function.Outputs.Count;
        foreach (var u in scans.SelectMany(s => s.Updates).Distinct())
        {
            var scan = scans.Last(s => s.Updates.Contains(u));
            var final = top.ScanFinal(scan, u);
            top.Add("Identity", [final], [names[k]], null, $"shared variable '{u}' after the call");
            top.Graph.Output.Add(Value(names[k++], u.Type.Element, dims.Of(u)));
        }
        return top.Graph;
    }

    /// <summary>A value's declaration: its element type and its dimensions (named where known, else unknown).</summary>
    public static ValueInfoProto Value(string name, ElementKind kind, IReadOnlyList<string?> dims, string? doc = null)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is null ? new TensorShapeProto.Types.Dimension() : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc ?? "",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)OnnxExport.DataType(kind), Shape = shape } },
        };
    }
}
