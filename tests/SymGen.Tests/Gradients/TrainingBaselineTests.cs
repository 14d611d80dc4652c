using System;
using System.Linq;
using CsCheck;
using SymGen.Benchmarks;
using Training;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// The two hand-written gradients of issue 12's Elman RNN, which the generated gradient is measured and tuned
/// against: the benchmark's BPTT (HandBptt, linked from benchmarks/) against central finite differences of a naive
/// forward loop, and the training sample's generated gradient against it.
/// </summary>
public class TrainingBaselineTests
{
    /// <summary>The loss Σ dH ⊙ H of h_t = tanh(W h_{t-1} + U x_t + b), by the plainest loop (independent of HandBptt).</summary>
    private static double NaiveLoss(double[] xs, int steps, int inputs, double[] h0, double[] w, double[] u, double[] b, double[] dH)
    {
        int n = h0.Length;
        var h = (double[])h0.Clone();
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            var next = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = b[i];
                for (int j = 0; j < n; j++) sum += w[i * n + j] * h[j];
                for (int j = 0; j < inputs; j++) sum += u[i * inputs + j] * xs[t * inputs + j];
                next[i] = Math.Tanh(sum);
                loss += dH[t * n + i] * next[i];
            }
            h = next;
        }
        return loss;
    }

    // Sizes on both sides of HandBptt's register tile (4 rows by 2 vectors): the tile and its scalar tails.
    private static readonly Gen<(int Steps, int Inputs, int Hidden, int Seed)> Sizes =
        Gen.Select(Gen.Int[1, 7], Gen.Int[1, 10], Gen.Int[1, 12], Gen.Int);

    private static double[] Values(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (2 * random.NextDouble() - 1) * scale).ToArray();

    [Fact]
    public void HandBpttMatchesCentralFiniteDifferences()
    {
        Sizes.Sample(size =>
        {
            var (steps, inputs, n, seed) = size;
            var random = new Random(seed);
            double[] xs = Values(random, steps * inputs, 1), h0 = Values(random, n, 1), w = Values(random, n * n, 1),
                u = Values(random, n * inputs, 1), b = Values(random, n, 0.5), dH = Values(random, steps * n, 1);
            double[] dh0 = new double[n], dW = new double[n * n], dU = new double[n * inputs], db = new double[n];
            new HandBptt<double>(steps, inputs, n).Gradient(xs, h0, w, u, b, dH, dh0, dW, dU, db);
            foreach (var (weights, gradient) in new[] { (h0, dh0), (w, dW), (u, dU), (b, db) })
                for (int i = 0; i < weights.Length; i++)
                {
                    const double Delta = 1e-6;
                    double saved = weights[i];
                    weights[i] = saved + Delta;
                    double above = NaiveLoss(xs, steps, inputs, h0, w, u, b, dH);
                    weights[i] = saved - Delta;
                    double below = NaiveLoss(xs, steps, inputs, h0, w, u, b, dH);
                    weights[i] = saved;
                    double difference = (above - below) / (2 * Delta);
                    Assert.True(Math.Abs(difference - gradient[i]) <= 1e-6 * (1 + Math.Abs(gradient[i])),
                        $"steps {steps}, inputs {inputs}, hidden {n}: element {i}: finite differences {difference}, HandBptt {gradient[i]}");
                }
        }, iter: 40);
    }

    [Fact]
    public void HandBpttInFloat32AgreesWithFloat64WithinItsPrecision()
    {
        const int steps = 50, inputs = 5, n = 19;
        var random = new Random(3);
        double[] xs = Values(random, steps * inputs, 1), h0 = Values(random, n, 1), w = Values(random, n * n, 0.4),
            u = Values(random, n * inputs, 0.5), b = Values(random, n, 0.5), dH = Values(random, steps * n, 1);
        double[] dh0 = new double[n], dW = new double[n * n], dU = new double[n * inputs], db = new double[n];
        new HandBptt<double>(steps, inputs, n).Gradient(xs, h0, w, u, b, dH, dh0, dW, dU, db);
        float[] F(double[] v) => Array.ConvertAll(v, x => (float)x);
        float[] dh0F = new float[n], dWF = new float[n * n], dUF = new float[n * inputs], dbF = new float[n];
        new HandBptt<float>(steps, inputs, n).Gradient(F(xs), F(h0), F(w), F(u), F(b), F(dH), dh0F, dWF, dUF, dbF);
        foreach (var (expected, actual) in new[] { (dh0, dh0F), (dW, dWF), (dU, dUF), (db, dbF) })
        {
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale, $"element {i}: float64 {expected[i]}, float32 {actual[i]}");
        }
    }

    [Fact]
    public void HandBpttAllocatesNothingPerCall()
    {
        const int steps = 1000, inputs = 8, n = 32;
        var random = new Random(4);
        double[] xs = Values(random, steps * inputs, 1), h0 = Values(random, n, 1), w = Values(random, n * n, 0.2),
            u = Values(random, n * inputs, 0.5), b = Values(random, n, 0.5), dH = Values(random, steps * n, 1);
        double[] dh0 = new double[n], dW = new double[n * n], dU = new double[n * inputs], db = new double[n];
        var bptt = new HandBptt<double>(steps, inputs, n);
        bptt.Gradient(xs, h0, w, u, b, dH, dh0, dW, dU, db);
        long before = GC.GetAllocatedBytesForCurrentThread();
        bptt.Gradient(xs, h0, w, u, b, dH, dh0, dW, dU, db);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// The training sample's generated gradient equals
    /// HandBptt's for the hidden layer, with the read-out's cotangent dH = dY V, and the read-out's own gradients
    /// dV = Σ_t dy_t h_tᵀ and dc = Σ_t dy_t.
    /// </summary>
    [Fact]
    public void TrainingSampleGradientMatchesHandBpttWithTheReadOutsCotangent()
    {
        var settings = TrainingSettings.Default with { Hidden = 7 };
        var task = new SineTask(settings);
        var p = ElmanParameters.Initial(settings);
        var (x, target) = task.TrainingWindows[1];
        var h0 = Vec<double>.Zeros(settings.Hidden);
        var (states, y) = ElmanRnn.Elman(x, h0, p.Wx, p.Wh, p.b, p.V, p.c);
        var (_, dY) = ElmanTraining.MeanSquaredError(y, target);
        ElmanRnn.ElmanGradient(x, h0, p.Wx, p.Wh, p.b, p.V, p.c, default, dY, out var dWx, out var dWh, out var db, out var dV, out var dc);

        int steps = x.Rows, n = settings.Hidden;
        var dH = new double[steps * n];
        for (int t = 0; t < steps; t++)
            for (int i = 0; i < n; i++) dH[t * n + i] = dY[t, 0] * p.V[0, i];
        double[] handDh0 = new double[n], handDW = new double[n * n], handDU = new double[n], handDb = new double[n];
        new HandBptt<double>(steps, 1, n).Gradient(x.Span, h0.Span, p.Wh.Span, p.Wx.Span, p.b.Span, dH, handDh0, handDW, handDU, handDb);
        AssertClose(handDW, dWh.Span.ToArray());
        AssertClose(handDU, dWx.Span.ToArray());
        AssertClose(handDb, db.Span.ToArray());
        AssertClose(Enumerable.Range(0, n).Select(i => Enumerable.Range(0, steps).Sum(t => dY[t, 0] * states[t, i])).ToArray(), dV.Span.ToArray());
        AssertClose([Enumerable.Range(0, steps).Sum(t => dY[t, 0])], dc.Span.ToArray());
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
