using SymGen;

namespace SymGen.Tests.Gradients;

/// <summary>Scans and their generated gradients, for the reference cases and the property tests.</summary>
public static partial class GradientScans
{
    // grad_cumsum: h_t = h_{t-1} + x_t.
    internal static double Accumulate(double x, double h) => h + x;

    [Symbolic(nameof(Accumulate))]
    public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);

    [Gradient(nameof(CumSum))]
    public static partial void CumSumGradient(double[] x, double h0, double[] dCumSum, out double[] dx, out double dh0);

    // grad_rnn_full_bptt, grad_rnn_truncate_2: h_t = tanh(W h_{t-1} + x_t).
    internal static Vec<double> RnnStep(Vec<double> x, Vec<double> h, Mat<double> W) => Sym.Tanh(Sym.Dot(W, h) + x);

    [Symbolic(nameof(RnnStep))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> X, [Initial] Vec<double> h0, Mat<double> W);

    [Gradient(nameof(Rnn))]
    public static partial Mat<double> RnnGradient(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dRnn,
                                                  out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Symbolic(nameof(RnnStep), TruncateGradient = 2)]
    public static partial Mat<double> RnnTruncated([Sequence] Mat<double> X, [Initial] Vec<double> h0, Mat<double> W);

    [Gradient(nameof(RnnTruncated))]
    public static partial void RnnTruncatedGradient(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH,
                                                    out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    // elman_rnn_forward_grad: h_t = tanh(Wx x_t + Wh h_{t-1} + b), y_t = V h_t + c.
    internal static (Vec<double> h, Vec<double> y) ElmanStep(Vec<double> x, Vec<double> h, Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c)
    {
        var next = Sym.Tanh(Sym.Dot(Wx, x) + Sym.Dot(Wh, h) + b);
        return (next, Sym.Dot(V, next) + c);
    }

    [Symbolic(nameof(ElmanStep))]
    public static partial (Mat<double> h, Mat<double> y) Elman([Sequence] Mat<double> X, [Initial(Output = "h")] Vec<double> h0,
        Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c);

    [Gradient(nameof(Elman))]
    public static partial (Mat<double> h, Mat<double> y) ElmanGradient(Mat<double> X, Vec<double> h0,
        Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c, Mat<double> dh, Mat<double> dy,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc, out Vec<double> dh0, out Mat<double> dX);
}
