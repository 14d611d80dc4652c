using System;
using System.Linq;
using CsCheck;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>
/// The blocked SIMD kernels (MatVec, VecMat, MatMul) against a naive double-precision loop, in float and double, on
/// shapes around the vector widths (2, 4, 8, 16 lanes) and the four-row block: 0, 1, 3, 7, 17, 33, 129 ... The
/// kernels only reorder (and fuse) the sums, so each result is within the summation error bound
/// n·ε·Σ|aᵢbᵢ| of the exact value.
/// </summary>
public class MatrixKernelTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 129];

    private static readonly Gen<int> Size = Gen.Int[0, Sizes.Length - 1].Select(i => Sizes[i]);

    /// <summary>Values in [-2, 2] behind an offset of 0-3 elements, so loads are misaligned as real slices are.</summary>
    private static Gen<(double[] Values, int Offset)> Data(int count) =>
        Gen.Select(Gen.Double[-2, 2].Array[count], Gen.Int[0, 3]).Select((v, offset) => (new double[offset].Concat(v).ToArray(), offset));

    private static T[] As<T>(double[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        values.Select(T.CreateChecked).ToArray();

    /// <summary>Σ a[i]·b[i] over <paramref name="n"/> terms, exactly enough (double) to bound the kernel's rounding.</summary>
    private static void CloseToNaive<T>(Func<int, double> a, Func<int, double> b, int n, T actual, string what) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < n; i++) { sum += a(i) * b(i); magnitude += Math.Abs(a(i) * b(i)); }
        double epsilon = typeof(T) == typeof(double) ? Math.Pow(2, -52) : typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -10);
        double tiny = typeof(T) == typeof(double) ? 2.3e-308 : typeof(T) == typeof(float) ? 1.2e-38 : 6.2e-5; // products below it underflow
        double bound = (n + 2) * (epsilon * magnitude + tiny);
        Assert.True(Math.Abs(double.CreateChecked(actual) - sum) <= bound, $"{what} = {actual}, expected {sum:R} within {bound:R}");
    }

    private static void MatVecAgreesWithNaive<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Gen.Select(Size, Size).SelectMany((r, c) => Gen.Select(Data(r * c), Data(c)).Select((w, x) => (r, c, w, x)))
            .Sample(s =>
            {
                T[] w = As<T>(s.w.Values), x = As<T>(s.x.Values);
                var result = new T[s.r];
                Kernels.MatVec<T>(w.AsSpan(s.w.Offset), s.r, s.c, x.AsSpan(s.x.Offset), result);
                for (int i = 0; i < s.r; i++)
                    CloseToNaive(k => double.CreateChecked(w[s.w.Offset + i * s.c + k]), k => double.CreateChecked(x[s.x.Offset + k]), s.c, result[i], $"({s.r} x {s.c}) W x [{i}]");
            }, iter: 300);

    private static void VecMatAgreesWithNaive<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Gen.Select(Size, Size).SelectMany((r, c) => Gen.Select(Data(r), Data(r * c)).Select((x, w) => (r, c, x, w)))
            .Sample(s =>
            {
                T[] w = As<T>(s.w.Values), x = As<T>(s.x.Values);
                var result = Enumerable.Repeat(T.NaN, s.c).ToArray(); // every element must be written, none accumulated
                Kernels.VecMat<T>(x.AsSpan(s.x.Offset), w.AsSpan(s.w.Offset), s.r, s.c, result);
                for (int j = 0; j < s.c; j++)
                    CloseToNaive(k => double.CreateChecked(x[s.x.Offset + k]), k => double.CreateChecked(w[s.w.Offset + k * s.c + j]), s.r, result[j], $"x ({s.r} x {s.c}) W [{j}]");
            }, iter: 300);

    private static void MatMulAgreesWithNaive<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Gen.Select(Gen.Int[0, 9], Size, Gen.Int[0, 40]).SelectMany((n, k, m) => Gen.Select(Data(n * k), Data(k * m)).Select((a, b) => (n, k, m, a, b)))
            .Sample(s =>
            {
                T[] a = As<T>(s.a.Values), b = As<T>(s.b.Values);
                var result = Enumerable.Repeat(T.NaN, s.n * s.m).ToArray();
                Kernels.MatMul<T>(a.AsSpan(s.a.Offset), s.n, s.k, b.AsSpan(s.b.Offset), s.m, result);
                for (int i = 0; i < s.n; i++)
                    for (int j = 0; j < s.m; j++)
                        CloseToNaive(q => double.CreateChecked(a[s.a.Offset + i * s.k + q]), q => double.CreateChecked(b[s.b.Offset + q * s.m + j]), s.k,
                            result[i * s.m + j], $"({s.n} x {s.k}) ({s.k} x {s.m}) [{i},{j}]");
            }, iter: 200);

    [Fact] public void MatVecDouble() => MatVecAgreesWithNaive<double>();
    [Fact] public void MatVecFloat() => MatVecAgreesWithNaive<float>();
    [Fact] public void VecMatDouble() => VecMatAgreesWithNaive<double>();
    [Fact] public void VecMatFloat() => VecMatAgreesWithNaive<float>();
    [Fact] public void MatMulDouble() => MatMulAgreesWithNaive<double>();
    [Fact] public void MatMulFloat() => MatMulAgreesWithNaive<float>();

    /// <summary>Types without a SIMD path (Half) take the generic fallback, with the same results.</summary>
    [Fact]
    public void HalfUsesTheGenericFallback()
    {
        Half[] w = As<Half>([1, 2, 3, 4, 5, 6]), x = As<Half>([1, -1, 2]);
        var result = new Half[2];
        Kernels.MatVec<Half>(w, 2, 3, x, result);
        Assert.Equal(As<Half>([5, 11]), result);
        var row = new Half[3];
        Kernels.VecMat<Half>(As<Half>([1, -1]), w, 2, 3, row);
        Assert.Equal(As<Half>([-3, -3, -3]), row);
    }

    /// <summary>Every size that covers all rows and columns of the kernels' blocks (the example from issue 14's RNN).</summary>
    [Theory]
    [InlineData(32, 32)]
    [InlineData(128, 128)]
    [InlineData(512, 512)]
    [InlineData(129, 33)]
    public void LargeMatVecIsExactOnIntegers(int rows, int columns)
    {
        // Small integers sum exactly in any order, so the result must equal the naive loop bit for bit.
        double[] w = Enumerable.Range(0, rows * columns).Select(i => (double)(i % 7 - 3)).ToArray();
        double[] x = Enumerable.Range(0, columns).Select(i => (double)(i % 5 - 2)).ToArray();
        var result = new double[rows];
        Kernels.MatVec<double>(w, rows, columns, x, result);
        var floats = new float[rows];
        Kernels.MatVec<float>(As<float>(w), rows, columns, As<float>(x), floats);
        for (int r = 0; r < rows; r++)
        {
            double expected = Enumerable.Range(0, columns).Sum(c => w[r * columns + c] * x[c]);
            Assert.Equal(expected, result[r]);
            Assert.Equal((float)expected, floats[r]);
        }
    }

    /// <summary>The kernels read without bounds checks, so a span of the wrong size must be refused before reading.</summary>
    [Fact]
    public void MatrixSpansOfTheWrongSizeAreRefused()
    {
        double[] six = new double[6], three = new double[3], two = new double[2], four = new double[4];
        var e = Assert.Throws<ArgumentException>(() => Kernels.MatVec<double>(six.AsSpan(0, 5), 2, 3, three, two));
        Assert.Contains("2 x 3", e.Message);
        Assert.Contains("5", e.Message);
        Assert.Throws<ArgumentException>(() => Kernels.MatVec<double>(new double[7], 2, 3, three, two));
        Assert.Throws<ArgumentException>(() => Kernels.VecMat<double>(two, six.AsSpan(0, 5), 2, 3, three));
        Assert.Throws<ArgumentException>(() => Kernels.MatMul<double>(six.AsSpan(0, 5), 2, 3, six, 2, four));
        Assert.Throws<ArgumentException>(() => Kernels.MatMul<double>(six, 2, 3, six.AsSpan(0, 5), 2, four));
        Assert.Throws<ArgumentException>(() => Kernels.MatMul<double>(six, 2, 3, six, 2, three));
        Assert.Throws<ArgumentException>(() => Kernels.MatVec<double>(six, -2, -3, three, two));
    }
}
