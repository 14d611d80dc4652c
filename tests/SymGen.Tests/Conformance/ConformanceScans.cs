using System;

namespace SymGen.Tests.Conformance;

/// <summary>
/// The reference cases' scans, written as SymGen scans. Each step method is the case's Python lambda; each scan's
/// attributes are its scan() call (sequences, outputs_info, non_sequences, n_steps, go_backwards).
/// </summary>
public static partial class ConformanceScans
{
    // cumsum_seed, n_steps_shorter_than_sequence, go_backwards_cumsum: lambda x_t, h_tm1: h_tm1 + x_t
    internal static double CumSumStep(double x_t, double h_tm1) => h_tm1 + x_t;

    [Symbolic(nameof(CumSumStep))]
    public static partial double[] CumSum([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

    [Symbolic(nameof(CumSumStep))]
    public static partial double[] CumSumSteps([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Steps] int n_steps);

    [Symbolic(nameof(CumSumStep), GoBackwards = true)]
    public static partial double[] CumSumBackwards([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

    // polynomial_eval: lambda c, p, xv: c * (xv ** p), sequences=[coef, arange(6)], non_sequences=x
    internal static double PolynomialTerm(double c, long p, double xv) => c * Math.Pow(xv, p);

    [Symbolic(nameof(PolynomialTerm))]
    public static partial double[] PolynomialComponents([Sequence] ReadOnlySpan<double> coef, [Sequence] ReadOnlySpan<long> powers, double x);

    // seq_taps_m3_p2_m1: lambda a, b, c: a + 10 * b + 100 * c, sequences=dict(input=s, taps=[-3, 2, -1])
    internal static double ThreeTaps(double a, double b, double c) => a + 10 * b + 100 * c;

    [Symbolic(nameof(ThreeTaps))]
    public static partial double[] SequenceTaps([Sequence(-3, 2, -1)] ReadOnlySpan<double> s);

    // output_taps_m3_m5: lambda ym3, ym5: ym3 + 0.5 * ym5, outputs_info=dict(initial=y0, taps=[-3, -5]), n_steps
    internal static double TwoPast(double ym3, double ym5) => ym3 + 0.5 * ym5;

    [Symbolic(nameof(TwoPast))]
    public static partial double[] OutputTaps([Initial(-3, -5)] ReadOnlySpan<double> y0, [Steps] int n_steps);

    // multiple_outputs_mixed: outputs_info=[None, h0, dict(initial=z0, taps=[-2, -1])]
    internal static (double, double, double) Mixed(double x_t, double h_tm1, double z_tm2, double z_tm1) =>
        (2 * x_t, h_tm1 + x_t, z_tm1 + z_tm2);

    [Symbolic(nameof(Mixed))]
    public static partial (double[] m, double[] h, double[] z) MixedOutputs(
        [Sequence] ReadOnlySpan<double> x, [Initial(Output = "h")] double h0, [Initial(-2, -1, Output = "z")] ReadOnlySpan<double> z0);

    // fibonacci_taps_m2_m1: lambda a, b: a + b, outputs_info=dict(initial=f0, taps=[-2, -1]), n_steps=8
    internal static double FibonacciStep(double a, double b) => a + b;

    [Symbolic(nameof(FibonacciStep))]
    public static partial double[] Fibonacci([Initial(-2, -1)] ReadOnlySpan<double> f0, [Steps] int n_steps);
}
