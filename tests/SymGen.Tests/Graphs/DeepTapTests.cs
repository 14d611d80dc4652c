using System;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

public static partial class DeepTapScans
{
    static double Mix(double xm20, double xp5, double y1, double y30) => xm20 - 0.5 * xp5 + 0.5 * y1 + 0.25 * y30;

    /// <summary>A shallow tap kept in a local beside a deep one read from the trace.</summary>
    [Symbolic(nameof(Mix))]
    public static partial double[] Mixed([Sequence(-20, 5)] double[] x, [Initial(-1, -30)] double[] y0);
}

/// <summary>Deep taps: the generated loop and the interpreter agree, and a tap list too wide for an array is rejected.</summary>
public class DeepTapTests
{
    [Fact]
    public void DeepAndShallowTapsAgreeWithTheInterpreter()
    {
        var random = new Random(30);
        var x = Enumerable.Range(0, 120).Select(_ => random.NextDouble()).ToArray();
        var y0 = Enumerable.Range(0, 30).Select(_ => random.NextDouble()).ToArray();
        GraphCheck.SameAsInterpreter(DeepTapScans.MixedGraph, DeepTapScans.Mixed(x, y0), x, y0);
    }
}
