using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SymGen.Benchmarks;

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
    }
}
