using System;
using System.Threading;

namespace SymGen.Tests.SharedState;

/// <summary>Scans with shared variables, updates and stop conditions.</summary>
public static partial class SharedScans
{
    // shared_counter_update: lambda: (c * 1.0, {c: c + 1.0}), n_steps=n
    internal static (double, double) Count(double c) => (c * 1.0, c + 1.0);

    [Symbolic(nameof(Count))]
    public static partial double[] Counter([Steps] long n, [Update] Shared<double> c);

    // until_doubling: lambda h: (2 * h, until(2 * h > 50)), outputs_info=h0, n_steps=20
    internal static (double, Until) Doubling(double h) => (2 * h, Until.When(2 * h > 50));

    [Symbolic(nameof(Doubling))]
    public static partial double[] DoubleUntil([Initial] double h0, [Steps] int n);

    // {x: x + 1, y: x}: simultaneous updates, no outputs.
    internal static (double, double) Simultaneous(double x, double y) => (x + 1, x);

    [Symbolic(nameof(Simultaneous))]
    public static partial void Swap([Update] Shared<double> x, [Update] Shared<double> y, [Steps] int n);

    // A step that divides by its sequence: throws mid-scan on a zero; a counter and a total are updated.
    internal static (int, long, long) Divide(int x, long steps, long total, int numerator) => (numerator / x, steps + 1, total + numerator / x);

    [Symbolic(nameof(Divide))]
    public static partial int[] Quotients([Sequence] int[] x, [Update] Shared<long> steps, [Update] Shared<long> total, int numerator);

    // An accumulator scan with a shared step counter (the sample), cancellable.
    internal static (double, double, long) Accumulate(double x, double sum, long count, double scale) => (sum + scale * x, sum + scale * x, count + 1);

    [Symbolic(nameof(Accumulate))]
    public static partial double[] Accumulated([Sequence] ReadOnlySpan<double> x, [Update] Shared<double> sum, [Update] Shared<long> count,
        Shared<double> scale, CancellationToken cancellation);

    // A vector shared state with a stop condition and a returned trace.
    internal static (Vec<double>, Vec<double>, Until) Decay(Vec<double> x, Vec<double> state, double limit) =>
        (state * 0.5 + x, state * 0.5 + x, Until.When(Sym.Max(state * 0.5 + x) > limit));

    [Symbolic(nameof(Decay))]
    public static partial Mat<double> DecayUntil([Sequence] Mat<double> x, [Update] Shared<Vec<double>> state, double limit);

    // until that never holds, and until on the first step.
    internal static (double, Until) Step(double x, double h, double stop) => (h + x, Until.When(h + x >= stop));

    [Symbolic(nameof(Step))]
    public static partial double[] SumUntil([Sequence] double[] x, [Initial] double h0, double stop);
}
