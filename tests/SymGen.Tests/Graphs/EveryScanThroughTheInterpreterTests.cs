using System;
using System.Linq;
using CsCheck;
using Seed;
using SymGen.Tests.Semantics;
using SymGen.Tests.SharedState;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>
/// The scans not covered by the other property tests (the semantics scans and the demo's), their graphs through the
/// interpreter against their generated loops, on random inputs (a sequence shorter than its taps' span: the same error).
/// </summary>
public class EveryScanThroughTheInterpreterTests
{
    private static readonly Gen<double[]> Doubles = Gen.Double[-10, 10].Array[0, 30];

    [Fact]
    public void SemanticsScans() =>
        Gen.Select(Doubles, Doubles, Gen.Double[-10, 10], Gen.Int[0, 6]).Sample((a, b, h, n) =>
        {
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.BackwardsTapsGraph, () => Semantics.SemanticsScans.BackwardsTaps(a), a);
            int steps = Math.Min(n, a.Length);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.ForwardStepsGraph, Semantics.SemanticsScans.ForwardSteps(a, h, steps), a, h, (long)steps);
            var y0 = new[] { h, h + 1 };
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.TwoBackGraph, Semantics.SemanticsScans.TwoBack(y0, n), y0, n);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.TwoSequencesGraph, () => Semantics.SemanticsScans.TwoSequences(a, b), a, b);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.NameClashGraph, Semantics.SemanticsScans.NameClash(a, h), a, h);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.OnesGraph, Semantics.SemanticsScans.Ones(a), a);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.SignsGraph, Semantics.SemanticsScans.Signs(a), a);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.SwapGraph, Semantics.SemanticsScans.Swap(h, -h, n), h, -h, n);
            GraphCheck.SameAsInterpreter(Semantics.SemanticsScans.DelayLineGraph, Semantics.SemanticsScans.DelayLine(y0, n), y0, n);
            GraphCheck.SameAsInterpreter(SharedScans.SumUntilGraph, SharedScans.SumUntil(a, h, 5), a, h, 5.0);
            GraphCheck.SameAsInterpreter(SharedScans.DoubleUntilGraph, SharedScans.DoubleUntil(h, n), h, n);
        });

    [Fact]
    public void TheDemosScans() =>
        Gen.Select(Doubles, Gen.Double[-3, 3], Gen.Int[0, 8], Gen.Int[1, 5], Gen.Int[1, 5]).Sample((x, a, n, h, k) =>
        {
            GraphCheck.SameAsInterpreter(Scans.CumSumGraph, Scans.CumSum(x, a), x, a);
            int[] powers = Enumerable.Range(0, n).ToArray();
            GraphCheck.SameAsInterpreter(Scans.ComponentsGraph, Scans.Components(x, powers, a), x, powers, a);
            var y0 = new[] { a, 1, 2, 3, 4 };
            GraphCheck.SameAsInterpreter(Scans.IirGraph, () => Scans.Iir(x, y0, 0.5), x, y0, 0.5);
            long[] first = [1, (long)n];
            GraphCheck.SameAsInterpreter(Scans.FibonacciGraph, Scans.Fibonacci(first, n), first, n);
            GraphCheck.SameAsInterpreter(Scans.EmaGraph, Scans.Ema(x, a, 0.3), x, a, 0.3);
            GraphCheck.SameAsInterpreter(Scans.DoubleUntilGraph, Scans.DoubleUntil(a, 50, n), a, 50.0, n);
            var rows = new Mat<double>(x.Take(x.Length / k * k).ToArray(), x.Length / k, k);
            var start = new Vec<double>(Enumerable.Repeat(a, k).ToArray());
            GraphCheck.SameAsInterpreter(Scans.RowSumsGraph, Scans.RowSums(rows, start), rows, start);
            var W = new Mat<double>(Enumerable.Range(0, h * h).Select(i => Math.Sin(i + a)).ToArray(), h, h);
            var U = new Mat<double>(Enumerable.Range(0, h * k).Select(i => Math.Cos(i - a)).ToArray(), h, k);
            var b = new Vec<double>(Enumerable.Range(0, h).Select(i => 0.1 * i).ToArray());
            var h0 = new Vec<double>(new double[h]);
            GraphCheck.SameAsInterpreter(Scans.RnnGraph, Scans.Rnn(rows, h0, W, U, b), rows, h0, W, U, b);
            Shared<double> total = new("total", a), total2 = new("total", a);
            Shared<long> count = new("count", n), count2 = new("count", n);
            GraphCheck.SameAsInterpreter(Scans.AddToTotalGraph, Scans.AddToTotal(x, total, count), x, total2, count2);
            Assert.Equal(total.Value, total2.Value);
            Assert.Equal(count.Value, count2.Value);
        });
}
