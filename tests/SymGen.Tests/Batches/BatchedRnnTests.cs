using System;
using System.Linq;
using Xunit;

namespace SymGen.Tests.Batches;

/// <summary>
/// The sample's batched Elman RNN (Seed.BatchedScans: states a B x H matrix, one matrix product per step) gives
/// each sequence the states of a single-sequence call (Seed.Scans.Rnn), within the tolerance of a sum computed in
/// another order (the matrix product and the mat-vec add the same terms in different orders).
/// </summary>
public class BatchedRnnTests
{
    private static double[] Values(Random random, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();

    private static Mat<double> Transpose(Mat<double> m)
    {
        var t = new double[m.Rows * m.Columns];
        for (int r = 0; r < m.Rows; r++)
            for (int c = 0; c < m.Columns; c++)
                t[c * m.Rows + r] = m.Span[r * m.Columns + c];
        return new Mat<double>(t, m.Columns, m.Rows);
    }

    [Theory]
    [InlineData(1, 4, 3, 5)]
    [InlineData(7, 16, 8, 40)]
    [InlineData(32, 33, 9, 20)]
    public void EachRowIsASingleSequencesRun(int batch, int hidden, int inputs, int steps)
    {
        var random = new Random(batch * 100 + hidden);
        var W = new Mat<double>(Values(random, hidden * hidden, 2.0 / Math.Sqrt(hidden)), hidden, hidden);
        var U = new Mat<double>(Values(random, hidden * inputs, 1), hidden, inputs);
        var b = new Vec<double>(Values(random, hidden, 0.2));
        var xs = new Tensor3<double>(Values(random, steps * batch * inputs, 2), steps, batch, inputs);
        var h0 = new Mat<double>(Values(random, batch * hidden, 1), batch, hidden);

        var batched = Seed.BatchedScans.Rnn(xs, h0, Transpose(W), Transpose(U), b);
        var into = Tensor3<double>.Zeros(steps, batch, hidden);
        Seed.BatchedScans.Rnn(xs, h0, Transpose(W), Transpose(U), b, into);
        Assert.Equal(batched.Span.ToArray(), into.Span.ToArray());

        for (int i = 0; i < batch; i++)
        {
            // Sequence i: row i of every step's inputs, row i of the initial states.
            var x = new double[steps * inputs];
            for (int t = 0; t < steps; t++)
                xs.Span.Slice((t * batch + i) * inputs, inputs).CopyTo(x.AsSpan(t * inputs));
            var single = Seed.Scans.Rnn(new Mat<double>(x, steps, inputs), new Vec<double>(h0.Span.Slice(i * hidden, hidden).ToArray()), W, U, b);
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < hidden; j++)
                    Assert.Equal(single.Span[t * hidden + j], batched.Span[(t * batch + i) * hidden + j], 1e-12);
        }
    }

    [Fact]
    public void TheBatchedFloatScanWritesItsDestination()
    {
        var random = new Random(3);
        float[] F(double[] v) => v.Select(e => (float)e).ToArray();
        const int batch = 4, hidden = 8, inputs = 3, steps = 10;
        var xs = new Tensor3<float>(F(Values(random, steps * batch * inputs, 2)), steps, batch, inputs);
        var h0 = Mat<float>.Zeros(batch, hidden);
        var Wt = new Mat<float>(F(Values(random, hidden * hidden, 0.5)), hidden, hidden);
        var Ut = new Mat<float>(F(Values(random, inputs * hidden, 0.5)), inputs, hidden);
        var b = new Vec<float>(F(Values(random, hidden, 0.2)));
        var hs = Tensor3<float>.Zeros(steps, batch, hidden);
        Seed.BatchedScans.RnnF(xs, h0, Wt, Ut, b, hs);
        // Step 0 by hand: tanh(h0 Wt + x0 Ut + b), h0 = 0.
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < hidden; j++)
            {
                float sum = 0;
                for (int k = 0; k < inputs; k++)
                    sum += xs.Span[i * inputs + k] * Ut.Span[k * hidden + j];
                Assert.Equal(MathF.Tanh(sum + b.Span[j]), hs.Span[i * hidden + j], 1e-5f);
            }
    }
}
