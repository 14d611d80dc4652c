using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SymGen.Tests.SharedState;

/// <summary>Shared variables, updates and until: docs/scan-semantics.md, "Shared variables and updates" and "While loops", and SymGen's all-or-nothing rule.</summary>
public class SharedTests
{
    [Fact]
    public void UpdatesWithinAStepAreSimultaneous()
    {
        // {x: x + 1, y: x} for 10 steps from 1: x = 11, y = 10 (y reads x at the start of each step).
        Shared<double> x = new("x", 1), y = new("y", 1);
        SharedScans.Swap(x, y, 10);
        Assert.Equal(11, x.Value);
        Assert.Equal(10, y.Value);
        Assert.Equal(x.Value - 1, y.Value);
    }

    [Fact]
    public void AnExceptionMidScanLeavesEverySharedVariableAsItWas()
    {
        Shared<long> steps = new("steps", 7), total = new("total", 100);
        Assert.Throws<DivideByZeroException>(() => SharedScans.Quotients([1, 2, 0, 4], steps, total, 12));
        Assert.Equal(7, steps.Value);
        Assert.Equal(100, total.Value);
        // The same scan without the zero commits both.
        Assert.Equal([12, 6, 3], SharedScans.Quotients([1, 2, 4], steps, total, 12));
        Assert.Equal(10, steps.Value);
        Assert.Equal(121, total.Value);
    }

    [Fact]
    public void CancellationLeavesSharedStateUntouched()
    {
        Shared<double> sum = new("sum", 5), scale = new("scale", 2);
        Shared<long> count = new("count", 3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => SharedScans.Accumulated(new double[5000], sum, count, scale, cancelled.Token));
        Assert.Equal(5, sum.Value);
        Assert.Equal(3, count.Value);
    }

    [Fact]
    public void SharedStateSurvivesCallsAndImplicitNonSequencesAreRead()
    {
        Shared<double> sum = new("sum", 0), scale = new("scale", 10);
        Shared<long> count = new("count", 0);
        Assert.Equal([10.0, 30.0], SharedScans.Accumulated([1, 2], sum, count, scale, default));
        scale.Value = 1;
        Assert.Equal([33.0], SharedScans.Accumulated([3], sum, count, scale, default));
        Assert.Equal(33, sum.Value);
        Assert.Equal(3, count.Value);
        Assert.Equal(1, scale.Value); // read, never written
    }

    [Fact]
    public void UntilNeverTrueRunsToTheMaximum() =>
        Assert.Equal([1.0, 3.0, 6.0], SharedScans.SumUntil([1, 2, 3], 0, 100));

    [Fact]
    public void UntilOnTheFirstStepGivesOneRow() =>
        Assert.Equal([5.0], SharedScans.SumUntil([5, 2, 3], 0, 1));

    [Fact]
    public void VectorSharedStateWithUntil()
    {
        var state = new Shared<Vec<double>>("state", new double[] { 0, 0 });
        var x = Mat<double>.FromRows([1, 1], [1, 1], [1, 1], [1, 1]);
        var trace = SharedScans.DecayUntil(x, state, 1.6);
        // state: [1, 1], [1.5, 1.5], [1.75, 1.75] > 1.6: stops after the third step.
        Assert.Equal(3, trace.Rows);
        Assert.Equal("[[1, 1], [1.5, 1.5], [1.75, 1.75]]", trace.ToString());
        Assert.Equal("[1.75, 1.75]", state.Value.ToString());
    }

    [Fact]
    public void SharedValuesAreCopiesNotViews()
    {
        double[] data = [1, 2];
        var shared = new Shared<Vec<double>>("v", data);
        data[0] = 99;
        Assert.Equal("[1, 2]", shared.Value.ToString());
        var read = shared.Value;
        read.Span[1] = 99;
        Assert.Equal("[1, 2]", shared.Value.ToString());
    }

    [Fact]
    public void OneSharedVariableForTwoUpdatesIsRejectedBeforeTheFirstStep()
    {
        var x = new Shared<double>("x", 1);
        var error = Assert.Throws<ArgumentException>(() => SharedScans.Swap(x, x, 3));
        Assert.Equal("y", error.ParamName);
        Assert.Contains("same shared variable 'x'", error.Message);
        Assert.Equal(1, x.Value);
    }

    [Fact]
    public void ConcurrentCallsOnDistinctSharedVariablesMatchSequentialCalls()
    {
        double[][] inputs = Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 2000).Select(j => (double)((i * 31 + j) % 17)).ToArray()).ToArray();
        (double[] Trace, double Sum, long Count) Run(double[] input)
        {
            Shared<double> sum = new("sum", 0), scale = new("scale", 0.5);
            Shared<long> count = new("count", 0);
            var trace = SharedScans.Accumulated(input, sum, count, scale, default);
            trace = SharedScans.Accumulated(input, sum, count, scale, default);
            return (trace, sum.Value, count.Value);
        }
        var sequential = inputs.Select(Run).ToArray();
        var concurrent = new (double[] Trace, double Sum, long Count)[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = Run(inputs[i]));
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i].Trace, concurrent[i].Trace);
            Assert.Equal(sequential[i].Sum, concurrent[i].Sum);
            Assert.Equal(sequential[i].Count, concurrent[i].Count);
        }
    }
}
