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

    /// <summary>
    /// The vector-Jacobian product of <see cref="Elman"/>: given dLoss/dH and dLoss/dY, the gradients of the loss with
    /// respect to the weights. Generated at compile time (back-propagation through time).
    /// </summary>
    [Gradient(nameof(Elman))]
    public static partial void ElmanGradient(Mat<double> X, Vec<double> h0, Mat<double> Wx, Mat<double> Wh, Vec<double> b,
        Mat<double> V, Vec<double> c, Mat<double> dH, Mat<double> dY,
        out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dc);
}
