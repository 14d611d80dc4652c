using System;
using System.Linq;
using SymGen.Graph;
using SymGen.Tests.Conformance;
using Xunit;

namespace SymGen.Tests.Onnx;

/// <summary>Graphs built with the Tensor API (no generator): work after a scan, two chained scans, float and go_backwards.</summary>
public class OnnxTensorGraphTests
{
    private static void SameAsInterpreter(Function f, double tolerance, params object[] arguments)
    {
        var expected = Outcome.Of(a => f.Invoke(a), arguments);
        var actual = Outcome.Of(a => OnnxRunner.Run(f, a), arguments);
        Agreement.Assert(expected, actual, tolerance, "ONNX Runtime against the interpreter");
        OnnxChecks.WellFormed(SymGen.Onnx.OnnxExport.ToModel(f));
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 5)]
    [InlineData(false, 0)]
    public void AnRnnAndAReductionOfItsTrace(bool backwards, int steps)
    {
        var X = Tensor.Input("X", new TensorType(ElementKind.Float64, 2));
        var h0 = Tensor.Input("h0", new TensorType(ElementKind.Float64, 1));
        var W = Tensor.Input("W", new TensorType(ElementKind.Float64, 2));
        var R = Tensor.Input("R", new TensorType(ElementKind.Float64, 2));
        var h = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(Tensor.Dot(p[2], p[1]) + p[0])),
            sequences: [new ScanSequence(X, [0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [W], goBackwards: backwards)[0];
        var f = Tensor.Function([X, h0, W, R], [h, Tensor.Sum(h * R)]);
        var random = new Random(3);
        Mat<double> M(int r, int c) => new(Enumerable.Range(0, r * c).Select(_ => random.NextDouble() - 0.5).ToArray(), r, c);
        SameAsInterpreter(f, 1e-12, M(steps, 3), new Vec<double>([0.1, -0.2, 0.3]), M(3, 3), M(steps, 3));
    }

    [Fact]
    public void AScanOfAnotherScansTraceInFloat()
    {
        var x = Tensor.Input("x", new TensorType(ElementKind.Float32, 1));
        var s0 = Tensor.Input("s0", new TensorType(ElementKind.Float32, 0));
        var sums = Tensor.Scan(p => ScanStep.Of(p[1] + p[0]), sequences: [new ScanSequence(x, [0])], outputs: [ScanOutputInfo.Recurrent(s0)], name: "sums")[0];
        var squares = Tensor.Scan(p => ScanStep.Of(p[0] * p[0] - p[1]), sequences: [new ScanSequence(sums, [0, -1])], name: "squares")[0];
        var f = Tensor.Function([x, s0], [sums, squares]);
        SameAsInterpreter(f, 1e-5, new[] { 1f, 2.5f, -3f, 0.25f, 7f }, 0.5f);
    }
}
