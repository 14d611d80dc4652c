using System;
using SymGen.Tests.SharedState;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>Generated graphs of scans with shared variables and until, through the interpreter.</summary>
public class SharedGraphTests
{
    [Fact]
    public void UpdatesAreWrittenBackByTheFunctionAllTogether()
    {
        Shared<double> x = new("x", 1), y = new("y", 1);
        var results = SharedScans.SwapGraph.Invoke(x, y, 10);
        Assert.Empty(results);
        Assert.Equal(11, x.Value);
        Assert.Equal(10, y.Value);
    }

    [Fact]
    public void AFailingCallLeavesSharedVariablesAsTheyWere()
    {
        Shared<long> steps = new("steps", 7), total = new("total", 100);
        Assert.Throws<DivideByZeroException>(() => SharedScans.QuotientsGraph.Invoke(new[] { 1, 2, 0, 4 }, steps, total, 12));
        Assert.Equal(7, steps.Value);
        Assert.Equal(100, total.Value);
    }

    [Fact]
    public void VectorSharedStateAndUntil()
    {
        var x = Mat<double>.FromRows([1, 1], [1, 1], [1, 1], [1, 1]);
        Shared<Vec<double>> a = new("state", new double[] { 0, 0 }), b = new("state", new double[] { 0, 0 });
        var generated = SharedScans.DecayUntil(x, a, 1.6);
        GraphCheck.SameAsInterpreter(SharedScans.DecayUntilGraph, generated, x, b, 1.6);
        Assert.Equal(a.Value, b.Value);
        Assert.Equal(3, generated.Rows);
    }

    [Fact]
    public void SharedArgumentsMustBeSharedVariables()
    {
        var error = Assert.Throws<ArgumentException>(() => SharedScans.CounterGraph.Invoke(5L, 0.0));
        Assert.Contains("'c' must be a shared variable", error.Message);
    }
}
