using System;
using System.Linq;
using CsCheck;
using Xunit;
using static SymGen.Tests.Gradients.GradientFeatureScans;

namespace SymGen.Tests.Gradients;

/// <summary>
/// Generated gradients against central finite differences of the generated forward scans, on random inputs
/// (float64, relative error at most 1e-6): one scan per semantics feature. The loss is Σ w·y over every returned
/// output, with random weights w: its cotangent of each trace is w.
/// </summary>
public sealed class GeneratedGradientPropertyTests
{
    private const double Tolerance = 1e-6;
    private const long Iterations = 40;

    private static readonly Gen<double> Value = Gen.Double[-1, 1];

    /// <summary>
    /// Each element of each parameter array perturbed by ±h: (L(p+h) - L(p-h)) / 2h against the gradient's element.
    /// The loss reads the arrays as they are when it is called.
    /// </summary>
    internal static void MatchesFiniteDifferences(double[][] parameters, Func<double> loss, double[][] gradients, string[] names)
    {
        const double h = 1e-5;
        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.True(parameters[p].Length == gradients[p].Length, $"{names[p]}: gradient of {gradients[p].Length} elements for {parameters[p].Length}");
            for (int i = 0; i < parameters[p].Length; i++)
            {
                double saved = parameters[p][i];
                parameters[p][i] = saved + h;
                double up = loss();
                parameters[p][i] = saved - h;
                double down = loss();
                parameters[p][i] = saved;
                double expected = (up - down) / (2 * h), actual = gradients[p][i];
                double error = Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
                Assert.True(error <= Tolerance, $"d{names[p]}[{i}] = {actual:R}, finite differences {expected:R} (relative error {error:E2})");
            }
        }
    }

    private static double Weighted(double[] w, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += w[i] * y[i];
        return sum;
    }

    [Fact]
    public void SequenceTapsOnBothSidesAndATwoDeepOutput() =>
        Gen.Int[1, 8].SelectMany(T => Gen.Select(Value.Array[T + 3], Value.Array[2], Value, Value.Array[T])).Sample(input =>
        {
            var (x, y0, a, w) = input;
            var scalar = new[] { a };
            TapsGradient(x, y0, a, w, out var dx, out var dy0, out var da);
            MatchesFiniteDifferences([x, y0, scalar], () => Weighted(w, Taps(x, y0, scalar[0])), [dx, dy0, [da]], ["x", "y0", "a"]);
        }, iter: Iterations);

    [Fact]
    public void GoBackwards() =>
        Gen.Int[0, 8].SelectMany(T => Gen.Select(Value.Array[T + 1], Value, Value, Value.Array[T])).Sample(input =>
        {
            var (x, h0, a, w) = input;
            var scalars = new[] { h0, a };
            BackwardsGradient(x, h0, a, w, out var dx, out var dh0, out var da);
            MatchesFiniteDifferences([x, scalars], () => Weighted(w, Backwards(x, scalars[0], scalars[1])), [dx, [dh0, da]], ["x", "(h0, a)"]);
        }, iter: Iterations);

    [Fact]
    public void UntilDifferentiatesOnlyTheExecutedStepsAndPadsWithZeros() =>
        Gen.Int[1, 8].SelectMany(L => Gen.Select(Value.Array[L], Gen.Int[0, L + 2], Value, Value, Value.Array[L])).Sample(input =>
        {
            var (x, stopAt, h0, a, weights) = input;
            var stop = Enumerable.Range(0, x.Length).Select(t => t == stopAt ? 1 : 0).ToArray();
            int executed = Math.Min(stopAt + 1, x.Length);
            var w = weights.Take(executed).ToArray();
            var scalars = new[] { h0, a };
            var trace = WhileLoopGradient(x, stop, h0, a, w, out var dx, out var dh0, out var da);
            Assert.Equal(executed, trace.Length);
            Assert.Equal(x.Length, dx.Length);
            Assert.All(dx.Skip(executed), d => Assert.Equal(0, d));
            MatchesFiniteDifferences([x, scalars], () => Weighted(w, WhileLoop(x, stop, scalars[0], scalars[1])), [dx, [dh0, da]], ["x", "(h0, a)"]);
        }, iter: Iterations);

    [Fact]
    public void ARecurrentAndAMapOutputWithFewerStepsThanTheSequence() =>
        Gen.Int[0, 8].SelectMany(L => Gen.Select(Value.Array[L], Gen.Int[0, L], Value.Array[3], Value.Array[L], Value.Array[L])).Sample(input =>
        {
            var (x, n, s, wh, wy) = input;
            var (dhIn, dyIn) = (wh.Take(n).ToArray(), wy.Take(n).ToArray());
            TwoOutputsGradient(x, n, s[0], s[1], s[2], dhIn, dyIn, out var dx, out var dh0, out var da, out var db);
            Assert.All(dx.Skip(n), d => Assert.Equal(0, d));
            MatchesFiniteDifferences([x, s], () =>
            {
                var (h, y) = TwoOutputs(x, n, s[0], s[1], s[2]);
                return Weighted(dhIn, h) + Weighted(dyIn, y);
            }, [dx, [dh0, da, db]], ["x", "(h0, a, b)"]);
        }, iter: Iterations);

    [Fact]
    public void AMatrixStateAndASharedVectorReadByEveryStep() =>
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((T, r, c) =>
            Gen.Select(Value.Array[T], Value.Array[r * c], Value.Array[r * r], Value.Array[c], Value.Array[T * r * c]).Select(v => (T, r, c, v))).Sample(input =>
        {
            var (T, r, c, (x, s0, a, v, w)) = input;
            Mat<double> S0 = new(s0, r, c), A = new(a, r, r);
            var shared = new Shared<Vec<double>>("v", new Vec<double>(v));
            MatrixStateGradient(x, S0, A, shared, new Tensor3<double>(w, T, r, c), out var dx, out var dS0, out var dA, out var dv);
            MatchesFiniteDifferences([x, s0, a, v],
                () => Weighted(w, MatrixState(x, new Mat<double>(s0, r, c), new Mat<double>(a, r, r), new Shared<Vec<double>>("v", new Vec<double>(v))).Span),
                [dx, dS0.Span.ToArray(), dA.Span.ToArray(), dv.Span.ToArray()], ["x", "S0", "A", "v"]);
        }, iter: Iterations);

    [Fact]
    public void ASharedUpdateIsReadButNotAppliedNorDifferentiated() =>
        Gen.Int[0, 8].SelectMany(T => Gen.Select(Value.Array[T], Value.Array[3], Value.Array[T])).Sample(input =>
        {
            var (x, s, w) = input;
            var total = new Shared<double>("total", s[2]);
            CountedGradient(x, s[0], total, s[1], w, out var dx, out var dh0, out var da);
            Assert.Equal(s[2], total.Value);
            // The running total is a constant of the backward pass: finite differences keep it from the unperturbed run.
            var hs = Counted(x, s[0], new Shared<double>("total", s[2]), s[1]);
            var ha = new[] { s[0], s[1] };
            MatchesFiniteDifferences([x, ha], () => Weighted(w, CountedWithFixedTotals(x, ha[0], s[2], ha[1], s[0], hs)), [dx, [dh0, da]], ["x", "(h0, a)"]);
        }, iter: Iterations);

    /// <summary>Counted's recurrence with the totals of an unperturbed run as constants (no gradient flows through an update).</summary>
    private static double[] CountedWithFixedTotals(double[] x, double h0, double total0, double a, double unperturbedH0, double[] unperturbed)
    {
        var h = new double[x.Length];
        double previous = h0, total = total0;
        for (int t = 0; t < x.Length; t++)
        {
            h[t] = Math.Tanh(a * previous + x[t] + 0.1 * total);
            previous = h[t];
            total += t == 0 ? unperturbedH0 : unperturbed[t - 1];
        }
        return h;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TruncatedGradientsDifferentiateOnlyTheLastSteps(int k) =>
        Gen.Select(Gen.Int[1, 7], Gen.Int[1, 3]).SelectMany((T, n) =>
            Gen.Select(Value.Array[T * n], Value.Array[n], Value.Array[n * n], Value.Array[T * n]).Select(v => (T, n, v))).Sample(input =>
        {
            var (T, n, (x, h0, wm, w)) = input;
            var (X, H0, W, dH) = (new Mat<double>(x, T, n), new Vec<double>(h0), new Mat<double>(wm, n, n), new Mat<double>(w, T, n));
            Mat<double> dX, dW;
            Vec<double> dh0;
            if (k == 1) RnnLastStepGradient(X, H0, W, dH, out dX, out dh0, out dW);
            else RnnLast3Gradient(X, H0, W, dH, out dX, out dh0, out dW);

            // Independently: the last min(k, T) steps as a scan of their own, from the (constant) state before them.
            int first = Math.Max(0, T - k), rows = T - first;
            var full = GradientScans.Rnn(X, H0, W);
            var start = first == 0 ? h0.ToArray() : full[first - 1].Span.ToArray();
            var lastX = x.Skip(first * n).ToArray();
            var lastW = w.Skip(first * n).ToArray();
            Assert.All(dX.Span.Slice(0, first * n).ToArray(), d => Assert.Equal(0, d));
            if (first > 0) Assert.All(dh0.Span.ToArray(), d => Assert.Equal(0, d));
            // The state before the last steps is a constant unless they are all the steps (then it is h0).
            double Loss() => Weighted(lastW, GradientScans.Rnn(new Mat<double>(lastX, rows, n), new Vec<double>(start), new Mat<double>(wm, n, n)).Span);
            if (first == 0)
                MatchesFiniteDifferences([lastX, start, wm], Loss, [dX.Span.ToArray(), dh0.Span.ToArray(), dW.Span.ToArray()], ["X", "h0", "W"]);
            else
                MatchesFiniteDifferences([lastX, wm], Loss, [dX.Span.Slice(first * n).ToArray(), dW.Span.ToArray()], ["X (last steps)", "W"]);
        }, iter: Iterations);

    [Fact]
    public void Float32GradientsAgreeWithFloat64ToSinglePrecision() =>
        Gen.Select(Gen.Int[0, 10], Gen.Int[1, 8]).SelectMany((T, n) =>
            Gen.Select(Value.Array[T * n], Value.Array[n], Value.Array[n * n], Value.Array[T * n]).Select(v => (T, n, v))).Sample(input =>
        {
            var (T, n, (x, h0, wm, w)) = input;
            static float[] F(double[] a) => a.Select(v => (float)v).ToArray();
            GradientScans.RnnGradient(new Mat<double>(x, T, n), new Vec<double>(h0), new Mat<double>(wm, n, n), new Mat<double>(w, T, n), out var dX, out var dh0, out var dW);
            Rnn32Gradient(new Mat<float>(F(x), T, n), new Vec<float>(F(h0)), new Mat<float>(F(wm), n, n), new Mat<float>(F(w), T, n), out var fX, out var fh0, out var fW);
            // The inputs are rounded to float too: a few ulps of float per step, summed over at most 10 steps.
            static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
            {
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}] = {actual[i]}, float64 {expected[i]}");
            }
            Close(dX.Span, fX.Span, "dX");
            Close(dh0.Span, fh0.Span, "dh0");
            Close(dW.Span, fW.Span, "dW");
        }, iter: Iterations);

    [Fact]
    public void CheckpointedGradientsEqualTheFullOnes() =>
        Gen.Select(Gen.Int[0, 11], Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((T, r, c) =>
            Gen.Select(Value.Array[T * r * c + 3], Value.Array[r * c], Value.Array[r * r], Value.Array[T * r * c], Value.Array[4])
                .Select(v => (T, r, c, v))).Sample(input =>
        {
            var (T, r, c, (x, m, a, w, s)) = input;
            var xs = x.Take(T + 3).ToArray();
            TapsGradient(xs, [s[0], s[1]], s[2], w.Take(T).ToArray(), out var dx1, out var dy1, out var da1);
            TapsCheckpointed(xs, [s[0], s[1]], s[2], w.Take(T).ToArray(), out var dx2, out var dy2, out var da2);
            Assert.Equal(dx1, dx2); Assert.Equal(dy1, dy2); Assert.Equal(da1, da2);

            var xb = x.Take(T + 1).ToArray();
            BackwardsGradient(xb, s[0], s[1], w.Take(T).ToArray(), out dx1, out var h1, out da1);
            BackwardsCheckpointed(xb, s[0], s[1], w.Take(T).ToArray(), out dx2, out var h2, out da2);
            Assert.Equal(dx1, dx2); Assert.Equal(h1, h2); Assert.Equal(da1, da2);

            int n = T / 2;
            TwoOutputsGradient(xb, n, s[0], s[1], s[2], w.Take(n).ToArray(), w.Skip(n).Take(n).ToArray(), out dx1, out h1, out da1, out var db1);
            TwoOutputsCheckpointed(xb, n, s[0], s[1], s[2], w.Take(n).ToArray(), w.Skip(n).Take(n).ToArray(), out dx2, out h2, out da2, out var db2);
            Assert.Equal(dx1, dx2); Assert.Equal(h1, h2); Assert.Equal(da1, da2); Assert.Equal(db1, db2);

            var xm = x.Take(T).ToArray();
            var dS = new Tensor3<double>(w.Take(T * r * c).ToArray(), T, r, c);
            MatrixStateGradient(xm, new Mat<double>(m, r, c), new Mat<double>(a, r, r), new Shared<Vec<double>>("v", new Vec<double>(m.Take(c).ToArray())), dS,
                out dx1, out var dS01, out var dA1, out var dv1);
            MatrixStateCheckpointed(xm, new Mat<double>(m, r, c), new Mat<double>(a, r, r), new Shared<Vec<double>>("v", new Vec<double>(m.Take(c).ToArray())), dS,
                out dx2, out var dS02, out var dA2, out var dv2);
            Assert.Equal(dx1, dx2); Assert.Equal(dS01, dS02); Assert.Equal(dA1, dA2); Assert.Equal(dv1, dv2);

            var total = new Shared<double>("total", s[3]);
            CountedGradient(xm, s[0], total, s[1], w.Take(T).ToArray(), out dx1, out h1, out da1);
            CountedCheckpointed(xm, s[0], total, s[1], w.Take(T).ToArray(), out dx2, out h2, out da2);
            Assert.Equal(dx1, dx2); Assert.Equal(h1, h2); Assert.Equal(da1, da2);
            Assert.Equal(s[3], total.Value);

            var (X, H0, W, dH) = (new Mat<double>(x.Take(T * r).ToArray(), T, r), new Vec<double>(m.Take(r).ToArray()), new Mat<double>(a, r, r), new Mat<double>(w.Take(T * r).ToArray(), T, r));
            RnnFull(X, H0, W, dH, out var dX1, out var dh01, out var dW1);
            RnnCheckpointed(X, H0, W, dH, out var dX2, out var dh02, out var dW2);
            Assert.Equal(dX1, dX2); Assert.Equal(dh01, dh02); Assert.Equal(dW1, dW2);
            RnnLast3Gradient(X, H0, W, dH, out dX1, out dh01, out dW1);
            RnnLast3Checkpointed(X, H0, W, dH, out dX2, out dh02, out dW2);
            Assert.Equal(dX1, dX2); Assert.Equal(dh01, dh02); Assert.Equal(dW1, dW2);
        }, iter: Iterations);

    [Fact]
    public void ABackwardPassFromTheTracesOfAnEarlierCallEqualsTheWholeGradient() =>
        Gen.Select(Gen.Int[0, 9], Gen.Int[1, 3]).SelectMany((T, n) =>
            Gen.Select(Value.Array[T * n], Value.Array[n], Value.Array[n * n], Value.Array[T * n], Gen.Int[0, T + 1], Value.Array[3]).Select(v => (T, n, v))).Sample(input =>
        {
            var (T, n, (x, h0, wm, w, stopAt, s)) = input;
            var (X, H0, W, dH) = (new Mat<double>(x, T, n), new Vec<double>(h0), new Mat<double>(wm, n, n), new Mat<double>(w, T, n));
            RnnFull(X, H0, W, dH, out var dX1, out var dh01, out var dW1);
            RnnBackwardOnly(X, H0, W, RnnStepScan(X, H0, W), dH, out var dX2, out var dh02, out var dW2);
            Assert.Equal(dX1, dX2); Assert.Equal(dh01, dh02); Assert.Equal(dW1, dW2);

            var xs = x.Take(T).ToArray();
            var stop = Enumerable.Range(0, T).Select(t => t == stopAt ? 1 : 0).ToArray();
            var trace = WhileLoop(xs, stop, s[0], s[1]);
            var cotangent = w.Take(trace.Length).ToArray();
            WhileLoopGradient(xs, stop, s[0], s[1], cotangent, out var dx1, out var dh1, out var da1);
            WhileLoopBackwardOnly(xs, stop, s[0], s[1], trace, cotangent, out var dx2, out var dh2, out var da2);
            Assert.Equal(dx1, dx2); Assert.Equal(dh1, dh2); Assert.Equal(da1, da2);

            int steps = T / 2;
            var (h, y) = TwoOutputs(xs, steps, s[0], s[1], s[2]);
            var (wh, wy) = (w.Take(steps).ToArray(), w.Skip(steps).Take(steps).ToArray());
            TwoOutputsGradient(xs, steps, s[0], s[1], s[2], wh, wy, out dx1, out dh1, out da1, out var db1);
            TwoOutputsBackwardOnly(xs, steps, s[0], s[1], s[2], h, y, wh, wy, out dx2, out dh2, out da2, out var db2);
            Assert.Equal(dx1, dx2); Assert.Equal(dh1, dh2); Assert.Equal(da1, da2); Assert.Equal(db1, db2);
        }, iter: Iterations);

    [Fact]
    public void AForwardTraceOfTheWrongLengthIsAnArgumentErrorNamingIt()
    {
        var (X, h0, W) = (Mat<double>.Zeros(4, 2), Vec<double>.Zeros(2), Mat<double>.Zeros(2, 2));
        var error = Assert.Throws<ArgumentException>(() => RnnBackwardOnly(X, h0, W, Mat<double>.Zeros(3, 2), default, out _, out _, out _));
        Assert.Equal("h", error.ParamName);
        Assert.Contains("must be the trace an earlier call of the scan returned", error.Message);
    }
}
