using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Xunit;

namespace SymGen.Tests.SharedState;

/// <summary>
/// A scan call is a transaction on its shared variables (docs/shared-variables.md): concurrent calls on the same
/// variables give the result of some serial order, lose nothing, never show a commit half done, and never deadlock.
/// Each test runs its threads for a bounded time and fails, instead of hanging, if they do not finish.
/// </summary>
public class ConcurrencyTests
{
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadlock = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads until the run time is over; returns each thread's calls.</summary>
    private static long[] RunConcurrently(int threads, Action<int> work)
    {
        var calls = new long[threads];
        var clock = Stopwatch.StartNew();
        var running = Enumerable.Range(0, threads).Select(i => Start(() =>
        {
            while (clock.Elapsed < RunTime)
            {
                work(i);
                calls[i]++;
            }
        })).ToList();
        Assert.True(running.All(thread => thread.Join(Deadlock)), "The threads did not finish: a deadlock.");
        Assert.Empty(Failures);
        return calls;
    }

    /// <summary>A background thread (one that deadlocks cannot keep the test run alive) running <paramref name="work"/>; its exception fails the test.</summary>
    private static Thread Start(Action work)
    {
        var thread = new Thread(() =>
        {
            try { work(); }
            catch (Exception e) { Failures.Enqueue(e); }
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static readonly System.Collections.Concurrent.ConcurrentQueue<Exception> Failures = new();

    public static TheoryData<string> Engines => new() { "generated", "interpreted", "both" };

    [Theory]
    [MemberData(nameof(Engines))]
    public void EightThreadsOnOneAccumulatorLoseNoUpdateAndReadersNeverSeeItOutOfStep(string engine)
    {
        // Every call adds 3 to both variables: after any serial order total == count == 3 x calls, at every commit.
        Shared<double> total = new("total", 0);
        Shared<long> count = new("count", 0);
        double[] ones = [1, 1, 1];
        long snapshots = 0, outOfStep = 0;
        using var stop = new CancellationTokenSource();
        var reader = Start(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (t, c) = SharedVariables.Read(total, count);
                if (t != c) outOfStep++;
                snapshots++;
            }
        });

        var calls = RunConcurrently(8, i =>
        {
            if (engine == "generated" || (engine == "both" && i % 2 == 0))
                Seed.Scans.AddToTotal(ones, total, count);
            else
                Seed.Scans.AddToTotalGraph.Invoke(ones, total, count);
        });
        stop.Cancel();
        Assert.True(reader.Join(Deadlock), "The reader did not finish: a deadlock.");
        Assert.Empty(Failures);

        long expected = 3 * calls.Sum();
        Assert.True(expected > 0);
        Assert.Equal(expected, count.Value);
        Assert.Equal(expected, total.Value);
        Assert.True(snapshots > 0);
        Assert.Equal(0, outOfStep);
    }

    [Fact]
    public void ScansUpdatingOverlappingVariablesInOtherParameterOrdersDoNotDeadlock()
    {
        // Swap(x, y) and Swap(y, x) update the same two variables, listed in opposite orders; Accumulated reads the
        // variable the other thread's call updates and the other way round. Locking in parameter order would deadlock.
        Shared<double> a = new("a", 0), b = new("b", 1);
        Shared<double> sumA = new("sumA", 0), sumB = new("sumB", 0);
        Shared<long> countA = new("countA", 0), countB = new("countB", 0);
        double[] one = [1];
        var calls = RunConcurrently(6, i =>
        {
            switch (i)
            {
                case 0: SharedScans.Swap(a, b, 1); break;
                case 1: SharedScans.Swap(b, a, 1); break;
                case 2: SharedScans.SwapGraph.Invoke(b, a, 1); break;
                case 3: SharedScans.Accumulated(one, sumA, countA, sumB, default); break;
                case 4: SharedScans.Accumulated(one, sumB, countB, sumA, default); break;
                default: SharedScans.AccumulatedGraph.Invoke(one, sumB, countB, sumA); break;
            }
        });
        // Each swap leaves one variable one more than the other (it sets x := x + 1, y := x); the counters lose nothing.
        var (finalA, finalB) = SharedVariables.Read(a, b);
        Assert.Equal(1, Math.Abs(finalA - finalB));
        Assert.Equal(calls[3], countA.Value);
        Assert.Equal(calls[4] + calls[5], countB.Value);
    }

    [Fact]
    public void AVariableBothReadAndUpdatedByOneCall()
    {
        // sum is updated and is also the read-only scale: read once, at the call (scale = 1), and committed once.
        Shared<double> sum = new("sum", 1);
        Shared<long> count = new("count", 0);
        Assert.Equal([2.0, 3.0], SharedScans.Accumulated([1, 1], sum, count, sum, default));
        Assert.Equal(3, sum.Value);
        Assert.Equal("[6, 9]", SharedScans.AccumulatedGraph.Invoke(new double[] { 1, 1 }, sum, count, sum)[0].ToString());
        Assert.Equal(9, sum.Value); // scale = 3 now
        Assert.Equal(4, count.Value);
        AssertFreeForOtherThreads(() => { sum.Value = sum.Value; count.Value = count.Value; });
    }

    [Fact]
    public void AFailedOrCancelledCallReleasesEveryLockAndChangesNothing()
    {
        Shared<long> steps = new("steps", 7), total = new("total", 100);
        Assert.Throws<DivideByZeroException>(() => SharedScans.Quotients([1, 2, 0, 4], steps, total, 12));
        Assert.Throws<DivideByZeroException>(() => SharedScans.QuotientsGraph.Invoke(new[] { 1, 2, 0, 4 }, steps, total, 12));
        Assert.Equal((7L, 100L), SharedVariables.Read(steps, total));
        AssertFreeForOtherThreads(() => { steps.Value = steps.Value; total.Value = total.Value; });

        Shared<double> sum = new("sum", 5), scale = new("scale", 2);
        Shared<long> count = new("count", 3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => SharedScans.Accumulated(new double[5000], sum, count, scale, cancelled.Token));
        Assert.Equal((5.0, 3L, 2.0), SharedVariables.Read(sum, count, scale));
        AssertFreeForOtherThreads(() => { sum.Value = sum.Value; count.Value = count.Value; scale.Value = scale.Value; });
    }

    [Fact]
    public void AValueWrittenWhileAScanRunsWaitsForItsCommit()
    {
        // A long scan holds 'total'; a write meanwhile lands after the scan's commit (total = 0), or before it starts
        // (0 + the scan's sum). Without the transaction the scan overwrote it with 5 + its sum: a lost write.
        var values = Enumerable.Repeat(1.0, 4_000_000).ToArray();
        Shared<double> total = new("total", 5);
        Shared<long> count = new("count", 0);
        var scan = Start(() => Seed.Scans.AddToTotal(values, total, count));
        Thread.Sleep(2);
        total.Value = 0;
        Assert.True(scan.Join(Deadlock));
        Assert.Empty(Failures);
        Assert.Contains(total.Value, new[] { 0.0, values.Length });
    }

    [Fact]
    public void SnapshotsOfThreeAndFourVariables()
    {
        Shared<double> a = new("a", 1);
        Shared<long> b = new("b", 2);
        Shared<Vec<double>> c = new("c", new double[] { 3, 4 });
        Shared<int> d = new("d", 5);
        var (x, y, z, w) = SharedVariables.Read(a, b, c, d);
        Assert.Equal((1.0, 2L, "[3, 4]", 5), (x, y, z.ToString(), w));
        z.Span[0] = 99; // a copy, as Value gives
        Assert.Equal("[3, 4]", c.Value.ToString());
        Assert.Equal((1.0, 1.0), SharedVariables.Read(a, a));
        Assert.Throws<ArgumentNullException>(() => SharedVariables.Read(a, (Shared<long>)null!));
    }

    /// <summary>Another thread can read and write the variables at once: nothing is left locked.</summary>
    private static void AssertFreeForOtherThreads(Action readAndWrite)
    {
        Assert.True(Start(readAndWrite).Join(TimeSpan.FromSeconds(10)), "A lock was left held.");
        Assert.Empty(Failures);
    }
}
