using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace SymGen.Benchmarks;

/// <summary>
/// Scalar recurrences over 1,000,000 steps written into a preallocated destination: the generated scan
/// ([Destination] overload) against the best hand loop into the same span. Both allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class ScalarDestinationBenchmarks
{
    private const int Steps = 1_000_000;
    private readonly double[] _x = Enumerable.Range(0, Steps + 5).Select(i => Math.Sin(i * 0.001)).ToArray();
    private readonly double[] _y0 = [0.1, 0.2, 0.3, 0.4, 0.5];
    private readonly int[] _powers = Enumerable.Range(0, Steps).Select(i => i % 16).ToArray();
    private readonly double[] _result = new double[Steps];

    [BenchmarkCategory("CumSum"), Benchmark(Baseline = true)] public void CumSumHand() => HandWrittenInto.CumSum(_x.AsSpan(0, Steps), 1, _result);
    [BenchmarkCategory("CumSum"), Benchmark] public void CumSumGenerated() => ScalarScans.CumSumInto(_x.AsSpan(0, Steps), 1, _result);
    [BenchmarkCategory("Ema"), Benchmark] public void EmaHand() => HandWrittenInto.Ema(_x.AsSpan(0, Steps), 0, 0.1, _result);
    [BenchmarkCategory("Ema"), Benchmark] public void EmaGenerated() => ScalarScans.EmaInto(_x.AsSpan(0, Steps), 0, 0.1, _result);
    [BenchmarkCategory("Taps"), Benchmark] public void TapsHand() => HandWrittenInto.Taps(_x, _y0, 0.5, _result);
    [BenchmarkCategory("Taps"), Benchmark] public void TapsGenerated() => ScalarScans.TapsInto(_x, _y0, 0.5, _result);
    [BenchmarkCategory("Polynomial"), Benchmark] public void PolynomialHand() => HandWrittenInto.Polynomial(_x.AsSpan(0, Steps), _powers, 1.0001, _result);
    [BenchmarkCategory("Polynomial"), Benchmark] public void PolynomialGenerated() => ScalarScans.PolynomialInto(_x.AsSpan(0, Steps), _powers, 1.0001, _result);
}

/// <summary>
/// y[t] = 0.5 y[t-1000] + x[t] over 2,000,000 steps: the generated scan (a new trace, and into a destination)
/// against the hand loop reading y[t-1000] from its result.
/// </summary>
[MemoryDiagnoser]
public class DeepTapBenchmarks
{
    private const int Steps = 2_000_000;
    private readonly double[] _x = Enumerable.Range(0, Steps).Select(i => Math.Sin(i * 0.001)).ToArray();
    private readonly double[] _y0 = Enumerable.Range(0, 1000).Select(i => i * 0.001).ToArray();
    private readonly double[] _result = new double[Steps];

    [BenchmarkCategory("Into"), Benchmark(Baseline = true)] public void DeepTapHandInto() => HandWrittenInto.DeepTap(_x, _y0, _result);
    [BenchmarkCategory("Into"), Benchmark] public void DeepTapGeneratedInto() => ScalarScans.DeepTapInto(_x, _y0, _result);
    [BenchmarkCategory("New"), Benchmark] public double[] DeepTapHand() => HandWrittenInto.DeepTap(_x, _y0);
    [BenchmarkCategory("New"), Benchmark] public double[] DeepTapGenerated() => ScalarScans.DeepTap(_x, _y0);
}
