using System;
using SymGen;

namespace Seed;

/// <summary>Mini-batches: many sequences through one scan, their states the rows of one matrix.</summary>
public static partial class BatchedScans
{
    // An Elman RNN over a batch: row i of H is sequence i's state; one matrix product per step serves them all.
    // Wt and Ut are the single-sequence weights transposed (H Wᵀ holds W hᵢ in row i), b is added to every row.
    static Mat<double> Elman(Mat<double> X, Mat<double> H, Mat<double> Wt, Mat<double> Ut, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(H, Wt) + Sym.Dot(X, Ut) + b);

    /// <summary>
    /// The hidden states of an Elman RNN over a batch of sequences of equal length: <paramref name="xs"/>[t] holds
    /// step t's inputs (a row per sequence), <paramref name="h0"/> the initial states (a row per sequence); the
    /// result's [t] holds step t's states, row i sequence i's.
    /// </summary>
    [Symbolic(nameof(Elman))]
    public static partial Tensor3<double> Rnn([Sequence] Tensor3<double> xs, [Initial] Mat<double> h0, Mat<double> Wt, Mat<double> Ut, Vec<double> b);

    /// <summary>The same, writing into a destination of T x B x H (no allocation per call).</summary>
    [Symbolic(nameof(Elman))]
    public static partial void Rnn([Sequence] Tensor3<double> xs, [Initial] Mat<double> h0, Mat<double> Wt, Mat<double> Ut, Vec<double> b,
        [Destination] Tensor3<double> hs);

    static Mat<float> ElmanF(Mat<float> X, Mat<float> H, Mat<float> Wt, Mat<float> Ut, Vec<float> b) =>
        Sym.Tanh(Sym.Dot(H, Wt) + Sym.Dot(X, Ut) + b);

    /// <summary>The batched Elman RNN in float.</summary>
    [Symbolic(nameof(ElmanF))]
    public static partial void RnnF([Sequence] Tensor3<float> xs, [Initial] Mat<float> h0, Mat<float> Wt, Mat<float> Ut, Vec<float> b,
        [Destination] Tensor3<float> hs);
}
