using System;
using System.Linq;
using CsCheck;
using Seed;
using Xunit;

namespace SymGen.Tests.Properties;

/// <summary>Batches across cores give exactly the one-by-one results, in order.</summary>
public class BatchTests
{
    [Fact]
    public void BatchedScalarScansEqualSequentialCalls() =>
        Gen.Double[-5, 5].Array[0, 200].Array[0, 64].Sample(inputs =>
        {
            var sequential = inputs.Select(x => Scans.Ema(x, 0, 0.25)).ToArray();
            foreach (int threads in new[] { -1, 1, 2, 3 })
            {
                var batched = Batch.Run(inputs, x => Scans.Ema(x, 0, 0.25), threads);
                Assert.Equal(sequential.Length, batched.Length);
                for (int i = 0; i < inputs.Length; i++)
                {
                    Assert.Equal(sequential[i].Smoothed, batched[i].Smoothed);
                    Assert.Equal(sequential[i].Peak, batched[i].Peak);
                }
            }
        }, iter: 20);

    [Fact]
    public void BatchedRnnsEqualSequentialCalls()
    {
        var random = new Random(7);
        Mat<double> M(int r, int c) => new(Enumerable.Range(0, r * c).Select(_ => random.NextDouble() - 0.5).ToArray(), r, c);
        var (W, U) = (M(8, 8), M(8, 4));
        var b = new Vec<double>(new double[8]);
        var inputs = Enumerable.Range(0, 40).Select(i => M(i % 7 * 10, 4)).ToArray();
        var sequential = inputs.Select(xs => Scans.Rnn(xs, Vec<double>.Zeros(8), W, U, b)).ToArray();
        var batched = Batch.Run(inputs, xs => Scans.Rnn(xs, Vec<double>.Zeros(8), W, U, b));
        Assert.Equal(sequential, batched);
    }

    [Fact]
    public void BadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.Run(new[] { 1 }, x => x, 0));
        Assert.Throws<ArgumentNullException>(() => Batch.Run<int, int>(null!, x => x));
    }
}
