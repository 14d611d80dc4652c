using System;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>
/// Each op's emitted kernel (inside a generated scan: fused loops, kernel calls, traces written in place) is compared
/// with its eager kernel, the step method called directly on the same rows on random shapes and values, by the
/// conformance suite (TestScans: OpScans.*) on every engine. Here: the errors of the emitted size checks.
/// </summary>
public class EmittedKernelTests
{
    [Fact]
    public void MismatchedSizesNameTheParameterBeforeTheFirstStep()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            OpScans.Rnn(Mat<double>.Zeros(3, 2), Vec<double>.Zeros(4), Mat<double>.Zeros(4, 5), Mat<double>.Zeros(4, 2), Vec<double>.Zeros(4)));
        Assert.Equal("W", error.ParamName);
        Assert.Contains("h0.Length is 4 but W.Columns is 5", error.Message);
        Assert.Contains("Sym.Dot(W, h) in step Elman", error.Message);

        var initial = Assert.Throws<ArgumentException>(() => OpScans.MomentumTaps(Mat<double>.Zeros(2, 3), Mat<double>.Zeros(1, 3), 0.5));
        Assert.Equal("v0", initial.ParamName);
    }
}
