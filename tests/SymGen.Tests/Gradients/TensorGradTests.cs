using System;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// Tensor.Grad of run-time graphs without scans: values against central finite differences of the interpreted cost,
/// and its errors (what was wrong, which variable, which op).
/// </summary>
public class TensorGradTests
{
    private static double Evaluate(Function f, params object[] arguments) => (double)f.Invoke(arguments)[0];

    [Fact]
    public void Grad_of_a_vector_expression_matches_central_differences()
    {
        var x = Tensor.Vector("x");
        var w = Tensor.Vector("w");
        var cost = Tensor.Dot(Tensor.Tanh(x * w) + Tensor.Exp(x), w);
        var grads = Tensor.Grad(cost, x, w);
        var costF = Tensor.Function([x, w], [cost]);
        var gradF = Tensor.Function([x, w], grads);
        double[] xs = [0.3, -0.7, 1.1], ws = [0.5, 2.0, -1.5];
        var results = gradF.Invoke(xs, ws);
        var dx = ((Vec<double>)results[0]).ToArray();
        var dw = ((Vec<double>)results[1]).ToArray();
        const double h = 1e-5;
        for (int i = 0; i < xs.Length; i++)
        {
            double Fd(double[] v, bool isX)
            {
                var plus = (double[])v.Clone(); plus[i] += h;
                var minus = (double[])v.Clone(); minus[i] -= h;
                return (Evaluate(costF, isX ? plus : xs, isX ? ws : plus) - Evaluate(costF, isX ? minus : xs, isX ? ws : minus)) / (2 * h);
            }
            Assert.Equal(Fd(xs, true), dx[i], 1e-8);
            Assert.Equal(Fd(ws, false), dw[i], 1e-8);
        }
    }

    [Fact]
    public void Grad_of_a_matrix_product_is_the_outer_products()
    {
        var m = Tensor.Matrix("m");
        var v = Tensor.Vector("v");
        var cost = Tensor.Dot(Tensor.Dot(m, v), v); // vᵀ M v: dM = v vᵀ, dv = (M + Mᵀ) v
        var grads = Tensor.Grad(cost, m, v);
        var mv = new Mat<double>([1, 2, 3, 4], 2, 2);
        double[] vv = [0.5, -1.5];
        var results = Tensor.Function([m, v], grads).Invoke(mv, vv);
        var dm = (Mat<double>)results[0];
        var dv = ((Vec<double>)results[1]).ToArray();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++) Assert.Equal(vv[i] * vv[j], dm[i, j], 12);
            Assert.Equal(Enumerable.Range(0, 2).Sum(j => (mv[i, j] + mv[j, i]) * vv[j]), dv[i], 12);
        }
    }

    [Fact]
    public void Grad_with_respect_to_the_cost_itself_is_one_and_a_shared_subexpression_sums_its_paths()
    {
        var x = Tensor.Scalar("x");
        var y = x * x;
        var cost = y * y + y; // x⁴ + x²: 4x³ + 2x
        var grads = Tensor.Grad(cost, cost, x);
        var results = Tensor.Function([x], grads).Invoke(1.5);
        Assert.Equal(1.0, (double)results[0]);
        Assert.Equal(4 * 1.5 * 1.5 * 1.5 + 2 * 1.5, (double)results[1], 12);
    }

    [Fact]
    public void Grad_through_only_zero_gradient_ops_is_zeros()
    {
        var x = Tensor.Vector("x");
        var s = Tensor.Scalar("s");
        var cost = Tensor.Dot(Tensor.Greater(x, Tensor.Constant(0.0)), x) * 0 + Tensor.Convert(Tensor.Greater(s, Tensor.Constant(0.0)), ElementKind.Float64);
        var grads = Tensor.Grad(cost, s);
        Assert.Equal(0.0, (double)Tensor.Function([s], grads).Invoke(2.0)[0]);
    }

    [Fact]
    public void Grad_of_a_non_scalar_cost_is_an_error_naming_it()
    {
        var x = Tensor.Vector("x");
        var e = Assert.Throws<ArgumentException>(() => Tensor.Grad(Tensor.Tanh(x), x));
        Assert.Equal("cost", e.ParamName);
        Assert.Contains("float or double scalar", e.Message);
        Assert.Contains("float64 vector", e.Message);
    }

    [Fact]
    public void Grad_of_an_integer_cost_is_an_error()
    {
        var n = Tensor.Input("n", new TensorType(ElementKind.Int32, 0));
        var e = Assert.Throws<ArgumentException>(() => Tensor.Grad(n, n));
        Assert.Equal("cost", e.ParamName);
        Assert.Contains("int32 scalar", e.Message);
    }

    [Fact]
    public void Grad_with_respect_to_an_integer_is_an_error_naming_it()
    {
        var n = Tensor.Input("n", new TensorType(ElementKind.Int32, 0));
        var x = Tensor.Scalar("x");
        var cost = x * Tensor.Convert(n, ElementKind.Float64);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Grad(cost, x, n));
        Assert.Equal("wrt", e.ParamName);
        Assert.Contains("wrt[1] ('n')", e.Message);
        Assert.Contains("int32 scalar", e.Message);
    }

    [Fact]
    public void Grad_with_respect_to_a_variable_the_cost_does_not_depend_on_is_Theanos_disconnected_input_error()
    {
        var x = Tensor.Scalar("x");
        var unused = Tensor.Vector("unused");
        var e = Assert.Throws<ArgumentException>(() => Tensor.Grad(x * x, x, unused));
        Assert.Equal("wrt", e.ParamName);
        Assert.Contains("not part of the computational graph of the cost", e.Message);
        Assert.Contains("wrt[1] ('unused')", e.Message);
    }

    [Fact]
    public void Grad_of_null_arguments_is_an_error()
    {
        var x = Tensor.Scalar("x");
        Assert.Throws<ArgumentNullException>(() => Tensor.Grad(null!, x));
        Assert.Throws<ArgumentNullException>(() => Tensor.Grad(x, null!));
        Assert.Contains("wrt[0]", Assert.Throws<ArgumentNullException>(() => Tensor.Grad(x, [null!])).Message);
    }
}

/// <summary>Tests that change the op table's shared rows: run alone, never beside another test.</summary>
[CollectionDefinition(nameof(OpTableMutation), DisableParallelization = true)]
public sealed class OpTableMutation;

[Collection(nameof(OpTableMutation))]
public class TensorGradWithoutARuleTests
{
    [Fact]
    public void Grad_through_an_op_without_a_derivative_names_the_op_and_the_node()
    {
        // Every op of the table has a rule (GradientTableTests checks): one is taken away for this test alone.
        var row = OpTable.Get(Op.Cbrt);
        var rule = row.Derivative;
        row.Derivative = null;
        try
        {
            var x = Tensor.Scalar("x");
            var cube = Tensor.Apply(Op.Cbrt, -1, "n3", "Math.Cbrt(x)", x);
            var e = Assert.Throws<NotSupportedException>(() => Tensor.Grad(cube * x, x));
            Assert.Contains("Cbrt", e.Message);
            Assert.Contains("'Math.Cbrt(x)'", e.Message);
            Assert.Contains("no derivative", e.Message);
        }
        finally
        {
            row.Derivative = rule;
        }
    }

    [Fact]
    public void An_op_without_a_derivative_that_no_wrt_reaches_is_no_error()
    {
        var row = OpTable.Get(Op.Cbrt);
        var rule = row.Derivative;
        row.Derivative = null;
        try
        {
            var x = Tensor.Scalar("x");
            var w = Tensor.Scalar("w");
            var grad = Tensor.Grad(Tensor.Apply(Op.Cbrt, x) + w * w, w).Single();
            Assert.Equal(3.0, (double)Tensor.Function([w], [grad]).Invoke(1.5)[0]);
        }
        finally
        {
            row.Derivative = rule;
        }
    }
}

public class ProdGradientTests
{
    [Theory]
    [InlineData(new[] { 2.0, 0.0, 3.0 }, new[] { 0.0, 6.0, 0.0 })]   // one zero: the product of the others
    [InlineData(new[] { 0.0, 0.0, 3.0 }, new[] { 0.0, 0.0, 0.0 })]   // two: every element 0
    [InlineData(new[] { 2.0, -1.0, 4.0 }, new[] { -4.0, 8.0, -2.0 })] // none: y / x
    public void Prod_of_a_vector_with_zeros_has_the_product_of_the_other_elements_as_gradient(double[] x, double[] expected)
    {
        var v = Tensor.Vector("v");
        var grad = Tensor.Grad(Tensor.Prod(v), v).Single();
        Assert.Equal(expected, ((Vec<double>)Tensor.Function([v], [grad]).Invoke(x)[0]).ToArray());
    }

    [Fact]
    public void Prod_along_each_row_treats_each_row_apart()
    {
        var m = Tensor.Matrix("m");
        var weights = Tensor.Vector("w");
        var grad = Tensor.Grad(Tensor.Dot(Tensor.Prod(m, 1), weights), m).Single();
        var result = (Mat<double>)Tensor.Function([m, weights], [grad]).Invoke(new Mat<double>([2, 0, 5, 1, 3, 4], 2, 3), new[] { 1.0, 10.0 })[0];
        Assert.Equal([0, 10, 0, 120, 40, 30], result.Span.ToArray());
    }
}

public class TensorGradCompositionTests
{
    [Fact]
    public void Grad_of_a_softmax_classifier_loss_matches_central_differences()
    {
        // -log softmax(W x + b)[label] + 0.01 ΣW²: the loss a classifier trains with.
        var w = Tensor.Matrix("W");
        var b = Tensor.Vector("b");
        var x = Tensor.Vector("x");
        var label = Tensor.Input("label", new TensorType(ElementKind.Int32, 0));
        var logits = Tensor.Dot(w, x) + b;
        var cost = -Tensor.Index(Tensor.LogSoftmax(logits), label) + 0.01 * Tensor.Sum(w * w);
        var grads = Tensor.Grad(cost, w, b, x);
        var random = new Random(5);
        double[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] wv = Draw(12), bv = Draw(3), xv = Draw(4);
        var costF = Tensor.Function([w, b, x, label], [cost]);
        object[] Arguments(double[] wa, double[] ba, double[] xa) => [new Mat<double>(wa, 3, 4), ba, xa, 2];
        var analytic = Tensor.Function([w, b, x, label], grads).Invoke(Arguments(wv, bv, xv));
        double[][] got = [((Mat<double>)analytic[0]).Span.ToArray(), ((Vec<double>)analytic[1]).ToArray(), ((Vec<double>)analytic[2]).ToArray()];
        double[][] values = [wv, bv, xv];
        const double h = 1e-5;
        for (int k = 0; k < 3; k++)
            for (int e = 0; e < values[k].Length; e++)
            {
                var plus = values.Select(v => (double[])v.Clone()).ToArray();
                var minus = values.Select(v => (double[])v.Clone()).ToArray();
                plus[k][e] += h;
                minus[k][e] -= h;
                double fd = ((double)costF.Invoke(Arguments(plus[0], plus[1], plus[2]))[0] - (double)costF.Invoke(Arguments(minus[0], minus[1], minus[2]))[0]) / (2 * h);
                Assert.True(Math.Abs(got[k][e] - fd) <= 1e-8 * Math.Max(1, Math.Abs(fd)), $"operand {k}, element {e}: {got[k][e]:R} against {fd:R}");
            }
    }

    [Fact]
    public void Grad_of_a_long_chain_does_not_recurse()
    {
        // A graph as deep as a loop unrolled 20000 times: numbering and the sweep are iterative.
        var x = Tensor.Scalar("x");
        Variable y = x;
        for (int i = 0; i < 20000; i++) y = y * 0.9999 + 0.0001;
        var grad = Tensor.Grad(y, x).Single();
        Assert.Equal(new TensorType(ElementKind.Float64, 0), grad.Type);
    }
}

/// <summary>The choices at kinks, as docs/derivatives.md states them (the reference's, but Relu's at 0).</summary>
public class KinkGradientTests
{
    private static double[] GradOf(Func<Variable, Variable> cost, double[] at)
    {
        var v = Tensor.Vector("v");
        return ((Vec<double>)Tensor.Function([v], Tensor.Grad(cost(v), v)).Invoke(at)[0]).ToArray();
    }

    [Fact]
    public void Max_gives_every_tied_element_the_whole_gradient() =>
        Assert.Equal([1.0, 0.0, 1.0], GradOf(v => Tensor.Max(v), [3, 1, 3]));

    [Fact]
    public void Min_along_rows_gives_every_tied_element_the_whole_gradient()
    {
        var m = Tensor.Matrix("m");
        var grad = Tensor.Grad(Tensor.Sum(Tensor.Min(m, 1)), m).Single();
        var result = (Mat<double>)Tensor.Function([m], [grad]).Invoke(new Mat<double>([1, 1, 2, 5, 4, 4], 2, 3))[0];
        Assert.Equal([1.0, 1, 0, 0, 1, 1], result.Span.ToArray());
    }

    [Fact]
    public void Maximum_gives_both_tied_operands_the_gradient()
    {
        var a = Tensor.Scalar("a");
        var b = Tensor.Scalar("b");
        var grads = Tensor.Function([a, b], Tensor.Grad(Tensor.Maximum(a, b), a, b)).Invoke(2.0, 2.0);
        Assert.Equal([1.0, 1.0], grads.Cast<double>());
    }

    [Fact]
    public void Abs_has_gradient_0_at_0() =>
        Assert.Equal([0.0, -1.0, 1.0], GradOf(v => Tensor.Sum(Tensor.Abs(v)), [0, -2, 2]));

    [Fact]
    public void Relu_has_gradient_0_at_0() =>
        Assert.Equal([0.0, 0.0, 1.0], GradOf(v => Tensor.Sum(Tensor.Relu(v)), [0, -2, 2]));
}

public class TensorGradPruningTests
{
    [Fact]
    public void A_scan_no_wrt_reaches_is_not_differentiated()
    {
        var x = Tensor.Vector("x");
        var w = Tensor.Scalar("w");
        var scan = Tensor.Scan(i => ScanStep.Of(Tensor.Tanh(i[0])), sequences: [new ScanSequence(x, [0])], name: "squash");
        var cost = Tensor.Sum(scan[0]) + w * w;
        var grad = Tensor.Grad(cost, w).Single();
        Assert.Equal(3.0, (double)Tensor.Function([w], [grad]).Invoke(1.5)[0]);
    }
}
