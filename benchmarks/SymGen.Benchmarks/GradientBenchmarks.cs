using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SymGen.Benchmarks;

public static partial class RnnScans
{
    // The gradients of Rnn and RnnF (issue 12): the cotangent dLoss/dH in, the gradients of what is listed out.
    [Gradient(nameof(Rnn))]
    public static partial void RnnGradient(Mat<double> xs, Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, Mat<double> dH,
        out Vec<double> dh0, out Mat<double> dW, out Mat<double> dU, out Vec<double> db);

    // The same, storing every 32nd state and recomputing the rest: memory like T/32 + 32 states instead of T.
    [Gradient(nameof(Rnn), Checkpoint = 32)]
    public static partial void RnnGradientCheckpointed(Mat<double> xs, Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, Mat<double> dH,
        out Vec<double> dh0, out Mat<double> dW, out Mat<double> dU, out Vec<double> db);

    [Gradient(nameof(RnnF))]
    public static partial void RnnFGradient(Mat<float> xs, Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b, Mat<float> dH,
        out Vec<float> dh0, out Mat<float> dW, out Mat<float> dU, out Vec<float> db);

    [Gradient(nameof(RnnF), Checkpoint = 32)]
    public static partial void RnnFGradientCheckpointed(Mat<float> xs, Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b, Mat<float> dH,
        out Vec<float> dh0, out Mat<float> dW, out Mat<float> dU, out Vec<float> db);
}

/// <summary>
/// The Elman RNN's gradient (back-propagation through time), T = 1000 steps, 32 inputs, against a random cotangent
/// dLoss/dH: per precision, the generated forward pass alone (the baseline, so the ratio column is
/// (forward + backward) / forward), the generated gradient, the checkpointed one (every 32nd state), and the
/// hand-written BPTT with deferred weight GEMMs beside its own forward pass. The bound: ≤ 2.5 at H = 128.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GradientBenchmarks
{
    private const int Steps = 1000, Inputs = 32;

    [Params(32, 128, 512)] public int Hidden;

    private Mat<double> _xs, _w, _u, _dH;
    private Vec<double> _h0, _b;
    private Mat<float> _xsF, _wF, _uF, _dHF;
    private Vec<float> _h0F, _bF;
    private HandBptt<double> _hand = null!;
    private HandBptt<float> _handF = null!;
    private double[] _dh0 = [], _dW = [], _dU = [], _db = [];
    private float[] _dh0F = [], _dWF = [], _dUF = [], _dbF = [];

    [GlobalSetup]
    public void Setup()
    {
        // The forward benchmarks' numbers (RnnBenchmarks), and a cotangent of the same size as the trace.
        var random = new Random(1);
        double[] Values(int n, double scale) { var v = new double[n]; for (int i = 0; i < n; i++) v[i] = (random.NextDouble() - 0.5) * scale; return v; }
        int h = Hidden;
        double[] xs = Values(Steps * Inputs, 2), h0 = Values(h, 1), w = Values(h * h, 2.0 / Math.Sqrt(h)),
            u = Values(h * Inputs, 2.0 / Math.Sqrt(Inputs)), b = Values(h, 0.2), dH = Values(Steps * h, 2);
        (_xs, _h0, _w, _u, _b, _dH) = (new(xs, Steps, Inputs), new(h0), new(w, h, h), new(u, h, Inputs), new(b), new(dH, Steps, h));
        float[] F(double[] d) => Array.ConvertAll(d, v => (float)v);
        (_xsF, _h0F, _wF, _uF, _bF, _dHF) = (new(F(xs), Steps, Inputs), new(F(h0)), new(F(w), h, h), new(F(u), h, Inputs), new(F(b)), new(F(dH), Steps, h));
        (_hand, _handF) = (new HandBptt<double>(Steps, Inputs, h), new HandBptt<float>(Steps, Inputs, h));
        (_dh0, _dW, _dU, _db) = (new double[h], new double[h * h], new double[h * Inputs], new double[h]);
        (_dh0F, _dWF, _dUF, _dbF) = (new float[h], new float[h * h], new float[h * Inputs], new float[h]);
    }

    [BenchmarkCategory("float64"), Benchmark(Baseline = true)]
    public Mat<double> ForwardDouble() => RnnScans.Rnn(_xs, _h0, _w, _u, _b);

    [BenchmarkCategory("float64"), Benchmark]
    public double[] HandForwardDouble() { _hand.Forward(_xs.Span, _h0.Span, _w.Span, _u.Span, _b.Span); return _dW; }

    [BenchmarkCategory("float64"), Benchmark]
    public double[] HandBpttDouble()
    {
        _hand.Gradient(_xs.Span, _h0.Span, _w.Span, _u.Span, _b.Span, _dH.Span, _dh0, _dW, _dU, _db);
        return _dW;
    }

    [BenchmarkCategory("float64"), Benchmark]
    public Mat<double> GeneratedGradientDouble()
    {
        RnnScans.RnnGradient(_xs, _h0, _w, _u, _b, _dH, out _, out var dW, out _, out _);
        return dW;
    }

    [BenchmarkCategory("float64"), Benchmark]
    public Mat<double> CheckpointedGradientDouble()
    {
        RnnScans.RnnGradientCheckpointed(_xs, _h0, _w, _u, _b, _dH, out _, out var dW, out _, out _);
        return dW;
    }

    [BenchmarkCategory("float32"), Benchmark(Baseline = true)]
    public Mat<float> ForwardFloat() => RnnScans.RnnF(_xsF, _h0F, _wF, _uF, _bF);

    [BenchmarkCategory("float32"), Benchmark]
    public float[] HandForwardFloat() { _handF.Forward(_xsF.Span, _h0F.Span, _wF.Span, _uF.Span, _bF.Span); return _dWF; }

    [BenchmarkCategory("float32"), Benchmark]
    public float[] HandBpttFloat()
    {
        _handF.Gradient(_xsF.Span, _h0F.Span, _wF.Span, _uF.Span, _bF.Span, _dHF.Span, _dh0F, _dWF, _dUF, _dbF);
        return _dWF;
    }

    [BenchmarkCategory("float32"), Benchmark]
    public Mat<float> GeneratedGradientFloat()
    {
        RnnScans.RnnFGradient(_xsF, _h0F, _wF, _uF, _bF, _dHF, out _, out var dW, out _, out _);
        return dW;
    }

    [BenchmarkCategory("float32"), Benchmark]
    public Mat<float> CheckpointedGradientFloat()
    {
        RnnScans.RnnFGradientCheckpointed(_xsF, _h0F, _wF, _uF, _bF, _dHF, out _, out var dW, out _, out _);
        return dW;
    }
}
