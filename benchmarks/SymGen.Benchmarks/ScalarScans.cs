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
