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
}
