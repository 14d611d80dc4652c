using System;
using CsCheck;
using SymGen.Tests.Graphs;
using Xunit;
using static SymGen.Tests.Tensors.TensorTestData;

namespace SymGen.Tests.Tensors;

/// <summary>
/// Each op's emitted kernel (inside a generated scan: fused loops, kernel calls, traces written in place) against
/// its eager kernel: the step method called directly on the same rows, on random shapes and values.
/// </summary>
public class EmittedKernelTests
{
    private static void Rows(Mat<double> trace, int t, Vec<double> expected, string what) => Close(expected.Span, trace.Row(t).Span, $"{what} at step {t}");

    [Fact]
    public void UnaryOps() =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 8]).SelectMany((steps, k) => Matrix(steps, k)).Sample(x =>
        {
            var traces = OpScans.UnaryOps(x);
            GraphCheck.SameAsInterpreter(OpScans.UnaryOpsGraph, traces, x);
            for (int t = 0; t < x.Rows; t++)
            {
                var e = OpScans.Unary(x.Row(t));
                Rows(traces.tanh, t, e.tanh, "Tanh"); Rows(traces.sigmoid, t, e.sigmoid, "Sigmoid"); Rows(traces.exp, t, e.exp, "Exp");
                Rows(traces.log, t, e.log, "Log"); Rows(traces.sqrt, t, e.sqrt, "Sqrt"); Rows(traces.abs, t, e.abs, "Abs");
                Rows(traces.relu, t, e.relu, "Relu"); Rows(traces.negate, t, e.negate, "Negate");
            }
            Assert.Equal(x.Rows, traces.tanh.Rows);
            Assert.Equal(x.Columns, traces.tanh.Columns);
        });

    [Fact]
    public void BinaryOpsAndAFusedChain() =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 8]).SelectMany((steps, k) => Gen.Select(Matrix(steps, k), Matrix(steps, k), Gen.Double[0.5, 3]))
            .Sample((x, y, a) =>
            {
                var tr = OpScans.BinaryOps(x, y, a);
                GraphCheck.SameAsInterpreter(OpScans.BinaryOpsGraph, tr, x, y, a);
                for (int t = 0; t < x.Rows; t++)
                {
                    var e = OpScans.Binary(x.Row(t), y.Row(t), a);
                    Rows(tr.add, t, e.add, "x + y"); Rows(tr.subtract, t, e.subtract, "x - y"); Rows(tr.multiply, t, e.multiply, "x * y");
                    Rows(tr.divide, t, e.divide, "x / y"); Rows(tr.scaled, t, e.scaled, "x * a"); Rows(tr.fromScalar, t, e.fromScalar, "a - x");
                    Rows(tr.pow, t, e.pow, "Pow"); Rows(tr.maximum, t, e.maximum, "Maximum"); Rows(tr.minimum, t, e.minimum, "Minimum");
                    Rows(tr.where, t, e.where, "Where"); Rows(tr.chain, t, e.chain, "fused chain");
                }
            });

    [Fact]
    public void DotReductionsSoftmaxAndBroadcasting() =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[1, 5])
            .SelectMany((steps, n, k, m) => Gen.Select(Matrix(steps, k), Matrix(steps, k), Matrix(n, k), Matrix(k, m), Matrix(n, k)))
            .Sample((x, y, W, V, M) =>
            {
                var tr = OpScans.ContractionOps(x, y, W, V, M);
                GraphCheck.SameAsInterpreter(OpScans.ContractionOpsGraph, tr, x, y, W, V, M);
                for (int t = 0; t < x.Rows; t++)
                {
                    var e = OpScans.Contractions(x.Row(t), y.Row(t), W, V, M);
                    Rows(tr.matVec, t, e.matVec, "Dot(W, x)"); Rows(tr.vecMat, t, e.vecMat, "Dot(x, V)");
                    Close(e.dot, tr.dot[t], "Dot(x, y)"); Rows(tr.matMat, t, e.matMat, "Sum(Dot(W, V), 1)");
                    Close(e.sum, tr.sum[t], "Sum"); Close(e.prod, tr.prod[t], "Prod"); Close(e.mean, tr.mean[t], "Mean"); Close(e.max, tr.max[t], "Max");
                    Rows(tr.sum0, t, e.sum0, "Sum(M, 0)"); Rows(tr.max1, t, e.max1, "Max(M, 1)"); Rows(tr.mean1, t, e.mean1, "Mean(M, 1)");
                    Rows(tr.prod0, t, e.prod0, "Prod(M, 0)"); Rows(tr.softmax, t, e.softmax, "Softmax(x)");
                    Rows(tr.softmaxRows, t, e.softmaxRows, "Sum(Softmax(M), 0)"); Rows(tr.broadcast, t, e.broadcast, "Sum(M * x + x, 1)");
                }
            });

    [Fact]
    public void ElmanRnnInDoubleAndFloat() =>
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany((steps, h, x) =>
            Gen.Select(Matrix(steps, x), Vector(h), Matrix(h, h), Matrix(h, x), Vector(h))).Sample((xs, h0, W, U, b) =>
        {
            var trace = OpScans.Rnn(xs, h0, W, U, b);
            GraphCheck.SameAsInterpreter(OpScans.RnnGraph, trace, xs, h0, W, U, b);
            var h = h0;
            for (int t = 0; t < xs.Rows; t++)
                Rows(trace, t, h = OpScans.Elman(xs.Row(t), h, W, U, b), "h");

            static Vec<float> F(Vec<double> v) => new(Array.ConvertAll(v.ToArray(), d => (float)d));
            static Mat<float> Fm(Mat<double> m) => new(Array.ConvertAll(m.Span.ToArray(), d => (float)d), m.Rows, m.Columns);
            var traceF = OpScans.RnnF(Fm(xs), F(h0), Fm(W), Fm(U), F(b));
            GraphCheck.SameAsInterpreter(OpScans.RnnFGraph, traceF, Fm(xs), F(h0), Fm(W), Fm(U), F(b));
            var hf = F(h0);
            for (int t = 0; t < xs.Rows; t++)
            {
                hf = OpScans.ElmanF(Fm(xs).Row(t), hf, Fm(W), Fm(U), F(b));
                for (int i = 0; i < hf.Length; i++)
                    Close(hf[i], traceF[t, i], $"float h[{t}][{i}]", 1e-5);
            }
        });

    [Fact]
    public void VectorOutputTapsFromInitialRows() =>
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 5]).SelectMany((steps, k) => Gen.Select(Matrix(steps, k), Matrix(3, k), Gen.Double[0, 1]))
            .Sample((g, v0, decay) =>
            {
                var (velocity, total) = OpScans.MomentumTaps(g, v0, decay);
                GraphCheck.SameAsInterpreter(OpScans.MomentumTapsGraph, (velocity, total), g, v0, decay);
                // taps [-2, -1] read the first two rows of v0: v0[0] = v[-2], v0[1] = v[-1].
                Vec<double> v2 = v0.Row(0), v1 = v0.Row(1);
                for (int t = 0; t < g.Rows; t++)
                {
                    var (v, sum) = OpScans.Momentum(g.Row(t), v2, v1, decay);
                    Rows(velocity, t, v, "velocity");
                    Close(sum, total[t], $"total[{t}]");
                    (v2, v1) = (v1, v);
                }
            });

    [Fact]
    public void MatrixStatesWithRowBroadcast() =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[1, 4]).SelectMany((steps, r, c) =>
            Gen.Select(Values(steps * r * c), Matrix(r, c), Vector(c)).Select((a, s0, v) => (new Tensor3<double>(a, steps, r, c), s0, v)))
            .Sample(data =>
            {
                var (a, s0, v) = data;
                var (state, probabilities) = OpScans.MatrixStates(a, s0, v);
                GraphCheck.SameAsInterpreter(OpScans.MatrixStatesGraph, (state, probabilities), a, s0, v);
                Assert.Equal((a.Length, s0.Rows, s0.Columns), (state.Length, state.Rows, state.Columns));
                var s = s0;
                for (int t = 0; t < a.Length; t++)
                {
                    var (next, p) = OpScans.MatrixState(a[t], s, v);
                    Close(next.Span, state[t].Span, $"state[{t}]");
                    Close(p.Span, probabilities[t].Span, $"probabilities[{t}]");
                    s = next;
                }
            });

    [Fact]
    public void MismatchedSizesNameTheParameterBeforeTheFirstStep()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            OpScans.Rnn(Mat<double>.Zeros(3, 2), Vec<double>.Zeros(4), Mat<double>.Zeros(4, 5), Mat<double>.Zeros(4, 2), Vec<double>.Zeros(4)));
        Assert.Equal("W", error.ParamName);
        Assert.Contains("h0.Length is 4 but W.Columns is 5", error.Message);
        Assert.Contains("Sym.Dot(W, h) in step Elman", error.Message);

        var initial = Assert.Throws<ArgumentException>(() => OpScans.MomentumTaps(Mat<double>.Zeros(2, 3), Mat<double>.Zeros(1, 3), 0.5));
        Assert.Equal("v0", initial.ParamName);
    }
}
