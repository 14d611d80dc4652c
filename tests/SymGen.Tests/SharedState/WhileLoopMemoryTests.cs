using System;
using System.Linq;
using SymGen.Tests.Graphs;
using Xunit;

namespace SymGen.Tests.SharedState;

/// <summary>
/// A while loop's step count is a maximum: its traces grow with the steps executed (doubling, then cut), so memory
/// follows the steps run, not the maximum, and a huge maximum works.
/// </summary>
public class WhileLoopMemoryTests
{
    private const int HugeMaximum = 100_000_000;
    private const long Bound = 64 * 1024;

    /// <summary>Bytes allocated on this thread by one call, after a warm-up call (JIT work is not counted).</summary>
    private static long Allocated(Func<object> call)
    {
        GC.KeepAlive(call());
        long before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(call());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void AScalarWhileLoopStoppingAfterSixStepsAllocatesForSix()
    {
        // Before: 800 MB for a maximum of 10^8 steps, and OutOfMemoryException for int.MaxValue - 100.
        Assert.Equal([2.0, 4, 8, 16, 32, 64], Seed.Scans.DoubleUntil(1, 50, HugeMaximum));
        long bytes = Allocated(() => Seed.Scans.DoubleUntil(1, 50, HugeMaximum));
        Assert.True(bytes < Bound, $"{bytes} bytes for 6 steps");
        Assert.Equal([2.0, 4, 8, 16, 32, 64], Seed.Scans.DoubleUntil(1, 50, int.MaxValue - 100));
    }

    [Fact]
    public void VectorAndMatrixWhileLoopsAllocateForTheStepsRun()
    {
        var h0 = new Vec<double>(new double[] { 1, 0.5, 0.25, 0 });
        var trace = WhileLoopScans.DoubleVectorUntil(h0, 50, HugeMaximum);
        Assert.Equal(6, trace.Rows);
        Assert.Equal("[64, 32, 16, 0]", trace.Row(5).ToString());
        long bytes = Allocated(() => WhileLoopScans.DoubleVectorUntil(h0, 50, HugeMaximum));
        Assert.True(bytes < Bound, $"{bytes} bytes for 6 steps of a vector");
        Assert.Equal(6, WhileLoopScans.DoubleVectorUntil(h0, 50, int.MaxValue - 100).Rows);

        var m0 = Mat<double>.FromRows([1, 0.5], [0.25, 0]);
        var matrices = WhileLoopScans.DoubleMatrixUntil(m0, 50, HugeMaximum);
        Assert.Equal(6, matrices.Length);
        Assert.Equal("[[64, 32], [16, 0]]", matrices[5].ToString());
        bytes = Allocated(() => WhileLoopScans.DoubleMatrixUntil(m0, 50, HugeMaximum));
        Assert.True(bytes < Bound, $"{bytes} bytes for 6 steps of a matrix");
        Assert.Equal(6, WhileLoopScans.DoubleMatrixUntil(m0, 50, int.MaxValue - 100).Length);
    }

    [Fact]
    public void TheInterpreterAllocatesForTheStepsRunToo()
    {
        long bytes = Allocated(() => Seed.Scans.DoubleUntilGraph.Invoke(1.0, 50.0, HugeMaximum));
        Assert.True(bytes < 4 * Bound, $"{bytes} bytes for 6 interpreted steps");
        GraphCheck.SameAsInterpreter(Seed.Scans.DoubleUntilGraph, Seed.Scans.DoubleUntil(1, 50, int.MaxValue - 100), 1.0, 50.0, int.MaxValue - 100);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(1000)]
    public void TracesThatGrowKeepEveryRowAndPastTapsReadThem(int maxSteps)
    {
        // No stop before the maximum (a huge limit): the traces grow past 16, 32, ... rows, and every step reads its
        // past rows (taps -2 and -1) from the trace as it is after growing.
        var first = Mat<double>.FromRows([0, 1], [1, 1]);
        var expected = new double[maxSteps + 2][];
        expected[0] = [0, 1];
        expected[1] = [1, 1];
        for (int t = 2; t < expected.Length; t++) expected[t] = [expected[t - 2][0] + expected[t - 1][0], expected[t - 2][1] + expected[t - 1][1]];
        var trace = WhileLoopScans.FibonacciUntil(first, double.MaxValue, maxSteps);
        Assert.Equal(maxSteps, trace.Rows);
        for (int t = 0; t < maxSteps; t++)
            Assert.Equal(expected[t + 2], trace.Row(t).ToArray());
        GraphCheck.SameAsInterpreter(WhileLoopScans.FibonacciUntilGraph, trace, first, double.MaxValue, maxSteps);

        // Stopping at step 15, the last before the first growth, or at step 16, the first after it (or at the last
        // step): the trace is cut to the steps run.
        foreach (int stop in new[] { Math.Min(maxSteps, 16) - 1, Math.Min(maxSteps, 17) - 1 })
        {
            double limit = expected[stop + 2][1] - 0.5;
            var stopped = WhileLoopScans.FibonacciUntil(first, limit, maxSteps);
            Assert.Equal(stop + 1, stopped.Rows);
            Assert.Equal(trace.Take(stop + 1), stopped);
            GraphCheck.SameAsInterpreter(WhileLoopScans.FibonacciUntilGraph, stopped, first, limit, maxSteps);
        }

        var scalars = Seed.Scans.DoubleUntil(1, double.MaxValue, maxSteps);
        Assert.Equal(Enumerable.Range(1, maxSteps).Select(k => Math.Pow(2, k)).ToArray(), scalars);
        GraphCheck.SameAsInterpreter(Seed.Scans.DoubleUntilGraph, scalars, 1.0, double.MaxValue, maxSteps);
    }
}
