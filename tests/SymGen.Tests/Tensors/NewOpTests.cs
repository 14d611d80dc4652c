using System;
using System.Linq;
using CsCheck;
using SymGen.Graph;
using SymGen.Tests.Graphs;
using Xunit;
using static SymGen.Tests.Tensors.TensorTestData;

namespace SymGen.Tests.Tensors;

/// <summary>
/// The ops of issue 11's "ops users reached for", each in a scan against a plain C# loop on random inputs, generated
/// and interpreted (the scan's graph through the interpreter), and eagerly (Sym) against System.Math within the op
/// row's ToleranceUlps; masks with Where; the errors.
/// </summary>
public class NewOpTests
{
    // ---- In scans: generated and interpreted, against plain loops ---------------------------------------------

    private static double[] Map(Vec<double> x, Func<double, double> f) => x.ToArray().Select(f).ToArray();

    private static double[] Zip(Vec<double> x, Vec<double> y, Func<double, double, double> f) => x.ToArray().Zip(y.ToArray(), f).ToArray();

    private static void Row(Mat<double> trace, int t, double[] expected, string what) => Close(expected, trace.Row(t).Span, $"{what} at step {t}");

    private static void Step(Tensor3<double> trace, int t, double[] expected, string what) => Close(expected, trace[t].Span, $"{what} at step {t}");

    private static readonly Gen<(int Steps, int Length)> Sizes = Gen.Select(Gen.Int[0, 4], Gen.Int[1, 6]);

    [Fact]
    public void UnaryMathFunctionsOnVectors() =>
        Sizes.SelectMany((steps, k) => Matrix(steps, k)).Sample(x =>
        {
            var tr = NewOpScans.UnaryOps(x);
            GraphCheck.SameAsInterpreter(NewOpScans.UnaryOpsGraph, tr, x);
            for (int t = 0; t < x.Rows; t++)
            {
                var v = x.Row(t);
                Row(tr.cbrt, t, Map(v, Math.Cbrt), "Cbrt"); Row(tr.log2, t, Map(v, p => Math.Log2(Math.Abs(p) + 0.5)), "Log2");
                Row(tr.log10, t, Map(v, p => Math.Log10(Math.Abs(p) + 0.5)), "Log10"); Row(tr.sin, t, Map(v, Math.Sin), "Sin");
                Row(tr.cos, t, Map(v, Math.Cos), "Cos"); Row(tr.tan, t, Map(v, Math.Tan), "Tan"); Row(tr.asin, t, Map(v, p => Math.Asin(p / 2.5)), "Asin");
                Row(tr.acos, t, Map(v, p => Math.Acos(p / 2.5)), "Acos"); Row(tr.atan, t, Map(v, Math.Atan), "Atan"); Row(tr.sinh, t, Map(v, Math.Sinh), "Sinh");
                Row(tr.cosh, t, Map(v, Math.Cosh), "Cosh"); Row(tr.floor, t, Map(v, p => Math.Floor(p * 3)), "Floor");
                Row(tr.ceiling, t, Map(v, p => Math.Ceiling(p * 3)), "Ceiling"); Row(tr.truncate, t, Map(v, p => Math.Truncate(p * 3)), "Truncate");
                Row(tr.round, t, Map(v, p => Math.Round(p * 3)), "Round"); Row(tr.sign, t, Map(v, p => Math.Sign(p)), "Sign");
            }
        });

    [Fact]
    public void BinaryMathFunctionsOnVectorsAndScalars() =>
        Sizes.SelectMany((steps, k) => Gen.Select(Matrix(steps, k), Matrix(steps, k), Gen.Double[0.5, 3])).Sample((x, y, a) =>
        {
            var tr = NewOpScans.BinaryOps(x, y, a);
            GraphCheck.SameAsInterpreter(NewOpScans.BinaryOpsGraph, tr, x, y, a);
            for (int t = 0; t < x.Rows; t++)
            {
                Vec<double> u = x.Row(t), w = y.Row(t);
                Row(tr.pow, t, Zip(u, w, (p, q) => Math.Pow(Math.Abs(p) + 0.5, q)), "Pow(x, y)"); Row(tr.powScalar, t, Map(u, p => Math.Pow(p, a)), "Pow(x, a)");
                Row(tr.scalarPow, t, Map(u, p => Math.Pow(a, p)), "Pow(a, x)"); Row(tr.atan2, t, Zip(u, w, Math.Atan2), "Atan2(x, y)");
                Row(tr.atan2Scalar, t, Map(u, p => Math.Atan2(p, a)), "Atan2(x, a)"); Row(tr.scalarAtan2, t, Map(u, p => Math.Atan2(a, p)), "Atan2(a, x)");
                Row(tr.maximum, t, Zip(u, w, Math.Max), "Maximum(x, y)"); Row(tr.scalarMaximum, t, Map(u, p => Math.Max(a, p)), "Maximum(a, x)");
                Row(tr.minimum, t, Zip(u, w, Math.Min), "Minimum(x, y)"); Row(tr.minimumScalar, t, Map(u, p => Math.Min(p, a)), "Minimum(x, a)");
                Row(tr.fma, t, Zip(u, w, (p, q) => Math.FusedMultiplyAdd(p, q, p)), "FusedMultiplyAdd");
            }
        });

    [Fact]
    public void MathFunctionsOnMatricesWithRowBroadcast() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((steps, r, c) =>
            Gen.Select(Values(steps * r * c), Vector(c), Matrix(r, c), Gen.Double[0.5, 3]).Select((m, v, w, a) => (new Tensor3<double>(m, steps, r, c), v, w, a)))
            .Sample(data =>
            {
                var (m, v, w, a) = data;
                var tr = NewOpScans.MatrixMathOps(m, v, w, a);
                GraphCheck.SameAsInterpreter(NewOpScans.MatrixMathOpsGraph, tr, m, v, w, a);
                for (int t = 0; t < m.Length; t++)
                {
                    double[] e = m[t].Span.ToArray(), ws = w.Span.ToArray();
                    Step(tr.sin, t, e.Select(Math.Sin).ToArray(), "Sin(M)"); Step(tr.sign, t, e.Select(p => (double)Math.Sign(p)).ToArray(), "Sign(M)");
                    Step(tr.atan2, t, e.Select((p, i) => Math.Atan2(p, ws[i])).ToArray(), "Atan2(M, W)");
                    Step(tr.maximumRows, t, e.Select((p, i) => Math.Max(p, v[i % v.Length])).ToArray(), "Maximum(M, v)");
                    Step(tr.powScalar, t, e.Select(p => Math.Pow(Math.Abs(p), a)).ToArray(), "Pow(|M|, a)");
                    Step(tr.scalarMinimum, t, e.Select(p => Math.Min(a, p)).ToArray(), "Minimum(a, M)");
                    Step(tr.fma, t, e.Select((p, i) => Math.FusedMultiplyAdd(p, ws[i], p)).ToArray(), "FusedMultiplyAdd(M, W, M)");
                }
            });

    [Fact]
    public void ComparisonMasksAndWhere() =>
        Sizes.SelectMany((steps, k) => Gen.Select(Matrix(steps, k), Matrix(steps, k), Gen.Double[-1, 1])).Sample((x, y, a) =>
        {
            var tr = NewOpScans.MaskOps(x, y, a);
            GraphCheck.SameAsInterpreter(NewOpScans.MaskOpsGraph, tr, x, y, a);
            static double M(bool b) => b ? 1 : 0;
            for (int t = 0; t < x.Rows; t++)
            {
                Vec<double> u = x.Row(t), w = y.Row(t);
                Row(tr.less, t, Zip(u, w, (p, q) => M(p < q)), "Less(x, y)"); Row(tr.lessOrEqual, t, Map(u, p => M(p <= a)), "LessOrEqual(x, a)");
                Row(tr.greater, t, Zip(u, w, (p, q) => M(p > q)), "Greater(x, y)"); Row(tr.greaterOrEqual, t, Map(u, p => M(p >= a)), "GreaterOrEqual(x, a)");
                Row(tr.equal, t, Zip(u, w, (p, q) => M(Math.Round(p) == Math.Round(q))), "Equal"); Row(tr.notEqual, t, Map(u, p => M(p != a)), "NotEqual(x, a)");
                Row(tr.whereLess, t, Zip(u, w, (p, q) => p < q ? p : q), "Where(Less(x, y), x, y)");
                Row(tr.whereScalars, t, Map(u, p => p > a ? 1 : -1), "Where(mask, 1, -1)");
                Row(tr.whereRight, t, Map(u, p => p < a ? p : a), "Where(mask, x, a)"); Row(tr.whereLeft, t, Map(w, q => q < a ? a : q), "Where(mask, a, y)");
                Row(tr.maskTimes, t, Zip(u, w, (p, q) => M(p < q) * p + M(q > 0)), "mask arithmetic");
                Row(tr.boolSelect, t, a > 0 ? u.ToArray() : w.ToArray(), "a > 0 ? x : y");
            }
        });

    [Fact]
    public void MatrixMasksWhereAndClip() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((steps, r, c) =>
            Gen.Select(Values(steps * r * c), Matrix(steps, c), Values(steps), Matrix(r, c)).Select((m, v, a, w) => (new Tensor3<double>(m, steps, r, c), v, a, w)))
            .Sample(data =>
            {
                var (m, v, a, w) = data;
                var tr = NewOpScans.MatrixMaskOps(m, v, a, w);
                GraphCheck.SameAsInterpreter(NewOpScans.MatrixMaskOpsGraph, tr, m, v, a, w);
                double[] ws = w.Span.ToArray();
                for (int t = 0; t < m.Length; t++)
                {
                    double[] e = m[t].Span.ToArray();
                    double s = a[t];
                    var vt = v.Row(t);
                    Step(tr.lessRows, t, e.Select((p, i) => p < vt[i % vt.Length] ? 1.0 : 0.0).ToArray(), "Less(M, v)");
                    Step(tr.whereMat, t, e.Select((p, i) => p > ws[i] ? p : ws[i]).ToArray(), "Where(M > W, M, W)");
                    Step(tr.whereMatScalar, t, e.Select(p => p < s ? p : s).ToArray(), "Where(M < a, M, a)");
                    Step(tr.whereScalarMat, t, e.Select((p, i) => p != ws[i] ? s : ws[i]).ToArray(), "Where(M != W, a, W)");
                    Step(tr.whereMatScalars, t, e.Select(p => p >= 0 ? 1.0 : 0.0).ToArray(), "Where(M >= 0, 1, 0)");
                    Step(tr.clipMat, t, e.Select(p => Math.Min(Math.Max(p, -0.5), s)).ToArray(), "Clip(M, -0.5, a)");
                    Step(tr.clipMats, t, e.Select((p, i) => Math.Min(Math.Max(p, -Math.Abs(ws[i])), Math.Abs(ws[i]))).ToArray(), "Clip(M, -|W|, |W|)");
                    Row(tr.clipVec, t, Map(vt, p => Math.Min(Math.Max(p, -s), s)), "Clip(v, -a, a)");
                    Row(tr.clipVecs, t, Map(vt, p => Math.Min(Math.Max(p, p * 0.5), p * 0.5 + 1.0)), "Clip(v, v / 2, v / 2 + 1)");
                    Assert.Equal(Math.Min(Math.Max(s, 0.0), 1.0), tr.clipScalar[t]);
                }
            });

    private static double NaiveLogSumExp(double[] x)
    {
        double max = x.Max(), sum = 0;
        foreach (var v in x) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    private static int NaiveArg(double[] x, bool max)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
            if (max ? x[i] > x[best] : x[i] < x[best]) best = i;
        return best;
    }

    private static double[] Column(double[] m, int columns, int c) => m.Where((_, i) => i % columns == c).ToArray();

    private static double[] RowOf(double[] m, int columns, int r) => m.Skip(r * columns).Take(columns).ToArray();

    [Fact]
    public void ReductionsAndLogSoftmax() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((steps, k, r, c) =>
            Gen.Select(Matrix(steps, k), Values(steps * r * c)).Select((x, m) => (x, new Tensor3<double>(m, steps, r, c))))
            .Sample(data =>
            {
                var (x, m) = data;
                var tr = NewOpScans.ReductionOps(x, m);
                GraphCheck.SameAsInterpreter(NewOpScans.ReductionOpsGraph, tr, x, m);
                int rows = m.Rows, columns = m.Columns;
                for (int t = 0; t < x.Rows; t++)
                {
                    double[] v = x.Row(t).ToArray(), e = m[t].Span.ToArray();
                    Assert.Equal(v.Min(), tr.min[t]); Assert.Equal(e.Min(), tr.minAll[t]);
                    Row(tr.min0, t, Enumerable.Range(0, columns).Select(c => Column(e, columns, c).Min()).ToArray(), "Min(M, 0)");
                    Row(tr.min1, t, Enumerable.Range(0, rows).Select(r => RowOf(e, columns, r).Min()).ToArray(), "Min(M, 1)");
                    Assert.Equal(NaiveArg(v, true), tr.argMax[t]); Assert.Equal(NaiveArg(v, false), tr.argMin[t]);
                    Assert.Equal(NaiveArg(e, true), tr.argMaxAll[t]); Assert.Equal(NaiveArg(e, false), tr.argMinAll[t]);
                    Row(tr.argMax0, t, Enumerable.Range(0, columns).Select(c => (double)NaiveArg(Column(e, columns, c), true)).ToArray(), "ArgMax(M, 0)");
                    Row(tr.argMin1, t, Enumerable.Range(0, rows).Select(r => (double)NaiveArg(RowOf(e, columns, r), false)).ToArray(), "ArgMin(M, 1)");
                    var scaled = v.Select(p => p * 300.0).ToArray();
                    Close(NaiveLogSumExp(scaled), tr.logSumExp[t], "LogSumExp(300 x)"); Close(NaiveLogSumExp(e), tr.logSumExpAll[t], "LogSumExp(M)");
                    Row(tr.logSumExp0, t, Enumerable.Range(0, columns).Select(c => NaiveLogSumExp(Column(e, columns, c))).ToArray(), "LogSumExp(M, 0)");
                    Row(tr.logSumExp1, t, Enumerable.Range(0, rows).Select(r => NaiveLogSumExp(RowOf(e, columns, r))).ToArray(), "LogSumExp(M, 1)");
                    Row(tr.logSoftmax, t, scaled.Select(p => p - NaiveLogSumExp(scaled)).ToArray(), "LogSoftmax(300 x)");
                    Step(tr.logSoftmaxRows, t, e.Select((p, i) => p - NaiveLogSumExp(RowOf(e, columns, i / columns))).ToArray(), "LogSoftmax(M)");
                }
            });

    [Fact]
    public void ScalarOverloadsComputeAsMath() =>
        Gen.Int[0, 6].SelectMany(n => Gen.Select(Values(n), Values(n))).Sample((a, b) =>
        {
            var tr = NewOpScans.ScalarOps(a, b);
            GraphCheck.SameAsInterpreter(NewOpScans.ScalarOpsGraph, tr, a, b);
            for (int t = 0; t < a.Length; t++)
            {
                double p = a[t], q = b[t];
                Assert.Equal(Math.Sin(p), tr.sin[t]); Assert.Equal(Math.Pow(Math.Abs(p), q), tr.pow[t]); Assert.Equal(Math.Sign(p), tr.sign[t]);
                Assert.Equal(Math.Min(Math.Max(p, -0.5), 0.5), tr.clip[t]); Assert.Equal(Math.Max(p, q), tr.maximum[t]);
                Assert.Equal(Math.FusedMultiplyAdd(p, q, p), tr.fma[t]); Assert.Equal(Math.Atan2(p, q), tr.atan2[t]); Assert.Equal(Math.Floor(p * 3), tr.floor[t]);
                Assert.Equal(NewOpScans.Scalars(p, q), (tr.sin[t], tr.pow[t], tr.sign[t], tr.clip[t], tr.maximum[t], tr.fma[t], tr.atan2[t], tr.floor[t]));
            }
        });

    [Fact]
    public void FloatMasksMathFAndReductions() =>
        Sizes.SelectMany((steps, k) => Gen.Select(Gen.Float[-2, 2].Array[steps * k], Gen.Float[-2, 2].Array[steps * k])
            .Select((x, y) => (new Mat<float>(x, steps, k), new Mat<float>(y, steps, k)))).Sample(data =>
        {
            var (x, y) = data;
            var tr = NewOpScans.FloatOps(x, y);
            GraphCheck.SameAsInterpreter(NewOpScans.FloatOpsGraph, tr, x, y);
            for (int t = 0; t < x.Rows; t++)
            {
                float[] u = x.Row(t).ToArray(), w = y.Row(t).ToArray();
                Assert.Equal(u.Select((p, i) => p < w[i] ? MathF.Sin(p) : MathF.Cos(w[i])).ToArray(), tr.where.Row(t).ToArray());
                Assert.Equal(u.Select(p => MathF.Sin(p) + (p > 0f ? 1f : 0f)).ToArray(), tr.sin.Row(t).ToArray());
                Assert.Equal(Array.IndexOf(u, u.Max()), tr.argMax[t]);
                float max = u.Max(), log = MathF.Log(u.Sum(p => MathF.Exp(p - max)));
                for (int i = 0; i < u.Length; i++) Close(u[i] - max - log, tr.logSoftmax[t, i], $"LogSoftmax[{t}][{i}]", 1e-6);
                Close(Math.Log(w.Sum(q => Math.Exp(q))), tr.logSumExp[t], $"LogSumExp[{t}]", 1e-6);
            }
        });

    [Fact]
    public void AnEmptyArgMaxFailsAlikeGeneratedAndInterpreted()
    {
        var x = new Mat<double>([], 2, 0);
        var m = new Tensor3<double>([], 2, 1, 0);
        var error = Assert.Throws<ArgumentException>(() => NewOpScans.ReductionOps(x, m));
        Assert.Contains("of an empty vector has no value", error.Message);
        GraphCheck.SameAsInterpreter(NewOpScans.ReductionOpsGraph, () => NewOpScans.ReductionOps(x, m), x, m);
    }

    // ---- Eager: Sym against System.Math, within each row's tolerance ------------------------------------------

    private static readonly double[] Edges =
        [0, -0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 1e-300, -1e-300, double.Epsilon, 1e300, -1e300, double.MaxValue, double.MinValue,
         double.PositiveInfinity, double.NegativeInfinity, double.NaN, Math.PI, -Math.PI / 2, 710, -745, 1e-17, 0.49999999999999994];

    /// <summary>Random values of every magnitude and of the usual range, and the edge values.</summary>
    private static readonly Gen<double[]> Inputs = Gen.Select(Gen.Double.Array[0, 40], Gen.Double[-20, 20].Array[0, 40])
        .Select((wide, usual) => wide.Concat(usual).Concat(Edges).ToArray());

    private static long Ulps(double a, double b)
    {
        if (a.Equals(b)) return 0;
        if (double.IsNaN(a) || double.IsNaN(b)) return long.MaxValue;
        static long Ordered(double d) => BitConverter.DoubleToInt64Bits(d) is var bits && bits < 0 ? long.MinValue - bits : bits;
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static long Ulps(float a, float b)
    {
        if (a.Equals(b)) return 0;
        if (float.IsNaN(a) || float.IsNaN(b)) return long.MaxValue;
        static long Ordered(float f) => BitConverter.SingleToInt32Bits(f) is var bits && bits < 0 ? int.MinValue - (long)bits : bits;
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>Each eager result within its op's ToleranceUlps of System.Math's (Tanh, with no ulp bound, within 1e-15 absolute).</summary>
    private static void WithinTolerance(Op op, double[] expected, ReadOnlySpan<double> actual)
    {
        int ulps = OpTable.Get(op).ToleranceUlps;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(ulps == OpInfo.NoUlpBound ? expected[i].Equals(actual[i]) || Math.Abs(expected[i] - actual[i]) <= 1e-15 : Ulps(expected[i], actual[i]) <= ulps,
                $"{op}[{i}] = {actual[i]:R}, System.Math gives {expected[i]:R} ({Ulps(expected[i], actual[i])} ulps; the row allows {ulps})");
    }

    private static readonly (Op Op, Func<Vec<double>, Vec<double>> Vector, Func<Mat<double>, Mat<double>> Matrix, Func<double, double> Scalar, Func<double, double> Math)[] UnaryFunctions =
    [
        (Op.Abs, Sym.Abs, Sym.Abs, Sym.Abs, Math.Abs), (Op.Sqrt, Sym.Sqrt, Sym.Sqrt, Sym.Sqrt, Math.Sqrt), (Op.Cbrt, Sym.Cbrt, Sym.Cbrt, Sym.Cbrt, Math.Cbrt),
        (Op.Exp, Sym.Exp, Sym.Exp, Sym.Exp, Math.Exp), (Op.Log, Sym.Log, Sym.Log, Sym.Log, Math.Log), (Op.Log2, Sym.Log2, Sym.Log2, Sym.Log2, Math.Log2),
        (Op.Log10, Sym.Log10, Sym.Log10, Sym.Log10, Math.Log10), (Op.Sin, Sym.Sin, Sym.Sin, Sym.Sin, Math.Sin), (Op.Cos, Sym.Cos, Sym.Cos, Sym.Cos, Math.Cos),
        (Op.Tan, Sym.Tan, Sym.Tan, Sym.Tan, Math.Tan), (Op.Asin, Sym.Asin, Sym.Asin, Sym.Asin, Math.Asin), (Op.Acos, Sym.Acos, Sym.Acos, Sym.Acos, Math.Acos),
        (Op.Atan, Sym.Atan, Sym.Atan, Sym.Atan, Math.Atan), (Op.Sinh, Sym.Sinh, Sym.Sinh, Sym.Sinh, Math.Sinh), (Op.Cosh, Sym.Cosh, Sym.Cosh, Sym.Cosh, Math.Cosh),
        (Op.Tanh, Sym.Tanh, Sym.Tanh, Sym.Tanh, Math.Tanh), (Op.Floor, Sym.Floor, Sym.Floor, Sym.Floor, Math.Floor),
        (Op.Ceiling, Sym.Ceiling, Sym.Ceiling, Sym.Ceiling, Math.Ceiling), (Op.Truncate, Sym.Truncate, Sym.Truncate, Sym.Truncate, Math.Truncate),
        (Op.Round, Sym.Round, Sym.Round, Sym.Round, Math.Round),
    ];

    [Fact]
    public void UnaryFunctionsOnVectorsMatricesAndScalarsAgreeWithMath() => Inputs.Sample(values =>
    {
        foreach (var (op, vector, matrix, scalar, math) in UnaryFunctions)
        {
            var expected = values.Select(math).ToArray();
            WithinTolerance(op, expected, vector(new Vec<double>(values)).Span);
            var m = matrix(new Mat<double>(values, 1, values.Length));
            Assert.Equal((1, values.Length), (m.Rows, m.Columns));
            WithinTolerance(op, expected, m.Span);
            Assert.Equal(expected, values.Select(scalar).ToArray());
        }
        var finite = values.Where(double.IsFinite).ToArray();
        Assert.Equal(finite.Select(v => (double)Math.Sign(v)).ToArray(), Sym.Sign(new Vec<double>(finite)).ToArray());
        Assert.Equal(finite.Select(Math.Sign).ToArray(), finite.Select(Sym.Sign).ToArray());
    }, iter: 30);

    [Fact]
    public void FloatFunctionsAgreeWithMathFWithinTheirTolerance() =>
        Gen.Select(Gen.Float.Array[0, 40], Gen.Float[-20, 20].Array[0, 40]).Select((a, b) => a.Concat(b).ToArray()).Sample(values =>
        {
            foreach (var (op, vector, math) in new (Op, Func<Vec<float>, Vec<float>>, Func<float, float>)[]
                     {
                         (Op.Exp, Sym.Exp, MathF.Exp), (Op.Log, Sym.Log, MathF.Log), (Op.Log2, Sym.Log2, MathF.Log2), (Op.Log10, Sym.Log10, MathF.Log10),
                         (Op.Sin, Sym.Sin, MathF.Sin), (Op.Cos, Sym.Cos, MathF.Cos), (Op.Tan, Sym.Tan, MathF.Tan), (Op.Cbrt, Sym.Cbrt, MathF.Cbrt),
                         (Op.Sinh, Sym.Sinh, MathF.Sinh), (Op.Cosh, Sym.Cosh, MathF.Cosh), (Op.Round, Sym.Round, MathF.Round),
                     })
            {
                var actual = vector(new Vec<float>(values));
                for (int i = 0; i < values.Length; i++)
                    Assert.True(Ulps(math(values[i]), actual[i]) <= OpTable.Get(op).ToleranceUlps, $"{op}({values[i]:R}) = {actual[i]:R}, MathF gives {math(values[i]):R}");
            }
        }, iter: 30);

    private static readonly Gen<(Vec<double> X, Vec<double> Y, double A)> VectorPairs =
        Gen.Int[0, 12].SelectMany(n => Gen.Select(Vector(n), Vector(n), Gen.Double[-3, 3])).Select((x, y, a) => (x, y, a));

    [Fact]
    public void BinaryFunctionsOnEveryFormAgreeWithMath() => VectorPairs.Sample(data =>
    {
        var (x, y, a) = data;
        var m = new Mat<double>(x.ToArray().Concat(y.ToArray()).ToArray(), 2, x.Length);
        var w = new Mat<double>(y.ToArray().Concat(x.ToArray()).ToArray(), 2, x.Length);
        foreach (var (op, math, vv, vs, sv, mm, mv, ms, sm, ss) in new (Op, Func<double, double, double>, Func<Vec<double>, Vec<double>, Vec<double>>, Func<Vec<double>, double, Vec<double>>,
                     Func<double, Vec<double>, Vec<double>>, Func<Mat<double>, Mat<double>, Mat<double>>, Func<Mat<double>, Vec<double>, Mat<double>>, Func<Mat<double>, double, Mat<double>>,
                     Func<double, Mat<double>, Mat<double>>, Func<double, double, double>)[]
                 {
                     (Op.Pow, Math.Pow, Sym.Pow, Sym.Pow, Sym.Pow, Sym.Pow, Sym.Pow, Sym.Pow, Sym.Pow, Sym.Pow),
                     (Op.Atan2, Math.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2, Sym.Atan2),
                     (Op.Maximum, Math.Max, Sym.Maximum, Sym.Maximum, Sym.Maximum, Sym.Maximum, Sym.Maximum, Sym.Maximum, Sym.Maximum, Sym.Maximum),
                     (Op.Minimum, Math.Min, Sym.Minimum, Sym.Minimum, Sym.Minimum, Sym.Minimum, Sym.Minimum, Sym.Minimum, Sym.Minimum, Sym.Minimum),
                 })
        {
            double[] xs = x.ToArray(), ys = y.ToArray(), ms_ = m.Span.ToArray(), ws = w.Span.ToArray();
            Assert.Equal(xs.Zip(ys, math).ToArray(), vv(x, y).ToArray());
            Assert.Equal(xs.Select(p => math(p, a)).ToArray(), vs(x, a).ToArray());
            Assert.Equal(xs.Select(p => math(a, p)).ToArray(), sv(a, x).ToArray());
            Assert.Equal(ms_.Zip(ws, math).ToArray(), mm(m, w).Span.ToArray());
            Assert.Equal(ms_.Select((p, i) => math(p, xs[i % xs.Length])).ToArray(), mv(m, x).Span.ToArray());
            Assert.Equal(ms_.Select(p => math(p, a)).ToArray(), ms(m, a).Span.ToArray());
            Assert.Equal(ms_.Select(p => math(a, p)).ToArray(), sm(a, m).Span.ToArray());
            Assert.Equal(math(a, a + 1), ss(a, a + 1));
            Assert.Equal(0, OpTable.Get(op).ToleranceUlps);
        }
        Assert.Equal(x.ToArray().Select((p, i) => Math.FusedMultiplyAdd(p, y[i], a)).ToArray(), Sym.FusedMultiplyAdd(x, y, x * 0.0 + a).ToArray());
        Assert.Equal(m.Span.ToArray().Select((p, i) => Math.FusedMultiplyAdd(p, w.Span[i], p)).ToArray(), Sym.FusedMultiplyAdd(m, w, m).Span.ToArray());
        Assert.Equal(Math.FusedMultiplyAdd(a, 2, 3), Sym.FusedMultiplyAdd(a, 2, 3));
    });

    [Fact]
    public void EagerMasksClipAndWhere() => VectorPairs.Sample(data =>
    {
        var (x, y, a) = data;
        double[] xs = x.ToArray(), ys = y.ToArray();
        var m = new Mat<double>(xs.Concat(ys).ToArray(), 2, x.Length);
        static double M(bool b) => b ? 1 : 0;
        Assert.Equal(xs.Zip(ys, (p, q) => M(p < q)).ToArray(), Sym.Less(x, y).ToArray());
        Assert.Equal(xs.Select(p => M(p <= a)).ToArray(), Sym.LessOrEqual(x, a).ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => M(p > q)).ToArray(), Sym.Greater(x, y).ToArray());
        Assert.Equal(xs.Select(p => M(p >= a)).ToArray(), Sym.GreaterOrEqual(x, a).ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => M(p == q)).ToArray(), Sym.Equal(x, y).ToArray());
        Assert.Equal(xs.Select(p => M(p != a)).ToArray(), Sym.NotEqual(x, a).ToArray());
        var mask = Sym.Greater(m, a);
        Assert.Equal(m.Span.ToArray().Select(p => M(p > a)).ToArray(), mask.Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select((p, i) => M(p < xs[i % xs.Length])).ToArray(), Sym.Less(m, x).Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => M(!double.IsNaN(p))).ToArray(), Sym.Equal(m, m).Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => p > a ? p : a).ToArray(), Sym.Where(mask, m, a).Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => p > a ? -1 : p).ToArray(), Sym.Where(mask, -1.0, m).Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => p > a ? 1.0 : 0.0).ToArray(), Sym.Where(mask, 1.0, 0.0).Span.ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => p > a ? p : -p).ToArray(), Sym.Where(mask, m, -m).Span.ToArray());
        var less = Sym.Less(x, y);
        Assert.Equal(xs.Zip(ys, (p, q) => p < q ? p : q).ToArray(), Sym.Where(less, x, y).ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => p < q ? p : a).ToArray(), Sym.Where(less, x, a).ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => p < q ? a : q).ToArray(), Sym.Where(less, a, y).ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => p < q ? a : 0).ToArray(), Sym.Where(less, a, 0.0).ToArray());
        double lo = -Math.Abs(a), hi = Math.Abs(a);
        Assert.Equal(xs.Select(p => Math.Min(Math.Max(p, lo), hi)).ToArray(), Sym.Clip(x, lo, hi).ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => Math.Min(Math.Max(p, lo), hi)).ToArray(), Sym.Clip(m, lo, hi).Span.ToArray());
        Assert.Equal(xs.Zip(ys, (p, q) => Math.Min(Math.Max(p, q), q + 1)).ToArray(), Sym.Clip(x, y, y + 1.0).ToArray());
        Assert.Equal(m.Span.ToArray().Select(p => Math.Min(Math.Max(p, p - 1), p - 0.5)).ToArray(), Sym.Clip(m, m - 1.0, m - 0.5).Span.ToArray());
        Assert.Equal(Math.Min(Math.Max(a, lo / 2), hi / 2), Sym.Clip(a, lo / 2, hi / 2));
    });

    [Fact]
    public void EagerReductions()
    {
        var x = new Vec<double>([3, -1, 7, 7, -4, 2]);
        var m = new Mat<double>([3, -1, 7, 7, -4, 2], 2, 3);
        Assert.Equal(-4, Sym.Min(x));
        Assert.Equal(-4, Sym.Min(m));
        Assert.Equal([3.0, -4, 2], Sym.Min(m, 0).ToArray());
        Assert.Equal([-1.0, -4], Sym.Min(m, 1).ToArray());
        Assert.Equal(2, Sym.ArgMax(x)); // the first of equal maxima, as numpy
        Assert.Equal(4, Sym.ArgMin(x));
        Assert.Equal(2, Sym.ArgMax(m)); // a matrix's flat index, row by row
        Assert.Equal([1.0, 0, 0], Sym.ArgMax(m, 0).ToArray());
        Assert.Equal([1.0, 1], Sym.ArgMin(m, 1).ToArray());
        // Stable: exp(1000) overflows, LogSumExp does not; -inf of nothing; an infinite max gives itself.
        Assert.Equal(1000 + Math.Log(2), Sym.LogSumExp(new Vec<double>([1000, 1000])), 12);
        Assert.Equal(-1000 + Math.Log(2), Sym.LogSumExp(new Vec<double>([-1000, -1000])), 12);
        Assert.Equal(double.NegativeInfinity, Sym.LogSumExp(new Vec<double>([])));
        Assert.Equal(double.PositiveInfinity, Sym.LogSumExp(new Vec<double>([1, double.PositiveInfinity])));
        Assert.Equal(double.NegativeInfinity, Sym.LogSumExp(new Vec<double>([double.NegativeInfinity, double.NegativeInfinity])));
        Assert.True(double.IsNaN(Sym.LogSumExp(new Vec<double>([1, double.NaN]))));
        Assert.Equal([double.NegativeInfinity, double.NegativeInfinity], Sym.LogSumExp(new Mat<double>([], 0, 2), 0).ToArray());
        Assert.Equal([1000 + Math.Log(2), 3 + Math.Log(1 + Math.Exp(-1))], Sym.LogSumExp(new Mat<double>([1000, 1000, 3, 2], 2, 2), 1).ToArray());
        Assert.Equal(Sym.LogSumExp(new Mat<double>([1000, 3, 1000, 2], 2, 2), 0).ToArray(), Sym.LogSumExp(new Mat<double>([1000, 1000, 3, 2], 2, 2), 1).ToArray());
        var logSoftmax = Sym.LogSoftmax(new Vec<double>([1000, 1000, 0]));
        Assert.Equal(-Math.Log(2), logSoftmax[0], 12);
        Assert.Equal(-1000 - Math.Log(2), logSoftmax[2], 9);
        Assert.Equal(Sym.LogSoftmax(new Vec<double>([3, 2])).ToArray(), Sym.LogSoftmax(new Mat<double>([1, 0, 3, 2], 2, 2)).Row(1).ToArray());
        Assert.Empty(Sym.LogSoftmax(new Vec<double>([])).ToArray());
        // The float results are the same indices.
        Assert.Equal(2, Sym.ArgMax(new Vec<float>([3, -1, 7, 7])));
    }

    [Fact]
    public void ArgMaxAlongEitherAxisAgreesWithTheFlatIndexOnTiesZerosAndNaN() =>
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5]).SelectMany((r, c) => Gen.Int[0, 5].Select(i => new[] { 0.0, -0.0, 1.0, -1.0, double.NaN, 2.0 }[i]).Array[r * c].Select(v => new Mat<double>(v, r, c)))
            .Sample(m =>
            {
                var transposed = new Mat<double>(Enumerable.Range(0, m.Rows * m.Columns).Select(i => m[i % m.Rows, i / m.Rows]).ToArray(), m.Columns, m.Rows);
                foreach (var op in new[] { Op.ArgMax, Op.ArgMin })
                {
                    Func<Mat<double>, int, Vec<double>> along = op == Op.ArgMax ? Sym.ArgMax : Sym.ArgMin;
                    Func<Vec<double>, int> flat = op == Op.ArgMax ? Sym.ArgMax : Sym.ArgMin;
                    Assert.Equal(along(m, 1).ToArray(), along(transposed, 0).ToArray());
                    for (int r = 0; r < m.Rows; r++) Assert.Equal(flat(m.Row(r)), along(m, 1)[r]);
                }
            });

    [Fact]
    public void TheTensorApiBuildsAndInterpretsTheNewOps()
    {
        Vec<double> xs = new([0.5, -2, 3]);
        var ms = new Mat<double>([1, 5, -2, 0, 0, 7], 2, 3);
        var x = Tensor.Vector("x");
        var m = Tensor.Matrix("m");
        var results = Tensor.Function([x, m],
        [
            Tensor.ArgMax(x), Tensor.ArgMin(m, 1), Tensor.Min(m, 0), Tensor.LogSumExp(x), Tensor.LogSoftmax(m),
            Tensor.Clip(x, Tensor.Constant(-1.0), Tensor.Constant(1.0)), Tensor.Where(Tensor.LessOrEqual(x, Tensor.Constant(0.0)), x, Tensor.Constant(0.0)),
            Tensor.Apply(Op.Atan2, m, x), Tensor.Equal(m, Tensor.Constant(0.0)), Tensor.Apply(Op.Sign, m),
        ]).Invoke(xs, ms);
        Assert.Equal(Sym.ArgMax(xs), (int)results[0]);
        Assert.Equal(Sym.ArgMin(ms, 1), (Vec<double>)results[1]);
        Assert.Equal(Sym.Min(ms, 0), (Vec<double>)results[2]);
        Assert.Equal(Sym.LogSumExp(xs), (double)results[3]);
        Assert.Equal(Sym.LogSoftmax(ms), (Mat<double>)results[4]);
        Assert.Equal(Sym.Clip(xs, -1.0, 1.0), (Vec<double>)results[5]);
        Assert.Equal(Sym.Where(Sym.LessOrEqual(xs, 0.0), xs, 0.0), (Vec<double>)results[6]);
        Assert.Equal(Sym.Atan2(ms, xs), (Mat<double>)results[7]);
        Assert.Equal(new[] { 0.0, 0, 0, 1, 1, 0 }, ((Mat<double>)results[8]).Span.ToArray());
        Assert.Equal(new[] { 1.0, 1, -1, 0, 0, 1 }, ((Mat<double>)results[9]).Span.ToArray());
    }

    // ---- Errors ---------------------------------------------------------------------------------------------------

    [Fact]
    public void ShapeMismatchesAreTheShapeRulesWords()
    {
        Vec<double> three = new([1.0, 2, 3]), four = new([1.0, 2, 3, 4]);
        var matrix = Mat<double>.Zeros(2, 3);
        Assert.Equal("Pow: the lengths of the operands of Pow must be equal; they are 3 and 4.", Assert.Throws<ArgumentException>(() => Sym.Pow(three, four)).Message);
        Assert.Equal("Less: the vector's length and the matrix's columns in Less must be equal; they are 3 and 4.",
            Assert.Throws<ArgumentException>(() => Sym.Less(matrix, four)).Message);
        Assert.Equal("Select: the lengths of the operands of Select must be equal; they are 3 and 4.",
            Assert.Throws<ArgumentException>(() => Sym.Where(three, four, 0.0)).Message);
        Assert.Equal("Clip: the lengths of the operands of Clip must be equal; they are 3 and 4.", Assert.Throws<ArgumentException>(() => Sym.Clip(three, four, four)).Message);
        Assert.Throws<ArgumentException>(() => Sym.FusedMultiplyAdd(matrix, Mat<double>.Zeros(3, 2), matrix));
    }

    [Fact]
    public void ReductionsOfNothingAndBadAxes()
    {
        var empty = new Vec<double>([]);
        var error = Assert.Throws<ArgumentException>(() => Sym.ArgMax(empty));
        Assert.Equal(("ArgMax of an empty vector has no value. (Parameter 'x')", "x"), (error.Message, error.ParamName));
        Assert.Equal("ArgMin of an empty matrix has no value. (Parameter 'x')", Assert.Throws<ArgumentException>(() => Sym.ArgMin(Mat<double>.Zeros(0, 3))).Message);
        Assert.Equal("Min of an empty vector has no value. (Parameter 'x')", Assert.Throws<ArgumentException>(() => Sym.Min(empty)).Message);
        Assert.Equal("Min of zero rows has no value. (Parameter 'x')", Assert.Throws<ArgumentException>(() => Sym.Min(Mat<double>.Zeros(0, 3), 0)).Message);
        Assert.Equal("ArgMax of zero rows has no value. (Parameter 'x')", Assert.Throws<ArgumentException>(() => Sym.ArgMax(Mat<double>.Zeros(0, 3), 0)).Message);
        Assert.Equal("ArgMax of an empty row has no value. (Parameter 'x')", Assert.Throws<ArgumentException>(() => Sym.ArgMax(Mat<double>.Zeros(2, 0), 1)).Message);
        Assert.Empty(Sym.ArgMax(Mat<double>.Zeros(0, 3), 1).ToArray());
        Assert.Equal("axis", Assert.Throws<ArgumentOutOfRangeException>(() => Sym.ArgMax(Mat<double>.Zeros(2, 2), 2)).ParamName);
        Assert.Equal("axis", Assert.Throws<ArgumentOutOfRangeException>(() => Sym.LogSumExp(Mat<double>.Zeros(2, 2), -1)).ParamName);
        Assert.Throws<ArgumentException>(() => Kernels.ArgReduce<double>(Op.Max, [1.0], Dims.Vector(1)));
    }
}
