using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SymGen.Benchmarks;

/// <summary>
/// What the modes cost (issue 13): the EMA scan at 10^5 steps and the Elman RNN at H = 128 (T = 1000), run by the
/// generated loop (the baseline), the plain interpreter, and the monitored interpreter with a no-op hook, Profile,
/// the NaN guard and Debug. The ratio column is mode / generated loop.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ModeBenchmarks
{
    private const int Steps = 100_000, RnnSteps = 1000, Inputs = 32, Hidden = 128;
    private readonly double[] _xs = Enumerable.Range(0, Steps).Select(i => Math.Sin(i * 0.001)).ToArray();
    private static readonly ScanMode NoOpHook = ScanMode.Monitor(after: static (in NodeEvent _) => { });
    private static readonly ScanMode Profiling = ScanMode.Profile();
    private static readonly ScanMode NanGuard = ScanMode.NanGuard();
    private static readonly ScanMode Debug = ScanMode.Debug();

    [BenchmarkCategory("Ema"), Benchmark(Baseline = true)] public double[] EmaGenerated() => ScalarScans.Ema(_xs, 0, 0.1);
    [BenchmarkCategory("Ema"), Benchmark] public object EmaInterpreted() => ScalarScans.EmaGraph.Invoke(_xs, 0.0, 0.1)[0];
    [BenchmarkCategory("Ema"), Benchmark] public object EmaNoOpHook() => ScalarScans.EmaGraph.Invoke(NoOpHook, _xs, 0.0, 0.1)[0];
    [BenchmarkCategory("Ema"), Benchmark] public object EmaProfile() => ScalarScans.EmaGraph.Invoke(Profiling, _xs, 0.0, 0.1)[0];
    [BenchmarkCategory("Ema"), Benchmark] public object EmaNanGuard() => ScalarScans.EmaGraph.Invoke(NanGuard, _xs, 0.0, 0.1)[0];
    [BenchmarkCategory("Ema"), Benchmark] public object EmaDebug() => ScalarScans.EmaGraph.Invoke(Debug, _xs, 0.0, 0.1)[0];

    private readonly Mat<double> _rnnXs = new(Enumerable.Range(0, RnnSteps * Inputs).Select(i => Math.Cos(i * 0.01)).ToArray(), RnnSteps, Inputs);
    private readonly Mat<double> _w = new(Enumerable.Range(0, Hidden * Hidden).Select(i => Math.Sin(i) * 0.05).ToArray(), Hidden, Hidden);
    private readonly Mat<double> _u = new(Enumerable.Range(0, Hidden * Inputs).Select(i => Math.Cos(i) * 0.1).ToArray(), Hidden, Inputs);
    private readonly Vec<double> _b = new(Enumerable.Range(0, Hidden).Select(i => Math.Sin(i * 0.3) * 0.1).ToArray());
    private readonly Vec<double> _h0 = new(new double[Hidden]);

    [BenchmarkCategory("Rnn128"), Benchmark(Baseline = true)] public Mat<double> RnnGenerated() => RnnScans.Rnn(_rnnXs, _h0, _w, _u, _b);
    [BenchmarkCategory("Rnn128"), Benchmark] public object RnnInterpreted() => RnnScans.RnnGraph.Invoke(_rnnXs, _h0, _w, _u, _b)[0];
    [BenchmarkCategory("Rnn128"), Benchmark] public object RnnNoOpHook() => RnnScans.RnnGraph.Invoke(NoOpHook, _rnnXs, _h0, _w, _u, _b)[0];
    [BenchmarkCategory("Rnn128"), Benchmark] public object RnnProfile() => RnnScans.RnnGraph.Invoke(Profiling, _rnnXs, _h0, _w, _u, _b)[0];
    [BenchmarkCategory("Rnn128"), Benchmark] public object RnnDebug() => RnnScans.RnnGraph.Invoke(Debug, _rnnXs, _h0, _w, _u, _b)[0];
}
