using System;
using System.Linq;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Deep taps (read from the trace) are tested against their depth only in the first `depth` steps: a loop of its own,
/// then a loop without the test. The code is the same for any depth, and the values those of the plain loop.
/// </summary>
public class DeepTapPeelTests
{
    private static string Scan(int depth) => $$"""
        using System;
        using SymGen;
        public static partial class S
        {
            static double Step(double x, double y1, double yd) => x + 0.25 * y1 + 0.5 * yd;
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [Initial(-1, {{-depth}})] double[] y0);

            static (double, Until) Grow(double y1, double yd, double limit) => (y1 + yd, Until.When(y1 + yd > limit));
            [Symbolic(nameof(Grow))]
            public static partial double[] GrowUntil([Initial(-1, {{-depth}})] double[] y0, double limit, [Steps] int steps);
        }
        """;

    private static object? Call(System.Reflection.Assembly assembly, string method, params object?[] arguments) =>
        assembly.GetType("S")!.GetMethod(method)!.Invoke(null, arguments);

    [Fact]
    public void TheCodeIsTheSameForEveryDepthButItsNumbers()
    {
        string Code(int depth) => new(GeneratorHarness.Run(Scan(depth)).GeneratedSources.Single(s => s.Key.Contains("Run")).Value
            .Where(c => !char.IsDigit(c)).ToArray());
        Assert.Equal(Code(9), Code(1000));
        Assert.Equal(Code(9), Code(2_000_000));
        // The main loop reads the trace without a test.
        var text = GeneratorHarness.FastPath(GeneratorHarness.Run(Scan(1000)).GeneratedSources.Single(s => s.Key.Contains("Run")).Value);
        Assert.Contains("= RunTrace[t - 1000];", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, @"t >= 1000 \?"));
    }

    [Theory]
    [InlineData(12, 0)]
    [InlineData(12, 5)]
    [InlineData(12, 12)]
    [InlineData(12, 13)]
    [InlineData(40, 500)]
    public void EveryStepReadsTheRightRow(int depth, int steps)
    {
        var assembly = GeneratorHarness.Load(Scan(depth));
        var random = new Random(depth + steps);
        var x = Enumerable.Range(0, steps).Select(_ => random.NextDouble()).ToArray();
        var y0 = Enumerable.Range(0, depth).Select(_ => random.NextDouble()).ToArray();
        var y = (double[])Call(assembly, "Run", x, y0)!;
        // The plain loop: all holds the initial rows, then the steps.
        var all = y0.Concat(new double[steps]).ToArray();
        for (int t = 0; t < steps; t++)
            all[depth + t] = x[t] + 0.25 * all[depth + t - 1] + 0.5 * all[t];
        Assert.Equal(all.Skip(depth).ToArray(), y);
    }

    [Theory]
    [InlineData(20, 3.0)]     // stops among the peeled steps
    [InlineData(20, 1e6)]     // stops after them
    [InlineData(20, 1e300)]   // runs every step
    public void AWhileLoopStopsInEitherLoop(int depth, double limit)
    {
        var assembly = GeneratorHarness.Load(Scan(depth));
        var y0 = Enumerable.Range(0, depth).Select(i => 0.1 * (i + 1)).ToArray();
        var y = (double[])Call(assembly, "GrowUntil", y0, limit, 200)!;
        var all = y0.ToList();
        for (int t = 0; t < 200; t++)
        {
            all.Add(all[^1] + all[^depth]);
            if (all[^1] > limit) break;
        }
        Assert.Equal(all.Skip(depth).ToArray(), y);
    }
}
