using SymGen;
using System;

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

    // Forward and gradients in one call: the cotangent of y is a function of y (loss = sum((y - Y)^2)).
    [Gradient(nameof(Elman))]
    public static partial (Mat<double> h, Mat<double> y) ElmanTrain(Mat<double> X, Vec<double> h0,
        Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c, Mat<double> dh, Func<Mat<double>, Mat<double>> dy,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc, out Vec<double> dh0, out Mat<double> dX);
}

/// <summary>One scan per semantics feature of the gradient, each with its generated gradient.</summary>
public static partial class GradientFeatureScans
{
    // Sequence taps on both sides of t and a two-deep recurrent output (mit_sot).
    internal static double TapsStep(double xPrev, double x, double xNext2, double y2, double y1, double a) =>
        Math.Tanh(a * y1 + 0.5 * y2 * xPrev) + Math.Sin(x) * xNext2;

    [Symbolic(nameof(TapsStep))]
    public static partial double[] Taps([Sequence(-1, 0, 2)] double[] x, [Initial(-2, -1)] double[] y0, double a);

    [Gradient(nameof(Taps))]
    public static partial void TapsGradient(double[] x, double[] y0, double a, double[] dTaps, out double[] dx, out double[] dy0, out double da);

    // go_backwards, with a tap ahead.
    internal static double BackStep(double x0, double x1, double h, double a) => Math.Tanh(a * h + x0 - 0.3 * x1);

    [Symbolic(nameof(BackStep), GoBackwards = true)]
    public static partial double[] Backwards([Sequence(0, 1)] double[] x, [Initial] double h0, double a);

    [Gradient(nameof(Backwards))]
    public static partial void BackwardsGradient(double[] x, double h0, double a, double[] dBackwards, out double[] dx, out double dh0, out double da);

    // until: the loop stops after the step where stop[t] != 0.
    internal static (double, Until) UntilStep(double x, int stop, double h, double a) => (Math.Tanh(a * h + x), Until.When(stop != 0));

    [Symbolic(nameof(UntilStep))]
    public static partial double[] WhileLoop([Sequence] double[] x, [Sequence] int[] stop, [Initial] double h0, double a);

    [Gradient(nameof(WhileLoop))]
    public static partial double[] WhileLoopGradient(double[] x, int[] stop, double h0, double a, double[] dWhileLoop, out double[] dx, out double dh0, out double da);

    // A recurrent output and a map output, n_steps shorter than the sequence.
    internal static (double h, double y) TwoOutputsStep(double x, double h, double a, double b) => (Math.Tanh(a * h + x), h * x * b);

    [Symbolic(nameof(TwoOutputsStep))]
    public static partial (double[] h, double[] y) TwoOutputs([Sequence] double[] x, [Steps] int n, [Initial(Output = "h")] double h0, double a, double b);

    [Gradient(nameof(TwoOutputs))]
    public static partial void TwoOutputsGradient(double[] x, int n, double h0, double a, double b, double[] dh, double[] dy,
        out double[] dx, out double dh0, out double da, out double db);

    // A matrix state, a shared vector read by every step.
    internal static Mat<double> MatrixStep(double x, Mat<double> S, Mat<double> A, Vec<double> v) => Sym.Tanh(Sym.Dot(A, S) * x + v);

    [Symbolic(nameof(MatrixStep))]
    public static partial Tensor3<double> MatrixState([Sequence] double[] x, [Initial] Mat<double> S0, Mat<double> A, Shared<Vec<double>> v);

    [Gradient(nameof(MatrixState))]
    public static partial void MatrixStateGradient(double[] x, Mat<double> S0, Mat<double> A, Shared<Vec<double>> v, Tensor3<double> dS,
        out double[] dx, out Mat<double> dS0, out Mat<double> dA, out Vec<double> dv);

    // A shared variable updated by every step: the gradient reads its values but applies no update.
    internal static (double h, double total) CountStep(double x, double h, double total, double a) => (Math.Tanh(a * h + x + 0.1 * total), total + h);

    [Symbolic(nameof(CountStep))]
    public static partial double[] Counted([Sequence] double[] x, [Initial] double h0, [Update] Shared<double> total, double a);

    [Gradient(nameof(Counted))]
    public static partial void CountedGradient(double[] x, double h0, Shared<double> total, double a, double[] dh, out double[] dx, out double dh0, out double da);

    // Truncated BPTT: the last step only, and the last 3.
    internal static Vec<double> RnnStep(Vec<double> x, Vec<double> h, Mat<double> W) => Sym.Tanh(Sym.Dot(W, h) + x);

    [Symbolic(nameof(RnnStep), TruncateGradient = 1)]
    public static partial Mat<double> RnnLastStep([Sequence] Mat<double> X, [Initial] Vec<double> h0, Mat<double> W);

    [Gradient(nameof(RnnLastStep))]
    public static partial void RnnLastStepGradient(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH, out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Symbolic(nameof(RnnStep), TruncateGradient = 3)]
    public static partial Mat<double> RnnLast3([Sequence] Mat<double> X, [Initial] Vec<double> h0, Mat<double> W);

    [Gradient(nameof(RnnLast3))]
    public static partial void RnnLast3Gradient(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH, out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    // float32.
    internal static Vec<float> RnnStep32(Vec<float> x, Vec<float> h, Mat<float> W) => Sym.Tanh(Sym.Dot(W, h) + x);

    [Symbolic(nameof(RnnStep32))]
    public static partial Mat<float> Rnn32([Sequence] Mat<float> X, [Initial] Vec<float> h0, Mat<float> W);

    [Gradient(nameof(Rnn32))]
    public static partial void Rnn32Gradient(Mat<float> X, Vec<float> h0, Mat<float> W, Mat<float> dH, out Mat<float> dX, out Vec<float> dh0, out Mat<float> dW);

    // Checkpointed gradients (every k-th state stored, the rest recomputed): the same numbers as the full ones.
    [Gradient(nameof(Taps), Checkpoint = 3)]
    public static partial void TapsCheckpointed(double[] x, double[] y0, double a, double[] dTaps, out double[] dx, out double[] dy0, out double da);

    [Gradient(nameof(Backwards), Checkpoint = 2)]
    public static partial void BackwardsCheckpointed(double[] x, double h0, double a, double[] dBackwards, out double[] dx, out double dh0, out double da);

    [Gradient(nameof(TwoOutputs), Checkpoint = 3)]
    public static partial void TwoOutputsCheckpointed(double[] x, int n, double h0, double a, double b, double[] dh, double[] dy,
        out double[] dx, out double dh0, out double da, out double db);

    [Gradient(nameof(MatrixState), Checkpoint = 2)]
    public static partial void MatrixStateCheckpointed(double[] x, Mat<double> S0, Mat<double> A, Shared<Vec<double>> v, Tensor3<double> dS,
        out double[] dx, out Mat<double> dS0, out Mat<double> dA, out Vec<double> dv);

    [Gradient(nameof(Counted), Checkpoint = 2)]
    public static partial void CountedCheckpointed(double[] x, double h0, Shared<double> total, double a, double[] dh, out double[] dx, out double dh0, out double da);

    [Gradient(nameof(RnnLast3), Checkpoint = 2)]
    public static partial void RnnLast3Checkpointed(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH, out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Gradient(nameof(RnnStepScan), Checkpoint = 4)]
    public static partial void RnnCheckpointed(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH, out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Gradient(nameof(RnnStepScan))]
    public static partial void RnnFull(Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> dH, out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Symbolic(nameof(RnnStep))]
    public static partial Mat<double> RnnStepScan([Sequence] Mat<double> X, [Initial] Vec<double> h0, Mat<double> W);

    // [Forward]: the backward pass alone, from the traces an earlier call returned.
    [Gradient(nameof(RnnStepScan))]
    public static partial void RnnBackwardOnly(Mat<double> X, Vec<double> h0, Mat<double> W, [Forward] Mat<double> h, Mat<double> dH,
        out Mat<double> dX, out Vec<double> dh0, out Mat<double> dW);

    [Gradient(nameof(WhileLoop))]
    public static partial void WhileLoopBackwardOnly(double[] x, int[] stop, double h0, double a, [Forward] double[] h, double[] dWhileLoop,
        out double[] dx, out double dh0, out double da);

    [Gradient(nameof(TwoOutputs))]
    public static partial void TwoOutputsBackwardOnly(double[] x, int n, double h0, double a, double b, [Forward] double[] h, [Forward] double[] y,
        double[] dh, double[] dy, out double[] dx, out double dh0, out double da, out double db);
}
