using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using SymGen.Onnx;
using SymGen.Tests.Conformance;
using Xunit;

namespace SymGen.Tests.Onnx;

/// <summary>
/// The scans of the tests that ONNX cannot express, with the op that stops them (docs/onnx.md, "What does not
/// export"). Every other scan of the conformance suite is exported and run in ONNX Runtime by its Onnx engine.
/// </summary>
public static class OnnxScans
{
    public static readonly IReadOnlyDictionary<string, Op> NotExported = new Dictionary<string, Op>
    {
        // Print is an effect (it writes each step); ONNX Runtime has no op that writes.
        ["PrintScans.PrintTimesFive"] = Op.Print,
        ["PrintScans.PrintRowsTimesFive"] = Op.Print,
        ["PrintScans.PrintAccumulate"] = Op.Print,
        ["ModeScans.PrintTimesFive"] = Op.Print,
        // ONNX has no atan2 (and ONNX Runtime's Atan no double kernel to build one from).
        ["NewOpScans.BinaryOps"] = Op.Atan2,
        ["NewOpScans.ScalarOps"] = Op.Atan2,
        ["NewOpScans.MatrixMathOps"] = Op.Atan2,
    };

    /// <summary>
    /// Scans that export (the model is valid ONNX) but that ONNX Runtime's CPU provider cannot run: it has no double
    /// kernel for Asin, Acos and Atan (Tan, Sinh and Cosh are composed from ops it has), and the session names the
    /// first such node. Another runtime, or float, runs them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotRunInOnnxRuntime = new Dictionary<string, string>
    {
        ["NewOpScans.UnaryOps"] = "Asin",
    };

    /// <summary>Whether the Onnx engine runs the scan.</summary>
    public static bool Runs(string scan) => !NotExported.ContainsKey(scan) && !NotRunInOnnxRuntime.ContainsKey(scan);
}

public class OnnxExportTests
{
    public static TheoryData<string> AllScans() => [.. TestScans.Cases.Select(c => c.Scan.Name)];

    /// <summary>The export refuses exactly the listed scans, naming the op; it writes every other one.</summary>
    [Theory]
    [MemberData(nameof(AllScans))]
    public void ExportsOrRefusesNamingTheOp(string name)
    {
        var graph = TestScans.Cases.Single(c => c.Scan.Name == name).Scan.Graph;
        if (OnnxScans.NotExported.TryGetValue(name, out var op))
        {
            var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToModel(graph));
            Assert.Equal(op, error.Op);
            Assert.Contains($"{op} cannot be exported to ONNX", error.Message);
            return;
        }
        var model = OnnxExport.ToModel(graph);
        OnnxChecks.WellFormed(model);
    }

    /// <summary>ONNX Runtime refuses the listed scans when it loads them, naming the op it has no kernel for.</summary>
    [Fact]
    public void OnnxRuntimeRefusesExactlyTheListedScans()
    {
        foreach (var (name, op) in OnnxScans.NotRunInOnnxRuntime)
        {
            var bytes = OnnxExport.ToBytes(TestScans.Cases.Single(c => c.Scan.Name == name).Scan.Graph);
            var error = Assert.ThrowsAny<Exception>(() => OnnxRunner.NewSession(bytes));
            Assert.Contains($"Could not find an implementation for {op}", error.Message);
        }
    }
}

public class OnnxModelTests
{
    private static readonly global::Onnx.ModelProto Elman = OnnxExport.ToModel(Seed.Scans.RnnGraph);

    private static string[] Dims(global::Onnx.ValueInfoProto v) => v.Type.TensorType.Shape.Dim.Select(d => d.DimParam).ToArray();

    [Fact]
    public void InputsAndOutputsAreTheMethodsWithNamedDimensions()
    {
        var graph = Elman.Graph;
        Assert.Equal(["xs", "h0", "W", "U", "b"], graph.Input.Select(i => i.Name));
        Assert.All(graph.Input, i => Assert.Equal((int)global::Onnx.TensorProto.Types.DataType.Double, i.Type.TensorType.ElemType));
        // Sizes the shape rules require equal are one name.
        Assert.Equal(["xs.Rows", "xs.Columns"], Dims(graph.Input[0]));
        Assert.Equal(["h0.Length"], Dims(graph.Input[1]));
        Assert.Equal(["h0.Length", "h0.Length"], Dims(graph.Input[2]));
        Assert.Equal(["h0.Length", "xs.Columns"], Dims(graph.Input[3]));
        Assert.Equal(["h0.Length"], Dims(graph.Input[4]));
        var output = Assert.Single(graph.Output);
        Assert.Equal("Rnn", output.Name);
        Assert.Equal(["Rnn.steps", "h0.Length"], Dims(output));
        Assert.Equal("SymGen.Onnx", Elman.ProducerName);
    }

    [Fact]
    public void TheLoopKeepsTheRecurrentProductAndHoistsTheRest()
    {
        var loop = Assert.Single(Elman.Graph.Node, n => n.OpType == "Loop");
        Assert.Equal("scan 'Rnn'", loop.DocString);
        var body = loop.Attribute.Single(a => a.Name == "body").G;
        // Per step: h[1,H] · Wᵀ, labelled with its source; the transposes and U x for all steps are outside.
        var products = body.Node.Where(n => n.OpType == "MatMul").ToList();
        Assert.Equal("Sym.Dot(W, h)", Assert.Single(products).DocString);
        Assert.DoesNotContain(body.Node, n => n.OpType == "Transpose");
        Assert.Contains(Elman.Graph.Node, n => n.OpType == "MatMul" && n.DocString == "Sym.Dot(U, x) for every step");
        Assert.Contains(body.Node, n => n.Name == "n9" && n.OpType == "Tanh" && n.DocString == "Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b)");
        OnnxChecks.WellFormed(Elman);
    }

    /// <summary>Shared variables: the updated value is an extra output, and the runner writes it back (as a generated call does).</summary>
    [Fact]
    public void SharedUpdatesAreExtraOutputs()
    {
        var graph = Seed.Scans.AddToTotalGraph;
        var names = OnnxExport.OutputNames(graph);
        Assert.Contains(names, n => n.EndsWith(".updated"));
        var model = OnnxExport.ToModel(graph);
        Assert.Equal(names, model.Graph.Output.Select(o => o.Name));
    }

    /// <summary>A loop of no steps gives an empty trace of the right width, as the generated loop does.</summary>
    [Fact]
    public void NoStepsGiveAnEmptyTraceOfTheStatesWidth()
    {
        var h0 = new Vec<double>([0.5, -0.25, 1]);
        var W = new Mat<double>(new double[9], 3, 3);
        var U = new Mat<double>(new double[6], 3, 2);
        var result = OnnxRunner.Run(Seed.Scans.RnnGraph, [new Mat<double>([], 0, 2), h0, W, U, new Vec<double>(new double[3])]);
        var trace = Assert.IsType<Mat<double>>(result[0]);
        Assert.Equal((0, 3), (trace.Rows, trace.Columns));
    }
}
