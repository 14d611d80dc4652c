using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// The generated gradient and the interpreter's (Tensor.Grad of the scan's generated graph, cost = Σₒ Σ traceₒ ⊙
/// cotangentₒ) give the same numbers for the same inputs: two engines, one set of derivative rules.
/// </summary>
public class EnginesAgreeOnGradientsTests
{
    private static readonly Random Random = new(12);

    private static double[] Values(int n, double scale = 1) => Enumerable.Range(0, n).Select(_ => (Random.NextDouble() - 0.5) * 2 * scale).ToArray();
    private static Mat<double> RandomMat(int rows, int columns, double scale = 1) => new(Values(rows * columns, scale), rows, columns);
    private static Vec<double> RandomVec(int n, double scale = 1) => new(Values(n, scale));

    /// <summary>The interpreter's gradient of Σₒ Σ traceₒ ⊙ cotangentₒ with respect to the inputs at <paramref name="wrt"/>.</summary>
    private static object[] Interpreted(Function scan, object[] inputs, object[] cotangents, params int[] wrt)
    {
        var cotangentInputs = scan.Outputs.Select((o, i) => Tensor.Input($"d{i}", o.Type)).ToArray();
        Variable cost = Tensor.Sum(scan.Outputs[0] * cotangentInputs[0]);
        for (int i = 1; i < scan.Outputs.Count; i++) cost += Tensor.Sum(scan.Outputs[i] * cotangentInputs[i]);
        var gradients = Tensor.Grad(cost, wrt.Select(i => (Variable)scan.Inputs[i]).ToArray());
        return Tensor.Function(scan.Inputs.Concat(cotangentInputs), gradients).Invoke(inputs.Concat(cotangents).ToArray());
    }

    private static double[] Flatten(object value) => value switch
    {
        double d => [d],
        double[] a => a,
        Vec<double> v => v.Span.ToArray(),
        Mat<double> m => m.Span.ToArray(),
        _ => throw new ArgumentException($"Unexpected value {value}"),
    };

    private static void AssertClose(string what, object generated, object interpreted)
    {
        double[] a = Flatten(generated), b = Flatten(interpreted);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * Math.Max(1, Math.Abs(a[i])), $"{what}[{i}]: generated {a[i]:R}, interpreted {b[i]:R}");
    }

    [Fact]
    public void An_Elman_RNN_with_a_map_output_every_parameter_its_initial_state_and_its_sequence()
    {
        const int steps = 7, inputs = 3, hidden = 4, outputs = 2;
        var X = RandomMat(steps, inputs);
        var h0 = RandomVec(hidden, 0.5);
        var (Wx, Wh, b) = (RandomMat(hidden, inputs, 0.6), RandomMat(hidden, hidden, 0.6), RandomVec(hidden, 0.2));
        var (V, c) = (RandomMat(outputs, hidden, 0.6), RandomVec(outputs, 0.2));
        var (dh, dy) = (RandomMat(steps, hidden), RandomMat(steps, outputs));

        GradientScans.ElmanGradient(X, h0, Wx, Wh, b, V, c, dh, dy,
            out var dWx, out var dWh, out var db, out var dV, out var dc, out var dh0, out var dX);
        var interpreted = Interpreted(GradientScans.ElmanGraph, [X, h0, Wx, Wh, b, V, c], [dh, dy], 2, 3, 4, 5, 6, 1, 0);

        object[] generated = [dWx, dWh, db, dV, dc, dh0, dX];
        string[] names = ["dWx", "dWh", "db", "dV", "dc", "dh0", "dX"];
        for (int i = 0; i < names.Length; i++) AssertClose(names[i], generated[i], interpreted[i]);
    }

    [Fact]
    public void A_truncated_RNN_differentiates_the_same_last_steps_in_both_engines()
    {
        const int steps = 6, hidden = 3;
        var (X, h0, W, dH) = (RandomMat(steps, hidden), RandomVec(hidden), RandomMat(hidden, hidden, 0.7), RandomMat(steps, hidden));

        GradientScans.RnnTruncatedGradient(X, h0, W, dH, out var dX, out var dh0, out var dW);
        var interpreted = Interpreted(GradientScans.RnnTruncatedGraph, [X, h0, W], [dH], 0, 1, 2);

        AssertClose("dX", dX, interpreted[0]);
        AssertClose("dh0", dh0, interpreted[1]);
        AssertClose("dW", dW, interpreted[2]);
        Assert.All(Flatten(dh0), v => Assert.Equal(0.0, v));   // 2 of 6 steps: the initial state is not reached
    }

    [Fact]
    public void Sequence_taps_on_both_sides_and_a_two_deep_output()
    {
        const int steps = 9;
        var x = Values(steps + 3);          // taps -1, 0, 2: a span of 3
        var y0 = Values(2, 0.5);
        const double a = 0.8;
        var dTaps = Values(steps);

        GradientFeatureScans.TapsGradient(x, y0, a, dTaps, out var dx, out var dy0, out var da);
        var interpreted = Interpreted(GradientFeatureScans.TapsGraph, [x, y0, a], [dTaps], 0, 1, 2);

        AssertClose("dx", dx, interpreted[0]);
        AssertClose("dy0", dy0, interpreted[1]);
        AssertClose("da", da, interpreted[2]);
    }

    [Fact]
    public void Going_backwards_with_a_tap_ahead()
    {
        const int steps = 8;
        var x = Values(steps + 1);
        const double h0 = 0.3, a = -0.6;
        var dBackwards = Values(steps);

        GradientFeatureScans.BackwardsGradient(x, h0, a, dBackwards, out var dx, out var dh0, out var da);
        var interpreted = Interpreted(GradientFeatureScans.BackwardsGraph, [x, h0, a], [dBackwards], 0, 1, 2);

        AssertClose("dx", dx, interpreted[0]);
        AssertClose("dh0", dh0, interpreted[1]);
        AssertClose("da", da, interpreted[2]);
    }
}
