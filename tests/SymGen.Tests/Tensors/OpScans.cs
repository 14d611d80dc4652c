namespace SymGen.Tests.Tensors;

/// <summary>
/// Scans whose outputs each isolate one op of the op table, so that the generated (emitted) kernels can be
/// compared with the eager ones: the same step method, called directly.
/// </summary>
public static partial class OpScans
{
    internal static (Vec<double> tanh, Vec<double> sigmoid, Vec<double> exp, Vec<double> log, Vec<double> sqrt, Vec<double> abs, Vec<double> relu, Vec<double> negate)
        Unary(Vec<double> x) =>
        (Sym.Tanh(x), Sym.Sigmoid(x), Sym.Exp(x), Sym.Log(Sym.Abs(x) + 0.5), Sym.Sqrt(Sym.Abs(x)), Sym.Abs(x), Sym.Relu(x), -x);

    [Symbolic(nameof(Unary))]
    public static partial (Mat<double> tanh, Mat<double> sigmoid, Mat<double> exp, Mat<double> log, Mat<double> sqrt, Mat<double> abs, Mat<double> relu, Mat<double> negate)
        UnaryOps([Sequence] Mat<double> x);

    internal static (Vec<double> add, Vec<double> subtract, Vec<double> multiply, Vec<double> divide, Vec<double> scaled, Vec<double> fromScalar,
        Vec<double> pow, Vec<double> maximum, Vec<double> minimum, Vec<double> where, Vec<double> chain)
        Binary(Vec<double> x, Vec<double> y, double a) =>
        (x + y, x - y, x * y, x / y, x * a, a - x, Sym.Pow(Sym.Abs(x), a), Sym.Maximum(x, y), Sym.Minimum(x, y), Sym.Where(x, y, -y),
         Sym.Tanh(x * y + 2.0 * x - y / a));

    [Symbolic(nameof(Binary))]
    public static partial (Mat<double> add, Mat<double> subtract, Mat<double> multiply, Mat<double> divide, Mat<double> scaled, Mat<double> fromScalar,
        Mat<double> pow, Mat<double> maximum, Mat<double> minimum, Mat<double> where, Mat<double> chain)
        BinaryOps([Sequence] Mat<double> x, [Sequence] Mat<double> y, double a);

    // W: n x k, V: k x m, M: n x k, N: k x m; x, y: k.
    internal static (Vec<double> matVec, Vec<double> vecMat, double dot, Vec<double> matMat, double sum, double prod, double mean, double max,
        Vec<double> sum0, Vec<double> max1, Vec<double> mean1, Vec<double> prod0, Vec<double> softmax, Vec<double> softmaxRows, Vec<double> broadcast)
        Contractions(Vec<double> x, Vec<double> y, Mat<double> W, Mat<double> V, Mat<double> M) =>
        (Sym.Dot(W, x), Sym.Dot(x, V), Sym.Dot(x, y), Sym.Sum(Sym.Dot(W, V), 1), Sym.Sum(x), Sym.Prod(x), Sym.Mean(x), Sym.Max(x),
         Sym.Sum(M, 0), Sym.Max(M, 1), Sym.Mean(M, 1), Sym.Prod(M, 0), Sym.Softmax(x), Sym.Sum(Sym.Softmax(M), 0), Sym.Sum(M * x + x, 1));

    [Symbolic(nameof(Contractions))]
    public static partial (Mat<double> matVec, Mat<double> vecMat, double[] dot, Mat<double> matMat, double[] sum, double[] prod, double[] mean, double[] max,
        Mat<double> sum0, Mat<double> max1, Mat<double> mean1, Mat<double> prod0, Mat<double> softmax, Mat<double> softmaxRows, Mat<double> broadcast)
        ContractionOps([Sequence] Mat<double> x, [Sequence] Mat<double> y, Mat<double> W, Mat<double> V, Mat<double> M);

    // The Elman RNN in float.
    internal static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(ElmanF))]
    public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

    internal static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

    // Vector output taps [-2, -1] from a matrix of initial rows, with a scalar output beside it.
    internal static (Vec<double>, double) Momentum(Vec<double> g, Vec<double> v2, Vec<double> v1, double decay) =>
        (decay * v1 + (1 - decay) * v2 + g, Sym.Sum(v1));

    [Symbolic(nameof(Momentum))]
    public static partial (Mat<double> velocity, double[] total) MomentumTaps([Sequence] Mat<double> g, [Initial(-2, -1, Output = "velocity")] Mat<double> v0, double decay);

    // A matrix state (trace: Tensor3), with a row vector broadcast over the matrix inside the fused loop.
    internal static (Mat<double> state, Mat<double> probabilities) MatrixState(Mat<double> a, Mat<double> s, Vec<double> v) =>
        (s * 0.5 + a + v, Sym.Softmax(a));

    [Symbolic(nameof(MatrixState))]
    public static partial (Tensor3<double> state, Tensor3<double> probabilities) MatrixStates(
        [Sequence] Tensor3<double> a, [Initial(Output = "state")] Mat<double> s0, Vec<double> v);
}
