using System;
using SymGen;
using Xunit;

namespace PackageConsumer;

public static partial class Scans
{
    static double Add(double x, double h) => h + x;

    [Symbolic(nameof(Add))]
    public static partial double[] CumSum([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

    static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Vec<double> b) => Sym.Tanh(Sym.Dot(W, h) + x + b);

    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Vec<double> b);
}

/// <summary>A project that references only the SymGen package builds scans (the generator ran) and runs them.</summary>
public class PackageTests
{
    [Fact]
    public void TheGeneratorRunsFromThePackage()
    {
        Assert.Equal([2.0, 4.0, 7.0], Scans.CumSum([1, 2, 3], 1));
        Assert.Equal("[2, 4, 7]", ((Vec<double>)Scans.CumSumGraph.Invoke(new double[] { 1, 2, 3 }, 1.0)[0]).ToString());
    }

    [Fact]
    public void TensorScansRunFromThePackage()
    {
        var h = Scans.Rnn(Mat<double>.FromRows([0.5, 0.5]), Vec<double>.Zeros(2), Mat<double>.Zeros(2, 2), Vec<double>.Zeros(2));
        Assert.Equal(Math.Tanh(0.5), h[0, 0], 15);
    }
}
