using System;
using System.IO;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Debugging;

/// <summary>Scans that print: Theano's tutorial (<c>Print</c> beside <c>x * 5</c>) in a map scan, on scalars and vectors.</summary>
public static partial class PrintScans
{
    private static double TimesFive(double x) => Sym.Print(x, "this is a very important value") * 5;

    /// <summary>Each element printed, then times 5.</summary>
    [Symbolic(nameof(TimesFive))]
    public static partial double[] PrintTimesFive([Sequence] double[] x);

    private static Vec<double> RowTimesFive(Vec<double> row) => Sym.Print(row, "row") * 5.0;

    /// <summary>Each row printed (a tensor print: a kernel call in the loop), then times 5.</summary>
    [Symbolic(nameof(RowTimesFive))]
    public static partial Mat<double> PrintRowsTimesFive([Sequence] Mat<double> rows);

    private static double Accumulate(double x, double total, double w)
    {
        // The weight is the same at every step; printing it is still done at every step (never hoisted), and two
        // equal prints are two prints (never merged).
        var weight = Sym.Print(w, "w");
        var again = Sym.Print(w, "w");
        return Sym.Print(total + weight * x + again * 0, "total");
    }

    /// <summary>A recurrence printing a non-sequence and its state.</summary>
    [Symbolic(nameof(Accumulate))]
    public static partial double[] PrintAccumulate([Sequence] double[] x, [Initial] double total, double w);
}

public sealed class PrintTests
{
    private static (T Result, string[] Lines) Captured<T>(Func<T> run)
    {
        var writer = new StringWriter();
        T result;
        using (Printing.To(writer)) result = run();
        return (result, writer.ToString().Split(writer.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TheTutorialsPrintReturnsTheValueAndPrintsItInTheTensorApi()
    {
        // Theano: x_printed = Print('this is a very important value')(x); f = function([x], x_printed * 5); f([1, 2, 3])
        var x = Tensor.Vector("x");
        var f = Tensor.Function([x], [Tensor.Print(x, "this is a very important value") * 5]);
        var (result, lines) = Captured(() => f.Invoke(new Vec<double>([1.0, 2, 3])));
        Assert.Equal(new[] { 5.0, 10, 15 }, ((Vec<double>)result[0]).Span.ToArray());
        Assert.Equal(["this is a very important value = [1, 2, 3]"], lines);
    }

    [Fact]
    public void AGraphWithoutThePrintComputesTheSameAndPrintsNothing()
    {
        var x = Tensor.Vector("x");
        var printed = Tensor.Print(x, "x");
        var f = Tensor.Function([x], [x * 5]); // the print is not on the result's path: not computed (Theano's rule)
        var (result, lines) = Captured(() => f.Invoke(new Vec<double>([1.0, 2, 3])));
        Assert.Equal(new[] { 5.0, 10, 15 }, ((Vec<double>)result[0]).Span.ToArray());
        Assert.Empty(lines);
        Assert.Equal(Op.Print, ((ApplyVariable)printed).Op);
    }

    [Fact]
    public void TheGeneratedLoopPrintsEveryStep()
    {
        var (result, lines) = Captured(() => PrintScans.PrintTimesFive([1.0, 2, 3]));
        Assert.Equal(new[] { 5.0, 10, 15 }, result);
        Assert.Equal(["this is a very important value = 1", "this is a very important value = 2", "this is a very important value = 3"], lines);
    }

    [Fact]
    public void TheInterpreterOnTheGeneratedGraphPrintsTheSameLines()
    {
        var (loop, loopLines) = Captured(() => PrintScans.PrintTimesFive([1.0, 2, 3]));
        var (graph, graphLines) = Captured(() => PrintScans.PrintTimesFiveGraph.Invoke(new Vec<double>([1.0, 2, 3])));
        Assert.Equal(loop, ((Vec<double>)graph[0]).Span.ToArray());
        Assert.Equal(loopLines, graphLines);
    }

    [Fact]
    public void TensorPrintsInTheLoopAndTheInterpreter()
    {
        var rows = new Mat<double>([1.0, 2, 3, 4], 2, 2);
        var (loop, loopLines) = Captured(() => PrintScans.PrintRowsTimesFive(rows));
        var (graph, graphLines) = Captured(() => PrintScans.PrintRowsTimesFiveGraph.Invoke(rows));
        Assert.Equal(new[] { 5.0, 10, 15, 20 }, loop.Span.ToArray());
        Assert.Equal(loop, (Mat<double>)graph[0]);
        Assert.Equal(["row = [1, 2]", "row = [3, 4]"], loopLines);
        Assert.Equal(loopLines, graphLines);
    }

    [Fact]
    public void PrintsOfInvariantAndEqualValuesRunAtEveryStepInEveryEngine()
    {
        double[] x = [1.0, 2, 0.5];
        var (loop, loopLines) = Captured(() => PrintScans.PrintAccumulate(x, 10.0, 2.0));
        var (graph, graphLines) = Captured(() => PrintScans.PrintAccumulateGraph.Invoke(new Vec<double>(x), 10.0, 2.0));
        // Independent computation: total_t = total_{t-1} + 2 x_t.
        double total = 10;
        var expected = x.Select(v => total += 2 * v).ToArray();
        Assert.Equal(expected, loop);
        Assert.Equal(expected, ((Vec<double>)graph[0]).Span.ToArray());
        var expectedLines = expected.SelectMany(t => new[] { "w = 2", "w = 2", $"total = {t.ToString(System.Globalization.CultureInfo.InvariantCulture)}" }).ToArray();
        Assert.Equal(expectedLines, loopLines);
        Assert.Equal(expectedLines, graphLines);
    }

    [Fact]
    public void TheEagerFormPrintsAndReturnsItsArgument()
    {
        var v = new Vec<double>([0.5, -1]);
        var m = new Mat<float>([1f, 2, 3, 4], 2, 2);
        var (results, lines) = Captured(() => (Sym.Print(v, "v"), Sym.Print(m, "m"), Sym.Print(3, "i"), Sym.Print(true, "b"), Sym.Print(double.NaN, "nan")));
        Assert.Equal(v, results.Item1);
        Assert.Equal(m, results.Item2);
        Assert.Equal(3, results.Item3);
        Assert.Equal(["v = [0.5, -1]", "m = [[1, 2], [3, 4]]", "i = 3", "b = true", "nan = NaN"], lines);
    }

    [Fact]
    public void TheWriterIsRedirectableAndScopesNest()
    {
        var outer = new StringWriter();
        var inner = new StringWriter();
        using (Printing.To(outer))
        {
            Sym.Print(1.0, "a");
            using (Printing.To(inner)) Sym.Print(2.0, "b");
            Sym.Print(3.0, "c");
        }
        Assert.Equal($"a = 1{outer.NewLine}c = 3{outer.NewLine}", outer.ToString());
        Assert.Equal($"b = 2{inner.NewLine}", inner.ToString());
        Assert.Same(Console.Out, Printing.Writer);
    }

    [Fact]
    public void BadArgumentsNameTheParameter()
    {
        Assert.Equal("label", Assert.Throws<ArgumentNullException>(() => Tensor.Print(Tensor.Scalar("x"), null!)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentNullException>(() => Sym.Print(1.0, null!)).ParamName);
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => Printing.To(null!)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Apply(Op.Print, Tensor.Scalar("x")));
        Assert.Contains("Tensor.Print", e.Message);
    }

    [Fact]
    public void PrintIsAnObservingOpAndItsGradientPassesThrough()
    {
        var row = OpTable.Get(Op.Print);
        Assert.Equal(68, (int)Op.Print);
        Assert.Equal(OpEffect.Observes, row.Effect);
        var x = Tensor.Scalar("x");
        var cost = Tensor.Print(x, "x") * Tensor.Print(x, "x");
        var g = Tensor.Function([x], [Tensor.Grad(cost, [x])[0]]);
        var (result, _) = Captured(() => g.Invoke(3.0));
        Assert.Equal(6.0, (double)result[0]);
    }
}
