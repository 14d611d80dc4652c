using System;
using Xunit;

namespace SymGen.Tests.Semantics;

/// <summary>The reference scan rules (docs/scan-semantics.md) and SymGen's decisions, one test each.</summary>
public class SemanticsTests
{
    [Fact]
    public void GoBackwardsKeepsTapMeaningsInOriginalOrder() =>
        Assert.Equal([34.0, 23.0, 12.0], SemanticsScans.BackwardsTaps([1, 2, 3, 4]));

    [Fact]
    public void StepsWithGoBackwardsUseTheLastElementsInReverse() =>
        Assert.Equal([6.0, 11.0, 15.0], SemanticsScans.BackwardsSteps([1, 2, 3, 4, 5, 6], 0, 3));

    [Fact]
    public void OneStepIsNoSpecialCase()
    {
        // PyTensor's n_steps=1 shortcut ignores go_backwards and reads x[0]; SymGen reads x[-1] as any count would.
        Assert.Equal([6.0], SemanticsScans.BackwardsSteps([1, 2, 3, 4, 5, 6], 0, 1));
    }

    [Fact]
    public void StepsCutTheSequence() =>
        Assert.Equal([1.0, 3.0], SemanticsScans.ForwardSteps(new double[] { 1, 2, 3, 4 }, 0, 2L));

    [Fact]
    public void LongerInitialStateUsesItsFirstRows() =>
        Assert.Equal([10.0, 20.0, 100.0, 200.0], SemanticsScans.TwoBack([1, 2, 3, 4], 4));

    [Fact]
    public void ShortestSequenceDecidesTheSteps()
    {
        // a has taps [1, 2]: step t reads a[t+1], a[t+2], so 5 elements give 3 steps; b has 4 elements.
        double[] a = [1, 2, 3, 4, 5], b = [100, 200, 300, 400];
        Assert.Equal([105.0, 207.0, 309.0], SemanticsScans.TwoSequences(a, b));
        Assert.Equal([105.0, 207.0], SemanticsScans.TwoSequences(a, b.AsMemory(0, 2)));
    }

    [Fact]
    public void ZeroStepsGiveEmptyTracesNotTheInitialState()
    {
        Assert.Empty(SemanticsScans.BackwardsSteps([], 7, 0));
        Assert.Empty(SemanticsScans.BackwardsSteps([1, 2], 7, 0));
        Assert.Empty(SemanticsScans.TwoBack([1, 2], 0));
        var (q, r) = SemanticsScans.IntAndFloat([], [], 3);
        Assert.Empty(q);
        Assert.Empty(r);
    }

    [Fact]
    public void ASequenceAsLongAsItsTapSpanGivesZeroSteps()
    {
        // As in the reference: len - span steps, here 0 (a taps-[0] empty sequence is the reference's own case).
        Assert.Empty(SemanticsScans.TwoSequences([1, 2], new double[] { 1, 2 }));
        Assert.Empty(SemanticsScans.AroundSum([1, 2, 3, 4]));
        Assert.Empty(SemanticsScans.AroundSumSteps([1, 2, 3, 4], 0));
        Assert.Equal([6.0], SemanticsScans.AroundSum([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void IntegerAndFloatArithmeticFollowCSharp()
    {
        var (quotients, roots) = SemanticsScans.IntAndFloat([7, -7, 9], [4f, 2f, 0.25f], 2);
        Assert.Equal([7 / 2 + 7 % 2, -7 / 2 + -7 % 2, 9 / 2 + 9 % 2], quotients);
        Assert.Equal([MathF.Sqrt(4f) * 2f + 7, MathF.Sqrt(2f) * 2f - 7, MathF.Sqrt(0.25f) * 2f + 9], roots);
    }

    [Fact]
    public void BlockBodiesWithLocalsConditionalsAndMath()
    {
        double[] x = [1, 4, -10, 3];
        var expected = new double[x.Length];
        double h = 0;
        for (int t = 0; t < x.Length; t++) expected[t] = h = SemanticsScans.Clipped(x[t], h, 2);
        Assert.Equal(expected, SemanticsScans.ClippedSum(x, 0, 2));
        Assert.Equal([0.5, 2, -2, -0.5], expected);
    }

    [Fact]
    public void ParametersNamedLikeGeneratedLocalsAreRespected() =>
        Assert.Equal([11.0, 13.0], SemanticsScans.NameClash([1, 2], 10));

    [Fact]
    public void OutputsThatArePastValuesReadThemBeforeTheStateShifts()
    {
        var (a, b) = SemanticsScans.Swap(1, 2, 3);
        Assert.Equal([2.0, 1.0, 2.0], a);
        Assert.Equal([1.0, 2.0, 1.0], b);
        // y[t] = y[t-2] from y[-2] = 1, y[-1] = 2.
        Assert.Equal([1.0, 2.0, 1.0, 2.0], SemanticsScans.DelayLine([1, 2], 4));
    }

    [Fact]
    public void ConstantAndBoolOutputs()
    {
        Assert.Equal([1.0, 1.0, 1.0], SemanticsScans.Ones([5, 6, 7]));
        Assert.Equal([true, false, false], SemanticsScans.Signs([0.5, 0, -1]));
    }
}

/// <summary>Bad input: an exception that names the parameter, says what was expected and what was given.</summary>
public class ArgumentErrorTests
{
    [Fact]
    public void StepsBeyondASequenceNameTheSequenceItsLengthTapsAndSteps()
    {
        // PyTensor: "Sequence 0 has shape (3,) but the Scan's required number of steps is 5".
        var error = Assert.Throws<ArgumentException>(() => SemanticsScans.BackwardsSteps([1, 2, 3], 0, 5));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("'x' has 3 element(s)", error.Message);
        Assert.Contains("taps [0]", error.Message);
        Assert.Contains("'n' asks for 5", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASequenceShorterThanItsTapSpanIsRejectedByBothEngines(bool interpreted)
    {
        // Without [Steps] this used to return an empty trace; the reference slices it into nonsense (wrapping ends).
        double[] x = [1, 2, 3];
        var error = Assert.Throws<ArgumentException>(() => interpreted
            ? SemanticsScans.AroundSumGraph.Invoke(x)
            : SemanticsScans.AroundSum(x));
        Assert.Equal("x", error.ParamName);
        Assert.StartsWith("Sequence 'x' has 3 element(s), but its taps [-2, 2] span 4: it needs at least 4 element(s) (4 + n for n steps).", error.Message);
        // With [Steps], also for zero steps: the sequence is malformed whatever the count.
        foreach (int n in new[] { 0, 2 })
        {
            var withSteps = Assert.Throws<ArgumentException>(() => interpreted
                ? SemanticsScans.AroundSumStepsGraph.Invoke(x, n)
                : SemanticsScans.AroundSumSteps(x, n));
            Assert.Equal("x", withSteps.ParamName);
            Assert.Contains("taps [-2, 2] span 4", withSteps.Message);
        }
    }

    [Fact]
    public void NegativeStepsNameTheStepsParameter()
    {
        // PyTensor: "Scan was asked to run for negative number of step -1" (or an OverflowError).
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SemanticsScans.BackwardsSteps([1, 2, 3], 0, -1));
        Assert.Equal("n", error.ParamName);
        Assert.Contains("must be zero or more; it was -1", error.Message);
    }

    [Fact]
    public void StepsTooLargeForATrace()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SemanticsScans.ForwardSteps(new double[3], 0, long.MaxValue));
        Assert.Equal("n", error.ParamName);
    }

    [Fact]
    public void InitialStateShorterThanItsTapsIsRejected()
    {
        // PyTensor reads uninitialised memory here; SymGen names the parameter and the rows required.
        var error = Assert.Throws<ArgumentException>(() => SemanticsScans.TwoBack([1], 3));
        Assert.Equal("y0", error.ParamName);
        Assert.Contains("has 1 row(s), but its taps [-2] need 2", error.Message);
    }

    [Fact]
    public void NullArraysAreRejected()
    {
        var error = Assert.Throws<ArgumentNullException>(() => SemanticsScans.BackwardsSteps(null!, 0, 0));
        Assert.Equal("x", error.ParamName);
    }
}
