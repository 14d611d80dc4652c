using System;

namespace SymGen.Tests.Semantics;

/// <summary>Scans that pin down the reference scan rules (docs/scan-semantics.md) beyond the reference file's value cases.</summary>
public static partial class SemanticsScans
{
    internal static double TenAPlusB(double a, double b) => 10 * a + b;

    // go_backwards with taps [-1, 0]: tap -1 is the element visited next (s=[1,2,3,4] gives [34, 23, 12]).
    [Symbolic(nameof(TenAPlusB), GoBackwards = true)]
    public static partial double[] BackwardsTaps([Sequence(-1, 0)] ReadOnlySpan<double> s);

    internal static double Accumulate(double x, double h) => h + x;

    [Symbolic(nameof(Accumulate), GoBackwards = true)]
    public static partial double[] BackwardsSteps([Sequence] double[] x, [Initial] double h0, [Steps] int n);

    [Symbolic(nameof(Accumulate))]
    public static partial double[] ForwardSteps([Sequence] ReadOnlyMemory<double> x, [Initial] double h0, [Steps] long n);

    internal static double TenTimes(double y) => 10 * y;

    // Output taps [-2] with a longer initial state: only its first 2 rows are read (y[-2], y[-1]).
    [Symbolic(nameof(TenTimes))]
    public static partial double[] TwoBack([Initial(-2)] ReadOnlySpan<double> y0, [Steps] int n);

    internal static double Sum3(double a1, double a2, double b) => a1 + a2 + b;

    // Two sequences of different lengths and taps: the shortest (after its taps) decides.
    [Symbolic(nameof(Sum3))]
    public static partial double[] TwoSequences([Sequence(1, 2)] Span<double> a, [Sequence] Memory<double> b);

    internal static double Around(double before, double after) => before + after;

    // Taps [-2, 2] span 4: step t reads x[t] and x[t + 4], so a sequence needs 4 + n elements for n steps.
    [Symbolic(nameof(Around))]
    public static partial double[] AroundSum([Sequence(-2, 2)] double[] x);

    [Symbolic(nameof(Around))]
    public static partial double[] AroundSumSteps([Sequence(-2, 2)] double[] x, [Steps] int n);

    // Integer and float steps keep C#'s own arithmetic: integer division truncates, float stays float.
    internal static (int, float) Mixed(int i, float f, int divisor) => (i / divisor + i % divisor, MathF.Sqrt(f) * 2f + i);

    [Symbolic(nameof(Mixed))]
    public static partial (int[] Quotients, float[] Roots) IntAndFloat([Sequence] int[] i, [Sequence] float[] f, int divisor);

    // A step that uses locals, compound assignment, a conditional and Math functions.
    internal static double Clipped(double x, double previous, double limit)
    {
        double next = previous;
        next += x * 0.5;
        next = Math.Abs(next) > limit ? Math.Sign(next) * limit : next;
        return next;
    }

    [Symbolic(nameof(Clipped))]
    public static partial double[] ClippedSum([Sequence] ReadOnlySpan<double> x, [Initial] double start, double limit);

    // A parameter named like the generated loop's own locals must not clash with them.
    internal static double Shift(double t, double steps) => t + steps;

    [Symbolic(nameof(Shift))]
    public static partial double[] NameClash([Sequence] ReadOnlySpan<double> t, [Initial] double steps);

    // A step whose output is a constant and ignores its input: still one row per step.
    internal static double One(double x) => 1;

    [Symbolic(nameof(One))]
    public static partial double[] Ones([Sequence] ReadOnlySpan<double> x);

    // A bool output computed by a comparison.
    internal static bool Positive(double x) => x > 0;

    [Symbolic(nameof(Positive))]
    public static partial bool[] Signs([Sequence] ReadOnlySpan<double> x);

    // Outputs that are past values themselves: a swap of two states, and a delay line returning y[t-2].
    internal static (double, double) SwapStep(double a, double b) => (b, a);

    [Symbolic(nameof(SwapStep))]
    public static partial (double[] a, double[] b) Swap([Initial(Output = "a")] double a0, [Initial(Output = "b")] double b0, [Steps] int n);

    internal static double Delay(double ym2, double ym1) => ym2;

    [Symbolic(nameof(Delay))]
    public static partial double[] DelayLine([Initial(-2, -1)] double[] y0, [Steps] int n);
}
