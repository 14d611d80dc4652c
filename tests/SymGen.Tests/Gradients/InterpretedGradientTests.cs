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
}
