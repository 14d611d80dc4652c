using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace SymGen.Benchmarks;

public static partial class RnnScans
{
    static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

    static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(ElmanF))]
    public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

    /// <summary>The loop a good engineer writes: one vectorised dot product per row, buffers allocated once.</summary>
    public static T[] Hand<T>(T[] xs, int steps, int inputs, T[] h0, T[] W, T[] U, T[] b) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int hidden = h0.Length;
        var trace = new T[steps * hidden];
        var wx = new T[hidden];
        ReadOnlySpan<T> h = h0;
        for (int t = 0; t < steps; t++)
        {
            var x = xs.AsSpan(t * inputs, inputs);
            var next = trace.AsSpan(t * hidden, hidden);
            for (int r = 0; r < hidden; r++)
                wx[r] = TensorPrimitives.Dot(U.AsSpan(r * inputs, inputs), x);
            for (int r = 0; r < hidden; r++)
                next[r] = T.Tanh(TensorPrimitives.Dot(W.AsSpan(r * hidden, hidden), h) + wx[r] + b[r]);
            h = next;
        }
        return trace;
    }
}

/// <summary>Elman RNN forward pass, T = 1000 steps, 32 inputs: generated scan against the hand-written loop.</summary>
[MemoryDiagnoser]
public class RnnBenchmarks
{
    private const int Steps = 1000, Inputs = 32;

    [Params(32, 128, 512)] public int Hidden;

    private double[] _xs = [], _h0 = [], _w = [], _u = [], _b = [];
    private float[] _xsF = [], _h0F = [], _wF = [], _uF = [], _bF = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Values(int n, double scale) { var v = new double[n]; for (int i = 0; i < n; i++) v[i] = (random.NextDouble() - 0.5) * scale; return v; }
        _xs = Values(Steps * Inputs, 2); _h0 = Values(Hidden, 1); _w = Values(Hidden * Hidden, 2.0 / Math.Sqrt(Hidden));
        _u = Values(Hidden * Inputs, 2.0 / Math.Sqrt(Inputs)); _b = Values(Hidden, 0.2);
        float[] F(double[] d) => Array.ConvertAll(d, v => (float)v);
        (_xsF, _h0F, _wF, _uF, _bF) = (F(_xs), F(_h0), F(_w), F(_u), F(_b));
    }

    [Benchmark(Baseline = true)] public double[] HandDouble() => RnnScans.Hand(_xs, Steps, Inputs, _h0, _w, _u, _b);

    [Benchmark] public Mat<double> GeneratedDouble() =>
        RnnScans.Rnn(new Mat<double>(_xs, Steps, Inputs), _h0, new Mat<double>(_w, Hidden, Hidden), new Mat<double>(_u, Hidden, Inputs), _b);

    [Benchmark] public float[] HandFloat() => RnnScans.Hand(_xsF, Steps, Inputs, _h0F, _wF, _uF, _bF);

    [Benchmark] public Mat<float> GeneratedFloat() =>
        RnnScans.RnnF(new Mat<float>(_xsF, Steps, Inputs), _h0F, new Mat<float>(_wF, Hidden, Hidden), new Mat<float>(_uF, Hidden, Inputs), _bF);
}
