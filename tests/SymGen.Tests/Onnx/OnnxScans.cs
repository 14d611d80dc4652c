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
