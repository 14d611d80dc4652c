using System;
using System.Linq;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>
/// The matrix product computes four rows at a time (Kernels.MatMul.cs); each element is summed as the one-row
/// product (VecMat) sums it, so the result is VecMat's row by row, bit for bit, at every size and tail.
/// </summary>
public class MatMulBlockTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var n in new[] { 1, 3, 4, 5, 8, 11, 32 })
            foreach (var (k, m) in new[] { (1, 1), (7, 3), (16, 16), (9, 17), (32, 33), (128, 128), (5, 47), (40, 130), (128, 97), (3, 200) })
                data.Add(n, k, m);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RowByRowAsVecMat(int n, int k, int m)
    {
        var random = new Random(n * 1000 + k * 10 + m);
        var a = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var product = new double[n * m];
        Kernels.MatMul<double>(a, n, k, b, m, product);
        var rows = new double[n * m];
        for (int i = 0; i < n; i++)
            Kernels.VecMat<double>(a.AsSpan(i * k, k), b, k, m, rows.AsSpan(i * m, m));
        Assert.Equal(rows, product);
        // And it is the product: within a sum's rounding of the plain triple loop.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int r = 0; r < k; r++) sum += a[i * k + r] * b[r * m + j];
                Assert.Equal(sum, product[i * m + j], 1e-12);
            }

        var af = a.Select(v => (float)v).ToArray();
        var bf = b.Select(v => (float)v).ToArray();
        var productF = new float[n * m];
        Kernels.MatMul<float>(af, n, k, bf, m, productF);
        var rowsF = new float[n * m];
        for (int i = 0; i < n; i++)
            Kernels.VecMat<float>(af.AsSpan(i * k, k), bf, k, m, rowsF.AsSpan(i * m, m));
        Assert.Equal(rowsF, productF);
    }

    /// <summary>
    /// destination += Aᵀ B (a gradient's weight sum after the backward loop) by register blocks: every element is its
    /// start value plus the terms a[r, i] b[r, j] in order of r, one FMA each, exactly as this plain loop computes it.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 5)]
    [InlineData(30, 4, 16)]
    [InlineData(50, 9, 17)]
    [InlineData(100, 32, 33)]
    [InlineData(64, 130, 47)]
    [InlineData(0, 5, 8)]
    public void TransposedProductAddsEveryTermInOrderOfTheRows(int rows, int m, int n)
    {
        var random = new Random(rows * 10000 + m * 100 + n);
        var a = Enumerable.Range(0, rows * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, rows * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var start = Enumerable.Range(0, m * n).Select(_ => random.NextDouble()).ToArray();
        var destination = (double[])start.Clone();
        Kernels.AddTransposedProduct<double>(a, rows, m, b, n, destination);
        var expected = (double[])start.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int r = 0; r < rows; r++)
                    expected[i * n + j] = Math.FusedMultiplyAdd(a[r * m + i], b[r * n + j], expected[i * n + j]);
        Assert.Equal(expected, destination);

        var af = a.Select(v => (float)v).ToArray();
        var bf = b.Select(v => (float)v).ToArray();
        var destinationF = start.Select(v => (float)v).ToArray();
        var expectedF = (float[])destinationF.Clone();
        Kernels.AddTransposedProduct<float>(af, rows, m, bf, n, destinationF);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int r = 0; r < rows; r++)
                    expectedF[i * n + j] = MathF.FusedMultiplyAdd(af[r * m + i], bf[r * n + j], expectedF[i * n + j]);
        Assert.Equal(expectedF, destinationF);
    }
}
