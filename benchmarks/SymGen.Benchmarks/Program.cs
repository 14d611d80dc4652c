using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SymGen.Benchmarks;

if (args is ["--interleaved-rnn"])
{
    InterleavedRnn.Run(); // minima of interleaved calls, for a noisy machine (see InterleavedRnn)
    return;
}
if (args is ["--interleaved-gradient"])
{
    InterleavedRnn.RunGradient();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(ScalarBenchmarks).Assembly).Run(args);

namespace SymGen.Benchmarks
{
    /// <summary>Scalar recurrences over 1,000,000 steps: generated scan versus the hand-written loop.</summary>
    [MemoryDiagnoser]
    public class ScalarBenchmarks
    {
        private const int Steps = 1_000_000;
        private readonly double[] _x = Enumerable.Range(0, Steps + 5).Select(i => Math.Sin(i * 0.001)).ToArray();
        private readonly double[] _y0 = [0.1, 0.2, 0.3, 0.4, 0.5];

        [Benchmark(Baseline = true)] public double[] CumSumHand() => HandWritten.CumSum(_x.AsSpan(0, Steps), 1);
        [Benchmark] public double[] CumSumGenerated() => ScalarScans.CumSum(_x.AsSpan(0, Steps), 1);
        [Benchmark] public double[] EmaHand() => HandWritten.Ema(_x.AsSpan(0, Steps), 0, 0.1);
        [Benchmark] public double[] EmaGenerated() => ScalarScans.Ema(_x.AsSpan(0, Steps), 0, 0.1);
        [Benchmark] public double[] TapsHand() => HandWritten.Taps(_x, _y0, 0.5);
        [Benchmark] public double[] TapsGenerated() => ScalarScans.Taps(_x, _y0, 0.5);
        [Benchmark] public double[] PolynomialHand() => HandWritten.Polynomial(_x.AsSpan(0, Steps), _powers, 1.0001);
        [Benchmark] public double[] PolynomialGenerated() => ScalarScans.Polynomial(_x.AsSpan(0, Steps), _powers, 1.0001);

        private readonly int[] _powers = Enumerable.Range(0, Steps).Select(i => i % 16).ToArray();
    }

    /// <summary>Throughput of Batch.Run: 64 independent Elman RNNs (H = 64, 200 steps) on 1 core and on all cores.</summary>
    public class BatchBenchmarks
    {
        private readonly Mat<double>[] _inputs = Enumerable.Range(0, 64).Select(k => new Mat<double>(
            Enumerable.Range(0, 200 * 16).Select(i => Math.Sin(i * 0.01 + k)).ToArray(), 200, 16)).ToArray();
        private readonly Mat<double> _w = new(Enumerable.Range(0, 64 * 64).Select(i => Math.Sin(i) * 0.1).ToArray(), 64, 64);
        private readonly Mat<double> _u = new(Enumerable.Range(0, 64 * 16).Select(i => Math.Cos(i) * 0.1).ToArray(), 64, 16);
        private readonly Vec<double> _b = new(new double[64]);

        [Params(1, 2)] public int Cores;

        [Benchmark] public Mat<double>[] Batch() => SymGen.Batch.Run(_inputs, xs => RnnScans.Rnn(xs, Vec<double>.Zeros(64), _w, _u, _b), Cores);
    }
}
