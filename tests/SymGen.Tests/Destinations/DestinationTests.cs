using System;
using System.Linq;
using Xunit;
using static SymGen.Tests.Destinations.DestinationScans;

namespace SymGen.Tests.Destinations;

/// <summary>
/// Scans writing into caller-provided destinations: the same bits as the allocating overload, in every container
/// and under every debugging mode, rows past the steps untouched, bad destinations rejected before anything is
/// written, and no allocation per call.
/// </summary>
public class DestinationTests
{
    private const double Sentinel = -12345.5;

    private static double[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    private static Mat<double> RandomMat(int rows, int columns, int seed, double scale = 1) =>
        new(Random(rows * columns, seed).Select(v => v * scale).ToArray(), rows, columns);

    private static double[] Filled(int n) => Enumerable.Repeat(Sentinel, n).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void Scalar_destinations_hold_the_allocating_overloads_trace_bit_for_bit(int n)
    {
        var x = Random(n, 1);
        var expected = CumSum(x, 0.25);
        var span = Filled(n + 3);
        CumSum(x, 0.25, span);
        var array = Filled(n);
        CumSumIntoArray(x, 0.25, array);
        var memory = Filled(n + 1);
        CumSumIntoMemory(x, 0.25, memory.AsMemory(1));
        var vec = Filled(n);
        CumSumIntoVec(x, 0.25, new Vec<double>(vec));

        Assert.Equal(expected, span[..n]);
        Assert.All(span[n..], v => Assert.Equal(Sentinel, v)); // rows past the steps are not touched
        Assert.Equal(expected, array);
        Assert.Equal(Sentinel, memory[0]);
        Assert.Equal(expected, memory[1..]);
        Assert.Equal(expected, vec);
    }

    [Fact]
    public void Taps_and_several_outputs_write_each_destination()
    {
        var x = Random(200, 2);
        double[] y0 = [0.5, -1, 2, 0.25, 1];
        var expected = Iir(x, y0, 0.3);
        var ys = Filled(expected.Length);
        Iir(x, y0, 0.3, ys);
        Assert.Equal(expected, ys);

        var (m, h, z) = MixedOutputs(x, 1.5, [2, 3]);
        double[] md = Filled(200), hd = Filled(200), zd = Filled(200);
        MixedOutputs(x, 1.5, [2, 3], md, hd, zd);
        Assert.Equal(m, md);
        Assert.Equal(h, hd);
        Assert.Equal(z, zd);
    }

    [Fact]
    public void Vector_and_matrix_outputs_write_a_Mat_and_a_Tensor3()
    {
        const int T = 50, H = 16, X = 8;
        var xs = RandomMat(T, X, 3);
        var h0 = new Vec<double>(Random(H, 4));
        var W = RandomMat(H, H, 5, 0.3);
        var U = RandomMat(H, X, 6, 0.3);
        var b = new Vec<double>(Random(H, 7));
        var expected = Rnn(xs, h0, W, U, b);
        var hs = new Mat<double>(Filled((T + 2) * H), T + 2, H);
        Rnn(xs, h0, W, U, b, hs);
        Assert.Equal(expected.Span.ToArray(), hs.Span[..(T * H)].ToArray());
        Assert.All(hs.Span[(T * H)..].ToArray(), v => Assert.Equal(Sentinel, v));

        var xf = new Mat<float>(xs.Span.ToArray().Select(v => (float)v).ToArray(), T, X);
        Mat<float> F(Mat<double> m) => new(m.Span.ToArray().Select(v => (float)v).ToArray(), m.Rows, m.Columns);
        Vec<float> G(Vec<double> v) => new(v.Span.ToArray().Select(e => (float)e).ToArray());
        var expectedF = RnnF(xf, G(h0), F(W), F(U), G(b));
        var hf = Mat<float>.Zeros(T, H);
        RnnF(xf, G(h0), F(W), F(U), G(b), hf);
        Assert.Equal(expectedF.Span.ToArray(), hf.Span.ToArray());

        var seq = new Tensor3<double>(Random(T * 3 * 4, 8), T, 3, 4);
        var s0 = RandomMat(3, 4, 9);
        var states = Leaky(seq, s0, 0.9);
        var into = new Tensor3<double>(Filled(T * 12), T, 3, 4);
        Leaky(seq, s0, 0.9, into);
        Assert.Equal(states.Span.ToArray(), into.Span.ToArray());
    }

    [Fact]
    public void A_while_loop_returns_the_steps_it_ran_and_leaves_the_other_rows()
    {
        var expected = DoubleUntil(1, 100, 50);
        var ys = Filled(50);
        int ran = DoubleUntil(1, 100, 50, ys);
        Assert.Equal(expected.Length, ran);
        Assert.Equal(7, ran); // 2, 4, ..., 128
        Assert.Equal(expected, ys[..ran]);
        Assert.All(ys[ran..], v => Assert.Equal(Sentinel, v));
    }

    [Fact]
    public void Under_every_mode_the_graph_runs_and_its_traces_are_copied_in()
    {
        var x = Random(300, 10);
        var expected = CumSum(x, 0.5);
        foreach (var mode in new[] { ScanMode.Monitor(), ScanMode.Debug(), ScanMode.NanGuard(), ScanMode.Profile() })
        {
            var ys = Filled(301);
            CumSumWithMode(x, 0.5, ys, mode);
            Assert.Equal(expected, ys[..300]);
            Assert.Equal(Sentinel, ys[300]);

            var d = Filled(50);
            Assert.Equal(7, DoubleUntilWithMode(1, 100, 50, d, mode));
            Assert.Equal(DoubleUntil(1, 100, 50), d[..7]);
            Assert.Equal(Sentinel, d[7]);

            var seq = new Tensor3<double>(Random(20 * 6, 11), 20, 2, 3);
            var s0 = RandomMat(2, 3, 12);
            var into = new Tensor3<double>(Filled(20 * 6), 20, 2, 3);
            Assert.Equal(20, LeakyWithMode(seq, s0, 0.5, into, mode));
            // The interpreter's tanh and the loop's agree within the op's tolerance, not bit for bit.
            var loop = Leaky(seq, s0, 0.5).Span.ToArray();
            Assert.All(loop.Zip(into.Span.ToArray()), p => Assert.Equal(p.First, p.Second, 1e-12));
        }
        // The scope's mode routes too.
        using (ScanMode.Use(ScanMode.Debug()))
        {
            var ys = Filled(300);
            CumSumWithMode(x, 0.5, ys);
            Assert.Equal(expected, ys);
        }
    }

    [Fact]
    public void A_destination_with_too_few_rows_or_the_wrong_row_size_throws_before_writing()
    {
        var x = Random(10, 13);
        var ys = Filled(9);
        var error = Assert.Throws<ArgumentException>(() => CumSum(x, 0, ys));
        Assert.Equal("ys", error.ParamName);
        Assert.Contains("has 9 row(s), but the scan runs 10 step(s): it needs at least 10", error.Message);
        Assert.All(ys, v => Assert.Equal(Sentinel, v));
        // Under a mode as well (the graph has run, nothing is copied).
        error = Assert.Throws<ArgumentException>(() => CumSumWithMode(x, 0, ys, ScanMode.Debug()));
        Assert.Equal("ys", error.ParamName);
        Assert.All(ys, v => Assert.Equal(Sentinel, v));

        var xs = RandomMat(5, 2, 14);
        var W = RandomMat(3, 3, 15);
        var U = RandomMat(3, 2, 16);
        var hs = new Mat<double>(Filled(5 * 4), 5, 4);
        error = Assert.Throws<ArgumentException>(() => Rnn(xs, new Vec<double>(new double[3]), W, U, new Vec<double>(new double[3]), hs));
        Assert.Equal("hs", error.ParamName);
        Assert.Contains("has 4 columns per step, but the step's value has 3", error.Message);
        Assert.All(hs.Span.ToArray(), v => Assert.Equal(Sentinel, v));
        error = Assert.Throws<ArgumentException>(() => RnnWithMode(xs, new Vec<double>(new double[3]), W, U, new Vec<double>(new double[3]), hs, ScanMode.Monitor()));
        Assert.Equal("hs", error.ParamName);
        Assert.All(hs.Span.ToArray(), v => Assert.Equal(Sentinel, v));

        var seq = new Tensor3<double>(Random(4 * 6, 17), 4, 2, 3);
        var wrong = new Tensor3<double>(Filled(4 * 6), 4, 3, 2);
        error = Assert.Throws<ArgumentException>(() => Leaky(seq, RandomMat(2, 3, 18), 0.5, wrong));
        Assert.Equal("states", error.ParamName);
        Assert.Contains("has 3 rows per step, but the step's value has 2", error.Message);
        Assert.All(wrong.Span.ToArray(), v => Assert.Equal(Sentinel, v));

        Assert.Equal("ys", Assert.Throws<ArgumentNullException>(() => CumSumIntoArray(x, 0, null!)).ParamName);
    }

    [Fact]
    public void A_destination_overlapping_an_input_or_another_destination_throws_before_writing()
    {
        var data = Random(20, 19);
        var copy = data.ToArray();
        var error = Assert.Throws<ArgumentException>(() => CumSum(data.AsSpan(0, 10), 0, data.AsSpan(5, 10)));
        Assert.Equal("ys", error.ParamName);
        Assert.Contains("Destination 'ys' overlaps input 'x'", error.Message);
        Assert.Equal(copy, data);

        var x = Random(10, 20);
        var shared = Filled(20);
        error = Assert.Throws<ArgumentException>(() => MixedOutputs(x, 0, [1, 2], shared.AsSpan(0, 10), shared.AsSpan(9, 10), new double[10]));
        Assert.Equal("m", error.ParamName);
        Assert.Contains("Destination 'm' overlaps destination 'h'", error.Message);
        Assert.All(shared, v => Assert.Equal(Sentinel, v));

        var W = RandomMat(3, 3, 21);
        var asDestination = new Mat<double>(W.Span.ToArray(), 3, 3);
        error = Assert.Throws<ArgumentException>(() => Rnn(RandomMat(3, 2, 22), new Vec<double>(new double[3]), asDestination, RandomMat(3, 2, 23), new Vec<double>(new double[3]), asDestination));
        Assert.Equal("hs", error.ParamName);
        Assert.Contains("overlaps input 'W'", error.Message);
        Assert.Equal(W.Span.ToArray(), asDestination.Span.ToArray());
    }

    [Fact]
    public void A_failed_destination_check_leaves_shared_variables_unchanged()
    {
        var total = new Shared<double>("total", 10);
        var totals = Filled(3);
        Assert.Equal("totals", Assert.Throws<ArgumentException>(() => AddToTotal([1, 2, 3, 4], total, totals)).ParamName);
        Assert.Equal(10, total.Value);
        Assert.All(totals, v => Assert.Equal(Sentinel, v));

        totals = Filled(4);
        AddToTotal([1, 2, 3, 4], total, totals);
        Assert.Equal(20, total.Value);
        Assert.Equal([11, 13, 16, 20], totals);
    }

    [Fact]
    public void A_call_allocates_nothing()
    {
        var x = Random(10_000, 24);
        var ys = new double[10_000];
        const int T = 100, H = 32;
        var xs = RandomMat(T, H, 25);
        var h0 = new Vec<double>(new double[H]);
        var W = RandomMat(H, H, 26, 0.2);
        var U = RandomMat(H, H, 27, 0.2);
        var b = new Vec<double>(Random(H, 28));
        var hs = Mat<double>.Zeros(T, H);
        double[] y0 = [0, 0, 0, 0, 0];
        var filtered = new double[x.Length - 5];
        var seq = new Tensor3<double>(Random(T * 6, 29), T, 2, 3);
        var s0 = RandomMat(2, 3, 30);
        var states = Tensor3<double>.Zeros(T, 2, 3);

        void Calls()
        {
            CumSum(x, 0, ys);
            Iir(x, y0, 0.1, filtered);
            Rnn(xs, h0, W, U, b, hs);
            Leaky(seq, s0, 0.5, states);
        }
        Calls(); // the first call of each fills ArrayPool and runs the JIT
        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
            Calls();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Rnn(xs, h0, W, U, b).Span.ToArray(), hs.Span.ToArray());
    }
}
