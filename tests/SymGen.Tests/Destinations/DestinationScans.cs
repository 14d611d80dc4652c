using System;

namespace SymGen.Tests.Destinations;

/// <summary>
/// Scans declared twice: the allocating overload and the one writing into caller-provided destinations
/// ([Destination]); the tests compare them bit for bit.
/// </summary>
public static partial class DestinationScans
{
    internal static double CumSumStep(double x_t, double h_tm1) => h_tm1 + x_t;

    [Symbolic(nameof(CumSumStep))]
    public static partial double[] CumSum([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

    [Symbolic(nameof(CumSumStep))]
    public static partial void CumSum([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Destination] Span<double> ys);

    [Symbolic(nameof(CumSumStep))]
    public static partial void CumSumIntoArray([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Destination] double[] ys);

    [Symbolic(nameof(CumSumStep))]
    public static partial void CumSumIntoMemory([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Destination] Memory<double> ys);

    [Symbolic(nameof(CumSumStep))]
    public static partial void CumSumIntoVec([Sequence] Vec<double> x, [Initial] double h0, [Destination] Vec<double> ys);

    [Symbolic(nameof(CumSumStep))]
    public static partial void CumSumWithMode([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Destination] Span<double> ys, ScanMode? mode = null);

    // The taps filter: sequence taps [-3, 2, -1], output taps [-3, -5].
    internal static double Filter(double a, double b, double c, double ym3, double ym5, double w) => a + 10 * b + 100 * c + w * (ym3 + 0.5 * ym5);

    [Symbolic(nameof(Filter))]
    public static partial double[] Iir([Sequence(-3, 2, -1)] ReadOnlySpan<double> x, [Initial(-3, -5)] ReadOnlySpan<double> y0, double w);

    [Symbolic(nameof(Filter))]
    public static partial void Iir([Sequence(-3, 2, -1)] ReadOnlySpan<double> x, [Initial(-3, -5)] ReadOnlySpan<double> y0, double w, [Destination] Span<double> ys);

    // Several outputs: a map, a state, a two-tap state.
    internal static (double, double, double) Mixed(double x_t, double h_tm1, double z_tm2, double z_tm1) =>
        (2 * x_t, h_tm1 + x_t, z_tm1 + z_tm2);

    [Symbolic(nameof(Mixed))]
    public static partial (double[] m, double[] h, double[] z) MixedOutputs(
        [Sequence] ReadOnlySpan<double> x, [Initial(Output = "h")] double h0, [Initial(-2, -1, Output = "z")] ReadOnlySpan<double> z0);

    [Symbolic(nameof(Mixed))]
    public static partial void MixedOutputs([Sequence] ReadOnlySpan<double> x, [Initial(Output = "h")] double h0,
        [Initial(-2, -1, Output = "z")] ReadOnlySpan<double> z0, [Destination] Span<double> m, [Destination] Span<double> h, [Destination] Span<double> z);

    // The Elman RNN: a vector output into a Mat.
    internal static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

    [Symbolic(nameof(Elman))]
    public static partial void Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, [Destination] Mat<double> hs);

    [Symbolic(nameof(Elman))]
    public static partial void RnnWithMode([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b,
        [Destination] Mat<double> hs, ScanMode? mode = null);

    internal static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(ElmanF))]
    public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

    [Symbolic(nameof(ElmanF))]
    public static partial void RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b, [Destination] Mat<float> hs);

    // A matrix state: its trace is a Tensor3.
    internal static Mat<double> Leak(Mat<double> x, Mat<double> s, double decay) => Sym.Tanh(decay * s + x);

    [Symbolic(nameof(Leak))]
    public static partial Tensor3<double> Leaky([Sequence] Tensor3<double> xs, [Initial] Mat<double> s0, double decay);

    [Symbolic(nameof(Leak))]
    public static partial void Leaky([Sequence] Tensor3<double> xs, [Initial] Mat<double> s0, double decay, [Destination] Tensor3<double> states);

    [Symbolic(nameof(Leak))]
    public static partial int LeakyWithMode([Sequence] Tensor3<double> xs, [Initial] Mat<double> s0, double decay, [Destination] Tensor3<double> states, ScanMode? mode = null);

    // A while loop: returns the steps it ran; the rows after them are left as they were.
    internal static (double, Until) Double(double h, double limit) => (2 * h, Until.When(2 * h > limit));

    [Symbolic(nameof(Double))]
    public static partial double[] DoubleUntil([Initial] double start, double limit, [Steps] int maxSteps);

    [Symbolic(nameof(Double))]
    public static partial int DoubleUntil([Initial] double start, double limit, [Steps] int maxSteps, [Destination] Span<double> ys);

    [Symbolic(nameof(Double))]
    public static partial int DoubleUntilWithMode([Initial] double start, double limit, [Steps] int maxSteps, [Destination] Span<double> ys, ScanMode? mode = null);

    // A shared variable updated beside a destination: written back only when the call succeeds.
    internal static (double, double) Tally(double x, double total) => (total + x, total + x);

    [Symbolic(nameof(Tally))]
    public static partial void AddToTotal([Sequence] ReadOnlySpan<double> values, [Update] Shared<double> total, [Destination] Span<double> totals);
}
