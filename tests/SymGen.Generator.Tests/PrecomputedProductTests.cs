using System;
using System.Linq;
using System.Reflection;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Products of a sequence row and a non-sequence matrix (<c>U x</c> in <c>tanh(W h + U x + b)</c>) computed for every
/// step before the loop as one matrix product: the plan's decision, the generated code, and the results (with taps,
/// going backwards, a given number of steps, zero steps, float) against the step method called in a plain loop and
/// against the loop that computes them per step.
/// </summary>
public class PrecomputedProductTests
{
    private const string Source = """
        using SymGen;
        public static partial class S
        {
            // U x0 (Dot(matrix, row)) and xm1 V (Dot(row, matrix)) do not depend on h; W h does.
            public static Vec<double> Step(Vec<double> xm1, Vec<double> x0, Vec<double> h, Mat<double> W, Mat<double> U, Mat<double> V) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x0) + Sym.Dot(xm1, V));
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Forward([Sequence(-1, 0)] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Mat<double> V);
            [Symbolic(nameof(Step), GoBackwards = true)]
            public static partial Mat<double> Backward([Sequence(-1, 0)] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Mat<double> V);
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Counted([Sequence(-1, 0)] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Mat<double> V, [Steps] int n);

            public static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);
            [Symbolic(nameof(ElmanF))]
            public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

            // A while loop may stop early: nothing is computed ahead for it.
            static (Vec<double>, Until) Grow(Vec<double> x, Vec<double> h, Mat<double> U) => (h + Sym.Dot(U, x), Until.When(Sym.Sum(h) > 100));
            [Symbolic(nameof(Grow))]
            public static partial Mat<double> Growing([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> U);

            // A product that is an output is computed into its trace row, not ahead.
            static Vec<double> Project(Vec<double> x, Mat<double> U) => Sym.Dot(U, x);
            [Symbolic(nameof(Project))]
            public static partial Mat<double> Map([Sequence] Mat<double> xs, Mat<double> U);
        }
        """;

    [Fact]
    public void ThePlanPrecomputesTheProductsOfARowAndAMatrixAndNothingElse()
    {
        var (scans, run) = GeneratorHarness.Plan(Source, LoopOptions.Default);
        var forward = scans["Forward"];
        var nodes = forward.Step.Nodes;
        var products = forward.Plan.Precomputed;
        Assert.Equal(2, products.Count);
        Assert.All(products, p => Assert.Equal(NodeStorage.Precomputed, forward.Plan.Nodes[p.Node].Storage));
        Assert.Equal(["Sym.Dot(U, x0)", "Sym.Dot(xm1, V)"], products.Select(p => nodes[p.Node].Label));
        Assert.Equal([true, false], products.Select(p => p.MatrixFirst));
        Assert.Equal(["x0", "xm1"], products.Select(p => forward.Step.Arguments[p.Sequence].Name));
        // W h depends on the state: a buffer, computed per step.
        Assert.Equal(NodeStorage.Buffer, forward.Plan.Nodes[nodes.Single(n => n.Label == "Sym.Dot(W, h)").Id].Storage);
        Assert.Empty(scans["Growing"].Plan.Precomputed);
        Assert.Empty(scans["Map"].Plan.Precomputed);
        Assert.Empty(GeneratorHarness.Plan(Source, LoopOptions.Default with { Precompute = false }).Scans["Forward"].Plan.Precomputed);
        Assert.Empty(GeneratorHarness.Plan(Source, new LoopOptions(KeepEveryNodeObservable: true)).Scans["Forward"].Plan.Precomputed);

        // Both are operands of the fused loop written into the trace row: the first is computed into the trace's rows
        // (each step reads its row, then overwrites it), the second into an array of its own.
        Assert.Equal([0, -1], products.Select(p => p.Trace));
        Assert.Equal([0], scans["RnnF"].Plan.Precomputed.Select(p => p.Trace));
        var code = GeneratorHarness.FastPath(run.GeneratedSources.Single(s => s.Key.EndsWith(".Forward.g.cs", StringComparison.Ordinal)).Value);
        Assert.Contains("ForwardRows.Slice(0, steps * ForwardWidth));", code);
        Assert.Equal(1, code.Split("GC.AllocateUninitializedArray").Length - 1);
        // Going backwards step t reads row steps - 1 - t: both get arrays of their own.
        var backward = GeneratorHarness.FastPath(run.GeneratedSources.Single(s => s.Key.EndsWith(".Backward.g.cs", StringComparison.Ordinal)).Value);
        Assert.Equal(2, backward.Split("GC.AllocateUninitializedArray").Length - 1);
        Assert.Contains("global::SymGen.Kernels.MatMul<double>(", code);
        Assert.Contains("(Dot, precomputed before the loop: it does not depend on the recurrent state)", code);
        Assert.Equal(2, code.Split("Kernels.MatMul").Length - 1);
        Assert.Equal(1, code.Split("Kernels.MatVec<double>(in WPacked").Length - 1); // W h, in the loop (PackedWeightTests)
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    public void ResultsEqualTheStepMethodInAPlainLoopAndTheLoopWithoutPrecomputing(int hidden)
    {
        var precomputed = GeneratorHarness.Load(Source).GetType("S")!;
        var perStep = GeneratorHarness.Load(GeneratorHarness.Driver(new ScanGenerator(LoopOptions.Default with { Precompute = false })), Source).GetType("S")!;
        var random = new Random(hidden);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        int inputs = 6;
        foreach (int rows in new[] { 1, 2, 30 })
        {
            var xs = new Mat<double>(Values(rows * inputs, 2), rows, inputs);
            var h0 = new Vec<double>(Values(hidden, 1));
            var W = new Mat<double>(Values(hidden * hidden, 1.5 / Math.Sqrt(hidden)), hidden, hidden);
            var U = new Mat<double>(Values(hidden * inputs, 1), hidden, inputs);
            var V = new Mat<double>(Values(inputs * hidden, 1), inputs, hidden);
            int steps = rows - 1;
            // Theano's taps: going forwards step t reads rows t (tap -1) and t + 1 (tap 0); backwards rows - 2 - t and rows - 1 - t.
            var forward = Plain(precomputed, steps, t => (xs.Row(t), xs.Row(t + 1)), h0, W, U, V);
            var backward = Plain(precomputed, steps, t => (xs.Row(rows - 2 - t), xs.Row(rows - 1 - t)), h0, W, U, V);
            int counted = Math.Max(0, steps - 3);
            var first = Plain(precomputed, counted, t => (xs.Row(t), xs.Row(t + 1)), h0, W, U, V);
            foreach (var (scan, expected, arguments) in new[]
                     {
                         ("Forward", forward, new object[] { xs, h0, W, U, V }),
                         ("Backward", backward, new object[] { xs, h0, W, U, V }),
                         ("Counted", first, new object[] { xs, h0, W, U, V, counted }),
                     })
            {
                var actual = (Mat<double>)precomputed.GetMethod(scan)!.Invoke(null, arguments)!;
                var unhoisted = (Mat<double>)perStep.GetMethod(scan)!.Invoke(null, arguments)!;
                Assert.Equal(expected.Length, actual.Span.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    // The product over all rows adds in another order than a mat-vec per step: within Dot's tolerance.
                    Assert.True(Math.Abs(expected[i] - actual.Span[i]) <= 1e-13, $"{scan}, {rows} rows, H={hidden}: element {i} is {actual.Span[i]:R}, the plain loop's {expected[i]:R}");
                    Assert.True(Math.Abs(unhoisted.Span[i] - actual.Span[i]) <= 1e-13, $"{scan}: element {i} is {actual.Span[i]:R}, per step {unhoisted.Span[i]:R}");
                }
            }
        }

        // Float: the same within float's precision.
        float[] F(double[] d) => d.Select(v => (float)v).ToArray();
        var fx = new Mat<float>(F(Values(40 * inputs, 2)), 40, inputs);
        object[] floatArguments = [fx, new Vec<float>(F(Values(hidden, 1))), new Mat<float>(F(Values(hidden * hidden, 1.5 / Math.Sqrt(hidden))), hidden, hidden),
            new Mat<float>(F(Values(hidden * inputs, 1)), hidden, inputs), new Vec<float>(F(Values(hidden, 0.2)))];
        var a = (Mat<float>)precomputed.GetMethod("RnnF")!.Invoke(null, floatArguments)!;
        var b = (Mat<float>)perStep.GetMethod("RnnF")!.Invoke(null, floatArguments)!;
        Assert.Equal(b.Span.Length, a.Span.Length);
        for (int i = 0; i < a.Span.Length; i++)
            Assert.True(Math.Abs(a.Span[i] - b.Span[i]) <= 1e-5f, $"RnnF: element {i} is {a.Span[i]:R}, per step {b.Span[i]:R}");
    }

    /// <summary>The scan as a plain loop calling its step method, the rows each step reads given by <paramref name="rows"/>.</summary>
    private static double[] Plain(Type scans, int steps, Func<int, (Vec<double> Xm1, Vec<double> X0)> rows, Vec<double> h0, Mat<double> W, Mat<double> U, Mat<double> V)
    {
        var step = scans.GetMethod("Step")!;
        var trace = new System.Collections.Generic.List<double>();
        var h = h0;
        for (int t = 0; t < steps; t++)
        {
            var (xm1, x0) = rows(t);
            h = (Vec<double>)step.Invoke(null, [xm1, x0, h, W, U, V])!;
            trace.AddRange(h.ToArray());
        }
        return trace.ToArray();
    }
}
