using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SymGen.Benchmarks;

/// <summary>
/// The interpreter (a scan's <c>&lt;Scan&gt;Graph.Invoke</c>) against the generated loop on the same scan: the three
/// scalar scans at 10^5 steps and the Elman RNN at H = 128 (T = 1000, 32 inputs). Each category's baseline is the
/// generated loop, so the ratio column is interpreter / generated.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InterpreterBenchmarks
{
    private const int Steps = 100_000, RnnSteps = 1000, Inputs = 32, Hidden = 128;
    private readonly double[] _x = Enumerable.Range(0, Steps + 5).Select(i => Math.Sin(i * 0.001)).ToArray();
    private readonly double[] _xs = Enumerable.Range(0, Steps).Select(i => Math.Sin(i * 0.001)).ToArray();
    private readonly double[] _y0 = [0.1, 0.2, 0.3, 0.4, 0.5];

    [BenchmarkCategory("CumSum"), Benchmark(Baseline = true)] public double[] CumSumGenerated() => ScalarScans.CumSum(_xs, 1);
    [BenchmarkCategory("CumSum"), Benchmark] public object CumSumInterpreted() => ScalarScans.CumSumGraph.Invoke(_xs, 1.0)[0];
    [BenchmarkCategory("Ema"), Benchmark(Baseline = true)] public double[] EmaGenerated() => ScalarScans.Ema(_xs, 0, 0.1);
    [BenchmarkCategory("Ema"), Benchmark] public object EmaInterpreted() => ScalarScans.EmaGraph.Invoke(_xs, 0.0, 0.1)[0];
    [BenchmarkCategory("Taps"), Benchmark(Baseline = true)] public double[] TapsGenerated() => ScalarScans.Taps(_x, _y0, 0.5);
    [BenchmarkCategory("Taps"), Benchmark] public object TapsInterpreted() => ScalarScans.TapsGraph.Invoke(_x, _y0, 0.5)[0];

    private readonly Mat<double> _rnnXs = new(Enumerable.Range(0, RnnSteps * Inputs).Select(i => Math.Cos(i * 0.01)).ToArray(), RnnSteps, Inputs);
    private readonly Mat<double> _w = new(Enumerable.Range(0, Hidden * Hidden).Select(i => Math.Sin(i) * 0.05).ToArray(), Hidden, Hidden);
    private readonly Mat<double> _u = new(Enumerable.Range(0, Hidden * Inputs).Select(i => Math.Cos(i) * 0.1).ToArray(), Hidden, Inputs);
    private readonly Vec<double> _b = new(Enumerable.Range(0, Hidden).Select(i => Math.Sin(i * 0.3) * 0.1).ToArray());
    private readonly Vec<double> _h0 = new(new double[Hidden]);

    [BenchmarkCategory("Rnn128"), Benchmark(Baseline = true)] public Mat<double> RnnGenerated() => RnnScans.Rnn(_rnnXs, _h0, _w, _u, _b);
    [BenchmarkCategory("Rnn128"), Benchmark] public object RnnInterpreted() => RnnScans.RnnGraph.Invoke(_rnnXs, _h0, _w, _u, _b)[0];
}
