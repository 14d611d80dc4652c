using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SymGen.Graph;
using Xunit;
using static SymGen.Graph.Tensor;

namespace SymGen.Tests.Graphs;

/// <summary>
/// Issue 11, the compiled interpreter: a function's graph is compiled once into a plan over typed slots, and its
/// steps allocate nothing, can be cancelled, have no depth limit, and run concurrently.
/// </summary>
public class CompiledInterpreterTests
{
    /// <summary>
    /// Bytes a call allocates beyond the arrays proportional to its steps, which <paramref name="proportional"/>
    /// allocates alone: the argument copies (a call reads its arguments once) and the trace (the result wraps it).
    /// </summary>
    private static long Overhead(Func<object> call, Func<object> proportional) => Properties.AllocationTests.Overhead(call, proportional);

    // ---- Nothing allocated per step -------------------------------------------------------------------------

    [Fact]
    public void AScalarScanAllocatesNothingPerStep()
    {
        var (x, h0) = (Vector("x"), Scalar("h0"));
        var f = Function([x, h0], Scan(a => ScanStep.Of(a[1] + a[0]), [new ScanSequence(x, [0])], [ScanOutputInfo.Recurrent(h0)]));
        long Overhead(int steps)
        {
            var xs = new double[steps];
            // The argument's copy and the trace (the returned Vec<double>): two arrays of steps doubles.
            return CompiledInterpreterTests.Overhead(() => f.Invoke(xs, 0.0)[0], () => new[] { new double[steps], new double[steps] });
        }
        long few = Overhead(1000), many = Overhead(10_000);
        // 9,000 more steps: a byte per step would show as 9,000 bytes; the interpreter that boxed took ~100 per step.
        Assert.True(Math.Abs(many - few) <= 256, $"1,000 steps: {few} bytes beyond the traces; 10,000 steps: {many}");
    }

    [Fact]
    public void AVectorRnnStepAllocatesNothingPerStep()
    {
        const int Hidden = 8, Inputs = 3;
        var (xs, h0, w, u, b) = (Matrix("xs"), Vector("h0"), Matrix("W"), Matrix("U"), Vector("b"));
        var f = Function([xs, h0, w, u, b], Scan(a => ScanStep.Of(Tanh(Dot(a[2], a[1]) + Dot(a[3], a[0]) + a[4])),
            [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(h0)], [w, u, b]));
        var (W, U, B, H0) = (Mat<double>.Zeros(Hidden, Hidden), Mat<double>.Zeros(Hidden, Inputs), Vec<double>.Zeros(Hidden), Vec<double>.Zeros(Hidden));
        long Overhead(int steps)
        {
            var x = Mat<double>.Zeros(steps, Inputs);
            return CompiledInterpreterTests.Overhead(() => f.Invoke(x, H0, W, U, B)[0],
                () => new[] { new double[steps * Inputs], new double[steps * Hidden] });
        }
        long few = Overhead(1000), many = Overhead(10_000);
        Assert.True(Math.Abs(many - few) <= 256, $"1,000 steps: {few} bytes beyond the traces; 10,000 steps: {many}");
    }

    [Fact]
    public void AnOutputAskedForTwiceGivesTwoArrays()
    {
        // Results wrap the call's own arrays without copying them, but never one array twice.
        var (x, n) = (Vector("x"), Input("n", new TensorType(ElementKind.Int32, 1)));
        var (y, m) = (x + 1.0, Apply(Op.Multiply, n, Constant(2)));
        var r = Function([x, n], [y, y, m, m]).Invoke(new double[] { 1, 2 }, new[] { 3 });
        var (first, second) = ((Vec<double>)r[0], (Vec<double>)r[1]);
        first.Span[0] = 99;
        Assert.Equal(new double[] { 2, 3 }, second.ToArray());
        Assert.NotSame(r[2], r[3]);
        Assert.Equal(new[] { 6 }, (int[])r[3]);
    }

    // ---- Cancellation ---------------------------------------------------------------------------------------

    /// <summary>A scan adding <c>sum(W v)</c> to a shared total at every step: about 20-100 µs a step for a 512 x 512 W.</summary>
    private static (Function F, Shared<double> Total) SlowAccumulation()
    {
        var (n, w, v, total) = (Input("n", new TensorType(ElementKind.Int32, 0)), Matrix("W"), Vector("v"), SharedInput("total", TensorType.Float64Scalar));
        var scan = Scan(a => ScanStep.Of(a[0] + Sum(Dot(a[1], a[2]))), steps: n, nonSequences: [w, v], updates: [total]);
        return (Function([n, w, v, total], [], scan.Node), new Shared<double>("total", 5));
    }

    [Fact]
    public void ATokenCancelledBeforeTheCallThrowsAndUpdatesNothing()
    {
        var (f, total) = SlowAccumulation();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var (w, v) = (Mat<double>.Zeros(4, 4), Vec<double>.Zeros(4));
        Assert.Throws<OperationCanceledException>(() => f.Invoke(cancelled.Token, 10, w, v, total));
        Assert.Equal(5, total.Value);

        // The same call, not cancelled, commits its update: sum(W v) = 4 at each of 10 steps.
        var ones = new Vec<double>(Enumerable.Repeat(1.0, 4).ToArray());
        f.Invoke(CancellationToken.None, 10, new Mat<double>(Enumerable.Repeat(0.25, 16).ToArray(), 4, 4), ones, total);
        Assert.Equal(5 + 10 * 4.0, total.Value);
    }

    [Fact]
    public void ATokenCancelledWhileTheScanRunsStopsItAndUpdatesNothing()
    {
        // 200,000 steps take seconds; the token is cancelled after 50 ms and checked every 1024 steps, as the
        // generated loop checks it. Not timing-sensitive: however slow the machine, the call is still running.
        var (f, total) = SlowAccumulation();
        var (w, v) = (Mat<double>.Zeros(512, 512), Vec<double>.Zeros(512));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.Throws<OperationCanceledException>(() => f.Invoke(cancellation.Token, 200_000, w, v, total));
        Assert.Equal(5, total.Value);
    }

    // ---- Depth ----------------------------------------------------------------------------------------------

    [Fact]
    public void TwentyThousandChainedTensorAddsCompileAndRunWithoutRecursion()
    {
        const int Length = 20_000;
        var (x, h0) = (Matrix("x"), Vector("h0"));
        var f = Function([x, h0], Scan(a =>
        {
            Variable h = a[1];
            for (int k = 0; k < Length; k++) h = h + a[0];
            return ScanStep.Of(h);
        }, [new ScanSequence(x, [0])], [ScanOutputInfo.Recurrent(h0)]));
        var trace = (Mat<double>)f.Invoke(Mat<double>.FromRows([1, 2], [0.5, -1]), new Vec<double>(new double[] { 0, 1 }))[0];
        Assert.Equal(new double[] { Length, 1 + 2.0 * Length, 1.5 * Length, 1 + Length }, trace.Span.ToArray());

        // And outside scans: a chain of vector ops of the same depth.
        var v = Vector("v");
        Variable chain = v;
        for (int k = 0; k < Length; k++) chain = chain * 1.0 + 1.0;
        Assert.Equal(new double[] { Length, Length + 1 }, ((Vec<double>)Function([v], [chain]).Invoke(new double[] { 0, 1 })[0]).ToArray());
    }

    // ---- Compiled once, shared by concurrent calls ----------------------------------------------------------

    [Fact]
    public void AFunctionCompilesOnceAndConcurrentCallsGetTheirOwnState()
    {
        var f = Seed.Scans.RnnGraph;
        var random = new Random(11);
        Mat<double> Random(int rows, int columns) => new(Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() - 0.5).ToArray(), rows, columns);
        var (W, U) = (Random(6, 6), Random(6, 3));
        var b = new Vec<double>(Random(1, 6).Span.ToArray());
        var inputs = Enumerable.Range(0, 16).Select(k => Random(20 + k, 3)).ToArray();
        var expected = inputs.Select(xs => Seed.Scans.Rnn(xs, Vec<double>.Zeros(6), W, U, b)).ToArray();

        _ = f.Invoke(inputs[0], Vec<double>.Zeros(6), W, U, b);
        var plan = f.CompiledPlan;
        Assert.NotNull(plan);
        var results = new Mat<double>[inputs.Length * 8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = (Mat<double>)f.Invoke(inputs[i % inputs.Length], Vec<double>.Zeros(6), W, U, b)[0]);
        Assert.Same(plan, f.CompiledPlan);
        for (int i = 0; i < results.Length; i++)
        {
            var (want, got) = (expected[i % inputs.Length], results[i]);
            Assert.Equal(want.Rows, got.Rows);
            for (int k = 0; k < want.Span.Length; k++)
                Assert.True(Math.Abs(want.Span[k] - got.Span[k]) <= 1e-12, $"call {i}, element {k}: {got.Span[k]:R}, generated {want.Span[k]:R}");
        }
    }

    [Fact]
    public void FunctionsAreCompiledAtTheirFirstCallNotBefore()
    {
        var x = Scalar("x");
        var f = Function([x], [x * 2.0]);
        Assert.Null(f.CompiledPlan);
        Assert.Equal(6.0, f.Invoke(3.0)[0]);
        var plan = f.CompiledPlan;
        Assert.Equal(8.0, f.Invoke(4.0)[0]);
        Assert.Same(plan, f.CompiledPlan);
    }

    [Fact]
    public void ARecurrentOutputOfAnotherTypeThanItsInitialStateIsNamed()
    {
        // The step reads its trace back as its initial state's type: an int state stepped to a double is refused.
        var n = Input("n", new TensorType(ElementKind.Int32, 0));
        var f = Function([n], Scan(a => ScanStep.Of(Apply(Op.Multiply, a[0], Constant(0.5))), outputs: [ScanOutputInfo.Recurrent(Constant(3))], steps: n));
        var error = Assert.Throws<ArgumentException>(() => f.Invoke(2));
        Assert.Contains("Output 0 of scan 'scan' is float64 per step, but its initial state", error.Message);
    }

    [Fact]
    public void StepValuesComputedBeforeTheLoopThrowNothingForZeroSteps()
    {
        // 1 / d and sign(w) depend only on non-sequences: the double one is computed once before the loop, but
        // integer division and Sign (of NaN) can throw and stay in the loop, so zero steps throw nothing.
        var (x, h0, d, w) = (Vector("x"), Scalar("h0"), Input("d", new TensorType(ElementKind.Int32, 0)), Scalar("w"));
        var f = Function([x, h0, d, w], Scan(a => ScanStep.Of(a[1] + a[0] * (1.0 / a[3]) + Tensor.Convert(Apply(Op.Divide, Constant(1), a[2]), ElementKind.Float64)
                + Tensor.Convert(Apply(Op.Sign, a[3]), ElementKind.Float64)),
            [new ScanSequence(x, [0])], [ScanOutputInfo.Recurrent(h0)], [d, w]));
        Assert.Empty(((Vec<double>)f.Invoke(Array.Empty<double>(), 0.0, 0, double.NaN)[0]).ToArray());
        Assert.Throws<DivideByZeroException>(() => f.Invoke(new double[] { 1 }, 0.0, 0, 2.0));
        Assert.Equal(new[] { 0.5 + 1 + 1.0, 2.5 + 1 + 1 + 1 }, ((Vec<double>)f.Invoke(new double[] { 1, 2 }, 0.0, 1, 2.0)[0]).ToArray());
    }

    // ---- Scalar semantics: C#'s, bit for bit ----------------------------------------------------------------

    [Fact]
    public void MixedTypeScalarsComputeWhatCSharpComputes()
    {
        var (d, s, i, l) = (Scalar("d"), Input("s", new TensorType(ElementKind.Float32, 0)), Input("i", new TensorType(ElementKind.Int32, 0)), Input("l", new TensorType(ElementKind.Int64, 0)));
        var f = Function([d, s, i, l], [
            Apply(Op.Multiply, i, d), Apply(Op.Add, l, s), Apply(Op.Divide, l, i), Apply(Op.Remainder, i, l),
            Tensor.Convert(d, ElementKind.Int32), Tensor.Convert(s, ElementKind.Int64), Apply(Op.Sign, i), Apply(Op.Sign, s),
            Sigmoid(s), Relu(d), Apply(Op.Sin, i), Apply(Op.Pow, s, s), Less(d, s), Apply(Op.NotEqual, d, d),
            Where(Greater(i, l), d, s), Apply(Op.Xor, i, l), Apply(Op.Negate, i)]);
        foreach (var (dv, sv, iv, lv) in new[] { (2.5, 1.5f, 7, -3L), (double.NaN, -0.5f, int.MinValue, long.MaxValue), (-1e300, float.MaxValue, -9, 4L) })
        {
            var r = f.Invoke(dv, sv, iv, lv);
            object[] expected = [
                iv * dv, lv + sv, lv / iv, iv % lv, unchecked((int)dv), unchecked((long)sv), Math.Sign(iv), MathF.Sign(sv),
                1f / (1f + MathF.Exp(-sv)), Math.Max(dv, 0d), Math.Sin(iv), MathF.Pow(sv, sv), dv < sv, double.IsNaN(dv),
                iv > lv ? dv : sv, iv ^ lv, unchecked(-iv)];
            Assert.Equal(expected.Length, r.Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.True(expected[k].Equals(r[k]), $"result {k} for ({dv}, {sv}, {iv}, {lv}): {r[k]} ({r[k].GetType().Name}), C# gives {expected[k]} ({expected[k].GetType().Name})");
        }
    }

    [Fact]
    public void ElementwiseOpsWithoutAVectorKernelRunElementByElement()
    {
        // Sin has no vector kernel; a comparison of vectors gives a mask that Where takes; an int vector op.
        var (a, b) = (Vector("a"), Vector("b"));
        var n = Input("n", new TensorType(ElementKind.Int32, 1));
        var f = Function([a, b, n], [Apply(Op.Sin, a), Where(Less(a, b), a, b), Apply(Op.Multiply, n, Constant(3))]);
        double[] x = [0.5, -2, 3], y = [1, -3, 3];
        var r = f.Invoke(x, y, new[] { 1, -2, int.MaxValue });
        Assert.Equal(x.Select(Math.Sin).ToArray(), ((Vec<double>)r[0]).ToArray());
        Assert.Equal(new double[] { 0.5, -3, 3 }, ((Vec<double>)r[1]).ToArray());
        Assert.Equal(new[] { 3, -6, unchecked(int.MaxValue * 3) }, (int[])r[2]);
    }
}
