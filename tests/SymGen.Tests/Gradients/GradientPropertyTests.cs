using System;
using System.Linq;
using CsCheck;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>Tensor.Grad of composed graphs on random sizes and values, against central differences (CsCheck).</summary>
public class GradientPropertyTests
{
    // A batch through a two-layer network: matrix products, a row-broadcast bias, tanh, per-row softmax and
    // log-softmax, a column-wise logsumexp and a mean: most rule families meet here. (No Max: CsCheck shrinks values
    // towards 0, where ties appear, and a tie's gradient is not its central difference.)
    private static readonly InputVariable X = Tensor.Matrix("X"), W1 = Tensor.Matrix("W1"), B1 = Tensor.Vector("b1"), W2 = Tensor.Matrix("W2");
    private static readonly Variable Cost =
        Tensor.Sum(Tensor.LogSoftmax(Tensor.Dot(Tensor.Tanh(Tensor.Dot(X, W1) + B1), W2)) * Tensor.Dot(Tensor.Softmax(Tensor.Dot(X, W1)), W2))
        + Tensor.Mean(Tensor.LogSumExp(Tensor.Dot(X, W1), 0));
    private static readonly Function CostF = Tensor.Function([X, W1, B1, W2], [Cost]);
    private static readonly Function GradF = Tensor.Function([X, W1, B1, W2], Tensor.Grad(Cost, X, W1, B1, W2));

    [Fact]
    public void Grad_of_a_two_layer_network_matches_central_differences_for_random_sizes_and_values()
    {
        var sizes = Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 4]);
        sizes.SelectMany((n, d, h, k) => Gen.Double[-1, 1].Array[n * d + d * h + h + h * k].Select(v => (n, d, h, k, v)))
            .Sample(t =>
            {
                var (n, d, h, k, v) = t;
                int[] lengths = [n * d, d * h, h, h * k];
                var values = new double[4][];
                for (int i = 0, at = 0; i < 4; at += lengths[i], i++) values[i] = v[at..(at + lengths[i])];
                object[] Arguments(double[][] a) => [new Mat<double>(a[0], n, d), new Mat<double>(a[1], d, h), a[2], new Mat<double>(a[3], h, k)];
                var grads = GradF.Invoke(Arguments(values));
                const double step = 1e-5;
                for (int i = 0; i < 4; i++)
                {
                    var got = grads[i] is Mat<double> m ? m.Span.ToArray() : ((Vec<double>)grads[i]).ToArray();
                    for (int e = 0; e < got.Length; e++)
                    {
                        var plus = values.Select(a => (double[])a.Clone()).ToArray();
                        var minus = values.Select(a => (double[])a.Clone()).ToArray();
                        plus[i][e] += step;
                        minus[i][e] -= step;
                        double fd = ((double)CostF.Invoke(Arguments(plus))[0] - (double)CostF.Invoke(Arguments(minus))[0]) / (2 * step);
                        if (!(Math.Abs(got[e] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd))))
                            throw new Exception($"operand {i}, element {e} (sizes {n}, {d}, {h}, {k}): {got[e]:R}, central differences {fd:R}");
                    }
                }
            }, iter: 60);
    }
}
