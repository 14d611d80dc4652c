using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using SymGen.Graph;
using SymGen.Tests.Graphs;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>
/// The vector functions a fused loop calls (the op table's VectorForm: VectorMath's Tanh and Sigmoid, the intrinsics'
/// Exp, Log, Log2, Sin, Cos, Sqrt...), on every vector width (a generated loop runs the widest the CPU accelerates;
/// the others are computed in software here, with the same results), against System.Math within the op's
/// ToleranceUlps over 2^16 random values of every magnitude and the edge values; VectorMath against TensorPrimitives too.
/// </summary>
public class VectorMathTests
{
    private static double[] Doubles()
    {
        var random = new Random(17);
        var values = new List<double> { 0.0, -0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 1e-300, -1e-300, double.Epsilon, -double.Epsilon, 4e-320, -2.2e-308,
            1e300, -1e300, 700, -700, 709.7, 710, -745, -750, 19.06, 20, -20, 1e-17, -1e-17, 1e-9, double.NaN, double.PositiveInfinity,
            double.NegativeInfinity, double.MaxValue, double.MinValue, Math.PI, -Math.PI / 2, 1e5, -1e5 };
        while (values.Count % 8 != 0 || values.Count < 1 << 16)
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 21)) * (random.Next(4) == 0 ? 1e-280 : 1));
        return values.ToArray();
    }

    private static float[] Floats()
    {
        var random = new Random(19);
        var values = new List<float> { 0f, -0f, 1, -1, 0.5f, -0.5f, 2.5f, -2.5f, 1e-40f, -1e-40f, float.Epsilon, -float.Epsilon, 1e-38f,
            1e30f, -1e30f, 88, -88, 88.8f, 89, -104, -110, 9.01f, 10, -10, 1e-8f, -1e-8f, float.NaN, float.PositiveInfinity, float.NegativeInfinity,
            float.MaxValue, float.MinValue, MathF.PI, 1e5f, -1e5f };
        while (values.Count % 16 != 0 || values.Count < 1 << 16)
            values.Add((float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 13)) * (random.Next(4) == 0 ? 1e-30 : 1)));
        return values.ToArray();
    }

    /// <summary>Each op's vector function on each width, as a function of a span (whole vectors only).</summary>
    private static readonly (Op Op, Func<double, double> Math, Func<Vector512<double>, Vector512<double>> V512, Func<Vector256<double>, Vector256<double>> V256, Func<Vector128<double>, Vector128<double>> V128)[] DoubleFunctions =
    [
        (Op.Tanh, Math.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh),
        (Op.Sigmoid, x => 1 / (1 + Math.Exp(-x)), VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid),
        (Op.Exp, Math.Exp, Vector512.Exp, Vector256.Exp, Vector128.Exp),
        (Op.Log, Math.Log, Vector512.Log, Vector256.Log, Vector128.Log),
        (Op.Log2, Math.Log2, Vector512.Log2, Vector256.Log2, Vector128.Log2),
        (Op.Sin, Math.Sin, Vector512.Sin, Vector256.Sin, Vector128.Sin),
        (Op.Cos, Math.Cos, Vector512.Cos, Vector256.Cos, Vector128.Cos),
        (Op.Sqrt, Math.Sqrt, Vector512.Sqrt, Vector256.Sqrt, Vector128.Sqrt),
        (Op.Abs, Math.Abs, Vector512.Abs, Vector256.Abs, Vector128.Abs),
        (Op.Floor, Math.Floor, Vector512.Floor, Vector256.Floor, Vector128.Floor),
        (Op.Ceiling, Math.Ceiling, Vector512.Ceiling, Vector256.Ceiling, Vector128.Ceiling),
        (Op.Truncate, Math.Truncate, Vector512.Truncate, Vector256.Truncate, Vector128.Truncate),
        (Op.Round, Math.Round, Vector512.Round, Vector256.Round, Vector128.Round),
        (Op.Relu, x => Math.Max(x, 0), x => Vector512.Max(x, Vector512<double>.Zero), x => Vector256.Max(x, Vector256<double>.Zero), x => Vector128.Max(x, Vector128<double>.Zero)),
    ];

    private static readonly (Op Op, Func<float, float> Math, Func<Vector512<float>, Vector512<float>> V512, Func<Vector256<float>, Vector256<float>> V256, Func<Vector128<float>, Vector128<float>> V128)[] FloatFunctions =
    [
        (Op.Tanh, MathF.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh),
        (Op.Sigmoid, x => 1 / (1 + MathF.Exp(-x)), VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid),
        (Op.Exp, MathF.Exp, Vector512.Exp, Vector256.Exp, Vector128.Exp),
        (Op.Log, MathF.Log, Vector512.Log, Vector256.Log, Vector128.Log),
        (Op.Log2, MathF.Log2, Vector512.Log2, Vector256.Log2, Vector128.Log2),
        (Op.Sin, MathF.Sin, Vector512.Sin, Vector256.Sin, Vector128.Sin),
        (Op.Cos, MathF.Cos, Vector512.Cos, Vector256.Cos, Vector128.Cos),
        (Op.Sqrt, MathF.Sqrt, Vector512.Sqrt, Vector256.Sqrt, Vector128.Sqrt),
        (Op.Abs, MathF.Abs, Vector512.Abs, Vector256.Abs, Vector128.Abs),
        (Op.Floor, MathF.Floor, Vector512.Floor, Vector256.Floor, Vector128.Floor),
        (Op.Ceiling, MathF.Ceiling, Vector512.Ceiling, Vector256.Ceiling, Vector128.Ceiling),
        (Op.Truncate, MathF.Truncate, Vector512.Truncate, Vector256.Truncate, Vector128.Truncate),
        (Op.Round, MathF.Round, Vector512.Round, Vector256.Round, Vector128.Round),
        (Op.Relu, x => MathF.Max(x, 0), x => Vector512.Max(x, Vector512<float>.Zero), x => Vector256.Max(x, Vector256<float>.Zero), x => Vector128.Max(x, Vector128<float>.Zero)),
    ];

    /// <summary>Whether a vector result is within the op's tolerance of System.Math's (Tanh: absolutely, as TensorPrimitives').</summary>
    private static bool Within(Op op, double expected, double actual, bool single) =>
        OpTable.Get(op).ToleranceUlps == OpInfo.NoUlpBound
            ? expected.Equals(actual) || Math.Abs(expected - actual) <= (single ? 2.5e-7 : 4e-16)
            : OpTableWalk.WithinUlps(expected, actual, OpTable.Get(op).ToleranceUlps, single);

    [Fact]
    public void DoubleVectorFunctionsOnEveryWidthAreWithinTheirOpsToleranceOfSystemMath()
    {
        var x = Doubles();
        var failures = new List<string>();
        foreach (var (op, math, v512, v256, v128) in DoubleFunctions)
            for (int i = 0; i < x.Length; i += 8)
            {
                var a = v512(Vector512.Create(x.AsSpan(i, 8)));
                var b = v256(Vector256.Create(x.AsSpan(i, 4)));
                var c = v128(Vector128.Create(x.AsSpan(i, 2)));
                for (int k = 0; k < 8; k++)
                {
                    double expected = math(x[i + k]);
                    foreach (var (width, actual) in new[] { (512, a[k]), (256, k < 4 ? b[k] : expected), (128, k < 2 ? c[k] : expected) })
                        if (!Within(op, expected, actual, false) && failures.Count < 20)
                            failures.Add($"{op} on Vector{width}<double> of {x[i + k]:R}: {actual:R}, System.Math {expected:R} ({OpTableWalk.UlpsBetween(expected, actual, false)} ulps)");
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void FloatVectorFunctionsOnEveryWidthAreWithinTheirOpsToleranceOfMathF()
    {
        var x = Floats();
        var failures = new List<string>();
        foreach (var (op, math, v512, v256, v128) in FloatFunctions)
            for (int i = 0; i < x.Length; i += 16)
            {
                var a = v512(Vector512.Create(x.AsSpan(i, 16)));
                var b = v256(Vector256.Create(x.AsSpan(i, 8)));
                var c = v128(Vector128.Create(x.AsSpan(i, 4)));
                for (int k = 0; k < 16; k++)
                {
                    float expected = math(x[i + k]);
                    foreach (var (width, actual) in new[] { (512, a[k]), (256, k < 8 ? b[k] : expected), (128, k < 4 ? c[k] : expected) })
                        if (!Within(op, expected, actual, true) && failures.Count < 20)
                            failures.Add($"{op} on Vector{width}<float> of {x[i + k]:R}: {actual:R}, MathF {expected:R} ({OpTableWalk.UlpsBetween(expected, actual, true)} ulps)");
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryTranscendentalVectorFormIsTestedHere()
    {
        // The operators, comparisons, Select, Max, Min, FMA, Clip and Fill are exact IEEE operations (tested in scans
        // by VectorisedLoopTests); the functions are tested above.
        var exact = new[] { Op.Negate, Op.Add, Op.Subtract, Op.Multiply, Op.Divide, Op.Less, Op.LessOrEqual, Op.Greater, Op.GreaterOrEqual,
            Op.Equal, Op.NotEqual, Op.Select, Op.Maximum, Op.Minimum, Op.FusedMultiplyAdd, Op.Clip, Op.Fill };
        var vectorised = OpTable.All.Where(r => r.VectorForm is not null).Select(r => r.Op).Except(exact).Order().ToArray();
        Assert.Equal(vectorised, DoubleFunctions.Select(f => f.Op).Order().ToArray());
        Assert.Equal(vectorised, FloatFunctions.Select(f => f.Op).Order().ToArray());
    }

    [Fact]
    public void VectorMathAgreesWithTensorPrimitivesWithinTheOpsTolerance()
    {
        // TensorPrimitives (the eager kernels and the interpreter) has exponentials of its own, so the two differ by
        // an ulp here and there: engines agree within the op's tolerance, as they do with System.Math.
        var x = Doubles();
        var f = Floats();
        double[] tanh = new double[x.Length], sigmoid = new double[x.Length];
        float[] tanhF = new float[f.Length], sigmoidF = new float[f.Length];
        TensorPrimitives.Tanh(x, tanh);
        TensorPrimitives.Sigmoid(x, sigmoid);
        TensorPrimitives.Tanh(f, tanhF);
        TensorPrimitives.Sigmoid(f, sigmoidF);
        var failures = new List<string>();
        for (int i = 0; i < x.Length; i += 8)
        {
            var v = Vector512.Create(x.AsSpan(i, 8));
            Vector512<double> t = VectorMath.Tanh(v), s = VectorMath.Sigmoid(v);
            for (int k = 0; k < 8; k++)
            {
                if (!Within(Op.Tanh, tanh[i + k], t[k], false)) failures.Add($"Tanh({x[i + k]:R}): {t[k]:R}, TensorPrimitives {tanh[i + k]:R}");
                if (!Within(Op.Sigmoid, sigmoid[i + k], s[k], false)) failures.Add($"Sigmoid({x[i + k]:R}): {s[k]:R}, TensorPrimitives {sigmoid[i + k]:R}");
            }
        }
        for (int i = 0; i < f.Length; i += 16)
        {
            var v = Vector512.Create(f.AsSpan(i, 16));
            Vector512<float> t = VectorMath.Tanh(v), s = VectorMath.Sigmoid(v);
            for (int k = 0; k < 16; k++)
            {
                if (!Within(Op.Tanh, tanhF[i + k], t[k], true)) failures.Add($"Tanh({f[i + k]:R}f): {t[k]:R}, TensorPrimitives {tanhF[i + k]:R}");
                if (!Within(Op.Sigmoid, sigmoidF[i + k], s[k], true)) failures.Add($"Sigmoid({f[i + k]:R}f): {s[k]:R}, TensorPrimitives {sigmoidF[i + k]:R}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
