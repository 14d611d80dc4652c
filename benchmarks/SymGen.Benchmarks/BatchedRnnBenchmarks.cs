using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace SymGen.Benchmarks;

public static partial class BatchedRnnScans
{
    // The batched Elman RNN of samples/SeedScans (BatchedScans): row i of H is sequence i's state.
    static Mat<double> Elman(Mat<double> X, Mat<double> H, Mat<double> Wt, Mat<double> Ut, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(H, Wt) + Sym.Dot(X, Ut) + b);

    [Symbolic(nameof(Elman))]
    public static partial Tensor3<double> Rnn([Sequence] Tensor3<double> xs, [Initial] Mat<double> h0, Mat<double> Wt, Mat<double> Ut, Vec<double> b);

    [Symbolic(nameof(Elman))]
    public static partial void RnnInto([Sequence] Tensor3<double> xs, [Initial] Mat<double> h0, Mat<double> Wt, Mat<double> Ut, Vec<double> b,
        [Destination] Tensor3<double> hs);

    // The single-sequence scan, into a destination, for the 32 single calls that allocate nothing either.
    static Vec<double> Single(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Single))]
    public static partial void SingleInto([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b,
        [Destination] Mat<double> hs);
}

/// <summary>
/// 32 Elman RNN sequences (H = 128, 32 inputs, T = 1000, float64): one batched scan (32 x 128 states, one matrix
/// product per step) against 32 single-sequence calls, one after the other and through Batch.Run (all cores).
/// Every benchmark runs all 32 sequences, so time / 32 is the time per sequence.
/// </summary>
[MemoryDiagnoser]
public class BatchedRnnBenchmarks
{
    private const int Batch = 32, Hidden = 128, Inputs = 32, Steps = 1000;
    private Mat<double>[] _sequences = [];
    private Vec<double>[] _h0 = [];
    private Mat<double>[] _singleTraces = [];
    private Tensor3<double> _xs;
    private Mat<double> _batchH0, _w, _u, _wt, _ut;
    private Vec<double> _b;
    private Tensor3<double> _batchTrace;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        _w = new Mat<double>(Values(Hidden * Hidden, 2.0 / Math.Sqrt(Hidden)), Hidden, Hidden);
        _u = new Mat<double>(Values(Hidden * Inputs, 2.0 / Math.Sqrt(Inputs)), Hidden, Inputs);
        _b = new Vec<double>(Values(Hidden, 0.2));
        _wt = Sym.Transpose(_w);
        _ut = Sym.Transpose(_u);
        _sequences = Enumerable.Range(0, Batch).Select(_ => new Mat<double>(Values(Steps * Inputs, 2), Steps, Inputs)).ToArray();
        _h0 = Enumerable.Range(0, Batch).Select(_ => new Vec<double>(Values(Hidden, 1))).ToArray();
        _singleTraces = Enumerable.Range(0, Batch).Select(_ => Mat<double>.Zeros(Steps, Hidden)).ToArray();
        // The batch: step t's inputs are row i = sequence i's x[t]; the initial states likewise.
        var xs = new double[Steps * Batch * Inputs];
        for (int i = 0; i < Batch; i++)
            for (int t = 0; t < Steps; t++)
                _sequences[i].Span.Slice(t * Inputs, Inputs).CopyTo(xs.AsSpan((t * Batch + i) * Inputs, Inputs));
        _xs = new Tensor3<double>(xs, Steps, Batch, Inputs);
        _batchH0 = new Mat<double>(_h0.SelectMany(h => h.ToArray()).ToArray(), Batch, Hidden);
        _batchTrace = Tensor3<double>.Zeros(Steps, Batch, Hidden);
    }

    [Benchmark(Baseline = true)]
    public void SingleCalls()
    {
        for (int i = 0; i < Batch; i++)
            RnnScans.Rnn(_sequences[i], _h0[i], _w, _u, _b);
    }

    [Benchmark]
    public void SingleCallsInto()
    {
        for (int i = 0; i < Batch; i++)
            BatchedRnnScans.SingleInto(_sequences[i], _h0[i], _w, _u, _b, _singleTraces[i]);
    }

    [Benchmark]
    public Mat<double>[] BatchRun() =>
        SymGen.Batch.Run(Enumerable.Range(0, Batch).ToArray(), i => RnnScans.Rnn(_sequences[i], _h0[i], _w, _u, _b));

    [Benchmark] public Tensor3<double> Batched() => BatchedRnnScans.Rnn(_xs, _batchH0, _wt, _ut, _b);

    [Benchmark] public void BatchedInto() => BatchedRnnScans.RnnInto(_xs, _batchH0, _wt, _ut, _b, _batchTrace);
}
