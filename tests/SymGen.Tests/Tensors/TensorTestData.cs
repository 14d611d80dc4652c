using System;
using CsCheck;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>Random tensors and closeness checks for the tensor tests.</summary>
internal static class TensorTestData
{
    public static Gen<double[]> Values(int count, double range = 2) => Gen.Double[-range, range].Array[count];

    public static Gen<Vec<double>> Vector(int length) => Values(length).Select(v => new Vec<double>(v));

    public static Gen<Mat<double>> Matrix(int rows, int columns) => Values(rows * columns).Select(v => new Mat<double>(v, rows, columns));

    /// <summary>Equal up to rounding: kernels may vectorise (and so round) differently from a scalar loop.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what, double tolerance = 1e-12)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Close(expected[i], actual[i], $"{what}[{i}]", tolerance);
    }

    public static void Close(double expected, double actual, string what, double tolerance = 1e-12)
    {
        bool close = expected.Equals(actual) || Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(close, $"{what} = {actual:R}, expected {expected:R}");
    }
}
