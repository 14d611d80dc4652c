extern alias runtime;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SymGen.Generator.Planning;
using SymGen.Tests.Graphs;
using Xunit;
using RuntimeOp = runtime::SymGen.Graph.Op;
using RuntimeOpTable = runtime::SymGen.Graph.OpTable;
using NoUlpBound = runtime::SymGen.Graph.OpInfo;

namespace SymGen.Generator.Tests;

/// <summary>
/// Fused loops on vectors (the op table's VectorForm), compiled and run: every op with a vector form, on rows long
/// enough for vectors and a scalar tail, against System.Math element by element within the op's ToleranceUlps, edge
/// values included; a loop with an op without one stays scalar; the scans' results with and without vectors agree.
/// </summary>
public class VectorisedLoopTests
{
    /// <summary>One map scan per op with a vector form: (op, its step's body on x and y, System.Math's and MathF's value).</summary>
    private static readonly (RuntimeOp Op, string Body, Func<double, double, double> Math, Func<float, float, float> MathF)[] Cases =
    [
        (RuntimeOp.Negate, "-x", (x, y) => -x, (x, y) => -x),
        (RuntimeOp.Add, "x + y", (x, y) => x + y, (x, y) => x + y),
        (RuntimeOp.Subtract, "x - y", (x, y) => x - y, (x, y) => x - y),
        (RuntimeOp.Multiply, "x * y", (x, y) => x * y, (x, y) => x * y),
        (RuntimeOp.Divide, "x / y", (x, y) => x / y, (x, y) => x / y),
        (RuntimeOp.Less, "Sym.Less(x, y) - y", (x, y) => (x < y ? 1 : 0) - y, (x, y) => (x < y ? 1 : 0) - y),
        (RuntimeOp.LessOrEqual, "Sym.LessOrEqual(x, y) - y", (x, y) => (x <= y ? 1 : 0) - y, (x, y) => (x <= y ? 1 : 0) - y),
        (RuntimeOp.Greater, "Sym.Greater(x, y)", (x, y) => x > y ? 1 : 0, (x, y) => x > y ? 1 : 0),
        (RuntimeOp.GreaterOrEqual, "Sym.GreaterOrEqual(x, y)", (x, y) => x >= y ? 1 : 0, (x, y) => x >= y ? 1 : 0),
        (RuntimeOp.Equal, "Sym.Equal(x, -y)", (x, y) => x == -y ? 1 : 0, (x, y) => x == -y ? 1 : 0),
        (RuntimeOp.NotEqual, "Sym.NotEqual(x, -y) * y", (x, y) => (x != -y ? 1 : 0) * y, (x, y) => (x != -y ? 1 : 0) * y),
        (RuntimeOp.Select, "Sym.Where(Sym.Less(x, y), -x, y) + Sym.Where(x, y, -y)", (x, y) => (x < y ? -x : y) + (x != 0 ? y : -y), (x, y) => (x < y ? -x : y) + (x != 0 ? y : -y)),
        (RuntimeOp.Abs, "Sym.Abs(x)", (x, y) => Math.Abs(x), (x, y) => MathF.Abs(x)),
        (RuntimeOp.Sqrt, "Sym.Sqrt(x)", (x, y) => Math.Sqrt(x), (x, y) => MathF.Sqrt(x)),
        (RuntimeOp.Exp, "Sym.Exp(x)", (x, y) => Math.Exp(x), (x, y) => MathF.Exp(x)),
        (RuntimeOp.Log, "Sym.Log(x)", (x, y) => Math.Log(x), (x, y) => MathF.Log(x)),
        (RuntimeOp.Log2, "Sym.Log2(x)", (x, y) => Math.Log2(x), (x, y) => MathF.Log2(x)),
        (RuntimeOp.Sin, "Sym.Sin(x)", (x, y) => Math.Sin(x), (x, y) => MathF.Sin(x)),
        (RuntimeOp.Cos, "Sym.Cos(x)", (x, y) => Math.Cos(x), (x, y) => MathF.Cos(x)),
        (RuntimeOp.Tanh, "Sym.Tanh(x)", (x, y) => Math.Tanh(x), (x, y) => MathF.Tanh(x)),
        (RuntimeOp.Floor, "Sym.Floor(x)", (x, y) => Math.Floor(x), (x, y) => MathF.Floor(x)),
        (RuntimeOp.Ceiling, "Sym.Ceiling(x)", (x, y) => Math.Ceiling(x), (x, y) => MathF.Ceiling(x)),
        (RuntimeOp.Truncate, "Sym.Truncate(x)", (x, y) => Math.Truncate(x), (x, y) => MathF.Truncate(x)),
        (RuntimeOp.Round, "Sym.Round(x)", (x, y) => Math.Round(x), (x, y) => MathF.Round(x)),
        (RuntimeOp.Maximum, "Sym.Maximum(x, y)", (x, y) => Math.Max(x, y), (x, y) => MathF.Max(x, y)),
        (RuntimeOp.Minimum, "Sym.Minimum(x, y)", (x, y) => Math.Min(x, y), (x, y) => MathF.Min(x, y)),
        (RuntimeOp.FusedMultiplyAdd, "Sym.FusedMultiplyAdd(x, y, x)", (x, y) => Math.FusedMultiplyAdd(x, y, x), (x, y) => MathF.FusedMultiplyAdd(x, y, x)),
        (RuntimeOp.Sigmoid, "Sym.Sigmoid(x)", (x, y) => 1 / (1 + Math.Exp(-x)), (x, y) => 1 / (1 + MathF.Exp(-x))),
        (RuntimeOp.Relu, "Sym.Relu(x)", (x, y) => Math.Max(x, 0), (x, y) => MathF.Max(x, 0)),
        (RuntimeOp.Clip, "Sym.Clip(x, -0.5, 0.75)", (x, y) => Math.Min(Math.Max(x, -0.5), 0.75), (x, y) => MathF.Min(MathF.Max(x, -0.5f), 0.75f)),
        (RuntimeOp.Fill, "Sym.Fill(x, 0.25) + y", (x, y) => 0.25 + y, (x, y) => 0.25f + y),
    ];

    private static string Source(string element) => "using SymGen;\npublic static partial class S\n{\n" + string.Concat(Cases.Select((c, i) => $$"""
            static Vec<{{element}}> Step{{i}}(Vec<{{element}}> x, Vec<{{element}}> y) => {{System.Text.RegularExpressions.Regex.Replace(c.Body, @"\d+\.\d+", m => m.Value + Suffix(element))}};
            [Symbolic(nameof(Step{{i}}))]
            public static partial Mat<{{element}}> Case{{i}}([Sequence] Mat<{{element}}> xs, [Sequence] Mat<{{element}}> ys);

        """)) + "}\n";

    private static string Suffix(string element) => element == "float" ? "f" : "";

    private static readonly Dictionary<string, (Assembly Assembly, GeneratorRun Run)> Built = new()
    {
        ["double"] = (GeneratorHarness.Load(Source("double")), GeneratorHarness.Run(Source("double"))),
        ["float"] = (GeneratorHarness.Load(Source("float")), GeneratorHarness.Run(Source("float"))),
    };

    /// <summary>Edge values, then values of every magnitude: 3 rows of 45 (vectors, then a tail of fewer than one vector).</summary>
    private static double[] Inputs(Random random, bool single)
    {
        var edges = new List<double> { 0.0, -0.0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-300, -1e-300, double.Epsilon, -double.Epsilon, 4e-320,
            1e300, -1e300, 700, -700, 710, -750, 20, -20, 1e-17, -1e-17, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue };
        if (single)
            edges.AddRange([1e-40, -1e-40, float.Epsilon, 1e30, -1e30, 88, -88, 89, -104, 1e-8]);
        while (edges.Count < 3 * 45)
            edges.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 13)));
        return edges.Take(3 * 45).ToArray();
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void EveryOpWithAVectorFormRunsOnVectorsWithinItsToleranceOfSystemMath(string element)
    {
        bool single = element == "float";
        var (assembly, run) = Built[element];
        Assert.Empty(run.AllDiagnostics);
        // Every op of the table with a vector form has a case here.
        Assert.Equal(RuntimeOpTable.All.Where(r => r.VectorForm is not null).Select(r => r.Op).Order(), Cases.Select(c => c.Op).Distinct().Order());
        var random = new Random(5);
        var failures = new List<string>();
        for (int i = 0; i < Cases.Length; i++)
        {
            var (op, body, math, mathF) = Cases[i];
            var code = run.GeneratedSources.Single(s => s.Key.EndsWith($".Case{i}.g.cs", StringComparison.Ordinal)).Value;
            Assert.True(code.Contains("Vector512.IsHardwareAccelerated", StringComparison.Ordinal), $"{body}: no vector loop");
            int ulps = RuntimeOpTable.Get(op).ToleranceUlps;
            var x = Inputs(random, single);
            var y = Inputs(random, single).Reverse().ToArray();
            // Each element's tolerance: the op's; Tanh's is absolute (4e-16 in double, 2.5e-7 in float, as TensorPrimitives').
            var (actual, expected) = single
                ? Run(assembly, i, x, y, mathF)
                : Run(assembly, i, x, y, math);
            for (int k = 0; k < actual.Length; k++)
            {
                bool ok = ulps == NoUlpBound.NoUlpBound
                    ? expected[k].Equals(actual[k]) || Math.Abs(expected[k] - actual[k]) <= (single ? 2.5e-7 : 4e-16)
                    : OpTableWalk.WithinUlps(expected[k], actual[k], ulps, single);
                if (!ok && failures.Count < 30)
                    failures.Add($"{element} {body} at ({x[k]:R}, {y[k]:R}): {actual[k]:R}, System.Math {expected[k]:R} ({OpTableWalk.UlpsBetween(expected[k], actual[k], single)} ulps, {ulps} allowed)");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Case i's trace (3 steps of 45) and System.Math's values, as doubles.</summary>
    private static (double[] Actual, double[] Expected) Run<T>(Assembly assembly, int i, double[] x, double[] y, Func<T, T, T> math)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] xs = x.Select(T.CreateSaturating).ToArray(), ys = y.Select(T.CreateSaturating).ToArray();
        var trace = (Mat<T>)assembly.GetType("S")!.GetMethod("Case" + i)!.Invoke(null, [new Mat<T>(xs, 3, 45), new Mat<T>(ys, 3, 45)])!;
        return (trace.Span.ToArray().Select(double.CreateTruncating).ToArray(), xs.Zip(ys, math).Select(double.CreateTruncating).ToArray());
    }

    [Fact]
    public void ALoopWithAnOpWithoutAVectorFormStaysScalar()
    {
        var code = string.Concat(GeneratorHarness.Run("""
            using SymGen;
            public static partial class S
            {
                static Vec<double> Step(Vec<double> x) => Sym.Tan(x) + x;
                [Symbolic(nameof(Step))]
                public static partial Mat<double> Run([Sequence] Mat<double> xs);
            }
            """).GeneratedSources.Values.Select(GeneratorHarness.FastPath));
        Assert.Null(RuntimeOpTable.Get(RuntimeOp.Tan).VectorForm);
        Assert.Contains("global::System.Math.Tan(", code);
        Assert.DoesNotContain("IsHardwareAccelerated", code);
    }

    /// <summary>Scans with fused loops of every kind: a chain on a trace row, a row vector broadcast over a matrix, a spilled long chain.</summary>
    private const string Mixed = """
        using SymGen;
        public static partial class S
        {
            static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);
            [Symbolic(nameof(Elman))]
            public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

            static Mat<float> Grow(Mat<float> a, Mat<float> s, Vec<float> v, float c) => Sym.Sigmoid(s * 0.5f + a + v) * c - s;
            [Symbolic(nameof(Grow))]
            public static partial Tensor3<float> Matrix([Sequence] Tensor3<float> a, [Initial] Mat<float> s0, Vec<float> v, float c);

            static Vec<double> Long(Vec<double> x, Vec<double> h) =>
                Sym.Exp(-(h * 0.9 + x * 0.1 + h * h * 0.01 - x * 0.2 + h * 0.3 - x * 0.4 + h * 0.5 - x * 0.6 + h * 0.7 - x * 0.8 + h * 0.9 - x * 0.1 + h * 0.2 - x * 0.3 + h * 0.4 - x * 0.5 + h * 0.6 - x * 0.7 + h * 0.8)) - h * 0.5;
            [Symbolic(nameof(Long))]
            public static partial Mat<double> Chain([Sequence] Mat<double> xs, [Initial] Vec<double> h0);
        }
        """;

    [Fact]
    public void ScansGiveTheScalarLoopsResultsWithinTolerance()
    {
        var scalar = new ScanGenerator(LoopOptions.Default with { Vectorise = false, Precompute = false });
        var vectorCode = string.Concat(GeneratorHarness.Run(Mixed).GeneratedSources.Values);
        Assert.Contains("Vector512.StoreUnsafe", vectorCode);
        Assert.Contains("var v", vectorCode); // the long chain spills into locals on vectors too
        Assert.DoesNotContain("IsHardwareAccelerated", string.Concat(GeneratorHarness.Run(GeneratorHarness.Compilation(Mixed), GeneratorHarness.Driver(scalar)).GeneratedSources.Values));

        var vectors = GeneratorHarness.Load(Mixed).GetType("S")!;
        var scalars = GeneratorHarness.Load(GeneratorHarness.Driver(scalar), Mixed).GetType("S")!;
        var random = new Random(3);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        foreach (int hidden in new[] { 1, 7, 8, 37, 64 })
        {
            int steps = 20, inputs = 5;
            object[] rnn = [new Mat<double>(Values(steps * inputs, 2), steps, inputs), new Vec<double>(Values(hidden, 1)),
                new Mat<double>(Values(hidden * hidden, 2.0 / Math.Sqrt(hidden)), hidden, hidden), new Mat<double>(Values(hidden * inputs, 1), hidden, inputs), new Vec<double>(Values(hidden, 0.2))];
            AssertClose(Call<Mat<double>>(scalars, "Rnn", rnn).Span.ToArray(), Call<Mat<double>>(vectors, "Rnn", rnn).Span.ToArray(), 1e-13, $"Rnn H={hidden}");

            float[] F(double[] d) => d.Select(v => (float)v).ToArray();
            object[] matrix = [new Tensor3<float>(F(Values(steps * 3 * hidden, 2)), steps, 3, hidden), new Mat<float>(F(Values(3 * hidden, 1)), 3, hidden), new Vec<float>(F(Values(hidden, 1))), 0.75f];
            AssertClose(Call<Tensor3<float>>(scalars, "Matrix", matrix).Span.ToArray().Select(v => (double)v).ToArray(),
                Call<Tensor3<float>>(vectors, "Matrix", matrix).Span.ToArray().Select(v => (double)v).ToArray(), 1e-5, $"Matrix C={hidden}");

            object[] chain = [new Mat<double>(Values(steps * hidden, 2), steps, hidden), new Vec<double>(Values(hidden, 1))];
            AssertClose(Call<Mat<double>>(scalars, "Chain", chain).Span.ToArray(), Call<Mat<double>>(vectors, "Chain", chain).Span.ToArray(), 1e-13, $"Chain H={hidden}");
        }
    }

    private static T Call<T>(Type type, string method, object[] arguments) => (T)type.GetMethod(method)!.Invoke(null, arguments)!;

    private static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(scale, 1), $"{what}: element {i} is {actual[i]:R}, the scalar loop's {expected[i]:R}");
    }
}
