using System.Linq;
using System.Threading;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>The generated <c>&lt;Scan&gt;Graph</c> property, compiled fresh so that no earlier test has built it.</summary>
public class GraphPropertyTests
{
    [Fact]
    public void EightThreadsAskingAtOnceGetOneGraphBuiltOnce()
    {
        // Before: 's ??= Build()' let each thread that saw null build and keep its own graph (8 threads, 8 instances).
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            public static partial class S
            {
                static double Step(double x, double h) => System.Math.Tanh(h * 0.5 + x * 2 - 1) + System.Math.Exp(-x * h);
                [Symbolic(nameof(Step))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
            }
            """);
        var property = assembly.GetType("S")!.GetProperty("RunGraph")!;
        const int threads = 8;
        var graphs = new object?[threads];
        using var start = new Barrier(threads);
        var running = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            graphs[i] = property.GetValue(null);
        }) { IsBackground = true }).ToList();
        running.ForEach(t => t.Start());
        Assert.True(running.All(t => t.Join(System.TimeSpan.FromSeconds(60))));
        Assert.NotNull(graphs[0]);
        Assert.All(graphs, g => Assert.Same(graphs[0], g));
    }
}
