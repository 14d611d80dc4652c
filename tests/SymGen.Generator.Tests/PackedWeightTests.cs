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

            // W multiplies the state twice a step: packed once, both products read it; V h is a row times a matrix (not packed).
            static Vec<double> TwiceStep(Vec<double> h, Mat<double> W, Mat<double> V) => Sym.Tanh(Sym.Dot(W, Sym.Dot(W, h)) + Sym.Dot(h, V));
            [Symbolic(nameof(TwiceStep))]
            public static partial Mat<double> Twice([Initial] Vec<double> h0, Mat<double> W, Mat<double> V, [Steps] int n);
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
        Assert.Contains("global::SymGen.Kernels.Dot<double>(", code); // h V
    }

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
