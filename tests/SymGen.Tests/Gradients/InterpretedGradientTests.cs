using System;
using System.Linq;
using SymGen.Graph;
using SymGen.Tests.Conformance;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// Tensor.Grad through scans built at run time (the interpreter's backward scan): every gradient case of the reference
/// file, expected numbers loaded from it.
/// </summary>
public class InterpretedGradientTests
{
    private const double Relative = 1e-9;

    private static void Near(ReferenceArray expected, object actual)
    {
        double[] values = actual switch
        {
            double d => [d],
            Vec<double> v => v.ToArray(),
            Mat<double> m => m.Span.ToArray(),
            _ => throw new InvalidOperationException(actual.GetType().Name),
        };
        Assert.Equal(expected.Values.Length, values.Length);
        double scale = Math.Max(1, expected.Values.Max(Math.Abs));
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - expected.Values[i]) <= Relative * scale, $"element {i}: {values[i]} != {expected.Values[i]}");
    }

    private static Vec<double> V(ReferenceArray a) => new(a.Values.ToArray());
    private static Mat<double> M(ReferenceArray a) => new(a.Values.ToArray(), a.Shape[0], a.Shape[1]);

    [Fact]
    public void grad_cumsum_gradients_of_the_sequence_and_the_initial_state()
    {
        var c = ReferenceCases.Get("grad_cumsum");
        var x = Tensor.Vector("x");
        var h0 = Tensor.Scalar("h0");
        var w = Tensor.Vector("w");
        var h = Tensor.Scan(p => ScanStep.Of(p[1] + p[0]), sequences: [new ScanSequence(x, [0])], outputs: [ScanOutputInfo.Recurrent(h0)])[0];
        var cost = Tensor.Dot(w, h);
        var grads = Tensor.Grad(cost, x, h0);
        var r = Tensor.Function([x, h0, w], [h, cost, .. grads]).Invoke(V(c.Inputs["x"]), c.Inputs["h0"].Scalar, V(c.Inputs["w"]));
        Near(c.Outputs["h"], r[0]);
        Near(c.Outputs["cost"], r[1]);
        Near(c.Outputs["d_cost_d_x"], r[2]);
        Near(c.Outputs["d_cost_d_h0"], r[3]);
    }

    /// <summary>The reference's rnn_case: h_t = tanh(W h_{t-1} + x_t), cost = sum(h); gradients wrt W, X, h0.</summary>
    private static void RnnCase(string name, int truncate)
    {
        var c = ReferenceCases.Get(name);
        Assert.Contains($"rnn_case({truncate})", c.Code);
        var W = Tensor.Matrix("W");
        var X = Tensor.Matrix("X");
        var h0 = Tensor.Vector("h0");
        var h = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(Tensor.Dot(p[2], p[1]) + p[0])),
            sequences: [new ScanSequence(X, [0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [W], truncateGradient: truncate)[0];
        var cost = Tensor.Sum(h);
        var grads = Tensor.Grad(cost, W, X, h0);
        var r = Tensor.Function([W, X, h0], [h, cost, .. grads]).Invoke(M(c.Inputs["W"]), M(c.Inputs["X"]), V(c.Inputs["h0"]));
        Near(c.Outputs["h"], r[0]);
        Near(c.Outputs["cost"], r[1]);
        Near(c.Outputs["d_cost_d_W"], r[2]);
        Near(c.Outputs["d_cost_d_X"], r[3]);
        Near(c.Outputs["d_cost_d_h0"], r[4]);
    }

    [Fact]
    public void grad_rnn_full_bptt_gradients_of_the_weights_the_inputs_and_the_initial_state() => RnnCase("grad_rnn_full_bptt", -1);

    [Fact]
    public void grad_rnn_truncate_2_differentiates_only_the_last_two_steps() => RnnCase("grad_rnn_truncate_2", 2);

    [Fact]
    public void elman_rnn_forward_grad_gradients_of_every_parameter_the_initial_state_and_the_inputs()
    {
        var c = ReferenceCases.Get("elman_rnn_forward_grad");
        var names = new[] { "Wx", "Wh", "b", "V", "c", "X", "h0", "Y" };
        var inputs = names.Select(n => c.Inputs[n].Shape.Length == 2 ? Tensor.Matrix(n) : Tensor.Vector(n)).ToArray();
        var (Wx, Wh, b, V_, c_, X, h0, Y) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6], inputs[7]);
        // step(x_t, h_tm1, Wx, Wh, b, V, c): h_t = tanh(Wx x_t + Wh h_tm1 + b), y_t = V h_t + c
        var scan = Tensor.Scan(p =>
        {
            var ht = Tensor.Tanh(Tensor.Dot(p[2], p[0]) + Tensor.Dot(p[3], p[1]) + p[4]);
            return ScanStep.Of(ht, Tensor.Dot(p[5], ht) + p[6]);
        }, sequences: [new ScanSequence(X, [0])], outputs: [ScanOutputInfo.Recurrent(h0), ScanOutputInfo.Map], nonSequences: [Wx, Wh, b, V_, c_]);
        var (h, y) = (scan[0], scan[1]);
        var error = y - Y;
        var loss = Tensor.Sum(error * error);
        var wrt = new Variable[] { Wx, Wh, b, V_, c_, h0, X };
        var grads = Tensor.Grad(loss, wrt);
        var r = Tensor.Function(inputs, [h, y, loss, .. grads]).Invoke(inputs.Select(v => c.Inputs[v.Name!].Shape.Length == 2 ? (object)M(c.Inputs[v.Name!]) : V(c.Inputs[v.Name!])).ToArray());
        Near(c.Outputs["h"], r[0]);
        Near(c.Outputs["y"], r[1]);
        Near(c.Outputs["loss"], r[2]);
        string[] wrtNames = ["Wx", "Wh", "b", "V", "c", "h0", "X"];
        for (int i = 0; i < wrtNames.Length; i++) Near(c.Outputs[$"d_loss_d_{wrtNames[i]}"], r[3 + i]);
    }

    private static (InputVariable W, InputVariable X, InputVariable h0, ScanOutputVariable h) Rnn(int truncate = -1)
    {
        var W = Tensor.Matrix("W");
        var X = Tensor.Matrix("X");
        var h0 = Tensor.Vector("h0");
        var h = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(Tensor.Dot(p[2], p[1]) + p[0])),
            sequences: [new ScanSequence(X, [0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [W], truncateGradient: truncate, name: "rnn")[0];
        return (W, X, h0, h);
    }

    [Fact]
    public void The_backward_step_reads_tanh_from_the_stored_trace_and_drops_the_forward_work()
    {
        var (W, X, h0, h) = Rnn();
        var grads = Tensor.Grad(Tensor.Sum(h), W, X, h0);
        var node = Assert.IsType<ScanGradientVariable>(grads[1]).Node;
        Assert.All(grads, g => Assert.Same(node, Assert.IsType<ScanGradientVariable>(g).Node)); // one backward scan
        var backward = SymGen.Graph.Interpreting.Compiler.Order(node.StepInputGradients.Where(g => g is not null).Select(g => g!).ToList(), []);
        // tanh' = 1 - y², y the trace's row: neither Tanh nor the forward Dot of W and h[t-1] is computed again.
        Assert.DoesNotContain(backward, v => v is ApplyVariable { Op: Op.Tanh });
        Assert.DoesNotContain(backward, v => v is ApplyVariable { Op: Op.Dot } dot && dot.Inputs.All(i => i is InputVariable) && dot.Inputs[1] == h.Scan.StepInputs[1] && dot.Inputs[0] == h.Scan.StepInputs[2]);
        Assert.Contains(backward, v => v == node.Values[0]);
    }

    [Fact]
    public void The_gradient_of_the_final_state_alone_flows_back_through_every_step()
    {
        var c = ReferenceCases.Get("grad_rnn_full_bptt");
        var (W, X, h0, h) = Rnn();
        var last = Tensor.Index(h, Tensor.Constant(c.Inputs["X"].Shape[0] - 1));
        var r = Tensor.Vector("r");
        var cost = Tensor.Dot(last, r);
        var grads = Tensor.Grad(cost, W, X, h0);
        var costF = Tensor.Function([W, X, h0, r], [cost]);
        var gradF = Tensor.Function([W, X, h0, r], grads);
        double[] rs = [0.5, -1, 2];
        var args = new object[] { M(c.Inputs["W"]), M(c.Inputs["X"]), V(c.Inputs["h0"]), rs };
        var result = gradF.Invoke(args);
        // Central differences of the interpreted forward, for h0 (the whole chain of steps).
        var dh0 = ((Vec<double>)result[2]).ToArray();
        for (int i = 0; i < 3; i++)
        {
            double Cost(double delta)
            {
                var h0s = c.Inputs["h0"].Values.ToArray();
                h0s[i] += delta;
                return (double)costF.Invoke(args[0], args[1], new Vec<double>(h0s), rs)[0];
            }
            Assert.Equal((Cost(1e-6) - Cost(-1e-6)) / 2e-6, dh0[i], 1e-8);
        }
    }

    [Fact]
    public void A_second_derivative_through_a_scan_is_not_supported_and_names_the_scan()
    {
        var (W, X, h0, h) = Rnn();
        var dW = Tensor.Grad(Tensor.Sum(h), W)[0];
        var e = Assert.Throws<NotSupportedException>(() => Tensor.Grad(Tensor.Sum(dW), W));
        Assert.Contains("'rnn'", e.Message);
        Assert.Contains("second derivative", e.Message);
    }

    [Fact]
    public void A_backward_scan_allocates_nothing_per_step()
    {
        const int Hidden = 8, Inputs = 8;
        var (W, X, h0, h) = Rnn();
        var f = Tensor.Function([W, X, h0], Tensor.Grad(Tensor.Sum(h), W, X, h0));
        var (w, h0s) = (Mat<double>.Zeros(Hidden, Hidden), Vec<double>.Zeros(Hidden));
        long Overhead(int steps)
        {
            var x = Mat<double>.Zeros(steps, Inputs);
            // Proportional to the steps: the argument's copy, the trace, the trace's cotangent, dX, and dW's deferred
            // product (the rows of g and of h[t-1]; the product itself allocates nothing).
            return Properties.AllocationTests.Overhead(() => f.Invoke(w, x, h0s),
                () => new[] { new double[steps * Inputs], new double[steps * Hidden], new double[steps * Hidden], new double[steps * Inputs],
                    new double[steps * Hidden], new double[steps * Hidden] });
        }
        long few = Overhead(1000), many = Overhead(10_000);
        Assert.True(Math.Abs(many - few) <= 256, $"1,000 steps: {few} bytes beyond the traces; 10,000 steps: {many}");
    }

    [Fact]
    public void A_function_of_scan_gradients_prints()
    {
        var (W, X, h0, h) = Rnn();
        var f = Tensor.Function([W, X, h0], Tensor.Grad(Tensor.Sum(h), W));
        Assert.Contains("grad(W)", f.DebugPrint());
        Assert.Contains("grad(W)", f.ToDot());
    }

    [Fact]
    public void Repeated_and_concurrent_calls_of_one_gradient_function_agree()
    {
        // The plan is compiled once and shared; every call has its own carries, cotangent buffers and gradients.
        var (W, X, h0, h) = Rnn(truncate: 3);
        var f = Tensor.Function([W, X, h0], Tensor.Grad(Tensor.Sum(h * h), W, X, h0));
        var random = new Random(5);
        Mat<double> Matrix(int rows, int columns) => new(Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() - 0.5).ToArray(), rows, columns);
        var calls = Enumerable.Range(0, 16).Select(i => new object[] { Matrix(3, 3), Matrix(2 + i % 5, 3), new Vec<double>(Matrix(1, 3).Span.ToArray()) }).ToArray();
        double[] Flat(object[] results) => results.SelectMany(r => r switch { Mat<double> m => m.Span.ToArray(), Vec<double> v => v.ToArray(), _ => throw new InvalidOperationException() }).ToArray();
        var sequential = calls.Select(a => Flat(f.Invoke(a))).ToArray();
        var again = calls.Select(a => Flat(f.Invoke(a))).ToArray();
        var concurrent = new double[calls.Length][];
        System.Threading.Tasks.Parallel.For(0, calls.Length, i => concurrent[i] = Flat(f.Invoke(calls[i])));
        for (int i = 0; i < calls.Length; i++)
        {
            Assert.Equal(sequential[i], again[i]);
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }
}
