using System;
using SymGen;

namespace Training;

/// <summary>
/// The network: an Elman RNN, h_t = tanh(Wx x_t + Wh h_{t-1} + b), with a linear read-out y_t = V h_t + c.
/// </summary>
public static partial class ElmanRnn
{
    static (Vec<double> H, Vec<double> Y) Step(Vec<double> x, Vec<double> h, Mat<double> Wx, Mat<double> Wh, Vec<double> b,
        Mat<double> V, Vec<double> c)
    {
        var next = Sym.Tanh(Sym.Dot(Wx, x) + Sym.Dot(Wh, h) + b);
        return (next, Sym.Dot(V, next) + c);
    }

    /// <summary>The hidden states H (one row per step) and the predictions Y over the rows of <paramref name="X"/>.</summary>
    [Symbolic(nameof(Step))]
    public static partial (Mat<double> H, Mat<double> Y) Elman([Sequence] Mat<double> X, [Initial] Vec<double> h0,
        Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c);

#if GENERATED_GRADIENT
    /// <summary>
    /// The vector-Jacobian product of <see cref="Elman"/>: given dLoss/dH and dLoss/dY, the gradients of the loss with
    /// respect to the weights. Generated at compile time (back-propagation through time).
    /// </summary>
    [Gradient(nameof(Elman))]
    public static partial void ElmanGradient(Mat<double> X, Vec<double> h0, Mat<double> Wx, Mat<double> Wh, Vec<double> b,
        Mat<double> V, Vec<double> c, Mat<double> dH, Mat<double> dY,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc);
#else
    /// <summary>Until the generator writes the gradient (issue 12): the hand-written one below, same signature.</summary>
    public static void ElmanGradient(Mat<double> X, Vec<double> h0, Mat<double> Wx, Mat<double> Wh, Vec<double> b,
        Mat<double> V, Vec<double> c, Mat<double> dH, Mat<double> dY,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc) =>
        TemporaryHandWrittenBptt(X, h0, Wx, Wh, b, V, c, dH, dY, out dWx, out dWh, out db, out dV, out dc);

    /// <summary>
    /// TEMPORARY (delete when [Gradient] lands, with the #else branch above): back-propagation through time written
    /// by hand, plain loops, so that the sample could be tuned and its plots drawn before the generated gradient
    /// existed. A default (empty) <paramref name="dH"/> counts as zero, as the generated gradient's cotangents do.
    /// </summary>
    private static void TemporaryHandWrittenBptt(Mat<double> X, Vec<double> h0, Mat<double> Wx, Mat<double> Wh, Vec<double> b,
        Mat<double> V, Vec<double> c, Mat<double> dH, Mat<double> dY,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc)
    {
        var (H, _) = Elman(X, h0, Wx, Wh, b, V, c);
        int steps = X.Rows, inputs = X.Columns, hidden = h0.Length, outputs = V.Rows;
        (dWx, dWh, db, dV, dc) = (Mat<double>.Zeros(hidden, inputs), Mat<double>.Zeros(hidden, hidden), Vec<double>.Zeros(hidden),
            Mat<double>.Zeros(outputs, hidden), Vec<double>.Zeros(outputs));
        Span<double> gWx = dWx.Span, gWh = dWh.Span, gb = db.Span, gV = dV.Span, gc = dc.Span;
        var carry = new double[hidden];   // dLoss/dh_t through h_{t+1}
        var delta = new double[hidden];   // dLoss/d(pre-activation of step t)
        for (int t = steps - 1; t >= 0; t--)
        {
            var h = H[t].Span;
            var previous = t > 0 ? H[t - 1].Span : h0.Span;
            var x = X[t].Span;
            var dy = dY[t].Span;
            for (int i = 0; i < hidden; i++)
            {
                double dh = carry[i] + (dH.Rows == 0 ? 0 : dH[t, i]);
                for (int o = 0; o < outputs; o++) dh += V[o, i] * dy[o];
                delta[i] = dh * (1 - h[i] * h[i]);
            }
            for (int o = 0; o < outputs; o++)
            {
                gc[o] += dy[o];
                for (int i = 0; i < hidden; i++) gV[o * hidden + i] += dy[o] * h[i];
            }
            for (int i = 0; i < hidden; i++)
            {
                gb[i] += delta[i];
                for (int j = 0; j < inputs; j++) gWx[i * inputs + j] += delta[i] * x[j];
                for (int j = 0; j < hidden; j++) gWh[i * hidden + j] += delta[i] * previous[j];
            }
            for (int j = 0; j < hidden; j++)
            {
                double sum = 0;
                for (int i = 0; i < hidden; i++) sum += Wh[i, j] * delta[i];
                carry[j] = sum;
            }
        }
    }
#endif
}
