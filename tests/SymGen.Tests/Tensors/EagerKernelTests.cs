using System;
using System.Linq;
using CsCheck;
using Xunit;
using static SymGen.Tests.Tensors.TensorTestData;

namespace SymGen.Tests.Tensors;

/// <summary>Each eager op (Sym and the operators, vectorised kernels) against a naive scalar loop, on random shapes.</summary>
public class EagerKernelTests
{
    private static double[] Naive(Vec<double> x, Func<double, double> f) => x.ToArray().Select(f).ToArray();

    private static readonly Gen<Vec<double>> AnyVector = Gen.Int[0, 40].SelectMany(Vector);

    [Fact]
    public void UnaryFunctions() => AnyVector.Sample(x =>
    {
        Close(Naive(x, Math.Tanh), Sym.Tanh(x).Span, "Tanh");
        Close(Naive(x, v => 1 / (1 + Math.Exp(-v))), Sym.Sigmoid(x).Span, "Sigmoid");
        Close(Naive(x, Math.Exp), Sym.Exp(x).Span, "Exp");
        Close(Naive(x, v => Math.Log(Math.Abs(v) + 0.5)), Sym.Log(Sym.Abs(x) + 0.5).Span, "Log");
        Close(Naive(x, v => Math.Sqrt(Math.Abs(v))), Sym.Sqrt(Sym.Abs(x)).Span, "Sqrt");
        Close(Naive(x, Math.Abs), Sym.Abs(x).Span, "Abs");
        Close(Naive(x, v => Math.Max(v, 0)), Sym.Relu(x).Span, "Relu");
        Close(Naive(x, v => -v), (-x).Span, "Negate");
    });

    [Fact]
    public void BinaryOperatorsWithBroadcasting() =>
        Gen.Int[0, 30].SelectMany(n => Gen.Select(Vector(n), Vector(n), Gen.Double[0.5, 3])).Sample((x, y, a) =>
        {
            double[] xs = x.ToArray(), ys = y.ToArray();
            Close(xs.Zip(ys, (p, q) => p + q).ToArray(), (x + y).Span, "x + y");
            Close(xs.Zip(ys, (p, q) => p - q).ToArray(), (x - y).Span, "x - y");
            Close(xs.Zip(ys, (p, q) => p * q).ToArray(), (x * y).Span, "x * y");
            Close(xs.Zip(ys, (p, q) => p / q).ToArray(), (x / y).Span, "x / y");
            Close(xs.Select(p => p * a).ToArray(), (x * a).Span, "x * a");
            Close(xs.Select(p => a - p).ToArray(), (a - x).Span, "a - x");
            Close(xs.Select(p => a / p).ToArray(), (a / x).Span, "a / x");
            Close(xs.Select(p => Math.Pow(Math.Abs(p), a)).ToArray(), Sym.Pow(Sym.Abs(x), a).Span, "Pow", 1e-10);
            Close(xs.Zip(ys, Math.Max).ToArray(), Sym.Maximum(x, y).Span, "Maximum");
            Close(xs.Zip(ys, Math.Min).ToArray(), Sym.Minimum(x, y).Span, "Minimum");
            Close(xs.Zip(ys, (p, q) => p != 0 ? q : -q).ToArray(), Sym.Where(x, y, -y).Span, "Where");
        });

    [Fact]
    public void MatrixRowBroadcast() =>
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6]).SelectMany((r, c) => Gen.Select(Matrix(r, c), Vector(c))).Sample((m, v) =>
        {
            var sum = m + v;
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < m.Columns; j++)
                    Close(m[i, j] + v[j], sum[i, j], $"(m + v)[{i},{j}]");
        });

    [Fact]
    public void DotProducts() =>
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany((n, k, m) =>
            Gen.Select(Matrix(n, k), Matrix(k, m), Vector(k), Vector(n))).Sample((a, b, x, y) =>
        {
            Close(Enumerable.Range(0, x.Length).Sum(i => x[i] * x[i]), Sym.Dot(x, x), "x . x");
            Close(Enumerable.Range(0, a.Rows).Select(r => Enumerable.Range(0, a.Columns).Sum(c => a[r, c] * x[c])).ToArray(), Sym.Dot(a, x).Span, "A x");
            Close(Enumerable.Range(0, a.Columns).Select(c => Enumerable.Range(0, a.Rows).Sum(r => y[r] * a[r, c])).ToArray(), Sym.Dot(y, a).Span, "y A");
            var ab = Sym.Dot(a, b);
            for (int r = 0; r < a.Rows; r++)
                for (int c = 0; c < b.Columns; c++)
                    Close(Enumerable.Range(0, a.Columns).Sum(k => a[r, k] * b[k, c]), ab[r, c], $"(A B)[{r},{c}]");
        });

    [Fact]
    public void ReductionsAndSoftmax() =>
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany((r, c) => Matrix(r, c)).Sample(m =>
        {
            var row = m.Row(0);
            double[] values = row.ToArray();
            Close(values.Sum(), Sym.Sum(row), "Sum");
            Close(values.Aggregate(1.0, (p, v) => p * v), Sym.Prod(row), "Prod");
            Close(values.Average(), Sym.Mean(row), "Mean");
            Close(values.Max(), Sym.Max(row), "Max");
            Close(m.Span.ToArray().Sum(), Sym.Sum(m), "Sum(M)");
            var columns = Enumerable.Range(0, m.Columns).Select(c => Enumerable.Range(0, m.Rows).Select(r => m[r, c]).ToArray()).ToArray();
            var rows = Enumerable.Range(0, m.Rows).Select(r => m.Row(r).ToArray()).ToArray();
            Close(columns.Select(v => v.Sum()).ToArray(), Sym.Sum(m, 0).Span, "Sum(M, 0)");
            Close(rows.Select(v => v.Sum()).ToArray(), Sym.Sum(m, 1).Span, "Sum(M, 1)");
            Close(columns.Select(v => v.Max()).ToArray(), Sym.Max(m, 0).Span, "Max(M, 0)");
            Close(rows.Select(v => v.Average()).ToArray(), Sym.Mean(m, 1).Span, "Mean(M, 1)");
            Close(columns.Select(v => v.Aggregate(1.0, (p, x) => p * x)).ToArray(), Sym.Prod(m, 0).Span, "Prod(M, 0)");
            double top = values.Max(), total = values.Sum(v => Math.Exp(v - top));
            Close(values.Select(v => Math.Exp(v - top) / total).ToArray(), Sym.Softmax(row).Span, "Softmax");
            Close(Sym.Softmax(m.Row(m.Rows - 1)).Span, Sym.Softmax(m).Row(m.Rows - 1).Span, "Softmax(M) row");
        });

    [Fact]
    public void ShapeMismatchesAreClearErrors()
    {
        var error = Assert.Throws<ArgumentException>(() => Sym.Dot(Mat<double>.Zeros(2, 3), Vec<double>.Zeros(4)));
        Assert.Equal("Dot: the matrix's columns and the vector's length must be equal; they are 3 and 4.", error.Message);
        Assert.Throws<ArgumentException>(() => Vec<double>.Zeros(2) + Vec<double>.Zeros(3));
    }

    [Fact]
    public void TensorsViewTheirArraysAndPrintReadably()
    {
        double[] data = [1, 2, 3, 4, 5, 6];
        var m = new Mat<double>(data, 2, 3);
        data[4] = 50;
        Assert.Equal(50, m[1, 1]);
        Assert.Equal("[[1, 2, 3], [4, 50, 6]]", m.ToString());
        Assert.Equal("[4, 50, 6]", m.Row(1).ToString());
        Assert.Equal(new double[,] { { 1, 2, 3 }, { 4, 50, 6 } }, m.ToArray());
        Assert.Equal(m, (Mat<double>)new double[,] { { 1, 2, 3 }, { 4, 50, 6 } });
    }
}
