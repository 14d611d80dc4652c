using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SymGen.Tests.Conformance;

/// <summary>
/// Every value case of the reference file within the scan core's scope, run through generated code and compared
/// with PyTensor's numbers (relative error at most 1e-12, shapes equal). The test name shows the case.
/// </summary>
public class ConformanceTests
{
    private delegate IReadOnlyDictionary<string, (int[] Shape, double[] Values)> Run(ReferenceCase c);

    private static (int[], double[]) Trace(double[] values) => ([values.Length], values);
    private static (int[], double[]) Scalar(double value) => ([], [value]);
    private static double[] In(ReferenceCase c, string name) => c.Inputs[name].Values;
    private static (int[], double[]) Rows(Mat<double> m) => ([m.Rows, m.Columns], m.Span.ToArray());
    private static Mat<double> Matrix(ReferenceCase c, string name) =>
        new(c.Inputs[name].Values, c.Inputs[name].Shape[0], c.Inputs[name].Shape[1]);

    /// <summary>How each in-scope case is computed with SymGen.</summary>
    private static readonly Dictionary<string, Run> Runners = new()
    {
        ["cumsum_seed"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.CumSum(In(c, "x"), c.Inputs["h0"].Scalar)),
        },
        ["polynomial_eval"] = c =>
        {
            // sequences=[coef, pt.arange(6)]: the second sequence is arange(6), read from the case's code.
            long[] powers = Enumerable.Range(0, c.CodeInt("arange(")).Select(i => (long)i).ToArray();
            var components = ConformanceScans.PolynomialComponents(In(c, "coef"), powers, c.Inputs["x"].Scalar);
            return new Dictionary<string, (int[], double[])>
            {
                ["components"] = Trace(components),
                ["poly"] = Scalar(components.Sum()),
            };
        },
        ["seq_taps_m3_p2_m1"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.SequenceTaps(In(c, "s"))),
        },
        ["output_taps_m3_m5"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.OutputTaps(In(c, "y0"), c.CodeInt("n_steps="))),
        },
        ["multiple_outputs_mixed"] = c =>
        {
            var (m, h, z) = ConformanceScans.MixedOutputs(In(c, "x"), c.Inputs["h0"].Scalar, In(c, "z0"));
            return new Dictionary<string, (int[], double[])> { ["m"] = Trace(m), ["h"] = Trace(h), ["z"] = Trace(z) };
        },
        ["go_backwards_cumsum"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.CumSumBackwards(In(c, "x"), c.Inputs["h0"].Scalar)),
        },
        ["fibonacci_taps_m2_m1"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.Fibonacci(In(c, "f0"), c.CodeInt("n_steps="))),
        },
        ["n_steps_shorter_than_sequence"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(ConformanceScans.CumSumSteps(In(c, "x"), c.Inputs["h0"].Scalar, c.CodeInt("n_steps="))),
        },
        ["matrix_rows_accumulate"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Rows(TensorConformanceScans.RunningRowSum(Matrix(c, "X"), In(c, "h0"))),
        },
        ["empty_sequence_sit_sot"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Rows(TensorConformanceScans.RunningRowSum(Matrix(c, "X"), In(c, "h0"))),
        },
        ["until_doubling"] = c => new Dictionary<string, (int[], double[])>
        {
            ["out"] = Trace(SharedState.SharedScans.DoubleUntil(c.Inputs["h0"].Scalar, c.CodeInt("n_steps="))),
        },
        ["shared_counter_update"] = c =>
        {
            var counter = new Shared<double>("c", ReferenceCases.SharedInitial(c.Name, "c"));
            var output = SharedState.SharedScans.Counter((long)c.Inputs["n"].Scalar, counter);
            // The updates dict maps c to its value after the last step; SymGen writes it back when the call returns.
            Assert.Equal(ReferenceCases.SharedAfterCall(c.Name, "c"), counter.Value);
            return new Dictionary<string, (int[], double[])> { ["out"] = Trace(output) };
        },
        ["map_two_outputs_no_outputs_info"] = c =>
        {
            var (sum, prod) = TensorConformanceScans.RowSumsAndProducts(Matrix(c, "X"));
            return new Dictionary<string, (int[], double[])> { ["sum"] = Trace(sum), ["prod"] = Trace(prod) };
        },
    };

    /// <summary>
    /// Cases that need later capabilities: gradients. Listed so that a new
    /// case in the reference file fails <see cref="EveryCaseIsRunOrDeferred"/> until it is handled.
    /// </summary>
    private static readonly Dictionary<string, string> Deferred = new()
    {
        ["grad_cumsum"] = "gradients",
        ["grad_rnn_full_bptt"] = "gradients",
        ["grad_rnn_truncate_2"] = "gradients",
        ["elman_rnn_forward_grad"] = "gradients",
    };

    public static IEnumerable<object[]> InScopeCases() => Runners.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(InScopeCases))]
    public void ReferenceCase(string name)
    {
        var c = ReferenceCases.Get(name);
        var actual = Runners[name](c);
        Assert.Equal(c.Outputs.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (output, expected) in c.Outputs)
        {
            var (shape, values) = actual[output];
            Assert.True(expected.Shape.SequenceEqual(shape),
                $"{name}.{output}: shape ({string.Join(",", shape)}), expected ({string.Join(",", expected.Shape)})");
            for (int i = 0; i < values.Length; i++)
            {
                double error = Math.Abs(values[i] - expected.Values[i]) / Math.Max(1e-300, Math.Abs(expected.Values[i]));
                Assert.True(values[i] == expected.Values[i] || error <= 1e-12,
                    $"{name}.{output}[{i}] = {values[i]:R}, expected {expected.Values[i]:R} (relative error {error:E2})");
            }
        }
    }

    /// <summary>The same cases through each scan's generated graph, evaluated by the interpreter.</summary>
    private static readonly Dictionary<string, (SymGen.Graph.Function Graph, Func<ReferenceCase, object[]> Arguments)> Graphs = new()
    {
        ["cumsum_seed"] = (ConformanceScans.CumSumGraph, c => [In(c, "x"), c.Inputs["h0"].Scalar]),
        ["polynomial_eval"] = (ConformanceScans.PolynomialComponentsGraph,
            c => [In(c, "coef"), Enumerable.Range(0, c.CodeInt("arange(")).Select(i => (long)i).ToArray(), c.Inputs["x"].Scalar]),
        ["seq_taps_m3_p2_m1"] = (ConformanceScans.SequenceTapsGraph, c => [In(c, "s")]),
        ["output_taps_m3_m5"] = (ConformanceScans.OutputTapsGraph, c => [In(c, "y0"), c.CodeInt("n_steps=")]),
        ["multiple_outputs_mixed"] = (ConformanceScans.MixedOutputsGraph, c => [In(c, "x"), c.Inputs["h0"].Scalar, In(c, "z0")]),
        ["go_backwards_cumsum"] = (ConformanceScans.CumSumBackwardsGraph, c => [In(c, "x"), c.Inputs["h0"].Scalar]),
        ["fibonacci_taps_m2_m1"] = (ConformanceScans.FibonacciGraph, c => [In(c, "f0"), c.CodeInt("n_steps=")]),
        ["n_steps_shorter_than_sequence"] = (ConformanceScans.CumSumStepsGraph, c => [In(c, "x"), c.Inputs["h0"].Scalar, c.CodeInt("n_steps=")]),
        ["matrix_rows_accumulate"] = (TensorConformanceScans.RunningRowSumGraph, c => [Matrix(c, "X"), new Vec<double>(In(c, "h0"))]),
        ["empty_sequence_sit_sot"] = (TensorConformanceScans.RunningRowSumGraph, c => [Matrix(c, "X"), new Vec<double>(In(c, "h0"))]),
        ["map_two_outputs_no_outputs_info"] = (TensorConformanceScans.RowSumsAndProductsGraph, c => [Matrix(c, "X")]),
        ["until_doubling"] = (SharedState.SharedScans.DoubleUntilGraph, c => [c.Inputs["h0"].Scalar, c.CodeInt("n_steps=")]),
    };

    public static IEnumerable<object[]> GraphCases() => Graphs.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(GraphCases))]
    public void ReferenceCaseThroughTheGeneratedGraph(string name)
    {
        var c = ReferenceCases.Get(name);
        var (graph, arguments) = Graphs[name];
        var results = graph.Invoke(arguments(c));
        var scanOutputs = c.Outputs.Where(o => o.Key != "poly").ToList(); // poly = components.Sum(), outside the scan
        Assert.Equal(scanOutputs.Count, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            var (shape, values) = results[i] switch
            {
                Vec<double> v => (new[] { v.Length }, v.ToArray()),
                Mat<double> m => (new[] { m.Rows, m.Columns }, m.Span.ToArray()),
                var other => throw new InvalidOperationException(other.GetType().Name),
            };
            var expected = scanOutputs[i].Value;
            Assert.Equal(expected.Shape, shape);
            for (int k = 0; k < values.Length; k++)
                Assert.True(Math.Abs(values[k] - expected.Values[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected.Values[k])),
                    $"{name}.{scanOutputs[i].Key}[{k}] = {values[k]:R}, expected {expected.Values[k]:R}");
        }
    }

    [Fact]
    public void EveryCaseIsRunOrDeferred()
    {
        var unhandled = ReferenceCases.Cases.Keys.Where(k => !Runners.ContainsKey(k) && !Deferred.ContainsKey(k)).ToList();
        Assert.True(unhandled.Count == 0, "Reference cases with no SymGen test: " + string.Join(", ", unhandled));
    }
}
