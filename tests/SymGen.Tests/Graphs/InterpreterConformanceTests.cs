using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using SymGen.Tests.Conformance;
using Xunit;
using static SymGen.Graph.Tensor;

namespace SymGen.Tests.Graphs;

/// <summary>
/// The runtime graph API (the F# path) on its own, evaluated by the interpreter. Every reference case runs through
/// every engine on its generated graph in the conformance suite (ConformanceSuite); here, built by hand, the cases
/// that use what generated graphs do not: the API's named helpers (Convert, Pow, Sum, Prod, Greater,
/// ScanOutputInfo.Recurrent, constants for the step count) and an op applied to a trace outside the scan (poly).
/// </summary>
public class InterpreterConformanceTests
{
    private static readonly ConstantVariable One = Constant(1.0);

    private static ScanSequence Seq(Variable v, params int[] taps) => new(v, taps.Length == 0 ? [0] : taps);

    /// <summary>Each case: the function's inputs (in the order of the reference inputs listed) and outputs.</summary>
    private static (InputVariable[] Inputs, Variable[] Outputs, Func<ReferenceCase, object[]> Arguments) Build(string name)
    {
        static object[] Args(ReferenceCase c, params string[] names) => names.Select(n => Value(c.Inputs[n])).ToArray();
        switch (name)
        {
            case "polynomial_eval":
            {
                var (coef, x) = (Vector("coef"), Scalar("x"));
                var powers = Input("powers", new TensorType(ElementKind.Int64, 1));
                var components = Scan(a => ScanStep.Of(a[0] * Pow(a[2], Convert(a[1], ElementKind.Float64))),
                    [Seq(coef), Seq(powers)], [ScanOutputInfo.Map], [x])[0];
                return ([coef, powers, x], [components, Sum(components)],
                    c => [Value(c.Inputs["coef"]), Enumerable.Range(0, c.CodeInt("arange(")).Select(i => (long)i).ToArray(), Value(c.Inputs["x"])]);
            }
            case "map_two_outputs_no_outputs_info":
            {
                var X = Matrix("X");
                var outs = Scan(a => ScanStep.Of(Sum(a[0]), Prod(a[0])), [Seq(X)]);
                return ([X], [.. outs], c => Args(c, "X"));
            }
            case "until_doubling":
            {
                var h0 = Scalar("h0");
                var out_ = Scan(a => ScanStep.Stop(Greater(2.0 * a[0], Constant(50.0)), 2.0 * a[0]),
                    outputs: [ScanOutputInfo.Recurrent(h0)], steps: Constant(20))[0];
                return ([h0], [out_], c => Args(c, "h0"));
            }
        }
        throw new ArgumentException(name);
    }

    private static object Value(ReferenceArray a) => a.Shape.Length switch
    {
        0 => a.Scalar,
        1 => new Vec<double>(a.Values),
        _ => new Mat<double>(a.Values, a.Shape[0], a.Shape[1]),
    };

    public static TheoryData<string> Cases() => new("polynomial_eval", "map_two_outputs_no_outputs_info", "until_doubling");

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReferenceCaseBuiltWithTheTensorApi(string name)
    {
        var c = ReferenceCases.Get(name);
        var (inputs, outputs, arguments) = Build(name);
        var results = Function(inputs, outputs).Invoke(arguments(c));
        var expected = c.Outputs.Values.ToList();
        Assert.Equal(expected.Count, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            var (shape, values) = results[i] switch
            {
                double d => (Array.Empty<int>(), new[] { d }),
                Vec<double> v => (new[] { v.Length }, v.ToArray()),
                Mat<double> m => (new[] { m.Rows, m.Columns }, m.Span.ToArray()),
                var other => throw new InvalidOperationException(other.GetType().Name),
            };
            Assert.Equal(expected[i].Shape, shape);
            for (int k = 0; k < values.Length; k++)
                Assert.True(Math.Abs(values[k] - expected[i].Values[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i].Values[k])),
                    $"{name} output {i}[{k}] = {values[k]:R}, expected {expected[i].Values[k]:R}");
        }
    }

    [Fact]
    public void MathFunctionsWithoutAVectorKernelAndMixedElementTypes()
    {
        var x = Vector("x");
        var i = Input("i", new TensorType(ElementKind.Int32, 1));
        var results = Function([x, i], [Apply(Op.Sin, x), Apply(Op.Floor, x), x + i, Where(x, x, -x)])
            .Invoke(new double[] { 0.5, -1.5, 0 }, new[] { 1, 2, 3 });
        Assert.Equal(new[] { Math.Sin(0.5), Math.Sin(-1.5), 0 }, ((Vec<double>)results[0]).ToArray());
        Assert.Equal(new[] { 0.0, -2, 0 }, ((Vec<double>)results[1]).ToArray());
        Assert.Equal(new[] { 1.5, 0.5, 3 }, ((Vec<double>)results[2]).ToArray());
        Assert.Equal(new[] { 0.5, -1.5, -0.0 }, ((Vec<double>)results[3]).ToArray());
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        var (x, h0) = (Vector("x"), Scalar("h0"));
        var n = Input("n", new TensorType(ElementKind.Int32, 0));
        var f = Function([x, h0, n], Scan(a => ScanStep.Of(a[1] + a[0]), [Seq(x)], [ScanOutputInfo.Recurrent(h0)], steps: n));
        var tooMany = Assert.Throws<ArgumentException>(() => f.Invoke(new double[] { 1, 2, 3 }, 0.0, 5));
        Assert.Contains("provides 3 step(s), but 'n' asks for 5", tooMany.Message);
        Assert.Equal("x", tooMany.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Invoke(new double[] { 1 }, 0.0, -1));
        var wrongRank = Assert.Throws<ArgumentException>(() => f.Invoke(1.0, 0.0, 1));
        Assert.Contains("'x' must be a float64 vector", wrongRank.Message);
        Assert.Throws<ArgumentException>(() => Scan(a => ScanStep.Of(a[0]), outputs: [ScanOutputInfo.Recurrent(h0)]));
    }
}
