using System;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Non-sequence matrices multiplied at every step (<c>W h</c>) are packed once before the loop (PackedMatrix): the
/// plan's decision, the generated code, and the results, bit for bit those of the loop that multiplies W as given
/// (the packed kernel sums as the plain one does), at sizes with every row and column remainder, over fewer steps
/// than packing needs and more, in float and double, with a destination (nothing allocated).
/// </summary>
public class PackedWeightTests
{
    private const string Source = """
        using SymGen;
        public static partial class S
        {
            public static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);
            [Symbolic(nameof(Elman))]
            public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);
            [Symbolic(nameof(Elman))]
            public static partial void RnnInto([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, [Destination] Mat<double> hs);

            public static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);
            [Symbolic(nameof(ElmanF))]
            public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

            // W multiplies the state twice a step: packed once, both products read it; h V, a row times a matrix, reads V by column strips.
            static Vec<double> TwiceStep(Vec<double> h, Mat<double> W, Mat<double> V) => Sym.Tanh(Sym.Dot(W, Sym.Dot(W, h)) + Sym.Dot(h, V));
            [Symbolic(nameof(TwiceStep))]
            public static partial Mat<double> Twice([Initial] Vec<double> h0, Mat<double> W, Mat<double> V, [Steps] int n);

            // A mini-batch: the state matrix times Wt and the step's inputs times Ut, both packed by column strips.
            static Mat<double> Batch(Mat<double> X, Mat<double> H, Mat<double> Wt, Mat<double> Ut, Vec<double> b) =>
                Sym.Tanh(Sym.Dot(H, Wt) + Sym.Dot(X, Ut) + b);
            [Symbolic(nameof(Batch))]
            public static partial Tensor3<double> Batched([Sequence] Tensor3<double> xs, [Initial] Mat<double> h0, Mat<double> Wt, Mat<double> Ut, Vec<double> b);

            static Mat<float> BatchF(Mat<float> X, Mat<float> H, Mat<float> Wt, Mat<float> Ut, Vec<float> b) =>
                Sym.Tanh(Sym.Dot(H, Wt) + Sym.Dot(X, Ut) + b);
            [Symbolic(nameof(BatchF))]
            public static partial Tensor3<float> BatchedF([Sequence] Tensor3<float> xs, [Initial] Mat<float> h0, Mat<float> Wt, Mat<float> Ut, Vec<float> b);
        }
        """;

    [Fact]
    public void ThePlanPacksTheMatricesOfPerStepMatVecsOnly()
    {
        var (scans, run) = GeneratorHarness.Plan(Source, LoopOptions.Default);
        string ArgumentName(ScanSpec scan, int index) => scan.Step.Arguments[index].Name;
        Assert.Equal(["W"], scans["Rnn"].Plan.Packed.Select(a => ArgumentName(scans["Rnn"], a))); // U x is precomputed
        Assert.Equal(["W"], scans["Twice"].Plan.Packed.Select(a => ArgumentName(scans["Twice"], a)));
        Assert.Empty(GeneratorHarness.Plan(Source, LoopOptions.Default with { PackWeights = false }).Scans["Rnn"].Plan.Packed);
        Assert.Empty(GeneratorHarness.Plan(Source, new LoopOptions(KeepEveryNodeObservable: true)).Scans["Rnn"].Plan.Packed);

        var code = GeneratorHarness.FastPath(run.GeneratedSources.Single(s => s.Key.EndsWith(".Twice.g.cs", StringComparison.Ordinal)).Value);
        Assert.Equal(1, code.Split("global::SymGen.PackedMatrix<double>.Pack(WSpan, W.Rows, W.Columns, steps);").Length - 1);
        Assert.Equal(2, code.Split("global::SymGen.Kernels.MatVec<double>(in WPacked, ").Length - 1);
        Assert.Contains("(Dot, on the packed matrix)", code);
        // h V, a row times a matrix: V packed by column strips, the product a VecMat on them.
        Assert.Equal(["V"], scans["Twice"].Plan.PackedColumns.Select(a => ArgumentName(scans["Twice"], a)));
        Assert.Contains("global::SymGen.Kernels.VecMat<double>(Twice_1, in VColumns, ", code);
        Assert.DoesNotContain("Kernels.Dot<double>(", code);
        Assert.Empty(scans["Rnn"].Plan.PackedColumns);

        var batched = scans["Batched"];
        Assert.Empty(batched.Plan.Packed);
        Assert.Equal(["Wt", "Ut"], batched.Plan.PackedColumns.Select(a => ArgumentName(batched, a)));
        var batchedCode = GeneratorHarness.FastPath(run.GeneratedSources.Single(s => s.Key.EndsWith(".Batched.g.cs", StringComparison.Ordinal)).Value);
        Assert.Contains("using var WtColumns = global::SymGen.PackedMatrix<double>.PackColumns(WtSpan, Wt.Rows, Wt.Columns, steps);", batchedCode);
        Assert.Contains("global::SymGen.Kernels.MatMul<double>(Batched_1, h0.Rows, h0.Columns, in WtColumns, ", batchedCode);
        Assert.Contains("global::SymGen.Kernels.MatMul<double>(X, xs.Rows, xs.Columns, in UtColumns, ", batchedCode);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(4, 16)]
    [InlineData(5, 37)]
    [InlineData(32, 64)]
    public void MiniBatchResultsAreThoseOfTheMatricesAsGivenBitForBit(int batch, int hidden)
    {
        var packed = GeneratorHarness.Load(Source).GetType("S")!;
        var plain = GeneratorHarness.Load(GeneratorHarness.Driver(new ScanGenerator(LoopOptions.Default with { PackWeights = false })), Source).GetType("S")!;
        var random = new Random(batch * 100 + hidden);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        float[] F(double[] d) => d.Select(v => (float)v).ToArray();
        const int inputs = 7;
        foreach (int steps in new[] { 0, 2, 6 })
        {
            double[] xs = Values(steps * batch * inputs, 2), h0 = Values(batch * hidden, 1), wt = Values(hidden * hidden, 1.5 / Math.Sqrt(hidden)),
                ut = Values(inputs * hidden, 1), b = Values(hidden, 0.2);
            object[] arguments = [new Tensor3<double>(xs, steps, batch, inputs), new Mat<double>(h0, batch, hidden), new Mat<double>(wt, hidden, hidden),
                new Mat<double>(ut, inputs, hidden), new Vec<double>(b)];
            Assert.Equal(Trace<double>(plain, "Batched", arguments), Trace<double>(packed, "Batched", arguments));
            object[] floats = [new Tensor3<float>(F(xs), steps, batch, inputs), new Mat<float>(F(h0), batch, hidden), new Mat<float>(F(wt), hidden, hidden),
                new Mat<float>(F(ut), inputs, hidden), new Vec<float>(F(b))];
            Assert.Equal(Trace<float>(plain, "BatchedF", floats), Trace<float>(packed, "BatchedF", floats));
        }
    }

    private static T[] Trace<T>(Type scans, string name, object[] arguments) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ((Tensor3<T>)scans.GetMethod(name)!.Invoke(null, arguments)!).Span.ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(260)]
    public void ResultsAreThoseOfTheMatrixAsGivenBitForBit(int hidden)
    {
        var packed = GeneratorHarness.Load(Source).GetType("S")!;
        var plain = GeneratorHarness.Load(GeneratorHarness.Driver(new ScanGenerator(LoopOptions.Default with { PackWeights = false })), Source).GetType("S")!;
        var random = new Random(hidden);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        float[] F(double[] d) => d.Select(v => (float)v).ToArray();
        const int inputs = 6;
        // Fewer steps than PackedMatrix.MinimumProducts keep W as given; more pack it.
        foreach (int steps in new[] { 0, 1, PackedMatrix<double>.MinimumProducts - 1, PackedMatrix<double>.MinimumProducts, 30 })
        {
            double[] xs = Values(steps * inputs, 2), h0 = Values(hidden, 1), w = Values(hidden * hidden, 1.5 / Math.Sqrt(hidden)),
                u = Values(hidden * inputs, 1), b = Values(hidden, 0.2), v = Values(hidden * hidden, 1 / Math.Sqrt(hidden));
            object[] arguments = [new Mat<double>(xs, steps, inputs), new Vec<double>(h0), new Mat<double>(w, hidden, hidden), new Mat<double>(u, hidden, inputs), new Vec<double>(b)];
            Assert.Equal(Call<double>(plain, "Rnn", arguments), Call<double>(packed, "Rnn", arguments));
            object[] floats = [new Mat<float>(F(xs), steps, inputs), new Vec<float>(F(h0)), new Mat<float>(F(w), hidden, hidden), new Mat<float>(F(u), hidden, inputs), new Vec<float>(F(b))];
            Assert.Equal(Call<float>(plain, "RnnF", floats), Call<float>(packed, "RnnF", floats));
            object[] twice = [new Vec<double>(h0), new Mat<double>(w, hidden, hidden), new Mat<double>(v, hidden, hidden), steps];
            Assert.Equal(Call<double>(plain, "Twice", twice), Call<double>(packed, "Twice", twice));

            var into = Mat<double>.Zeros(steps, hidden);
            packed.GetMethod("RnnInto")!.Invoke(null, [.. arguments, into]);
            Assert.Equal(Call<double>(plain, "Rnn", arguments), into.Span.ToArray());
        }
    }

    [Fact]
    public void ADestinationScanThatPacksAllocatesNothing()
    {
        var scans = GeneratorHarness.Load(Source).GetType("S")!;
        var into = scans.GetMethod("RnnInto")!.CreateDelegate<Action<Mat<double>, Vec<double>, Mat<double>, Mat<double>, Vec<double>, Mat<double>>>();
        const int hidden = 64, inputs = 8, steps = 50;
        var xs = new Mat<double>(Enumerable.Range(0, steps * inputs).Select(i => Math.Sin(i)).ToArray(), steps, inputs);
        var h0 = Vec<double>.Zeros(hidden);
        var w = new Mat<double>(Enumerable.Range(0, hidden * hidden).Select(i => Math.Cos(i) / hidden).ToArray(), hidden, hidden);
        var u = new Mat<double>(Enumerable.Range(0, hidden * inputs).Select(i => Math.Sin(i * 0.3)).ToArray(), hidden, inputs);
        var b = Vec<double>.Zeros(hidden);
        var hs = Mat<double>.Zeros(steps, hidden);
        into(xs, h0, w, u, b, hs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        into(xs, h0, w, u, b, hs);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static T[] Call<T>(Type scans, string name, object[] arguments) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ((Mat<T>)scans.GetMethod(name)!.Invoke(null, arguments)!).Span.ToArray();
}
