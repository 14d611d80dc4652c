using System;
using System.Linq;
using CsCheck;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>
/// The mat-vec on a <see cref="PackedMatrix{T}"/> (four-row blocks, aligned) gives the plain mat-vec's values bit for
/// bit at every size (row blocks and column tails of every remainder, both vector widths the kernel chooses), in
/// float and double; fewer products than the minimum keep the matrix as given; bad sizes are named; packing and
/// multiplying allocate nothing once the pool holds an array.
/// </summary>
public class PackedMatrixTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 16)]
    [InlineData(5, 17)]
    [InlineData(32, 32)]
    [InlineData(37, 129)]
    [InlineData(128, 128)]
    [InlineData(9, 512)] // rows of 2 KB in float, 4 KB in double: the 512-bit kernel where the CPU has it
    [InlineData(6, 261)]
    public void ProductsAreThePlainMatVecsBitForBit(int rows, int columns)
    {
        var random = new Random(rows * 1000 + columns);
        var w = Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        var x = Enumerable.Range(0, columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        AssertSameProducts(w, rows, columns, x);
        AssertSameProducts(w.Select(v => (float)v).ToArray(), rows, columns, x.Select(v => (float)v).ToArray());
    }

    [Fact]
    public void AnyShapeAndValuesGiveThePlainMatVec() =>
        Gen.Select(Gen.Int[1, 23], Gen.Int[1, 300]).SelectMany((rows, columns) =>
                Gen.Select(Gen.Double[-1e3, 1e3].Array[rows * columns], Gen.Double[-1e3, 1e3].Array[columns], (w, x) => (rows, columns, w, x)))
            .Sample(c => AssertSameProducts(c.w, c.rows, c.columns, c.x), iter: 200);

    [Fact]
    public void FewerProductsThanTheMinimumKeepTheMatrixAsGiven()
    {
        var w = new double[] { 1, 2, 3, 4, 5, 6 };
        using (var few = PackedMatrix<double>.Pack(w, 2, 3, PackedMatrix<double>.MinimumProducts - 1))
            Assert.False(few.IsPacked);
        using var many = PackedMatrix<double>.Pack(w, 2, 3, PackedMatrix<double>.MinimumProducts);
        Assert.True(many.IsPacked);
        var destination = new double[2];
        Kernels.MatVec(in many, new double[] { 1, 0, -1 }, destination);
        Assert.Equal(new double[] { -2, -2 }, destination);
    }

    [Fact]
    public void WrongSizesAreNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => PackedMatrix<double>.Pack(new double[5], 2, 3, 10));
        Assert.Equal("PackedMatrix.Pack needs a matrix of 2 x 3 values; it has 5.", error.Message);
        var lengthError = Assert.Throws<ArgumentException>(() =>
        {
            using var packed = PackedMatrix<double>.Pack(new double[6], 2, 3, 10);
            Kernels.MatVec(in packed, new double[4], new double[2]);
        });
        Assert.Contains("Dot(matrix, vector)", lengthError.Message);
        Assert.Contains("4", lengthError.Message);
    }

    [Fact]
    public void PackingAndMultiplyingAllocateNothingOnceThePoolHoldsAnArray()
    {
        var w = Enumerable.Range(0, 64 * 64).Select(i => Math.Sin(i)).ToArray();
        var x = Enumerable.Range(0, 64).Select(i => Math.Cos(i)).ToArray();
        var destination = new double[64];
        void Run()
        {
            using var packed = PackedMatrix<double>.Pack(w, 64, 64, 100);
            for (int t = 0; t < 100; t++) Kernels.MatVec(in packed, x, destination);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertSameProducts<T>(T[] w, int rows, int columns, T[] x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var plain = new T[rows];
        Kernels.MatVec<T>(w, rows, columns, x, plain);
        using var packed = PackedMatrix<T>.Pack(w, rows, columns, 1000);
        Assert.True(packed.IsPacked);
        var product = new T[rows];
        Kernels.MatVec(in packed, x, product);
        Assert.Equal(plain, product);
        // And it is W x: each row within a sum's rounding of the plain loop.
        for (int r = 0; r < rows; r++)
        {
            double sum = 0, magnitude = 0;
            for (int c = 0; c < columns; c++)
            {
                double term = double.CreateChecked(w[r * columns + c]) * double.CreateChecked(x[c]);
                sum += term;
                magnitude += Math.Abs(term);
            }
            double epsilon = typeof(T) == typeof(float) ? 1e-6 : 1e-15;
            Assert.True(Math.Abs(double.CreateChecked(product[r]) - sum) <= (columns + 1) * epsilon * magnitude + 1e-300,
                $"row {r}: {product[r]} against {sum}");
        }
    }

    /// <summary>A M and x M over a matrix packed in column strips: MatMul's and VecMat's values bit for bit.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 5)]
    [InlineData(4, 16, 16)]
    [InlineData(5, 9, 33)]
    [InlineData(32, 128, 128)]
    [InlineData(7, 32, 100)]
    [InlineData(9, 3, 71)]
    public void ProductsWithAColumnPackedMatrixAreThePlainProductsBitForBit(int n, int k, int m)
    {
        var random = new Random(n * 10000 + k * 100 + m);
        var a = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        AssertSameColumnProducts(a, n, k, b, m);
        AssertSameColumnProducts(a.Select(v => (float)v).ToArray(), n, k, b.Select(v => (float)v).ToArray(), m);
    }

    [Fact]
    public void ALayoutIsUsedOnlyForItsProducts()
    {
        var w = new double[12];
        using var rows = PackedMatrix<double>.Pack(w, 3, 4, 10);
        using var columns = PackedMatrix<double>.PackColumns(w, 3, 4, 10);
        if (rows.IsPacked)
            Assert.Contains("PackColumns", Assert.Throws<ArgumentException>(() => { using var r = PackedMatrix<double>.Pack(w, 3, 4, 10); Kernels.MatMul(new double[6], 2, 3, in r, new double[8]); }).Message);
        if (columns.IsPacked)
            Assert.Contains("PackedMatrix.Pack", Assert.Throws<ArgumentException>(() => { using var c = PackedMatrix<double>.PackColumns(w, 3, 4, 10); Kernels.MatVec(in c, new double[4], new double[3]); }).Message);
    }

    private static void AssertSameColumnProducts<T>(T[] a, int n, int k, T[] b, int m) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var plain = new T[n * m];
        Kernels.MatMul<T>(a, n, k, b, m, plain);
        using var packed = PackedMatrix<T>.PackColumns(b, k, m, 1000);
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, packed.IsPacked);
        var product = new T[n * m];
        Kernels.MatMul(a, n, k, in packed, product);
        Assert.Equal(plain, product);
        var row = new T[m];
        var rowPlain = new T[m];
        Kernels.VecMat<T>(a.AsSpan(0, k), b, k, m, rowPlain);
        Kernels.VecMat(a.AsSpan(0, k), in packed, row);
        Assert.Equal(rowPlain, row);
    }
}
