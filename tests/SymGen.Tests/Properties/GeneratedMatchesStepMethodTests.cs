using System;
using System.Linq;
using CsCheck;
using SymGen.Tests.Conformance;
using SymGen.Tests.Graphs;
using SymGen.Tests.Semantics;
using Xunit;

namespace SymGen.Tests.Properties;

/// <summary>
/// The step method called directly, in a plain C# loop written the obvious way, gives exactly (bit for bit) the
/// generated loop's numbers, on random inputs: special values and random lengths included.
/// </summary>
public class GeneratedMatchesStepMethodTests
{
    private static readonly Gen<double[]> Doubles = Gen.Double.Array[0, 40];

    [Fact]
    public void CumSum() =>
        Gen.Select(Doubles, Gen.Double).Sample((x, h0) =>
        {
            var expected = new double[x.Length];
            double h = h0;
            for (int t = 0; t < x.Length; t++) expected[t] = h = ConformanceScans.CumSumStep(x[t], h);
            Assert.Equal(expected, ConformanceScans.CumSum(x, h0));
            GraphCheck.SameAsInterpreter(ConformanceScans.CumSumGraph, expected, x, h0);
        });

    [Fact]
    public void CumSumBackwardsWithSteps() =>
        Gen.Select(Doubles, Gen.Double, Gen.Int[0, 40]).Sample((x, h0, n) =>
        {
            if (n > x.Length) n = x.Length;
            var expected = new double[n];
            double h = h0;
            for (int t = 0; t < n; t++) expected[t] = h = SemanticsScans.Accumulate(x[x.Length - 1 - t], h);
            Assert.Equal(expected, SemanticsScans.BackwardsSteps(x, h0, n));
            GraphCheck.SameAsInterpreter(SemanticsScans.BackwardsStepsGraph, expected, x, h0, n);
        });

    [Fact]
    public void SequenceTaps() =>
        Doubles.Sample(s =>
        {
            // taps [-3, 2, -1]: step t reads s[t], s[t+5], s[t+2]; fewer than 5 elements cannot be read at all.
            if (s.Length < 5)
            {
                Assert.Equal("s", Assert.Throws<ArgumentException>(() => ConformanceScans.SequenceTaps(s)).ParamName);
                GraphCheck.SameAsInterpreter(ConformanceScans.SequenceTapsGraph, () => ConformanceScans.SequenceTaps(s), s);
                return;
            }
            var expected = Enumerable.Range(0, s.Length - 5).Select(t => ConformanceScans.ThreeTaps(s[t], s[t + 5], s[t + 2])).ToArray();
            Assert.Equal(expected, ConformanceScans.SequenceTaps(s));
            GraphCheck.SameAsInterpreter(ConformanceScans.SequenceTapsGraph, expected, s);
        });

    [Fact]
    public void OutputTaps() =>
        Gen.Select(Gen.Double.Array[5, 8], Gen.Int[0, 30]).Sample((y0, n) =>
        {
            // taps [-3, -5] from the first 5 rows: y[j] lives at buffer[j + 5].
            var buffer = y0.Take(5).ToList();
            for (int t = 0; t < n; t++) buffer.Add(ConformanceScans.TwoPast(buffer[t + 2], buffer[t]));
            Assert.Equal(buffer.Skip(5).ToArray(), ConformanceScans.OutputTaps(y0, n));
            GraphCheck.SameAsInterpreter(ConformanceScans.OutputTapsGraph, buffer.Skip(5).ToArray(), y0, n);
        });

    [Fact]
    public void MixedOutputs() =>
        Gen.Select(Doubles, Gen.Double, Gen.Double.Array[2]).Sample((x, h0, z0) =>
        {
            var (m, h, z) = (new double[x.Length], new double[x.Length], new double[x.Length]);
            double hPrev = h0, z2 = z0[0], z1 = z0[1];
            for (int t = 0; t < x.Length; t++)
            {
                (m[t], h[t], z[t]) = ConformanceScans.Mixed(x[t], hPrev, z2, z1);
                (hPrev, z2, z1) = (h[t], z1, z[t]);
            }
            var actual = ConformanceScans.MixedOutputs(x, h0, z0);
            GraphCheck.SameAsInterpreter(ConformanceScans.MixedOutputsGraph, actual, x, h0, z0);
            Assert.Equal(m, actual.m);
            Assert.Equal(h, actual.h);
            Assert.Equal(z, actual.z);
        });

    [Fact]
    public void PolynomialWithSequencesOfDifferentLengths() =>
        Gen.Select(Doubles, Gen.Long[-5, 5].Array[0, 40], Gen.Double[-3, 3]).Sample((coef, powers, x) =>
        {
            int steps = Math.Min(coef.Length, powers.Length);
            var expected = Enumerable.Range(0, steps).Select(t => ConformanceScans.PolynomialTerm(coef[t], powers[t], x)).ToArray();
            Assert.Equal(expected, ConformanceScans.PolynomialComponents(coef, powers, x));
            GraphCheck.SameAsInterpreter(ConformanceScans.PolynomialComponentsGraph, expected, coef, powers, x);
        });

    [Fact]
    public void BlockBodyWithConditional() =>
        Gen.Select(Doubles, Gen.Double, Gen.Double[0, 100]).Sample((x, start, limit) =>
        {
            var expected = new double[x.Length];
            double h = start;
            for (int t = 0; t < x.Length; t++) expected[t] = h = SemanticsScans.Clipped(x[t], h, limit);
            Assert.Equal(expected, SemanticsScans.ClippedSum(x, start, limit));
            GraphCheck.SameAsInterpreter(SemanticsScans.ClippedSumGraph, expected, x, start, limit);
        });

    [Fact]
    public void IntegerAndFloatSteps() =>
        Gen.Select(Gen.Int.Array[0, 40], Gen.Float.Array[0, 40], Gen.Int).Sample((i, f, divisor) =>
        {
            // Integer division throws for a zero divisor and for int.MinValue / -1: the scan throws the same.
            int steps = Math.Min(i.Length, f.Length);
            var expected = Outcome(() => Enumerable.Range(0, steps).Select(t => SemanticsScans.Mixed(i[t], f[t], divisor)).ToArray());
            var actual = Outcome(() => SemanticsScans.IntAndFloat(i, f, divisor));
            Assert.Equal(expected.Error, actual.Error);
            if (expected.Value is { } e && actual.Value is var (quotients, roots))
            {
                Assert.Equal(e.Select(x => x.Item1).ToArray(), quotients);
                Assert.Equal(e.Select(x => x.Item2).ToArray(), roots);
                GraphCheck.SameAsInterpreter(SemanticsScans.IntAndFloatGraph, (quotients, roots), i, f, divisor);
            }
        });

    private static (T? Value, Type? Error) Outcome<T>(Func<T> run)
    {
        try { return (run(), null); }
        catch (ArithmeticException error) { return (default, error.GetType()); }
    }
}
