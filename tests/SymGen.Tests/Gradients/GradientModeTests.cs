using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Tests.Conformance;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>A scan whose backward pass meets a NaN/infinity its forward pass does not: d sqrt(u)/du at u = 0.</summary>
public static partial class GradientModeScans
{
    internal static double RootStep(double x, double h) => Math.Sqrt(h + x);

    [Symbolic(nameof(RootStep))]
    public static partial double[] Roots([Sequence] double[] x, [Initial] double h0);

    [Gradient(nameof(Roots))]
    public static partial void RootsGradient(double[] x, double h0, double[] dRoots, out double[] dx, out double dh0);
}

/// <summary>
/// [Gradient] methods under a debugging mode (ScanMode.Current): the interpreter's Tensor.Grad on the scan's graph,
/// with the mode's hooks, NaN guard and profile; results those of the generated loops within tolerance.
/// </summary>
public sealed class GradientModeTests
{
    private static Mat<double> Matrix(ReferenceArray a) => new(a.Values.ToArray(), a.Shape[0], a.Shape[1]);
    private static Vec<double> Vector(ReferenceArray a) => new(a.Values.ToArray());

    private static double[] Values(int n, double scale = 0.4) => Enumerable.Range(0, n).Select(i => scale * Math.Sin(1.3 * i + 0.7)).ToArray();

    private static void Close(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance = 1e-12)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}] = {actual[i]:R} under the mode, {expected[i]:R} on the fast path");
    }

    private static (Mat<double> X, Vec<double> h0, Mat<double> W, Mat<double> ones, ReferenceCase c) Rnn()
    {
        var c = ReferenceCases.Get("grad_rnn_full_bptt");
        var (X, h0, W) = (Matrix(c.Inputs["X"]), Vector(c.Inputs["h0"]), Matrix(c.Inputs["W"]));
        return (X, h0, W, new Mat<double>(Enumerable.Repeat(1.0, X.Rows * h0.Length).ToArray(), X.Rows, h0.Length), c);
    }

    [Fact]
    public void An_rnn_gradient_under_Monitor_equals_the_fast_path_and_the_reference_and_reports_both_passes()
    {
        var (X, h0, W, ones, c) = Rnn();
        var h = GradientScans.RnnGradient(X, h0, W, ones, out var dX, out var dh0, out var dW);

        var events = new List<(int Step, string? Scan, Graph.Op Op)>();
        Mat<double> hm, dXm, dWm;
        Vec<double> dh0m;
        using (ScanMode.Use(ScanMode.Monitor(after: (in NodeEvent e) => events.Add((e.Step, e.Node.Scan, e.Node.Op)))))
            hm = GradientScans.RnnGradient(X, h0, W, ones, out dXm, out dh0m, out dWm);

        Close("h", h.Span, hm.Span);
        Close("dX", dX.Span, dXm.Span);
        Close("dh0", dh0.Span, dh0m.Span);
        Close("dW", dW.Span, dWm.Span);
        GeneratedGradientTests.Near(c.Outputs["d_cost_d_W"], dWm.Span, "d_cost_d_W under Monitor");
        GeneratedGradientTests.Near(c.Outputs["d_cost_d_h0"], dh0m.Span, "d_cost_d_h0 under Monitor");

        // The forward scan's nodes at steps 0..T-1, then the backward pass's at steps T-1 down to 0.
        int T = X.Rows;
        var forward = events.Where(e => e.Scan == "Rnn").Select(e => e.Step).Distinct().ToList();
        var backward = events.Where(e => e.Scan == "Rnn (backward)").Select(e => e.Step).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, T), forward);
        Assert.Equal(Enumerable.Range(0, T).Reverse(), backward);
        Assert.Contains(events, e => e.Scan == "Rnn" && e.Op == Graph.Op.Tanh);
        Assert.True(events.FindLastIndex(e => e.Scan == "Rnn") < events.FindIndex(e => e.Scan == "Rnn (backward)"), "the forward pass runs before the backward pass");
        // Once per node per step: every backward step reports the same number of nodes.
        var perStep = events.Where(e => e.Scan == "Rnn (backward)").GroupBy(e => e.Step).Select(g => g.Count()).Distinct().ToList();
        Assert.Single(perStep);
    }

    [Fact]
    public void After_the_scope_ends_the_gradient_takes_its_fast_path_again()
    {
        var (X, h0, W, ones, _) = Rnn();
        int calls = 0;
        var mode = ScanMode.Monitor(after: (in NodeEvent e) => calls++);
        using (ScanMode.Use(mode)) { }
        GradientScans.RnnGradient(X, h0, W, ones, out _, out _, out _);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void NanGuard_names_the_backward_node_and_step_where_the_gradient_becomes_infinite()
    {
        double[] x = [0.0, 0.25, 0.5], w = [1.0, 1.0, 1.0];
        // The fast path computes it without complaint (d sqrt at 0 is infinite) ...
        GradientModeScans.RootsGradient(x, 0.0, w, out var dx, out _);
        Assert.False(double.IsFinite(dx[0]));

        // ... the NaN guard stops at the backward node that produced it, at step 0 (the last the backward pass runs).
        ScanModeException error;
        using (ScanMode.Use(ScanMode.NanGuard()))
            error = Assert.Throws<ScanModeException>(() => GradientModeScans.RootsGradient(x, 0.0, w, out _, out _));
        Assert.Equal("Roots (backward)", error.Node.Scan);
        Assert.Equal(0, error.Step);
        Console.WriteLine(error.Message);
        Assert.Equal(Graph.Op.Divide, error.Node.Op); // d sqrt(u) = dy / (2 y), at y = 0
        Assert.Contains(error.Node.ToString(), error.Message);
        Assert.Contains("at step 0 of scan 'Roots (backward)'", error.Message);
        Assert.Contains("Infinity", error.Message);
        // The forward pass was finite: no forward node is named.
        Assert.NotEqual("Roots", error.Node.Scan);
    }

    [Fact]
    public void Profile_times_the_gradient_forward_and_backward()
    {
        double[] x = [0.5, 0.25, 1.0, 2.0], w = [1.0, -1.0, 0.5, 2.0];
        GradientModeScans.RootsGradient(x, 1.0, w, out var dx, out var dh0);
        var mode = ScanMode.Profile();
        double[] dxm;
        double dh0m;
        using (ScanMode.Use(mode))
            GradientModeScans.RootsGradient(x, 1.0, w, out dxm, out dh0m);
        Close("dx", dx, dxm);
        Close("dh0", [dh0], [dh0m]);
        var report = mode.ProfileReport!;
        // Every node of both passes is timed, once per step (4 steps forward, 4 back).
        var backward = report.Nodes.Where(n => n.Node.Scan == "Roots (backward)").ToList();
        var forward = report.Nodes.Where(n => n.Node.Scan == "Roots").ToList();
        Assert.NotEmpty(backward);
        Assert.NotEmpty(forward);
        Assert.All(backward, n => Assert.Equal(4, n.Calls));
        Assert.All(forward, n => Assert.Equal(4, n.Calls));
        Assert.Contains("(scan 'Roots (backward)')", report.ToString());
    }

    [Fact]
    public void Feature_scans_under_a_mode_equal_the_fast_path()
    {
        var mode = ScanMode.Monitor(after: (in NodeEvent e) => { });

        // Taps on both sides of t and a two-deep output.
        var (x, y0, dTaps) = (Values(12), Values(2, 0.5), Values(9));
        GradientFeatureScans.TapsGradient(x, y0, 0.8, dTaps, out var dx, out var dy0, out var da);
        using (ScanMode.Use(mode))
        {
            GradientFeatureScans.TapsGradient(x, y0, 0.8, dTaps, out var dxm, out var dy0m, out var dam);
            Close("taps dx", dx, dxm); Close("taps dy0", dy0, dy0m); Close("taps da", [da], [dam]);
        }

        // go_backwards with a tap ahead.
        var (xb, db) = (Values(9), Values(8));
        GradientFeatureScans.BackwardsGradient(xb, 0.3, -0.6, db, out var dxb, out var dh0b, out var dab);
        using (ScanMode.Use(mode))
        {
            GradientFeatureScans.BackwardsGradient(xb, 0.3, -0.6, db, out var dxbm, out var dh0bm, out var dabm);
            Close("backwards dx", dxb, dxbm); Close("backwards dh0", [dh0b], [dh0bm]); Close("backwards da", [dab], [dabm]);
        }

        // until: the loop stops early; the trace is returned too.
        var (xu, stop, wu) = (Values(8), new[] { 0, 0, 0, 1, 0, 0, 0, 0 }, Values(4));
        var trace = GradientFeatureScans.WhileLoopGradient(xu, stop, 0.2, 0.9, wu, out var dxu, out var dh0u, out var dau);
        using (ScanMode.Use(mode))
        {
            var tracem = GradientFeatureScans.WhileLoopGradient(xu, stop, 0.2, 0.9, wu, out var dxum, out var dh0um, out var daum);
            Close("until trace", trace, tracem); Close("until dx", dxu, dxum); Close("until dh0", [dh0u], [dh0um]); Close("until da", [dau], [daum]);
        }

        // A matrix state and a shared vector read by every step.
        var (xs, S0, A) = (Values(5), new Mat<double>(Values(6), 2, 3), new Mat<double>(Values(4, 0.6), 2, 2));
        var v = new Shared<Vec<double>>("v", new Vec<double>(Values(3, 0.2)));
        var dS = new Tensor3<double>(Values(30), 5, 2, 3);
        GradientFeatureScans.MatrixStateGradient(xs, S0, A, v, dS, out var dxs, out var dS0, out var dA, out var dv);
        using (ScanMode.Use(mode))
        {
            GradientFeatureScans.MatrixStateGradient(xs, S0, A, v, dS, out var dxsm, out var dS0m, out var dAm, out var dvm);
            Close("matrix dx", dxs, dxsm); Close("matrix dS0", dS0.Span, dS0m.Span); Close("matrix dA", dA.Span, dAm.Span); Close("matrix dv", dv.Span, dvm.Span);
        }
    }

    [Fact]
    public void Debug_and_a_checkpointed_gradient_under_a_mode_equal_the_fast_path()
    {
        // Debug: every node of both passes checked against an independent evaluation of its op; a correct gradient passes.
        var (X, h0, W, ones, _) = Rnn();
        GradientScans.RnnGradient(X, h0, W, ones, out var dX, out var dh0, out var dW);
        using (ScanMode.Use(ScanMode.Debug()))
        {
            GradientScans.RnnGradient(X, h0, W, ones, out var dXm, out var dh0m, out var dWm);
            Close("debug dX", dX.Span, dXm.Span); Close("debug dh0", dh0.Span, dh0m.Span); Close("debug dW", dW.Span, dWm.Span);
        }

        // A default cotangent (dh: default) means zero, as on the fast path.
        var Xe = new Mat<double>(Values(12), 4, 3);
        var h0e = new Vec<double>(Values(2));
        Mat<double> Wx = new(Values(6), 2, 3), Wh = new(Values(4), 2, 2), V = new(Values(2), 1, 2), dy = new(Values(4), 4, 1);
        Vec<double> b = new(Values(2)), c = new(Values(1));
        GradientScans.ElmanGradient(Xe, h0e, Wx, Wh, b, V, c, default, dy, out var dWx, out _, out _, out var dV, out _, out var dh0e, out _);
        using (ScanMode.Use(ScanMode.NanGuard()))
        {
            GradientScans.ElmanGradient(Xe, h0e, Wx, Wh, b, V, c, default, dy, out var dWxm, out _, out _, out var dVm, out _, out var dh0em, out _);
            Close("elman dWx", dWx.Span, dWxm.Span); Close("elman dV", dV.Span, dVm.Span); Close("elman dh0", dh0e.Span, dh0em.Span);
        }

        // Checkpoint = 2: the interpreter stores every state; the numbers are the same.
        var (x, dBackwards) = (Values(9), Values(8));
        GradientFeatureScans.BackwardsCheckpointed(x, 0.3, -0.6, dBackwards, out var dx, out var dh, out var da);
        int calls = 0;
        using (ScanMode.Use(ScanMode.Monitor(after: (in NodeEvent e) => calls++)))
        {
            GradientFeatureScans.BackwardsCheckpointed(x, 0.3, -0.6, dBackwards, out var dxm, out var dhm, out var dam);
            Close("checkpointed dx", dx, dxm); Close("checkpointed dh0", [dh], [dhm]); Close("checkpointed da", [da], [dam]);
        }
        Assert.True(calls > 0, "the checkpointed gradient ran in the interpreter");
    }

    [Fact]
    public void Gradients_the_interpreter_does_not_take_over_run_their_generated_loops_under_a_mode()
    {
        // A scan that updates a shared variable: the graph would write it back, so the generated loops run (no hook).
        int calls = 0;
        var mode = ScanMode.Monitor(after: (in NodeEvent e) => calls++);
        var (x, w) = (Values(6), Values(6));
        var total = new Shared<double>("total", 0.5);
        GradientFeatureScans.CountedGradient(x, 0.1, total, 0.7, w, out var dx, out var dh0, out var da);
        double[] dxm;
        double dh0m, dam;
        using (ScanMode.Use(mode))
            GradientFeatureScans.CountedGradient(x, 0.1, total, 0.7, w, out dxm, out dh0m, out dam);
        Assert.Equal(0, calls);
        Assert.Equal(0.5, total.Value);
        Assert.Equal(dx, dxm); Assert.Equal(dh0, dh0m); Assert.Equal(da, dam);

        // A cotangent given as a function of the trace: the generated loops too.
        var Xe = new Mat<double>(Values(12), 4, 3);
        var h0e = new Vec<double>(Values(2));
        Mat<double> Wx = new(Values(6), 2, 3), Wh = new(Values(4), 2, 2), V = new(Values(2), 1, 2);
        Vec<double> b = new(Values(2)), c = new(Values(1));
        using (ScanMode.Use(mode))
            GradientScans.ElmanTrain(Xe, h0e, Wx, Wh, b, V, c, default, y => y, out _, out _, out _, out _, out _, out _, out _);
        Assert.Equal(0, calls);
    }
}
