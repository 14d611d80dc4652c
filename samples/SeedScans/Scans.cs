using System;
using SymGen;

namespace Seed;

/// <summary>The worked examples of the Theano scan tutorial, as SymGen scans.</summary>
public static partial class Scans
{
    // fn(a, b): a = the sequence element x[t], b = the previous output y[t-1].
    static double Add(double a, double b) => a + b;

    /// <summary>Cumulative sum from an initial value: CumSum([1, 2, 3], 1) == [2, 4, 7].</summary>
    [Symbolic(nameof(Add))]
    public static partial double[] CumSum([Sequence] ReadOnlySpan<double> input, [Initial] double start);

    // One term of a polynomial: the coefficient times x to the power.
    static double Term(double coefficient, int power, double x) => coefficient * Math.Pow(x, power);

    /// <summary>
    /// The polynomial's terms: coefficients[i] * x^powers[i]. No [Initial], so the output is a map
    /// (Theano's outputs_info=None); x is a non-sequence. The sequences may differ in length: the shortest decides.
    /// </summary>
    [Symbolic(nameof(Term))]
    public static partial double[] Components([Sequence] ReadOnlySpan<double> coefficients, [Sequence] ReadOnlySpan<int> powers, double x);

    // fn(x[t-3], x[t+2], x[t-1], y[t-3], y[t-5], w): Theano's argument order, taps as listed.
    static double Filter(double xm3, double xp2, double xm1, double ym3, double ym5, double w)
    {
        var feedForward = xm3 + 0.5 * xp2 - xm1;
        return feedForward + w * (ym3 - 0.25 * ym5);
    }

    /// <summary>
    /// A filter with sequence taps [-3, 2, -1] and output taps [-3, -5]: y0 holds the 5 values before the first step
    /// (y0[0] = y[-5], y0[4] = y[-1]); an input of n elements gives n - 5 steps.
    /// </summary>
    [Symbolic(nameof(Filter))]
    public static partial double[] Iir([Sequence(-3, 2, -1)] ReadOnlySpan<double> x, [Initial(-3, -5)] ReadOnlySpan<double> y0, double w);

    // Fibonacci: two past values, no sequence, so the number of steps is given.
    static long Fib(long previous2, long previous1) => previous2 + previous1;

    /// <summary>The next <paramref name="count"/> Fibonacci numbers after the two in <paramref name="first"/>.</summary>
    [Symbolic(nameof(Fib))]
    public static partial long[] Fibonacci([Initial(-2, -1)] ReadOnlySpan<long> first, [Steps] int count);

    // Exponential moving average with a running maximum beside it: two outputs, one map, one recurrent.
    static (double Smoothed, double Peak) Smooth(double x, double previous, double alpha)
    {
        double smoothed = alpha * x + (1 - alpha) * previous;
        return (smoothed, Math.Max(smoothed, x));
    }

    /// <summary>Smooths a signal; the second output shows each step's larger of the smoothed and raw value.</summary>
    [Symbolic(nameof(Smooth))]
    public static partial (double[] Smoothed, double[] Peak) Ema([Sequence] double[] signal, [Initial(Output = "Smoothed")] double start, double alpha);

    // The tutorial's running sum of matrix rows: a vector state.
    static Vec<double> AddRow(Vec<double> row, Vec<double> total) => total + row;

    /// <summary>Running sums of the rows: RowSums([[1, 2, 3], [4, 5, 6]], [0, 0, 0]) == [[1, 2, 3], [5, 7, 9]].</summary>
    [Symbolic(nameof(AddRow))]
    public static partial Mat<double> RowSums([Sequence] Mat<double> rows, [Initial] Vec<double> start);

    // An Elman RNN cell: h_t = tanh(W h_{t-1} + U x_t + b).
    static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    /// <summary>The hidden states of an Elman RNN over the rows of <paramref name="xs"/>, one row per step.</summary>
    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

    // A running total with a shared step counter and a shared accumulator: state that survives calls.
    static (double, double, long) Tally(double x, double total, long count) => (total + x, total + x, count + 1);

    /// <summary>
    /// Adds <paramref name="values"/> to the shared <paramref name="total"/> and counts them in <paramref name="count"/>;
    /// returns the running totals. The shared variables change only when the call succeeds, both together.
    /// </summary>
    [Symbolic(nameof(Tally))]
    public static partial double[] AddToTotal([Sequence] double[] values, [Update] Shared<double> total, [Update] Shared<long> count);

    // A while loop: double until past a limit (Theano's until); the maximum number of steps is given.
    static (double, Until) Double(double h, double limit) => (2 * h, Until.When(2 * h > limit));

    /// <summary>Doubles <paramref name="start"/> until it passes <paramref name="limit"/>, at most <paramref name="maxSteps"/> times.</summary>
    [Symbolic(nameof(Double))]
    public static partial double[] DoubleUntil([Initial] double start, double limit, [Steps] int maxSteps);
}
