using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SymGen.Benchmarks;

/// <summary>
/// What the debugging modes cost a generated method (routed to its graph by ScanMode.Use), on the scalar CumSum scan at 10^5 steps. The fast path (no mode: one null check per
/// call) against the hand-written loop, as before the modes; then the same generated method under a monitor with a
/// no-op hook (the interpreter's monitored plan), Debug (the generated loop's observed twin, then the interpreter
/// comparing every node with it and with a reference evaluation), Debug on the graph alone (the reference evaluation
/// only, as a run-time graph gets) and Profile (timing every node). Each category's baseline is the generated loop.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GeneratedModeBenchmarks
{
    private const int Steps = 100_000;
    private readonly double[] _x = Enumerable.Range(0, Steps).Select(i => Math.Sin(i * 0.001)).ToArray();
    private static readonly ScanMode NoOpMonitor = ScanMode.Monitor(after: static (in NodeEvent _) => { });
    private static readonly ScanMode DebugMode = ScanMode.Debug();
    private static readonly ScanMode ProfileMode = ScanMode.Profile();

    [BenchmarkCategory("FastPath"), Benchmark(Baseline = true)] public double[] CumSumGenerated() => ScalarScans.CumSum(_x, 1);
    [BenchmarkCategory("FastPath"), Benchmark] public double[] CumSumHand() => HandWritten.CumSum(_x, 1);

    [BenchmarkCategory("Modes"), Benchmark(Baseline = true)] public double[] Generated() => ScalarScans.CumSum(_x, 1);
    [BenchmarkCategory("Modes"), Benchmark] public double[] MonitorNoOpHook() { using (ScanMode.Use(NoOpMonitor)) return ScalarScans.CumSum(_x, 1); }
    [BenchmarkCategory("Modes"), Benchmark] public double[] Debug() { using (ScanMode.Use(DebugMode)) return ScalarScans.CumSum(_x, 1); }
    [BenchmarkCategory("Modes"), Benchmark] public double[] Profile() { using (ScanMode.Use(ProfileMode)) return ScalarScans.CumSum(_x, 1); }
    // Debug on the graph alone (what a run-time graph gets: the reference evaluation, no generated loop beside it).
    [BenchmarkCategory("Modes"), Benchmark] public object DebugGraphOnly() => ScalarScans.CumSumGraph.Invoke(DebugMode, _x, 1.0)[0];
}
