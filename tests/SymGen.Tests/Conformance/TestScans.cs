using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using SymGen.Tests.Graphs;
using SymGen.Tests.Semantics;
using SymGen.Tests.SharedState;
using SymGen.Tests.Tensors;
using static SymGen.Tests.Tensors.TensorTestData;
using G = SymGen.Tests.Gradients;

namespace SymGen.Tests.Conformance;

/// <summary>
/// A scan of the tests with random arguments for every engine, and where there is one, a plain C# loop that calls
/// the step method directly: it returns the scan's outputs in order (null: nothing to compare for these
/// arguments), or throws the exception the scan must throw (an <see cref="ArgumentException"/> names the parameter).
/// </summary>
public sealed record ScanCase(ScanUnderTest Scan, Gen<object[]> Arguments, Func<object[], object?[]?>? Loop = null)
{
    public override string ToString() => Scan.Name;
}

/// <summary>Every scan of the tests project and of the demo (samples/SeedScans), as the conformance suite runs them.</summary>
public static class TestScans
{
    // ---- The reference cases' scans (also run on the reference file's values, see ReferenceRuns).
    public static readonly ScanUnderTest CumSum = ScanUnderTest.Of(a => ConformanceScans.CumSum((double[])a[0], (double)a[1]), () => ConformanceScans.CumSumGraph);
    public static readonly ScanUnderTest CumSumSteps = ScanUnderTest.Of(a => ConformanceScans.CumSumSteps((double[])a[0], (double)a[1], (int)a[2]), () => ConformanceScans.CumSumStepsGraph);
    public static readonly ScanUnderTest CumSumBackwards = ScanUnderTest.Of(a => ConformanceScans.CumSumBackwards((double[])a[0], (double)a[1]), () => ConformanceScans.CumSumBackwardsGraph);
    public static readonly ScanUnderTest PolynomialComponents = ScanUnderTest.Of(a => ConformanceScans.PolynomialComponents((double[])a[0], (long[])a[1], (double)a[2]), () => ConformanceScans.PolynomialComponentsGraph);
    public static readonly ScanUnderTest SequenceTaps = ScanUnderTest.Of(a => ConformanceScans.SequenceTaps((double[])a[0]), () => ConformanceScans.SequenceTapsGraph);
    public static readonly ScanUnderTest OutputTaps = ScanUnderTest.Of(a => ConformanceScans.OutputTaps((double[])a[0], (int)a[1]), () => ConformanceScans.OutputTapsGraph);
    public static readonly ScanUnderTest MixedOutputs = ScanUnderTest.Of(a => ConformanceScans.MixedOutputs((double[])a[0], (double)a[1], (double[])a[2]), () => ConformanceScans.MixedOutputsGraph);
    public static readonly ScanUnderTest Fibonacci = ScanUnderTest.Of(a => ConformanceScans.Fibonacci((double[])a[0], (int)a[1]), () => ConformanceScans.FibonacciGraph);
    public static readonly ScanUnderTest RunningRowSum = ScanUnderTest.Of(a => TensorConformanceScans.RunningRowSum((Mat<double>)a[0], (Vec<double>)a[1]), () => TensorConformanceScans.RunningRowSumGraph);
    public static readonly ScanUnderTest RowSumsAndProducts = ScanUnderTest.Of(a => TensorConformanceScans.RowSumsAndProducts((Mat<double>)a[0]), () => TensorConformanceScans.RowSumsAndProductsGraph);
    public static readonly ScanUnderTest Counter = ScanUnderTest.Of(a => SharedScans.Counter((long)a[0], (Shared<double>)a[1]), () => SharedScans.CounterGraph);
    public static readonly ScanUnderTest DoubleUntil = ScanUnderTest.Of(a => SharedScans.DoubleUntil((double)a[0], (int)a[1]), () => SharedScans.DoubleUntilGraph);

    private static readonly Gen<double[]> AnyDoubles = Gen.Double.Array[0, 40]; // special values included
    private static readonly Gen<int> Steps = Gen.Int[0, 8];

    private static readonly Gen<object[]> RnnArguments =
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 5]).SelectMany((n, h) => Gen.Select(Matrix(n, h), Vector(h), Matrix(h, h))).Select((X, h0, W) => new object[] { X, h0, W });


    private static object[] Args(params object[] arguments) => arguments;

    /// <summary>An index below <paramref name="below"/> but now and then one out of range at either end (-1, below).</summary>
    private static Gen<int> MostlyBelow(int below) => Gen.Frequency((15, Gen.Int[0, below - 1]), (1, Gen.OneOf(Gen.Const(-1), Gen.Const(below))));

    /// <summary>Every scan's case. <see cref="ConformanceSuite.EveryScanOfTheTestsIsInTheSuite"/> keeps the list whole.</summary>
    public static readonly IReadOnlyList<ScanCase> Cases =
    [
        // ---- Debugging (issue 13): scans that print, and the scans the modes' tests route (every engine agrees).
        new(ScanUnderTest.Of(a => Debugging.PrintScans.PrintTimesFive((double[])a[0]), () => Debugging.PrintScans.PrintTimesFiveGraph), Gen.Double[-9, 9].Array[0, 6].Select(x => Args(x))),
        new(ScanUnderTest.Of(a => Debugging.PrintScans.PrintRowsTimesFive((Mat<double>)a[0]), () => Debugging.PrintScans.PrintRowsTimesFiveGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 3]).SelectMany((n, k) => Matrix(n, k)).Select(m => Args(m))),
        new(ScanUnderTest.Of(a => Debugging.PrintScans.PrintAccumulate((double[])a[0], (double)a[1], (double)a[2]), () => Debugging.PrintScans.PrintAccumulateGraph),
            Gen.Select(Gen.Double[-9, 9].Array[0, 6], Gen.Double[-9, 9], Gen.Double[-9, 9]).Select((x, h, w) => Args(x, h, w))),
        new(ScanUnderTest.Of(a => Debugging.ModeScans.Ema((double[])a[0], (double)a[1], (double)a[2]), () => Debugging.ModeScans.EmaGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Double[0, 1]).Select((x, h, w) => Args(x, h, w))),
        new(ScanUnderTest.Of(a => Debugging.ModeScans.EmaIn((double[])a[0], (double)a[1], (double)a[2], null), () => Debugging.ModeScans.EmaInGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Double[0, 1]).Select((x, h, w) => Args(x, h, w))),
        new(ScanUnderTest.Of(a => Debugging.ModeScans.LogSums((double[])a[0], (double)a[1]), () => Debugging.ModeScans.LogSumsGraph),
            Gen.Select(Gen.Double[-2, 9].Array[0, 20], Gen.Double[-9, 9]).Select((x, s) => Args(x, s))),
        new(ScanUnderTest.Of(a => { Debugging.ModeScans.Accumulate((double[])a[0], (Shared<double>)a[1]); return null; }, () => Debugging.ModeScans.AccumulateGraph),
            Gen.Select(AnyDoubles, Gen.Double).Select((x, t) => Args(x, new Shared<double>("total", t)))),
        new(ScanUnderTest.Of(a => Debugging.ModeScans.PrintTimesFive((double[])a[0]), () => Debugging.ModeScans.PrintTimesFiveGraph), Gen.Double[-9, 9].Array[0, 6].Select(x => Args(x))),

        // ---- Conformance: scalar steps, each against its step method in a plain loop (bit for bit).
        new(CumSum, Gen.Select(AnyDoubles, Gen.Double).Select((x, h0) => Args(x, h0)), a =>
        {
            var (x, h) = ((double[])a[0], (double)a[1]);
            return [x.Select(v => h = ConformanceScans.CumSumStep(v, h)).ToArray()];
        }),
        new(CumSumSteps, Gen.Select(AnyDoubles, Gen.Double, Gen.Int[0, 45]).Select((x, h0, n) => Args(x, h0, n)), a =>
        {
            var (x, h, n) = ((double[])a[0], (double)a[1], (int)a[2]);
            if (n > x.Length) throw new ArgumentException("fewer elements than steps", "x");
            return [x.Take(n).Select(v => h = ConformanceScans.CumSumStep(v, h)).ToArray()];
        }),
        new(CumSumBackwards, Gen.Select(AnyDoubles, Gen.Double).Select((x, h0) => Args(x, h0)), a =>
        {
            var (x, h) = ((double[])a[0], (double)a[1]);
            return [x.Reverse().Select(v => h = ConformanceScans.CumSumStep(v, h)).ToArray()];
        }),
        new(PolynomialComponents, Gen.Select(AnyDoubles, Gen.Long[-5, 5].Array[0, 40], Gen.Double[-3, 3]).Select((c, p, x) => Args(c, p, x)), a =>
        {
            var (coef, powers, x) = ((double[])a[0], (long[])a[1], (double)a[2]);
            return [coef.Zip(powers, (c, p) => ConformanceScans.PolynomialTerm(c, p, x)).ToArray()];
        }),
        new(SequenceTaps, AnyDoubles.Select(s => Args(s)), a =>
        {
            // taps [-3, 2, -1]: step t reads s[t], s[t+5], s[t+2]; fewer than 5 elements cannot be read at all.
            var s = (double[])a[0];
            if (s.Length < 5) throw new ArgumentException("shorter than its taps' span", "s");
            return [Enumerable.Range(0, s.Length - 5).Select(t => ConformanceScans.ThreeTaps(s[t], s[t + 5], s[t + 2])).ToArray()];
        }),
        new(OutputTaps, Gen.Select(Gen.Double.Array[5, 8], Gen.Int[0, 30]).Select((y0, n) => Args(y0, n)), a =>
        {
            // taps [-3, -5] from the first 5 rows: y[j] lives at buffer[j + 5].
            var (y0, n) = ((double[])a[0], (int)a[1]);
            var buffer = y0.Take(5).ToList();
            for (int t = 0; t < n; t++) buffer.Add(ConformanceScans.TwoPast(buffer[t + 2], buffer[t]));
            return [buffer.Skip(5).ToArray()];
        }),
        new(MixedOutputs, Gen.Select(AnyDoubles, Gen.Double, Gen.Double.Array[2]).Select((x, h0, z0) => Args(x, h0, z0)), a =>
        {
            var (x, h0, z0) = ((double[])a[0], (double)a[1], (double[])a[2]);
            var (m, h, z) = (new double[x.Length], new double[x.Length], new double[x.Length]);
            double hPrev = h0, z2 = z0[0], z1 = z0[1];
            for (int t = 0; t < x.Length; t++)
            {
                (m[t], h[t], z[t]) = ConformanceScans.Mixed(x[t], hPrev, z2, z1);
                (hPrev, z2, z1) = (h[t], z1, z[t]);
            }
            return [m, h, z];
        }),
        new(Fibonacci, Gen.Select(Gen.Double.Array[2], Gen.Int[0, 30]).Select((f0, n) => Args(f0, n)), a =>
        {
            var (f0, n) = ((double[])a[0], (int)a[1]);
            var (y2, y1, trace) = (f0[0], f0[1], new double[n]);
            for (int t = 0; t < n; t++) (y2, y1) = (y1, trace[t] = ConformanceScans.FibonacciStep(y2, y1));
            return [trace];
        }),

        // ---- Conformance: vector steps.
        new(RunningRowSum, Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Vector(k))).Select((X, h0) => Args(X, h0)), a =>
        {
            var (X, h) = ((Mat<double>)a[0], (Vec<double>)a[1]);
            return Loop.Rows(X.Rows, t => h = TensorConformanceScans.AccumulateRow(X.Row(t), h), () => h);
        }),
        new(RowSumsAndProducts, Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Matrix(n, k)).Select(X => Args(X)), a =>
        {
            var X = (Mat<double>)a[0];
            return Loop.Rows(X.Rows, t => TensorConformanceScans.SumAndProduct(X.Row(t)));
        }),

        // ---- Each op's emitted kernel against its eager kernel: the step method called on the same rows.
        new(ScanUnderTest.Of(a => OpScans.UnaryOps((Mat<double>)a[0]), () => OpScans.UnaryOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 8]).SelectMany((n, k) => Matrix(n, k)).Select(x => Args(x)), a =>
            {
                var x = (Mat<double>)a[0];
                return Loop.Rows(x.Rows, t => OpScans.Unary(x.Row(t)), () => OpScans.Unary(Vec<double>.Zeros(x.Columns)));
            }),
        new(ScanUnderTest.Of(a => OpScans.BinaryOps((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]), () => OpScans.BinaryOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 8]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Matrix(n, k), Gen.Double[0.5, 3])).Select((x, y, s) => Args(x, y, s)), a =>
            {
                var (x, y, s) = ((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]);
                return Loop.Rows(x.Rows, t => OpScans.Binary(x.Row(t), y.Row(t), s));
            }),
        new(ScanUnderTest.Of(a => OpScans.ContractionOps((Mat<double>)a[0], (Mat<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Mat<double>)a[4]), () => OpScans.ContractionOpsGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[1, 5])
                .SelectMany((n, r, k, m) => Gen.Select(Matrix(n, k), Matrix(n, k), Matrix(r, k), Matrix(k, m), Matrix(r, k))).Select((x, y, W, V, M) => Args(x, y, W, V, M)), a =>
            {
                var (x, y, W, V, M) = ((Mat<double>)a[0], (Mat<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Mat<double>)a[4]);
                return Loop.Rows(x.Rows, t => OpScans.Contractions(x.Row(t), y.Row(t), W, V, M));
            }),
        new(ScanUnderTest.Of(a => OpScans.Rnn((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4]), () => OpScans.RnnGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany((n, h, k) => Gen.Select(Matrix(n, k), Vector(h), Matrix(h, h), Matrix(h, k), Vector(h)))
                .Select((xs, h0, W, U, b) => Args(xs, h0, W, U, b)), a =>
            {
                var (xs, h, W, U, b) = ((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4]);
                return Loop.Rows(xs.Rows, t => h = OpScans.Elman(xs.Row(t), h, W, U, b));
            }),
        new(ScanUnderTest.Of(a => OpScans.RnnF((Mat<float>)a[0], (Vec<float>)a[1], (Mat<float>)a[2], (Mat<float>)a[3], (Vec<float>)a[4]), () => OpScans.RnnFGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany((n, h, k) => Gen.Select(Matrix(n, k), Vector(h), Matrix(h, h), Matrix(h, k), Vector(h)))
                .Select((xs, h0, W, U, b) => Args(Single(xs), Single(h0), Single(W), Single(U), Single(b))), a =>
            {
                var (xs, h, W, U, b) = ((Mat<float>)a[0], (Vec<float>)a[1], (Mat<float>)a[2], (Mat<float>)a[3], (Vec<float>)a[4]);
                return Loop.Rows(xs.Rows, t => h = OpScans.ElmanF(xs.Row(t), h, W, U, b));
            }),
        new(ScanUnderTest.Of(a => OpScans.MomentumTaps((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]), () => OpScans.MomentumTapsGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 5]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Matrix(3, k), Gen.Double[0, 1])).Select((g, v0, d) => Args(g, v0, d)), a =>
            {
                // taps [-2, -1] read the first two rows of v0: v0[0] = v[-2], v0[1] = v[-1].
                var (g, v0, decay) = ((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]);
                var (v2, v1) = (v0.Row(0), v0.Row(1));
                return Loop.Rows(g.Rows, t =>
                {
                    var (v, sum) = OpScans.Momentum(g.Row(t), v2, v1, decay);
                    (v2, v1) = (v1, v);
                    return (v, sum);
                });
            }),
        new(ScanUnderTest.Of(a => OpScans.MatrixStates((Tensor3<double>)a[0], (Mat<double>)a[1], (Vec<double>)a[2]), () => OpScans.MatrixStatesGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((n, r, c) =>
                Gen.Select(Values(n * r * c), Matrix(r, c), Vector(c)).Select((x, s0, v) => Args(new Tensor3<double>(x, n, r, c), s0, v))), a =>
            {
                var (x, s, v) = ((Tensor3<double>)a[0], (Mat<double>)a[1], (Vec<double>)a[2]);
                return Loop.Rows(x.Length, t =>
                {
                    var (next, p) = OpScans.MatrixState(x[t], s, v);
                    s = next;
                    return (next, p);
                }, () => OpScans.MatrixState(s, s, v));
            }),

        // ---- The ops users reached for (NewOpTests): each step method on the same rows.
        new(ScanUnderTest.Of(a => NewOpScans.UnaryOps((Mat<double>)a[0]), () => NewOpScans.UnaryOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Matrix(n, k)).Select(x => Args(x)), a =>
            {
                var x = (Mat<double>)a[0];
                return Loop.Rows(x.Rows, t => NewOpScans.Unary(x.Row(t)), () => NewOpScans.Unary(Vec<double>.Zeros(x.Columns)));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.BinaryOps((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]), () => NewOpScans.BinaryOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Matrix(n, k), Gen.Double[0.5, 3])).Select((x, y, s) => Args(x, y, s)), a =>
            {
                var (x, y, s) = ((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]);
                return Loop.Rows(x.Rows, t => NewOpScans.Binary(x.Row(t), y.Row(t), s));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.MatrixMathOps((Tensor3<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (double)a[3]), () => NewOpScans.MatrixMathOpsGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((n, r, c) =>
                Gen.Select(Values(n * r * c), Vector(c), Matrix(r, c), Gen.Double[0.5, 3]).Select((m, v, w, s) => Args(new Tensor3<double>(m, n, r, c), v, w, s))), a =>
            {
                var (m, v, w, s) = ((Tensor3<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (double)a[3]);
                return Loop.Rows(m.Length, t => NewOpScans.MatrixMath(m[t], v, w, s), () => NewOpScans.MatrixMath(w, v, w, s));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.MaskOps((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]), () => NewOpScans.MaskOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Matrix(n, k), Gen.Double[-1, 1])).Select((x, y, s) => Args(x, y, s)), a =>
            {
                var (x, y, s) = ((Mat<double>)a[0], (Mat<double>)a[1], (double)a[2]);
                return Loop.Rows(x.Rows, t => NewOpScans.Masks(x.Row(t), y.Row(t), s));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.MatrixMaskOps((Tensor3<double>)a[0], (Mat<double>)a[1], (double[])a[2], (Mat<double>)a[3]), () => NewOpScans.MatrixMaskOpsGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((n, r, c) =>
                Gen.Select(Values(n * r * c), Matrix(n, c), Values(n), Matrix(r, c)).Select((m, v, s, w) => Args(new Tensor3<double>(m, n, r, c), v, s, w))), a =>
            {
                var (m, v, s, w) = ((Tensor3<double>)a[0], (Mat<double>)a[1], (double[])a[2], (Mat<double>)a[3]);
                return Loop.Rows(m.Length, t => NewOpScans.MatrixMasks(m[t], v.Row(t), s[t], w));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.ReductionOps((Mat<double>)a[0], (Tensor3<double>)a[1]), () => NewOpScans.ReductionOpsGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((n, k, r, c) =>
                Gen.Select(Matrix(n, k), Values(n * r * c)).Select((x, m) => Args(x, new Tensor3<double>(m, n, r, c)))), a =>
            {
                var (x, m) = ((Mat<double>)a[0], (Tensor3<double>)a[1]);
                return Loop.Rows(x.Rows, t => NewOpScans.Reductions(x.Row(t), m[t]));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.ScalarOps((double[])a[0], (double[])a[1]), () => NewOpScans.ScalarOpsGraph),
            // Any doubles: Sign of NaN throws, and must throw alike in every engine.
            Gen.Int[0, 10].SelectMany(n => Gen.Select(Gen.Double.Array[n], Gen.Double.Array[n])).Select((x, y) => Args(x, y)), a =>
            {
                var (x, y) = ((double[])a[0], (double[])a[1]);
                return Loop.Rows(x.Length, t => NewOpScans.Scalars(x[t], y[t]), () => NewOpScans.Scalars(0, 0));
            }),
        new(ScanUnderTest.Of(a => NewOpScans.FloatOps((Mat<float>)a[0], (Mat<float>)a[1]), () => NewOpScans.FloatOpsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 6]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Matrix(n, k))).Select((x, y) => Args(Single(x), Single(y))), a =>
            {
                var (x, y) = ((Mat<float>)a[0], (Mat<float>)a[1]);
                return Loop.Rows(x.Rows, t => NewOpScans.Floats(x.Row(t), y.Row(t)));
            }),

        // ---- Structural ops and integer indexing (StructuralOpTests); indices in range but now and then.
        new(ScanUnderTest.Of(a => StructuralOpScans.StructuralOps((Tensor3<double>)a[0], (Mat<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3]), () => StructuralOpScans.StructuralOpsGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((n, s, m, k, l) =>
                Gen.Select(Values(n * s * s), Matrix(n, s), Matrix(n, m), Matrix(k, l)).Select((x, u, v, M) => Args(new Tensor3<double>(x, n, s, s), u, v, M))), a =>
            {
                var (x, u, v, M) = ((Tensor3<double>)a[0], (Mat<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3]);
                return Loop.Rows(x.Length, t => StructuralOpScans.Structural(x[t], u.Row(t), v.Row(t), M),
                    () => StructuralOpScans.Structural(Mat<double>.Zeros(x.Rows, x.Rows), Vec<double>.Zeros(x.Rows), Vec<double>.Zeros(v.Columns), M));
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.StructuralOpsF((Tensor3<float>)a[0], (Mat<float>)a[1]), () => StructuralOpScans.StructuralOpsFGraph),
            Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5]).SelectMany((n, s) =>
                Gen.Select(Values(n * s * s), Matrix(n, s)).Select((x, u) => Args(new Tensor3<float>(Array.ConvertAll(x, d => (float)d), n, s, s), Single(u)))), a =>
            {
                var (x, u) = ((Tensor3<float>)a[0], (Mat<float>)a[1]);
                return Loop.Rows(x.Length, t => StructuralOpScans.StructuralF(x[t], u.Row(t)));
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.IndexingOps((int[])a[0], (long[])a[1], (Mat<double>)a[2], (Vec<double>)a[3], (Mat<double>)a[4]), () => StructuralOpScans.IndexingOpsGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 5]).SelectMany((n, rows, d, m) =>
                Gen.Select(MostlyBelow(rows).Array[n], MostlyBelow(m).Select(y => (long)y).Array[n], Matrix(n, m), Vector(rows), Matrix(rows, d)))
                .Select((i, y, p, table, E) => Args(i, y, p, table, E)), a =>
            {
                var (i, y, p, table, E) = ((int[])a[0], (long[])a[1], (Mat<double>)a[2], (Vec<double>)a[3], (Mat<double>)a[4]);
                return Loop.Rows(i.Length, t => StructuralOpScans.Indexing(i[t], y[t], p.Row(t), table, E));
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.PointerChase((int)a[0], (int)a[1], (Vec<double>)a[2], (Vec<double>)a[3]), () => StructuralOpScans.PointerChaseGraph),
            Gen.Int[1, 6].SelectMany(n => Gen.Select(Gen.Int[0, 12], MostlyBelow(n), MostlyBelow(n).Select(k => (double)k).Array[n], Vector(n)))
                .Select((steps, k0, successors, values) => Args(steps, k0, new Vec<double>(successors), values)), a =>
            {
                var (steps, k, successors, values) = ((int)a[0], (int)a[1], (Vec<double>)a[2], (Vec<double>)a[3]);
                return Loop.Rows(steps, t =>
                {
                    var next = StructuralOpScans.Chase(k, successors, values);
                    k = next.k;
                    return next;
                });
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.LongWalk((int)a[0], (long)a[1], (Vec<float>)a[2]), () => StructuralOpScans.LongWalkGraph),
            // Up to one step past the end: the last step's index is then out of range.
            Gen.Int[1, 8].SelectMany(n => Gen.Int[0, n - 1].SelectMany(j0 => Gen.Select(Gen.Int[0, n - j0 + 1], Vector(n))
                .Select((steps, values) => Args(steps, (long)j0, Single(values))))), a =>
            {
                var (steps, j, values) = ((int)a[0], (long)a[1], (Vec<float>)a[2]);
                return Loop.Rows(steps, t =>
                {
                    var next = StructuralOpScans.Walk(j, values);
                    j = next.j;
                    return next;
                });
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.EmbeddingRnn((int[])a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Mat<double>)a[4], (Vec<double>)a[5]), () => StructuralOpScans.EmbeddingRnnGraph),
            Gen.Select(Gen.Int[0, 8], Gen.Int[1, 8], Gen.Int[1, 5], Gen.Int[1, 5]).SelectMany((n, vocabulary, d, h) =>
                Gen.Select(MostlyBelow(vocabulary).Array[n], Vector(h), Matrix(vocabulary, d), Matrix(h, h), Matrix(h, d), Vector(h)))
                .Select((tokens, h0, E, W, U, b) => Args(tokens, h0, E, W, U, b)), a =>
            {
                var (tokens, h, E, W, U, b) = ((int[])a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Mat<double>)a[4], (Vec<double>)a[5]);
                var h0 = h;
                return Loop.Rows(tokens.Length, t => h = StructuralOpScans.EmbedElman(tokens[t], h, E, W, U, b), () => h0);
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.CrossEntropyLoss((Mat<double>)a[0], (long[])a[1], (double)a[2]), () => StructuralOpScans.CrossEntropyLossGraph),
            Gen.Select(Gen.Int[0, 8], Gen.Int[1, 6]).SelectMany((n, classes) => Gen.Select(Matrix(n, classes), MostlyBelow(classes).Select(y => (long)y).Array[n], Gen.Double[-1, 1]))
                .Select((logits, target, total0) => Args(logits, target, total0)), a =>
            {
                var (logits, target, total) = ((Mat<double>)a[0], (long[])a[1], (double)a[2]);
                return Loop.Rows(logits.Rows, t =>
                {
                    var next = StructuralOpScans.CrossEntropy(logits.Row(t), target[t], total);
                    total = next.total;
                    return next;
                }, () => (0.0, 0.0));
            }),
        new(ScanUnderTest.Of(a => StructuralOpScans.ConstantIndexOps((double[])a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => StructuralOpScans.ConstantIndexOpsGraph),
            // The step reads table[5] and E[5]: out of range for 5 elements or rows or fewer.
            Gen.Select(Gen.Int[0, 5], Gen.Int[4, 9], Gen.Int[4, 9], Gen.Int[1, 4]).SelectMany((n, length, rows, c) => Gen.Select(Values(n), Vector(length), Matrix(rows, c)))
                .Select((x, table, E) => Args(x, table, E)), a =>
            {
                var (x, table, E) = ((double[])a[0], (Vec<double>)a[1], (Mat<double>)a[2]);
                return Loop.Rows(x.Length, t => StructuralOpScans.ConstantIndex(x[t], table, E), () => (0.0, Vec<double>.Zeros(E.Columns)));
            }),

        // ---- The scan rules beyond the reference file (docs/scan-semantics.md).
        new(ScanUnderTest.Of(a => SemanticsScans.BackwardsTaps((double[])a[0]), () => SemanticsScans.BackwardsTapsGraph), AnyDoubles.Select(s => Args(s))),
        new(ScanUnderTest.Of(a => SemanticsScans.BackwardsSteps((double[])a[0], (double)a[1], (int)a[2]), () => SemanticsScans.BackwardsStepsGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Int[0, 40]).Select((x, h0, n) => Args(x, h0, Math.Min(n, x.Length))), a =>
            {
                var (x, h, n) = ((double[])a[0], (double)a[1], (int)a[2]);
                return [x.Reverse().Take(n).Select(v => h = SemanticsScans.Accumulate(v, h)).ToArray()];
            }),
        new(ScanUnderTest.Of(a => SemanticsScans.ForwardSteps((double[])a[0], (double)a[1], (long)a[2]), () => SemanticsScans.ForwardStepsGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Long[0, 8]).Select((x, h0, n) => Args(x, h0, n))),
        new(ScanUnderTest.Of(a => SemanticsScans.TwoBack((double[])a[0], (int)a[1]), () => SemanticsScans.TwoBackGraph),
            Gen.Select(Gen.Double.Array[2, 4], Steps).Select((y0, n) => Args(y0, n))),
        new(ScanUnderTest.Of(a => SemanticsScans.TwoSequences((double[])a[0], (double[])a[1]), () => SemanticsScans.TwoSequencesGraph),
            Gen.Select(AnyDoubles, AnyDoubles).Select((x, y) => Args(x, y))),
        new(ScanUnderTest.Of(a => SemanticsScans.AroundSum((double[])a[0]), () => SemanticsScans.AroundSumGraph), AnyDoubles.Select(x => Args(x))),
        new(ScanUnderTest.Of(a => SemanticsScans.AroundSumSteps((double[])a[0], (int)a[1]), () => SemanticsScans.AroundSumStepsGraph),
            Gen.Select(AnyDoubles, Steps).Select((x, n) => Args(x, n))),
        new(ScanUnderTest.Of(a => SemanticsScans.IntAndFloat((int[])a[0], (float[])a[1], (int)a[2]), () => SemanticsScans.IntAndFloatGraph),
            Gen.Select(Gen.Int.Array[0, 40], Gen.Float.Array[0, 40], Gen.Int).Select((i, f, d) => Args(i, f, d)), a =>
            {
                // Integer division throws for a zero divisor and for int.MinValue / -1: the scan throws the same.
                var (i, f, divisor) = ((int[])a[0], (float[])a[1], (int)a[2]);
                var steps = Enumerable.Range(0, Math.Min(i.Length, f.Length)).Select(t => SemanticsScans.Mixed(i[t], f[t], divisor)).ToArray();
                return [steps.Select(s => s.Item1).ToArray(), steps.Select(s => s.Item2).ToArray()];
            }),
        new(ScanUnderTest.Of(a => SemanticsScans.ClippedSum((double[])a[0], (double)a[1], (double)a[2]), () => SemanticsScans.ClippedSumGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Double[0, 100]).Select((x, start, limit) => Args(x, start, limit)), a =>
            {
                var (x, h, limit) = ((double[])a[0], (double)a[1], (double)a[2]);
                return [x.Select(v => h = SemanticsScans.Clipped(v, h, limit)).ToArray()];
            }),
        new(ScanUnderTest.Of(a => SemanticsScans.NameClash((double[])a[0], (double)a[1]), () => SemanticsScans.NameClashGraph),
            Gen.Select(AnyDoubles, Gen.Double).Select((t, steps) => Args(t, steps))),
        new(ScanUnderTest.Of(a => SemanticsScans.Ones((double[])a[0]), () => SemanticsScans.OnesGraph), AnyDoubles.Select(x => Args(x))),
        new(ScanUnderTest.Of(a => SemanticsScans.Signs((double[])a[0]), () => SemanticsScans.SignsGraph), AnyDoubles.Select(x => Args(x))),
        new(ScanUnderTest.Of(a => SemanticsScans.Swap((double)a[0], (double)a[1], (int)a[2]), () => SemanticsScans.SwapGraph),
            Gen.Select(Gen.Double, Gen.Double, Steps).Select((x, y, n) => Args(x, y, n))),
        new(ScanUnderTest.Of(a => SemanticsScans.DelayLine((double[])a[0], (int)a[1]), () => SemanticsScans.DelayLineGraph),
            Gen.Select(Gen.Double.Array[2], Steps).Select((y0, n) => Args(y0, n))),

        // ---- Shared variables, updates and until.
        new(Counter, Gen.Select(Gen.Long[0, 8], Gen.Double).Select((n, c) => Args(n, new Shared<double>("c", c)))),
        new(DoubleUntil, Gen.Select(Gen.Double, Gen.Int[0, 20]).Select((h0, n) => Args(h0, n))),
        new(ScanUnderTest.Of(a => { SharedScans.Swap((Shared<double>)a[0], (Shared<double>)a[1], (int)a[2]); return null; }, () => SharedScans.SwapGraph),
            Gen.Select(Gen.Double, Gen.Double, Steps).Select((x, y, n) => Args(new Shared<double>("x", x), new Shared<double>("y", y), n))),
        new(ScanUnderTest.Of(a => SharedScans.Quotients((int[])a[0], (Shared<long>)a[1], (Shared<long>)a[2], (int)a[3]), () => SharedScans.QuotientsGraph),
            Gen.Select(Gen.Int[-3, 3].Array[0, 8], Gen.Long[0, 9], Gen.Long[-99, 99], Gen.Int[-20, 20])
                .Select((x, steps, total, numerator) => Args(x, new Shared<long>("steps", steps), new Shared<long>("total", total), numerator))),
        new(ScanUnderTest.Of(a => SharedScans.Accumulated((double[])a[0], (Shared<double>)a[1], (Shared<long>)a[2], (Shared<double>)a[3], default), () => SharedScans.AccumulatedGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Long[0, 9], Gen.Double, Gen.Bool).Select((x, sum, count, scale, aliased) =>
            {
                // The scale may be the sum itself: one variable read as a non-sequence and updated.
                var s = new Shared<double>("sum", sum);
                return Args(x, s, new Shared<long>("count", count), aliased ? s : new Shared<double>("scale", scale));
            })),
        new(ScanUnderTest.Of(a => SharedScans.DecayUntil((Mat<double>)a[0], (Shared<Vec<double>>)a[1], (double)a[2]), () => SharedScans.DecayUntilGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 4]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Vector(k), Gen.Double[0, 3]))
                .Select((x, state, limit) => Args(x, new Shared<Vec<double>>("state", state), limit))),
        new(ScanUnderTest.Of(a => SharedScans.SumUntil((double[])a[0], (double)a[1], (double)a[2]), () => SharedScans.SumUntilGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Double[-5, 20]).Select((x, h0, stop) => Args(x, h0, stop))),
        new(ScanUnderTest.Of(a => WhileLoopScans.DoubleVectorUntil((Vec<double>)a[0], (double)a[1], (int)a[2]), () => WhileLoopScans.DoubleVectorUntilGraph),
            Gen.Int[1, 4].SelectMany(k => Gen.Select(Vector(k), Gen.Double[-5, 100], Gen.Int[0, 12])).Select((h0, limit, n) => Args(h0, limit, n))),
        new(ScanUnderTest.Of(a => WhileLoopScans.DoubleMatrixUntil((Mat<double>)a[0], (double)a[1], (int)a[2]), () => WhileLoopScans.DoubleMatrixUntilGraph),
            Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((r, c) => Gen.Select(Matrix(r, c), Gen.Double[-5, 100], Gen.Int[0, 12])).Select((h0, limit, n) => Args(h0, limit, n))),
        new(ScanUnderTest.Of(a => WhileLoopScans.FibonacciUntil((Mat<double>)a[0], (double)a[1], (int)a[2]), () => WhileLoopScans.FibonacciUntilGraph),
            Gen.Int[1, 4].SelectMany(k => Gen.Select(Matrix(2, k), Gen.Double[-5, 100], Gen.Int[0, 12])).Select((first, limit, n) => Args(first, limit, n))),

        // ---- Deep taps and large traces.
        new(ScanUnderTest.Of(a => DeepTapScans.Mixed((double[])a[0], (double[])a[1]), () => DeepTapScans.MixedGraph),
            Gen.Select(Gen.Double[0, 1].Array[0, 120], Gen.Double[0, 1].Array[30]).Select((x, y0) => Args(x, y0))),
        new(ScanUnderTest.Of(a => HardeningScans.Grown((Vec<double>)a[0], (int)a[1]), () => HardeningScans.GrownGraph),
            Gen.Int[0, 4].SelectMany(k => Gen.Select(Vector(k), Gen.Int[-1, 8])).Select((h0, n) => Args(h0, n))),

        // ---- The demo's scans (samples/SeedScans).
        new(ScanUnderTest.Of(a => Seed.Scans.CumSum((double[])a[0], (double)a[1]), () => Seed.Scans.CumSumGraph), Gen.Select(AnyDoubles, Gen.Double).Select((x, s) => Args(x, s))),
        new(ScanUnderTest.Of(a => Seed.Scans.Components((double[])a[0], (int[])a[1], (double)a[2]), () => Seed.Scans.ComponentsGraph),
            Gen.Select(AnyDoubles, Gen.Int[0, 6].Array[0, 30], Gen.Double[-3, 3]).Select((c, p, x) => Args(c, p, x))),
        new(ScanUnderTest.Of(a => Seed.Scans.Iir((double[])a[0], (double[])a[1], (double)a[2]), () => Seed.Scans.IirGraph),
            Gen.Select(AnyDoubles, Gen.Double.Array[4, 6], Gen.Double[-1, 1]).Select((x, y0, w) => Args(x, y0, w))),
        new(ScanUnderTest.Of(a => Seed.Scans.Fibonacci((long[])a[0], (int)a[1]), () => Seed.Scans.FibonacciGraph),
            Gen.Select(Gen.Long.Array[2], Gen.Int[0, 100]).Select((first, n) => Args(first, n))),
        new(ScanUnderTest.Of(a => Seed.Scans.Ema((double[])a[0], (double)a[1], (double)a[2]), () => Seed.Scans.EmaGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Double[0, 1]).Select((x, s, alpha) => Args(x, s, alpha))),
        new(ScanUnderTest.Of(a => Seed.Scans.RowSums((Mat<double>)a[0], (Vec<double>)a[1]), () => Seed.Scans.RowSumsGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 5]).SelectMany((n, k) => Gen.Select(Matrix(n, k), Vector(k))).Select((rows, start) => Args(rows, start))),
        new(ScanUnderTest.Of(a => Seed.Scans.Rnn((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4]), () => Seed.Scans.RnnGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 5], Gen.Int[1, 5]).SelectMany((n, h, k) => Gen.Select(Matrix(n, k), Vector(h), Matrix(h, h), Matrix(h, k), Vector(h)))
                .Select((xs, h0, W, U, b) => Args(xs, h0, W, U, b))),
        new(ScanUnderTest.Of(a => Seed.Scans.AddToTotal((double[])a[0], (Shared<double>)a[1], (Shared<long>)a[2]), () => Seed.Scans.AddToTotalGraph),
            Gen.Select(AnyDoubles, Gen.Double, Gen.Long[0, 9]).Select((x, total, count) => Args(x, new Shared<double>("total", total), new Shared<long>("count", count)))),
        new(ScanUnderTest.Of(a => Seed.Scans.DoubleUntil((double)a[0], (double)a[1], (int)a[2]), () => Seed.Scans.DoubleUntilGraph),
            Gen.Select(Gen.Double[-3, 3], Gen.Double[-5, 100], Gen.Int[0, 12]).Select((s, limit, n) => Args(s, limit, n))),

        // ---- The scans of the gradient tests (Gradients/GradientScans.cs), forward.
        new(ScanUnderTest.Of(a => G.GradientScans.CumSum((double[])a[0], (double)a[1]), () => G.GradientScans.CumSumGraph),
            Gen.Select(AnyDoubles, Gen.Double).Select((x, h0) => Args(x, h0))),
        new(ScanUnderTest.Of(a => G.GradientScans.Rnn((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => G.GradientScans.RnnGraph), RnnArguments),
        new(ScanUnderTest.Of(a => G.GradientModeScans.Roots((double[])a[0], (double)a[1]), () => G.GradientModeScans.RootsGraph),
            Gen.Select(Gen.Double[0, 4].Array, Gen.Double[0, 4]).Select((x, h0) => Args(x, h0))),
        new(ScanUnderTest.Of(a => G.GradientScans.RnnTruncated((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => G.GradientScans.RnnTruncatedGraph), RnnArguments),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.RnnLastStep((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => G.GradientFeatureScans.RnnLastStepGraph), RnnArguments),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.RnnLast3((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => G.GradientFeatureScans.RnnLast3Graph), RnnArguments),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.RnnStepScan((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2]), () => G.GradientFeatureScans.RnnStepScanGraph), RnnArguments),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.Rnn32((Mat<float>)a[0], (Vec<float>)a[1], (Mat<float>)a[2]), () => G.GradientFeatureScans.Rnn32Graph),
            RnnArguments.Select(a => Args(Single((Mat<double>)a[0]), Single((Vec<double>)a[1]), Single((Mat<double>)a[2])))),
        new(ScanUnderTest.Of(a => G.GradientScans.Elman((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4], (Mat<double>)a[5], (Vec<double>)a[6]), () => G.GradientScans.ElmanGraph),
            Gen.Select(Gen.Int[0, 6], Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 3]).SelectMany((n, k, h, m) =>
                Gen.Select(Matrix(n, k), Vector(h), Matrix(h, k), Matrix(h, h), Vector(h), Matrix(m, h), Vector(m)).Select(v => Args(v.Item1, v.Item2, v.Item3, v.Item4, v.Item5, v.Item6, v.Item7)))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.Taps((double[])a[0], (double[])a[1], (double)a[2]), () => G.GradientFeatureScans.TapsGraph),
            Gen.Select(Gen.Double[-1, 1].Array[3, 12], Gen.Double[-1, 1].Array[2], Gen.Double[-1, 1]).Select((x, y0, a) => Args(x, y0, a))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.Backwards((double[])a[0], (double)a[1], (double)a[2]), () => G.GradientFeatureScans.BackwardsGraph),
            Gen.Select(Gen.Double[-1, 1].Array[1, 10], Gen.Double[-1, 1], Gen.Double[-1, 1]).Select((x, h0, a) => Args(x, h0, a))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.WhileLoop((double[])a[0], (int[])a[1], (double)a[2], (double)a[3]), () => G.GradientFeatureScans.WhileLoopGraph),
            Gen.Int[0, 8].SelectMany(n => Gen.Select(Gen.Double[-1, 1].Array[n], Gen.Int[0, 1].Array[n], Gen.Double[-1, 1], Gen.Double[-1, 1])).Select((x, stop, h0, a) => Args(x, stop, h0, a))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.TwoOutputs((double[])a[0], (int)a[1], (double)a[2], (double)a[3], (double)a[4]), () => G.GradientFeatureScans.TwoOutputsGraph),
            Gen.Int[0, 8].SelectMany(n => Gen.Select(Gen.Double[-1, 1].Array[n], Gen.Int[0, n], Gen.Double[-1, 1], Gen.Double[-1, 1], Gen.Double[-1, 1])).Select((x, k, h0, a, b) => Args(x, k, h0, a, b))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.MatrixState((double[])a[0], (Mat<double>)a[1], (Mat<double>)a[2], (Shared<Vec<double>>)a[3]), () => G.GradientFeatureScans.MatrixStateGraph),
            Gen.Select(Gen.Int[0, 5], Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((n, r, c) => Gen.Select(Values(n), Matrix(r, c), Matrix(r, r), Vector(c)))
                .Select((x, s0, a, v) => Args(x, s0, a, new Shared<Vec<double>>("v", v)))),
        new(ScanUnderTest.Of(a => G.GradientFeatureScans.Counted((double[])a[0], (double)a[1], (Shared<double>)a[2], (double)a[3]), () => G.GradientFeatureScans.CountedGraph),
            Gen.Select(Gen.Double[-1, 1].Array[0, 8], Gen.Double[-1, 1], Gen.Double[-1, 1], Gen.Double[-1, 1]).Select((x, h0, total, a) => Args(x, h0, new Shared<double>("total", total), a))),
        // ---- Scans writing into caller-provided destinations (issue 14), and the batched RNN of the demo.
        .. Destinations.DestinationCases.All,
    ];

    private static Vec<float> Single(Vec<double> v) => new(Array.ConvertAll(v.ToArray(), d => (float)d));
    private static Mat<float> Single(Mat<double> m) => new(Array.ConvertAll(m.Span.ToArray(), d => (float)d), m.Rows, m.Columns);
}

/// <summary>Plain C# loops over a step method, for the scans' expected outputs.</summary>
public static class Loop
{
    /// <summary>
    /// Calls <paramref name="step"/> for t = 0 .. steps - 1 and stacks each of its results (a tuple's items) into
    /// a trace: scalars into arrays, vectors into matrices, matrices into a <see cref="Tensor3{T}"/>. With no steps
    /// the traces' row shapes come from <paramref name="anyRow"/> (a step on made-up values of the right shapes);
    /// without it, null: nothing to compare.
    /// </summary>
    public static object?[]? Rows(int steps, Func<int, object> step, Func<object>? anyRow = null)
    {
        if (steps == 0 && anyRow is null) return null;
        var rows = Enumerable.Range(0, steps).Select(t => ScanEngine.Outputs(step(t))).ToList();
        var first = steps == 0 ? ScanEngine.Outputs(anyRow!()) : rows[0];
        return Enumerable.Range(0, first.Length).Select(o => Stack(first[o]!, rows.Select(r => r[o]!).ToList())).ToArray();
    }

    private static object Stack(object first, List<object> rows) => first switch
    {
        double => rows.Cast<double>().ToArray(),
        float => rows.Cast<float>().ToArray(),
        int => rows.Cast<int>().ToArray(),
        long => rows.Cast<long>().ToArray(),
        Vec<double> v => new Mat<double>(rows.SelectMany(r => ((Vec<double>)r).ToArray()).ToArray(), rows.Count, v.Length),
        Vec<float> v => new Mat<float>(rows.SelectMany(r => ((Vec<float>)r).ToArray()).ToArray(), rows.Count, v.Length),
        Mat<double> m => new Tensor3<double>(rows.SelectMany(r => ((Mat<double>)r).Span.ToArray()).ToArray(), rows.Count, m.Rows, m.Columns),
        Mat<float> m => new Tensor3<float>(rows.SelectMany(r => ((Mat<float>)r).Span.ToArray()).ToArray(), rows.Count, m.Rows, m.Columns),
        var other => throw new ArgumentException($"Cannot stack a {other.GetType().Name}."),
    };
}
