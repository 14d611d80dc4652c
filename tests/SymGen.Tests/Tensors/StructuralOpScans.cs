namespace SymGen.Tests.Tensors;

/// <summary>
/// Scans of the structural ops (Transpose, Outer, Diagonal, Trace) and of integer indexing (<c>x[i]</c>, <c>m[i]</c>,
/// <c>m.Row(i)</c>): each op alone, then in the scans users port from PyTensor (an embedding feeding an RNN, the
/// cross-entropy of a softmax at the target).
/// </summary>
public static partial class StructuralOpScans
{
    // a: an n x n matrix per step; u: n per step; v: m per step; M: a k x l non-sequence.
    internal static (Mat<double> transpose, Mat<double> outer, Vec<double> diagonal, double trace, Mat<double> transposeM, Vec<double> chain)
        Structural(Mat<double> a, Vec<double> u, Vec<double> v, Mat<double> M) =>
        (Sym.Transpose(a), Sym.Outer(u, v), Sym.Diagonal(a), Sym.Trace(a), Sym.Transpose(M),
         Sym.Tanh(Sym.Diagonal(a) * 2.0 + Sym.Dot(Sym.Transpose(a), u)) + Sym.Trace(Sym.Outer(u, u)));

    [Symbolic(nameof(Structural))]
    public static partial (Tensor3<double> transpose, Tensor3<double> outer, Mat<double> diagonal, double[] trace, Tensor3<double> transposeM, Mat<double> chain)
        StructuralOps([Sequence] Tensor3<double> a, [Sequence] Mat<double> u, [Sequence] Mat<double> v, Mat<double> M);

    internal static (Mat<float> transpose, Mat<float> outer, float trace) StructuralF(Mat<float> a, Vec<float> u) =>
        (Sym.Transpose(a), Sym.Outer(u, u), Sym.Trace(a));

    [Symbolic(nameof(StructuralF))]
    public static partial (Tensor3<float> transpose, Tensor3<float> outer, float[] trace) StructuralOpsF([Sequence] Tensor3<float> a, [Sequence] Mat<float> u);

    // i: an int index per step, y: a long one; p: a vector per step; table: n; E: an embedding of n rows.
    internal static (double element, Vec<double> row, double picked, Vec<double> rowOf, double computed, double ofRow, double ofProduct, Vec<double> column)
        Indexing(int i, long y, Vec<double> p, Vec<double> table, Mat<double> E) =>
        (table[i], E[i], p[y], E.Row(i), table[i / 2] + p[y - y / 2], E[i][0], (p * 2.0)[y], Sym.Transpose(E)[0]);

    [Symbolic(nameof(Indexing))]
    public static partial (double[] element, Mat<double> row, double[] picked, Mat<double> rowOf, double[] computed, double[] ofRow, double[] ofProduct, Mat<double> column)
        IndexingOps([Sequence] int[] i, [Sequence] long[] y, [Sequence] Mat<double> p, Vec<double> table, Mat<double> E);

    // A pointer chase: the state is an index into the tables, the next state read from one of them.
    internal static (int k, double value) Chase(int k, Vec<double> successors, Vec<double> values) =>
        ((int)successors[k], values[k]);

    [Symbolic(nameof(Chase))]
    public static partial (int[] k, double[] value) PointerChase([Steps] int steps, [Initial(Output = "k")] int k0, Vec<double> successors, Vec<double> values);

    // A long state indexing a float vector's elements.
    internal static (long j, float value) Walk(long j, Vec<float> values) => (j + 1, values[j]);

    [Symbolic(nameof(Walk))]
    public static partial (long[] j, float[] value) LongWalk([Steps] int steps, [Initial(Output = "j")] long j0, Vec<float> values);

    // An embedding lookup feeding an Elman RNN: E's row for each token is the step's input.
    internal static Vec<double> EmbedElman(int token, Vec<double> h, Mat<double> E, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, E[token]) + b);

    [Symbolic(nameof(EmbedElman))]
    public static partial Mat<double> EmbeddingRnn([Sequence] int[] tokens, [Initial] Vec<double> h0, Mat<double> E, Mat<double> W, Mat<double> U, Vec<double> b);

    // The cross-entropy of a classifier's softmax at each step's target, and its running total.
    internal static (double loss, double total) CrossEntropy(Vec<double> logits, long target, double total)
    {
        var p = Sym.Softmax(logits);
        double loss = -System.Math.Log(p[target]);
        return (loss, total + loss);
    }

    [Symbolic(nameof(CrossEntropy))]
    public static partial (double[] loss, double[] total) CrossEntropyLoss([Sequence] Mat<double> logits, [Sequence] long[] target, [Initial(Output = "total")] double total0);

    // A constant index into a non-sequence: out of range, it must throw only when a step runs (never hoisted).
    internal static (double element, Vec<double> row) ConstantIndex(double x, Vec<double> table, Mat<double> E) => (x + table[5], E[5] * x);

    [Symbolic(nameof(ConstantIndex))]
    public static partial (double[] element, Mat<double> row) ConstantIndexOps([Sequence] double[] x, Vec<double> table, Mat<double> E);
}
