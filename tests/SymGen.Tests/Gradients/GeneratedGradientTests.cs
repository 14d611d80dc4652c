using System;
using System.Linq;
using SymGen.Tests.Conformance;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>The reference's gradient cases through the generated gradients (relative error at most 1e-9).</summary>
public sealed class GeneratedGradientTests
{
    private const double Tolerance = 1e-9;

    private static Mat<double> Matrix(ReferenceArray a) => new(a.Values.ToArray(), a.Shape[0], a.Shape[1]);
    private static Vec<double> Vector(ReferenceArray a) => new(a.Values.ToArray());

    internal static void Near(ReferenceArray expected, ReadOnlySpan<double> actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.Values.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Values.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected.Values[i], error = Math.Abs(actual[i] - e) / Math.Max(1, Math.Abs(e));
            Assert.True(error <= tolerance, $"{what}[{i}] = {actual[i]:R}, expected {e:R} (relative error {error:E2})");
        }
    }

    [Fact]
    public void grad_cumsum()
    {
        var c = ReferenceCases.Get("grad_cumsum");
        var x = c.Inputs["x"].Values.ToArray();
        // cost = sum(w * h): its cotangent of h is w.
        GradientScans.CumSumGradient(x, c.Inputs["h0"].Scalar, c.Inputs["w"].Values.ToArray(), out var dx, out var dh0);
        Near(c.Outputs["d_cost_d_x"], dx, "d_cost_d_x");
        Near(c.Outputs["d_cost_d_h0"], [dh0], "d_cost_d_h0");
    }

    [Fact]
    public void grad_rnn_full_bptt()
    {
        var c = ReferenceCases.Get("grad_rnn_full_bptt");
        var (X, h0, W) = (Matrix(c.Inputs["X"]), Vector(c.Inputs["h0"]), Matrix(c.Inputs["W"]));
        // cost = sum(h): a cotangent of ones; the gradient returns the forward trace too.
        var ones = new Mat<double>(Enumerable.Repeat(1.0, X.Rows * h0.Length).ToArray(), X.Rows, h0.Length);
        var h = GradientScans.RnnGradient(X, h0, W, ones, out var dX, out var dh0, out var dW);
        Near(c.Outputs["h"], h.Span, "h");
        Near(c.Outputs["d_cost_d_W"], dW.Span, "d_cost_d_W");
        Near(c.Outputs["d_cost_d_X"], dX.Span, "d_cost_d_X");
        Near(c.Outputs["d_cost_d_h0"], dh0.Span, "d_cost_d_h0");
    }

    [Fact]
    public void grad_rnn_truncate_2()
    {
        var c = ReferenceCases.Get("grad_rnn_truncate_2");
        var (X, h0, W) = (Matrix(c.Inputs["X"]), Vector(c.Inputs["h0"]), Matrix(c.Inputs["W"]));
        var ones = new Mat<double>(Enumerable.Repeat(1.0, X.Rows * h0.Length).ToArray(), X.Rows, h0.Length);
        GradientScans.RnnTruncatedGradient(X, h0, W, ones, out var dX, out var dh0, out var dW);
        Near(c.Outputs["d_cost_d_W"], dW.Span, "d_cost_d_W");
        Near(c.Outputs["d_cost_d_X"], dX.Span, "d_cost_d_X");
        Near(c.Outputs["d_cost_d_h0"], dh0.Span, "d_cost_d_h0");
    }

    [Fact]
    public void elman_rnn_forward_grad()
    {
        var c = ReferenceCases.Get("elman_rnn_forward_grad");
        var (X, h0, Y) = (Matrix(c.Inputs["X"]), Vector(c.Inputs["h0"]), Matrix(c.Inputs["Y"]));
        var (Wx, Wh, b, V, cv) = (Matrix(c.Inputs["Wx"]), Matrix(c.Inputs["Wh"]), Vector(c.Inputs["b"]), Matrix(c.Inputs["V"]), Vector(c.Inputs["c"]));
        // loss = sum((y - Y)^2) needs y: forward first (the scan itself), then the gradient with dy = 2 (y - Y).
        var (_, y) = GradientScans.Elman(X, h0, Wx, Wh, b, V, cv);
        var dy = y - Y;
        dy = dy * 2.0;
        var (h, y2) = GradientScans.ElmanGradient(X, h0, Wx, Wh, b, V, cv, default, dy,
            out var dWx, out var dWh, out var db, out var dV, out var dc, out var dh0, out var dX);
        Near(c.Outputs["h"], h.Span, "h");
        Near(c.Outputs["y"], y2.Span, "y");
        Near(c.Outputs["d_loss_d_Wx"], dWx.Span, "d_loss_d_Wx");
        Near(c.Outputs["d_loss_d_Wh"], dWh.Span, "d_loss_d_Wh");
        Near(c.Outputs["d_loss_d_b"], db.Span, "d_loss_d_b");
        Near(c.Outputs["d_loss_d_V"], dV.Span, "d_loss_d_V");
        Near(c.Outputs["d_loss_d_c"], dc.Span, "d_loss_d_c");
        Near(c.Outputs["d_loss_d_h0"], dh0.Span, "d_loss_d_h0");
        Near(c.Outputs["d_loss_d_X"], dX.Span, "d_loss_d_X");
    }

    [Fact]
    public void elman_rnn_forward_grad_in_one_call_with_a_cotangent_function_of_the_trace()
    {
        var c = ReferenceCases.Get("elman_rnn_forward_grad");
        var (X, h0, Y) = (Matrix(c.Inputs["X"]), Vector(c.Inputs["h0"]), Matrix(c.Inputs["Y"]));
        var (Wx, Wh, b, V, cv) = (Matrix(c.Inputs["Wx"]), Matrix(c.Inputs["Wh"]), Vector(c.Inputs["b"]), Matrix(c.Inputs["V"]), Vector(c.Inputs["c"]));
        int calls = 0;
        var (h, y) = GradientScans.ElmanTrain(X, h0, Wx, Wh, b, V, cv, default, y => { calls++; return (y - Y) * 2.0; },
            out var dWx, out var dWh, out var db, out var dV, out var dc, out var dh0, out var dX);
        Assert.Equal(1, calls);
        Near(c.Outputs["h"], h.Span, "h");
        Near(c.Outputs["y"], y.Span, "y");
        Near(c.Outputs["d_loss_d_Wx"], dWx.Span, "d_loss_d_Wx");
        Near(c.Outputs["d_loss_d_Wh"], dWh.Span, "d_loss_d_Wh");
        Near(c.Outputs["d_loss_d_b"], db.Span, "d_loss_d_b");
        Near(c.Outputs["d_loss_d_V"], dV.Span, "d_loss_d_V");
        Near(c.Outputs["d_loss_d_c"], dc.Span, "d_loss_d_c");
        Near(c.Outputs["d_loss_d_h0"], dh0.Span, "d_loss_d_h0");
        Near(c.Outputs["d_loss_d_X"], dX.Span, "d_loss_d_X");
    }

    [Fact]
    public void ACotangentOfTheWrongLengthIsAnArgumentErrorNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientScans.CumSumGradient([1, 2, 3], 0, [1, 2], out _, out _));
        Assert.Equal("dCumSum", error.ParamName);
        Assert.Contains("has 2 element(s), but the trace has 3 row(s) of 1", error.Message);
    }

    [Fact]
    public void AnEmptyCotangentIsZero()
    {
        GradientScans.CumSumGradient([1, 2, 3], 0, null!, out var dx, out var dh0);
        Assert.Equal([0, 0, 0], dx);
        Assert.Equal(0, dh0);
    }
}

/// <summary>A generated gradient allocates its buffers once per call: what it allocates grows with the steps only by its per-step rows.</summary>
public sealed class GradientAllocationTests
{
    private static object? _sink;

    private static long Allocated(Func<object> call)
    {
        _sink = call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        _sink = call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void AnRnnGradientAllocatesNothingPerStepBeyondItsRows()
    {
        const int hidden = 4;
        var W = new Mat<double>(Enumerable.Range(0, hidden * hidden).Select(i => 0.1 * Math.Sin(i)).ToArray(), hidden, hidden);
        var h0 = Vec<double>.Zeros(hidden);
        long Bytes(int steps)
        {
            var X = Mat<double>.Zeros(steps, hidden);
            var dH = Mat<double>.Zeros(steps, hidden);
            return Allocated(() => { GradientScans.RnnGradient(X, h0, W, dH, out var dX, out _, out _); return dX; });
        }
        // Rows per step: the trace, the cotangent carry, dX, the two stored vectors of dW's outer products (hidden
        // doubles each).
        long perStep = 8 * 5 * hidden;
        Assert.Equal(1000 * perStep, Bytes(1100) - Bytes(100));
    }
}
