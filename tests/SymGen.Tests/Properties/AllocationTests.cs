using System;
using SymGen.Tests.Conformance;
using SymGen.Tests.Semantics;
using Xunit;

namespace SymGen.Tests.Properties;

/// <summary>
/// A generated scan allocates its result arrays and nothing else: the bytes it allocates beyond them are zero,
/// for 10 steps as for 10,000.
/// </summary>
public class AllocationTests
{
    private static object? _sink;

    /// <summary>
    /// Bytes allocated on this thread by one call (after warm-up calls, so JIT work is not counted: a long loop's
    /// first calls can compile it again on the way, on-stack replacement, allocating then and only then).
    /// </summary>
    private static long Allocated(Func<object> call)
    {
        for (int warmUp = 0; warmUp < 3; warmUp++)
            _sink = call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        _sink = call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Bytes a call allocates beyond what <paramref name="resultsAlone"/> allocates (the interpreter's tests use it too).</summary>
    internal static long Overhead(Func<object> scan, Func<object> resultsAlone) => Allocated(scan) - Allocated(resultsAlone);

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public void SingleOutputScansAllocateOnlyTheirTrace(int steps)
    {
        var x = new double[steps + 5];
        var y0 = new double[5];
        Assert.Equal(0, Overhead(() => ConformanceScans.CumSum(x, 1), () => new double[steps + 5]));
        Assert.Equal(0, Overhead(() => ConformanceScans.SequenceTaps(x), () => new double[steps]));
        Assert.Equal(0, Overhead(() => ConformanceScans.OutputTaps(y0, steps), () => new double[steps]));
        Assert.Equal(0, Overhead(() => SemanticsScans.BackwardsSteps(x, 0, steps), () => new double[steps]));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public void TupleScansAllocateOnlyTheirTraces(int steps)
    {
        var x = new double[steps];
        double[] z0 = [1, 1];
        Assert.Equal(0, Overhead(
            () => { _sink = ConformanceScans.MixedOutputs(x, 0, z0).z; return _sink; },
            () => { _ = new double[steps]; _ = new double[steps]; return new double[steps]; }));
    }

    [Fact]
    public void AnElmanRnnAllocatesTheSameForTenAndAThousandSteps()
    {
        // Per call: the trace (which holds U x for every step, computed before the loop, until each step overwrites
        // its row), U transposed once and the buffer of W h; nothing per step.
        const int hidden = 16, inputs = 8;
        var W = Mat<double>.Zeros(hidden, hidden);
        var U = Mat<double>.Zeros(hidden, inputs);
        var b = Vec<double>.Zeros(hidden);
        var h0 = Vec<double>.Zeros(hidden);
        long Overhead(int steps)
        {
            var xs = Mat<double>.Zeros(steps, inputs);
            return AllocationTests.Overhead(() => Tensors.OpScans.Rnn(xs, h0, W, U, b), () => Mat<double>.Zeros(steps, hidden));
        }
        long tenSteps = Overhead(10), thousandSteps = Overhead(1000);
        Assert.Equal(tenSteps, thousandSteps);
        Assert.True(tenSteps <= 24 + 8 * hidden + 24 + 8 * hidden * inputs, $"{tenSteps} bytes beyond the trace: more than the W h buffer and U transposed");
    }

    [Fact]
    public void TheTransactionOfAScanWithSharedVariablesAllocatesNothing()
    {
        // Beyond its trace, a scan that updates shared variables allocates only its commit (the updates, as
        // SharedUpdates.Apply by hand): locking and reading its variables, in order, allocates nothing.
        Shared<double> total = new("total", 0), scale = new("scale", 1);
        Shared<long> count = new("count", 0);
        var values = new double[100];
        long commit = Allocated(() => { SharedUpdates.Apply(total.Update(1), count.Update(1)); return values; });
        Assert.Equal(commit, Overhead(() => Seed.Scans.AddToTotal(values, total, count), () => new double[100]));
        Assert.Equal(commit, Overhead(() => SharedState.SharedScans.Accumulated(values, total, count, scale, default), () => new double[100]));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public void TheBenchmarkedScansAllocateOnlyTheirResults(int steps)
    {
        // The demo's scans that the benchmarks measure: smoothing (two traces), the taps filter, the polynomial.
        var x = new double[steps + 5];
        var powers = new int[steps];
        double[] y0 = [0, 0, 0, 0, 1];
        Assert.Equal(0, Overhead(() => { var (a, b) = Seed.Scans.Ema(x, 0, 0.1); _sink = b; return a; },
            () => { _sink = new double[steps + 5]; return new double[steps + 5]; }));
        Assert.Equal(0, Overhead(() => Seed.Scans.Iir(x, y0, 0.5), () => new double[steps]));
        Assert.Equal(0, Overhead(() => Seed.Scans.Components(x, powers, 1.5), () => new double[steps]));
        Assert.Equal(0, Overhead(() => Seed.Scans.CumSum(x, 1), () => new double[steps + 5]));
    }
}
