using System;
using SymGen;

namespace SymGen.Benchmarks;

public static partial class ScalarScans
{
    static double Add(double x, double h) => h + x;

    [Symbolic(nameof(Add))]
    public static partial double[] CumSum([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

    static double Smooth(double x, double h, double a) => a * x + (1 - a) * h;

    [Symbolic(nameof(Smooth))]
    public static partial double[] Ema([Sequence] ReadOnlySpan<double> x, [Initial] double h0, double a);

    static double Filter(double xm3, double xp2, double xm1, double ym3, double ym5, double w) =>
        xm3 + 0.5 * xp2 - xm1 + w * (ym3 - 0.25 * ym5);

    [Symbolic(nameof(Filter))]
    public static partial double[] Taps([Sequence(-3, 2, -1)] ReadOnlySpan<double> x, [Initial(-3, -5)] ReadOnlySpan<double> y0, double w);

    static double Term(double coefficient, int power, double x) => coefficient * Math.Pow(x, power);

    [Symbolic(nameof(Term))]
    public static partial double[] Polynomial([Sequence] ReadOnlySpan<double> coefficients, [Sequence] ReadOnlySpan<int> powers, double x);

    // The same scans writing into a destination the caller owns (no allocation per call).
    [Symbolic(nameof(Add))]
    public static partial void CumSumInto([Sequence] ReadOnlySpan<double> x, [Initial] double h0, [Destination] Span<double> result);

    [Symbolic(nameof(Smooth))]
    public static partial void EmaInto([Sequence] ReadOnlySpan<double> x, [Initial] double h0, double a, [Destination] Span<double> result);

    [Symbolic(nameof(Filter))]
    public static partial void TapsInto([Sequence(-3, 2, -1)] ReadOnlySpan<double> x, [Initial(-3, -5)] ReadOnlySpan<double> y0, double w,
        [Destination] Span<double> result);

    [Symbolic(nameof(Term))]
    public static partial void PolynomialInto([Sequence] ReadOnlySpan<double> coefficients, [Sequence] ReadOnlySpan<int> powers, double x,
        [Destination] Span<double> result);

    // A tap 1000 steps deep: y[t] = 0.5 y[t-1000] + x[t].
    static double Deep(double x, double y1000) => 0.5 * y1000 + x;

    [Symbolic(nameof(Deep))]
    public static partial double[] DeepTap([Sequence] ReadOnlySpan<double> x, [Initial(-1000)] ReadOnlySpan<double> y0);

    [Symbolic(nameof(Deep))]
    public static partial void DeepTapInto([Sequence] ReadOnlySpan<double> x, [Initial(-1000)] ReadOnlySpan<double> y0, [Destination] Span<double> result);
}

/// <summary>
/// The best loops a good engineer writes by hand, into a preallocated span: state in locals, the result written
/// once per step, past values read from the result itself (the first steps from the initial rows).
/// </summary>
public static class HandWrittenInto
{
    public static void CumSum(ReadOnlySpan<double> x, double h, Span<double> result)
    {
        for (int t = 0; t < x.Length; t++) result[t] = h += x[t];
    }

    public static void Ema(ReadOnlySpan<double> x, double h, double a, Span<double> result)
    {
        double b = 1 - a;
        for (int t = 0; t < x.Length; t++) result[t] = h = a * x[t] + b * h;
    }

    public static void Polynomial(ReadOnlySpan<double> coefficients, ReadOnlySpan<int> powers, double x, Span<double> result)
    {
        int steps = Math.Min(coefficients.Length, powers.Length);
        for (int t = 0; t < steps; t++) result[t] = coefficients[t] * Math.Pow(x, powers[t]);
    }

    public static void Taps(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, double w, Span<double> result)
    {
        int steps = Math.Max(0, x.Length - 5);
        double y5 = y0[0], y4 = y0[1], y3 = y0[2], y2 = y0[3], y1 = y0[4];
        for (int t = 0; t < steps; t++)
        {
            double y = x[t] + 0.5 * x[t + 5] - x[t + 2] + w * (y3 - 0.25 * y5);
            result[t] = y;
            (y5, y4, y3, y2, y1) = (y4, y3, y2, y1, y);
        }
    }

    public static void DeepTap(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, Span<double> result)
    {
        const int depth = 1000;
        int first = Math.Min(depth, x.Length);
        for (int t = 0; t < first; t++) result[t] = 0.5 * y0[t] + x[t];
        for (int t = depth; t < x.Length; t++) result[t] = 0.5 * result[t - depth] + x[t];
    }

    /// <summary>The allocating form, as the allocating scan: a new trace per call.</summary>
    public static double[] DeepTap(ReadOnlySpan<double> x, ReadOnlySpan<double> y0)
    {
        var result = new double[x.Length];
        DeepTap(x, y0, result);
        return result;
    }
}

/// <summary>The loops a good engineer writes by hand for the same computations.</summary>
public static class HandWritten
{
    public static double[] CumSum(ReadOnlySpan<double> x, double h)
    {
        var result = new double[x.Length];
        for (int t = 0; t < x.Length; t++) result[t] = h += x[t];
        return result;
    }

    public static double[] Ema(ReadOnlySpan<double> x, double h, double a)
    {
        var result = new double[x.Length];
        double b = 1 - a;
        for (int t = 0; t < x.Length; t++) result[t] = h = a * x[t] + b * h;
        return result;
    }

    public static double[] Polynomial(ReadOnlySpan<double> coefficients, ReadOnlySpan<int> powers, double x)
    {
        int steps = Math.Min(coefficients.Length, powers.Length);
        var result = new double[steps];
        for (int t = 0; t < steps; t++) result[t] = coefficients[t] * Math.Pow(x, powers[t]);
        return result;
    }

    public static double[] Taps(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, double w)
    {
        int steps = Math.Max(0, x.Length - 5);
        var result = new double[steps];
        double y5 = y0[0], y4 = y0[1], y3 = y0[2], y2 = y0[3], y1 = y0[4];
        for (int t = 0; t < steps; t++)
        {
            double y = x[t] + 0.5 * x[t + 5] - x[t + 2] + w * (y3 - 0.25 * y5);
            result[t] = y;
            (y5, y4, y3, y2, y1) = (y4, y3, y2, y1, y);
        }
        return result;
    }
}
