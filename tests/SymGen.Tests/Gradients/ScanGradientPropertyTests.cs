using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// Tensor.Grad through run-time scans against central finite differences of the interpreted forward pass, on random
/// inputs (CsCheck): float64 within 1e-6 relative, for every scan feature the reference's gradient has; truncated
/// gradients against the differences of the last k steps alone (earlier values held fixed); float32 against float64.
/// </summary>
public class ScanGradientPropertyTests
{
    private const double Relative = 1e-6;
    private const double Step = 1e-5;

    /// <summary>An argument: a double scalar, vector or matrix (row-major), or a shared variable holding one.</summary>
    private sealed record Arg(double[] Data, int[] Shape, bool Shared = false, string Name = "", bool Integer = false)
    {
        public object Value(ElementKind kind)
        {
            if (Integer) return (int)Data[0];
            object value = kind == ElementKind.Float32 ? Of(Data.Select(d => (float)d).ToArray()) : Of(Data.ToArray());
            // A fresh shared variable each call: calls write the scans' updates back.
            return !Shared ? value : value switch
            {
                double d => new Shared<double>(Name, d),
                Vec<double> v => new Shared<Vec<double>>(Name, v),
                Mat<double> m => new Shared<Mat<double>>(Name, m),
                float f => new Shared<float>(Name, f),
                Vec<float> v => new Shared<Vec<float>>(Name, v),
                Mat<float> m => new Shared<Mat<float>>(Name, m),
                _ => throw new InvalidOperationException(),
            };
        }

        private object Of<T>(T[] data) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Shape.Length switch
        {
            0 => data[0],
            1 => new Vec<T>(data),
            _ => new Mat<T>(data, Shape[0], Shape[1]),
        };

        public Arg With(int element, double delta)
        {
            var data = Data.ToArray();
            data[element] += delta;
            return this with { Data = data };
        }
    }

    private static Arg Random(Random random, params int[] shape) =>
        new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextDouble() * 2 - 1).ToArray(), shape);

    private static double[] Flatten(object value) => value switch
    {
        double d => [d],
        float f => [f],
        Vec<double> v => v.ToArray(),
        Mat<double> m => m.Span.ToArray(),
        Vec<float> v => v.ToArray().Select(x => (double)x).ToArray(),
        Mat<float> m => m.Span.ToArray().Select(x => (double)x).ToArray(),
        _ => throw new InvalidOperationException(value.GetType().Name),
    };

    /// <summary>Central differences of <paramref name="cost"/> with respect to every element of argument <paramref name="of"/>.</summary>
    private static double[] FiniteDifferences(Function cost, Arg[] args, int of)
    {
        double Cost(Arg[] a) => (double)cost.Invoke(a.Select(x => x.Value(ElementKind.Float64)).ToArray())[0];
        return Enumerable.Range(0, args[of].Data.Length).Select(e =>
        {
            var plus = args.ToArray(); plus[of] = args[of].With(e, Step);
            var minus = args.ToArray(); minus[of] = args[of].With(e, -Step);
            return (Cost(plus) - Cost(minus)) / (2 * Step);
        }).ToArray();
    }

    private static void Near(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int e = 0; e < expected.Length; e++)
            Assert.True(Math.Abs(expected[e] - actual[e]) <= relative * scale, $"{what}[{e}]: {actual[e]}, expected {expected[e]}");
    }

    /// <summary>A cost of a scan's inputs, and which inputs its gradient is taken with respect to.</summary>
    private sealed record Case(InputVariable[] Inputs, Variable Cost, int[] Wrt, Variable? Trace = null);

    /// <summary>The gradient of the case's cost with respect to each of its wrt inputs, as the interpreter computes it.</summary>
    private static double[][] Gradients(Case c, Arg[] args, ElementKind kind)
    {
        var grads = Tensor.Grad(c.Cost, c.Wrt.Select(i => (Variable)c.Inputs[i]).ToArray());
        return Tensor.Function(c.Inputs, grads).Invoke(args.Select(a => a.Value(kind)).ToArray()).Select(Flatten).ToArray();
    }

    private static void MatchesFiniteDifferences(Case c, Arg[] args)
    {
        var gradients = Gradients(c, args, ElementKind.Float64);
        var cost = Tensor.Function(c.Inputs, [c.Cost]);
        for (int k = 0; k < c.Wrt.Length; k++)
            Near(FiniteDifferences(cost, args, c.Wrt[k]), gradients[k], Relative, $"d/d{c.Inputs[c.Wrt[k]]}");
    }

    private static TensorType Type(ElementKind kind, int rank) => new(kind, rank);

    /// <summary>Random inputs: a number of steps and a seed for the values.</summary>
    private static readonly Gen<(int Steps, int Seed)> Inputs = Gen.Select(Gen.Int[0, 7], Gen.Int);

    /// <summary>The edge cases (no step, one step) first, then random ones.</summary>
    private static void Sample(Action<(int Steps, int Seed)> check)
    {
        check((0, 1));
        check((1, 2));
        Inputs.Sample(check, iter: 6, threads: 1);
    }

    // ---- Sequence taps on both sides, output taps [-3, -1] ---------------------------------------------------------

    private static Case TapsOnBothSides(ElementKind kind)
    {
        var x = Tensor.Input("x", Type(kind, 1));
        var y0 = Tensor.Input("y0", Type(kind, 1));
        var w = Tensor.Input("w", Type(kind, 0));
        var r = Tensor.Input("r", Type(kind, 1));
        // p: x[t-2], x[t], x[t+1], y[t-3], y[t-1], w
        var y = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(p[5] * p[4] + 0.5 * p[3] * p[0]) + p[2] * p[1]),
            sequences: [new ScanSequence(x, [-2, 0, 1])], outputs: [new ScanOutputInfo(y0, [-3, -1])], nonSequences: [w])[0];
        return new Case([x, y0, w, r], Tensor.Sum(y * r), [0, 1, 2]);
    }

    private static Arg[] TapsOnBothSidesArgs((int Steps, int Seed) input)
    {
        var random = new Random(input.Seed);
        return [Random(random, input.Steps + 3), Random(random, 3), Random(random), Random(random, input.Steps)];
    }

    [Fact]
    public void Sequence_taps_on_both_sides_and_output_taps_of_depth_three_match_finite_differences() =>
        Sample(input => MatchesFiniteDifferences(TapsOnBothSides(ElementKind.Float64), TapsOnBothSidesArgs(input)));

    // ---- go_backwards, and n_steps shorter than the sequence ----------------------------------------------------------

    private static Case Backwards(bool givenSteps)
    {
        var x = Tensor.Vector("x");
        var h0 = Tensor.Scalar("h0");
        var w = Tensor.Scalar("w");
        var r = Tensor.Vector("r");
        var n = Tensor.Input("n", Type(ElementKind.Int32, 0));
        // p: x[t-1], x[t], h[t-1], w
        var h = Tensor.Scan(p => ScanStep.Of(Tensor.Apply(Op.Sin, p[2] + p[3] * p[0]) * p[1] + p[0]),
            sequences: [new ScanSequence(x, [-1, 0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [w],
            steps: givenSteps ? n : null, goBackwards: true)[0];
        return new Case([x, h0, w, r, n], Tensor.Sum(h * r), [0, 1, 2]);
    }

    private static Arg[] BackwardsArgs((int Steps, int Seed) input, int extraRows)
    {
        var random = new Random(input.Seed);
        return [Random(random, input.Steps + 1 + extraRows), Random(random), Random(random), Random(random, input.Steps), new([input.Steps], [], Integer: true)];
    }

    [Fact]
    public void Go_backwards_matches_finite_differences_in_the_original_row_order() =>
        Sample(input => MatchesFiniteDifferences(Backwards(givenSteps: false), BackwardsArgs(input, 0)));

    [Fact]
    public void Fewer_steps_than_the_sequence_has_rows_give_its_unread_rows_zero_gradient() =>
        Sample(input =>
        {
            var args = BackwardsArgs(input, 3);
            MatchesFiniteDifferences(Backwards(givenSteps: true), args);
            // Backwards over the last steps+1 rows: the first three are never read.
            var dx = Gradients(Backwards(givenSteps: true), args, ElementKind.Float64)[0];
            Assert.All(dx.Take(3), d => Assert.Equal(0.0, d));
        });

    // ---- until ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Until_differentiates_only_the_executed_steps_and_pads_the_rest_with_zeros() =>
        Sample(input =>
        {
            var x = Tensor.Vector("x");
            var stop = Tensor.Vector("stop");
            var s0 = Tensor.Scalar("s0");
            var w = Tensor.Scalar("w");
            // p: x[t], stop[t], s[t-1], w; stops after the first step whose stop value exceeds 0.5.
            var s = Tensor.Scan(p => ScanStep.Stop(Tensor.Greater(p[1], Tensor.Constant(0.5)), Tensor.Tanh(p[2] * p[3] + p[0])),
                sequences: [new ScanSequence(x, [0]), new ScanSequence(stop, [0])], outputs: [ScanOutputInfo.Recurrent(s0)], nonSequences: [w])[0];
            var c = new Case([x, stop, s0, w], Tensor.Sum(s * s) + Tensor.Sum(s), [0, 2, 3]);
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps), Random(random, input.Steps), Random(random), Random(random) };
            MatchesFiniteDifferences(c, args);
            int executed = Array.FindIndex(args[1].Data, v => v > 0.5) is var i and >= 0 ? i + 1 : input.Steps;
            Assert.All(Gradients(c, args, ElementKind.Float64)[0].Skip(executed), d => Assert.Equal(0.0, d));
        });

    // ---- truncate_gradient --------------------------------------------------------------------------------------------

    /// <summary>h_t = tanh(W h_{t-1} + x_t), cost = sum(h * R).</summary>
    private static Case Rnn(ElementKind kind, int truncate, bool backwards)
    {
        var X = Tensor.Input("X", Type(kind, 2));
        var h0 = Tensor.Input("h0", Type(kind, 1));
        var W = Tensor.Input("W", Type(kind, 2));
        var R = Tensor.Input("R", Type(kind, 2));
        var h = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(Tensor.Dot(p[2], p[1]) + p[0])),
            sequences: [new ScanSequence(X, [0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [W],
            truncateGradient: truncate, goBackwards: backwards)[0];
        return new Case([X, h0, W, R], Tensor.Sum(h * R), [0, 1, 2], h);
    }

    private static Arg[] RnnArgs((int Steps, int Seed) input, int size = 3)
    {
        var random = new Random(input.Seed);
        return [Random(random, input.Steps, size), Random(random, size), Random(random, size, size), Random(random, input.Steps, size)];
    }

    private static Arg Rows(Arg matrix, int from, int count) =>
        new(matrix.Data.Skip(from * matrix.Shape[1]).Take(count * matrix.Shape[1]).ToArray(), [count, matrix.Shape[1]]);

    /// <summary>
    /// The reference's truncate_gradient = k: the gradient of the last k steps alone, the state before them held fixed,
    /// loss terms of earlier steps dropped; earlier rows and the initial state get exactly 0 unless k >= T. With
    /// go_backwards the last k steps read the first k rows.
    /// </summary>
    private static void TruncatedMatchesTheLastSteps(int steps, int seed, int truncate, bool backwards)
    {
        var args = RnnArgs((steps, seed));
        var gradients = Gradients(Rnn(ElementKind.Float64, truncate, backwards), args, ElementKind.Float64);
        int k = Math.Min(truncate, steps), first = steps - k;
        var full = Rnn(ElementKind.Float64, -1, backwards);
        var h = (Mat<double>)Tensor.Function(full.Inputs, [full.Trace!]).Invoke(args.Select(a => a.Value(ElementKind.Float64)).ToArray())[0];
        // The last k steps alone: from the state before them, over the rows they read, the loss of their outputs.
        var start = first == 0 ? args[1] : new Arg(h.Span.Slice((first - 1) * 3, 3).ToArray(), [3]);
        int fromRow = backwards ? 0 : first;
        var tail = new[] { Rows(args[0], fromRow, k), start, args[2], Rows(args[3], first, k) };
        var tailCost = Tensor.Function(full.Inputs, [full.Cost]);
        var dTailX = FiniteDifferences(tailCost, tail, 0);
        var expectedX = new double[args[0].Data.Length];
        Array.Copy(dTailX, 0, expectedX, fromRow * 3, dTailX.Length);
        Near(expectedX, gradients[0], Relative, "dX");
        Near(first == 0 ? FiniteDifferences(tailCost, tail, 1) : new double[3], gradients[1], Relative, "dh0");
        Near(FiniteDifferences(tailCost, tail, 2), gradients[2], Relative, "dW");
    }

    [Fact]
    public void Truncation_to_one_step_differentiates_only_the_last_step() =>
        Sample(input => TruncatedMatchesTheLastSteps(input.Steps, input.Seed, 1, backwards: false));

    [Fact]
    public void Truncation_to_k_steps_differentiates_only_the_last_k() =>
        Sample(input => TruncatedMatchesTheLastSteps(input.Steps, input.Seed, 3, backwards: false));

    [Fact]
    public void Truncation_with_go_backwards_differentiates_the_first_k_rows() =>
        Sample(input => TruncatedMatchesTheLastSteps(input.Steps, input.Seed, 2, backwards: true));

    [Fact]
    public void Full_gradient_of_an_rnn_matches_finite_differences() =>
        Sample(input => MatchesFiniteDifferences(Rnn(ElementKind.Float64, -1, false), RnnArgs(input)));

    // ---- map outputs, shared reads, matrix states, several outputs ------------------------------------------------------

    [Fact]
    public void Map_outputs_of_two_sequences_match_finite_differences() =>
        Sample(input =>
        {
            var x = Tensor.Vector("x");
            var u = Tensor.Matrix("u");
            var w = Tensor.Vector("w");
            var r = Tensor.Vector("r");
            var R = Tensor.Matrix("R");
            // p: x[t], u[t], w: a scalar and a vector map output.
            var scan = Tensor.Scan(p => ScanStep.Of(Tensor.Exp(p[0] * Tensor.Dot(p[1], p[2])), Tensor.Sigmoid(p[1] * p[0]) * p[2]),
                sequences: [new ScanSequence(x, [0]), new ScanSequence(u, [0])], nonSequences: [w]);
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps), Random(random, input.Steps, 2), Random(random, 2), Random(random, input.Steps), Random(random, input.Steps, 2) };
            var c = new Case([x, u, w, r, R], Tensor.Sum(scan[0] * r) + Tensor.Sum(scan[1] * R), [0, 1, 2]);
            MatchesFiniteDifferences(c, args);
        });

    [Fact]
    public void Shared_inputs_the_step_reads_get_their_gradient_summed_over_steps_and_updated_ones_none() =>
        Sample(input =>
        {
            var x = Tensor.Matrix("x");
            var h0 = Tensor.Vector("h0");
            var W = Tensor.SharedInput("W", Type(ElementKind.Float64, 2));
            var count = Tensor.SharedInput("count", Type(ElementKind.Float64, 0));
            var R = Tensor.Matrix("R");
            // p: x[t], h[t-1], count (updated: a constant to the gradient), W (read).
            var h = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(Tensor.Dot(p[3], p[1]) * p[2] + p[0]), p[2] + 0.5),
                sequences: [new ScanSequence(x, [0])], outputs: [ScanOutputInfo.Recurrent(h0)], nonSequences: [W], updates: [count])[0];
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps, 2), Random(random, 2), Random(random, 2, 2) with { Shared = true, Name = "W" },
                Random(random) with { Shared = true, Name = "count" }, Random(random, input.Steps, 2) };
            var c = new Case([x, h0, W, count, R], Tensor.Sum(h * R), [0, 1, 2]);
            MatchesFiniteDifferences(c, args);
            // The updated count scales every step, but its gradient does not flow through the update (the reference's rule).
            Assert.All(Gradients(c with { Wrt = [3] }, args, ElementKind.Float64)[0], d => Assert.Equal(0.0, d));
        });

    [Fact]
    public void Matrix_states_match_finite_differences() =>
        Sample(input =>
        {
            var x = Tensor.Vector("x");
            var H0 = Tensor.Matrix("H0");
            var W = Tensor.Matrix("W");
            var B = Tensor.Matrix("B");
            var M = Tensor.Matrix("M");
            var r = Tensor.Vector("r");
            // p: x[t], H[t-1], W, B, M: a matrix state and a scalar map output reading it.
            var scan = Tensor.Scan(p =>
            {
                var H = Tensor.Tanh(Tensor.Dot(p[2], p[1]) + p[3] * p[0]);
                return ScanStep.Of(H, Tensor.Sum(H * p[4]));
            }, sequences: [new ScanSequence(x, [0])], outputs: [ScanOutputInfo.Recurrent(H0), ScanOutputInfo.Map], nonSequences: [W, B, M]);
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps), Random(random, 2, 3), Random(random, 2, 2), Random(random, 2, 3), Random(random, 2, 3), Random(random, input.Steps) };
            MatchesFiniteDifferences(new Case([x, H0, W, B, M, r], Tensor.Sum(scan[1] * r), [0, 1, 2, 3]), args);
        });

    [Fact]
    public void Several_recurrent_and_map_outputs_match_finite_differences() =>
        Sample(input =>
        {
            var x = Tensor.Vector("x");
            var a0 = Tensor.Scalar("a0");
            var b0 = Tensor.Matrix("b0");
            var v = Tensor.Vector("v");
            var (ra, Rb, rm) = (Tensor.Vector("ra"), Tensor.Matrix("Rb"), Tensor.Vector("rm"));
            // p: x[t], a[t-1], b[t-2], b[t-1], v: a scalar and a vector state that read each other, and a map output.
            var scan = Tensor.Scan(p => ScanStep.Of(
                    Tensor.Tanh(p[1] * Tensor.Dot(p[2], p[4]) + p[0]),
                    Tensor.Apply(Op.Sin, p[3] * p[1] + p[2] * p[0]),
                    Tensor.Dot(p[3], p[3]) * p[1]),
                sequences: [new ScanSequence(x, [0])],
                outputs: [ScanOutputInfo.Recurrent(a0), new ScanOutputInfo(b0, [-2, -1]), ScanOutputInfo.Map], nonSequences: [v]);
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps), Random(random), Random(random, 2, 2), Random(random, 2),
                Random(random, input.Steps), Random(random, input.Steps, 2), Random(random, input.Steps) };
            var cost = Tensor.Sum(scan[0] * ra) + Tensor.Sum(scan[1] * Rb) + Tensor.Sum(scan[2] * rm);
            MatchesFiniteDifferences(new Case([x, a0, b0, v, ra, Rb, rm], cost, [0, 1, 2, 3]), args);
        });

    [Fact]
    public void Chained_scans_and_a_weight_used_outside_them_match_finite_differences() =>
        Sample(input =>
        {
            var x = Tensor.Vector("x");
            var v = Tensor.Vector("v");
            var w = Tensor.Scalar("w");
            var r = Tensor.Vector("r");
            // The first scan's trace is the second's sequence; the second's initial state is computed from v; w is
            // read by both steps and by the cost.
            var first = Tensor.Scan(p => ScanStep.Of(Tensor.Tanh(p[1] * p[2] + p[0])),
                sequences: [new ScanSequence(x, [0])], outputs: [ScanOutputInfo.Recurrent(Tensor.Sum(v))], nonSequences: [w], name: "first")[0];
            var second = Tensor.Scan(p => ScanStep.Of(p[2] * p[1] + Tensor.Tanh(p[2]) * p[0] * p[3]),
                sequences: [new ScanSequence(first, [-1, 0])], outputs: [ScanOutputInfo.Recurrent(Tensor.Tanh(v))], nonSequences: [w], name: "second")[0];
            var random = new Random(input.Seed);
            var args = new[] { Random(random, input.Steps + 1), Random(random, 2), Random(random), Random(random, input.Steps) };
            var cost = Tensor.Sum(Tensor.Dot(second, Tensor.Fill(v, w)) * r) + w * Tensor.Sum(first);
            MatchesFiniteDifferences(new Case([x, v, w, r], cost, [0, 1, 2]), args);
        });

    // ---- float32 --------------------------------------------------------------------------------------------------------

    [Fact]
    public void Float32_gradients_are_the_float64_ones_within_float_precision() =>
        Sample(input =>
        {
            var rnn = RnnArgs(input);
            Near(Gradients(Rnn(ElementKind.Float64, -1, false), rnn, ElementKind.Float64).SelectMany(g => g).ToArray(),
                Gradients(Rnn(ElementKind.Float32, -1, false), rnn, ElementKind.Float32).SelectMany(g => g).ToArray(), 1e-4, "rnn");
            var taps = TapsOnBothSidesArgs(input);
            Near(Gradients(TapsOnBothSides(ElementKind.Float64), taps, ElementKind.Float64).SelectMany(g => g).ToArray(),
                Gradients(TapsOnBothSides(ElementKind.Float32), taps, ElementKind.Float32).SelectMany(g => g).ToArray(), 1e-4, "taps");
        });
}
