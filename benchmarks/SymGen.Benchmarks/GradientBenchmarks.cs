using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace SymGen.Benchmarks;

public static partial class RnnScans
{
    [Gradient(nameof(Rnn))]
    public static partial void RnnGradient(Mat<double> xs, Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, Mat<double> dH,
        out Mat<double> dxs, out Vec<double> dh0, out Mat<double> dW, out Mat<double> dU, out Vec<double> db);

    [Gradient(nameof(Rnn), Checkpoint = 32)]
    public static partial void RnnGradientCheckpointed(Mat<double> xs, Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, Mat<double> dH,
        out Mat<double> dxs, out Vec<double> dh0, out Mat<double> dW, out Mat<double> dU, out Vec<double> db);

    [Gradient(nameof(RnnF))]
    public static partial void RnnFGradient(Mat<float> xs, Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b, Mat<float> dH,
        out Mat<float> dxs, out Vec<float> dh0, out Mat<float> dW, out Mat<float> dU, out Vec<float> db);
}

/// <summary>
/// The Elman RNN's generated gradient (forward + backward, every parameter's gradient) beside its forward scan:
/// T = 1000 steps, 32 inputs, H = 32, 128, 512, float64 and float32, and the checkpointed gradient (every 32nd state).
/// The target: (forward + backward) / forward at most 2.5 at H = 128.
/// </summary>
[MemoryDiagnoser, GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class GradientBenchmarks
{
    private const int Steps = 1000, Inputs = 32;

    [Params(32, 128, 512)] public int Hidden;

    private Mat<double> _xs, _w, _u, _dH;
    private Vec<double> _h0, _b;
    private Mat<float> _xsF, _wF, _uF, _dHF;
    private Vec<float> _h0F, _bF;

    [GlobalSetup]
    public void Setup()
    {
        Mat<double> M(int r, int c, double scale) => new(Enumerable.Range(0, r * c).Select(i => scale * Math.Sin(i * 0.37)).ToArray(), r, c);
        _xs = M(Steps, Inputs, 1);
        _w = M(Hidden, Hidden, 0.5 / Math.Sqrt(Hidden));
        _u = M(Hidden, Inputs, 0.5 / Math.Sqrt(Inputs));
        _dH = M(Steps, Hidden, 1);
        _h0 = Vec<double>.Zeros(Hidden);
        _b = new Vec<double>(Enumerable.Range(0, Hidden).Select(i => 0.01 * i).ToArray());
        static Mat<float> F(Mat<double> m) => new(Array.ConvertAll(m.Span.ToArray(), v => (float)v), m.Rows, m.Columns);
        (_xsF, _wF, _uF, _dHF) = (F(_xs), F(_w), F(_u), F(_dH));
        _h0F = Vec<float>.Zeros(Hidden);
        _bF = new Vec<float>(Array.ConvertAll(_b.ToArray(), v => (float)v));
    }

    [BenchmarkCategory("Float64"), Benchmark(Baseline = true)] public Mat<double> Forward() => RnnScans.Rnn(_xs, _h0, _w, _u, _b);

    [BenchmarkCategory("Float64"), Benchmark]
    public Mat<double> ForwardAndBackward() { RnnScans.RnnGradient(_xs, _h0, _w, _u, _b, _dH, out _, out _, out var dW, out _, out _); return dW; }

    [BenchmarkCategory("Float64"), Benchmark]
    public Mat<double> ForwardAndBackwardCheckpointed() { RnnScans.RnnGradientCheckpointed(_xs, _h0, _w, _u, _b, _dH, out _, out _, out var dW, out _, out _); return dW; }

    [BenchmarkCategory("Float32"), Benchmark(Baseline = true)] public Mat<float> ForwardF() => RnnScans.RnnF(_xsF, _h0F, _wF, _uF, _bF);

    [BenchmarkCategory("Float32"), Benchmark]
    public Mat<float> ForwardAndBackwardF() { RnnScans.RnnFGradient(_xsF, _h0F, _wF, _uF, _bF, _dHF, out _, out _, out var dW, out _, out _); return dW; }
}
