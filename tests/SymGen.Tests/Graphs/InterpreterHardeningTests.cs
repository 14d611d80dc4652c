using System;
using System.Linq;
using Seed;
using SymGen.Graph;
using SymGen.Tests.Conformance;
using SymGen.Tests.Semantics;
using SymGen.Tests.SharedState;
using SymGen.Tests.Tensors;
using Xunit;
using static SymGen.Graph.Tensor;

namespace SymGen.Tests.Graphs;

/// <summary>
/// Issue 10, items 7-9: the interpreter accepts what the generated method accepts and throws what it throws (type,
/// ParamName, message); no graph is too deep to evaluate or print; every size error blames the user's parameter.
/// </summary>
public class InterpreterHardeningTests
{
    /// <summary>Both engines throw <typeparamref name="T"/> with one ParamName; returns (generated, interpreted).</summary>
    private static (T Generated, T Interpreted) BothThrow<T>(Action generated, Action interpreted) where T : ArgumentException
    {
        var g = Assert.Throws<T>(generated);
        var i = Assert.Throws<T>(interpreted);
        Assert.Equal(g.ParamName, i.ParamName);
        return (g, i);
    }

    private static readonly TensorType Int = new(ElementKind.Int32, 0), Long = new(ElementKind.Int64, 0);

    // ---- Item 7: steps and scalar arguments ---------------------------------------------------------------------

    [Theory]
    [InlineData((1L << 32) + 3)]
    [InlineData(1L << 32)]
    [InlineData(1L << 31)]
    [InlineData(long.MaxValue)]
    [InlineData((long)int.MaxValue)]
    public void StepsBeyondATraceAreOneErrorInBothEngines(long n)
    {
        double[] x = [1, 2, 3];
        var (g, i) = BothThrow<ArgumentOutOfRangeException>(() => SemanticsScans.ForwardSteps(x, 0, n),
            () => SemanticsScans.ForwardStepsGraph.Invoke(x, 0.0, n));
        Assert.Equal("n", i.ParamName);
        Assert.Equal(g.Message, i.Message);
        Assert.Contains($"at most {Array.MaxLength}", i.Message);

        var steps = Input("n", Long);
        var f = Function([steps], Scan(a => ScanStep.Of(a[0] + 1.0), outputs: [ScanOutputInfo.Recurrent(Constant(0.0))], steps: steps));
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => f.Invoke(n)).ParamName);
    }

    [Fact]
    public void IntMaxValueStepsIsTheGeneratedErrorNotArrayDimensionsExceeded()
    {
        var (g, i) = BothThrow<ArgumentOutOfRangeException>(() => Scans.Fibonacci(new long[] { 0, 1 }, int.MaxValue),
            () => Scans.FibonacciGraph.Invoke(new long[] { 0, 1 }, int.MaxValue));
        Assert.Equal("count", i.ParamName);
        Assert.Equal(g.Message, i.Message);
    }

    [Fact]
    public void AVectorTraceTooLargeForAnArrayIsOneErrorInBothEngines()
    {
        var h0 = Vec<double>.Zeros(3);
        var (g, i) = BothThrow<ArgumentOutOfRangeException>(() => HardeningScans.Grown(h0, 1_000_000_000), () => HardeningScans.GrownGraph.Invoke(h0, 1_000_000_000));
        Assert.Equal("n", i.ParamName);
        Assert.Equal(g.Message, i.Message);
    }

    [Fact]
    public void AVectorTraceTooLargeForAnArrayNamesTheSteps()
    {
        var (h0, n) = (Vector("h0"), Input("n", Int));
        var f = Function([h0, n], Scan(a => ScanStep.Of(a[0] + 1.0), outputs: [ScanOutputInfo.Recurrent(h0)], steps: n));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => f.Invoke(new double[] { 0, 0, 0 }, 1_000_000_000));
        Assert.Equal("n", error.ParamName);
        Assert.Contains("1000000000 step(s) of 3 element(s)", error.Message);
    }

    [Fact]
    public void ScalarArgumentsOfAnotherTypeAreRejectedNotConverted()
    {
        long[] first = [0, 1];
        var tooBig = Assert.Throws<ArgumentException>(() => Scans.FibonacciGraph.Invoke(first, (1L << 32) + 1));
        Assert.Equal("count", tooBig.ParamName);
        Assert.Equal("Argument 'count' must be an int32 scalar (int); a long was given. (Parameter 'count')", tooBig.Message);
        var fraction = Assert.Throws<ArgumentException>(() => Scans.FibonacciGraph.Invoke(first, 2.9));
        Assert.Contains("a double was given", fraction.Message);
        var boolean = Assert.Throws<ArgumentException>(() => Scans.CumSumGraph.Invoke(new double[] { 1 }, true));
        Assert.Equal("start", boolean.ParamName);
        Assert.Contains("must be a float64 scalar (double); a bool was given", boolean.Message);
        var array = Assert.Throws<ArgumentException>(() => Scans.CumSumGraph.Invoke(new long[] { 1 }, 0.0));
        Assert.Equal("input", array.ParamName);
        Assert.Contains("must be a float64 vector (double[] or Vec<double>); a long[] was given", array.Message);
    }

    [Fact]
    public void CSharpsImplicitConversionsAreAcceptedAsAtACallToTheGeneratedMethod()
    {
        double[] x = [1, 2, 3];
        // int for a long [Steps], int for a double initial state: C# converts both implicitly.
        GraphCheck.SameAsInterpreter(SemanticsScans.ForwardStepsGraph, SemanticsScans.ForwardSteps(x, 1, 2), x, 1, 2);
        GraphCheck.SameAsInterpreter(Scans.CumSumGraph, Scans.CumSum(x, 1), x, 1);
        GraphCheck.SameAsInterpreter(Scans.CumSumGraph, Scans.CumSum(x, 0.5f), x, 0.5f);
        // A rectangular array for a Mat<double>: a user-defined implicit conversion of the generated signature.
        var rows = new double[,] { { 1, 2 }, { 3, 4 } };
        GraphCheck.SameAsInterpreter(Scans.RowSumsGraph, Scans.RowSums(rows, Vec<double>.Zeros(2)), rows, Vec<double>.Zeros(2));
    }

    [Fact]
    public void NullArgumentsAreTheGeneratedArgumentNullExceptions()
    {
        BothThrow<ArgumentNullException>(() => Scans.Ema(null!, 0, 0.5), () => Scans.EmaGraph.Invoke(null!, 0.0, 0.5));
        var count = new Shared<long>("count", 0);
        var (g, i) = BothThrow<ArgumentNullException>(() => Scans.AddToTotal([1], null!, count), () => Scans.AddToTotalGraph.Invoke(new double[] { 1 }, null!, count));
        Assert.Equal("total", i.ParamName);
        Assert.Equal(g.Message, i.Message);
    }

    // ---- Item 8: deep graphs ------------------------------------------------------------------------------------

    private static (InputVariable X, Variable Chain) Chain(int length)
    {
        var x = Scalar("x");
        Variable v = x;
        for (int k = 0; k < length; k++) v = v + 1.0;
        return (x, v);
    }

    [Fact]
    public void AHundredThousandNodeChainEvaluatesAndPrintsInLinearSize()
    {
        const int Length = 100_000;
        var (x, chain) = Chain(Length);
        var f = Function([x], [chain]);
        Assert.Equal(Length + 0.5, (double)f.Invoke(0.5)[0]);

        // Each node is a line of bounded length (the indentation stops growing), and is printed once.
        var text = f.DebugPrint();
        Assert.True(text.Length < 200L * Length, $"DebugPrint: {text.Length} characters for {Length} nodes");
        Assert.Equal(Length, text.Split('\n').Count(l => l.Contains("Add [id ") && !l.StartsWith("Inputs of", StringComparison.Ordinal)));
        var dot = f.ToDot();
        Assert.True(dot.Length < 200L * Length, $"ToDot: {dot.Length} characters for {Length} nodes");
    }

    [Fact]
    public void ADeepChainInsideAStepEvaluates()
    {
        var (x, h0) = (Vector("x"), Scalar("h0"));
        var f = Function([x, h0], Scan(a =>
        {
            Variable v = a[1] + a[0];
            for (int k = 0; k < 30_000; k++) v = v + 1.0;
            return ScanStep.Of(v);
        }, [new ScanSequence(x, [0])], [ScanOutputInfo.Recurrent(h0)]));
        Assert.Equal(new[] { 30_001.0, 60_003 }, ((Vec<double>)f.Invoke(new double[] { 1, 2 }, 0.0)[0]).ToArray());
    }

    [Fact]
    public void ADiamondPrintsEachNodeOnceWithBackReferences()
    {
        // v[k+1] = v[k] + v[k]: 2^30 paths to x, 31 nodes.
        var x = Scalar("x");
        Variable v = x;
        for (int k = 0; k < 30; k++) v = v + v;
        var f = Function([x], [v]);
        Assert.Equal(Math.Pow(2, 30), (double)f.Invoke(1.0)[0]);

        var lines = f.DebugPrint().TrimEnd().Split('\n');
        Assert.Equal(61, lines.Length); // each Add once in full and once as a back-reference; x once, then once more as a leaf
        Assert.Equal(29, lines.Count(l => l.TrimEnd().EndsWith("^", StringComparison.Ordinal)));
        Assert.True(f.ToDot().Length < 100 * 31 * 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void TheGraphApiRejectsAMeaninglessTruncateGradient(int truncateGradient)
    {
        // SYMG0031 rejects these for a generated scan; the graph API accepted them silently.
        var x = Vector("x");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Scan(a => ScanStep.Of(a[0]), sequences: [new ScanSequence(x, [0])], truncateGradient: truncateGradient));
        Assert.Equal("truncateGradient", error.ParamName);
        Assert.Equal(truncateGradient, error.ActualValue);
        Assert.Equal(3, Scan(a => ScanStep.Of(a[0]), sequences: [new ScanSequence(x, [0])], truncateGradient: 3).Node.TruncateGradient);
    }

    // ---- Item 9: size errors name the user's parameter -------------------------------------------------------

    [Fact]
    public void ASharedVectorOfTheWrongLengthIsNamedAsTheUserWroteIt()
    {
        var x = Mat<double>.Zeros(2, 3);
        var (g, i) = BothThrow<ArgumentException>(
            () => SharedScans.DecayUntil(x, new Shared<Vec<double>>("s", new double[] { 0, 0 }), 10),
            () => SharedScans.DecayUntilGraph.Invoke(x, new Shared<Vec<double>>("s", new double[] { 0, 0 }), 10.0));
        foreach (var error in new[] { g, i })
        {
            // The sequence establishes the step's sizes (ShapeRules.Blame): the shared state is compared against it.
            Assert.Equal("state", error.ParamName);
            Assert.StartsWith("x.Columns is 3 but state.Value.Length is 2; they must be equal (", error.Message);
            Assert.DoesNotContain("stateValue", error.Message);
        }
    }

    [Fact]
    public void AWrongLengthBiasInTheElmanRnnBlamesTheBias()
    {
        var (xs, h0, W, U, b) = (Mat<double>.Zeros(5, 2), Vec<double>.Zeros(4), Mat<double>.Zeros(4, 4), Mat<double>.Zeros(4, 2), Vec<double>.Zeros(3));
        var (g, i) = BothThrow<ArgumentException>(() => Scans.Rnn(xs, h0, W, U, b), () => Scans.RnnGraph.Invoke(xs, h0, W, U, b));
        Assert.Equal("b", i.ParamName);
        Assert.StartsWith("W.Rows is 4 but b.Length is 3; they must be equal (", g.Message);
        Assert.StartsWith("W.Rows is 4 but b.Length is 3; they must be equal (", i.Message);

        // A weight that does not fit the state is the weight's fault; one that does not fit the input, too.
        Assert.Equal("W", BothThrow<ArgumentException>(() => OpScans.Rnn(xs, h0, Mat<double>.Zeros(4, 5), U, Vec<double>.Zeros(4)),
            () => OpScans.RnnGraph.Invoke(xs, h0, Mat<double>.Zeros(4, 5), U, Vec<double>.Zeros(4))).Interpreted.ParamName);
        Assert.Equal("U", BothThrow<ArgumentException>(() => OpScans.Rnn(xs, h0, W, Mat<double>.Zeros(4, 3), Vec<double>.Zeros(4)),
            () => OpScans.RnnGraph.Invoke(xs, h0, W, Mat<double>.Zeros(4, 3), Vec<double>.Zeros(4))).Interpreted.ParamName);
    }

    [Fact]
    public void DefaultRowsAreBlamedNotTheInitialState()
    {
        var start = Vec<double>.Zeros(3);
        var (g, i) = BothThrow<ArgumentException>(() => Scans.RowSums(default, start), () => Scans.RowSumsGraph.Invoke(default(Mat<double>), start));
        Assert.Equal("rows", i.ParamName);
        Assert.StartsWith("rows.Columns is 0 but start.Length is 3; they must be equal (", g.Message);
        Assert.StartsWith("rows.Columns is 0 but start.Length is 3; they must be equal (", i.Message);
    }

    [Fact]
    public void OperandsOfAFunctionAreNamed()
    {
        var (a, b) = (Vector("a"), Vector("b"));
        var error = Assert.Throws<ArgumentException>(() => Function([a, b], [a + b]).Invoke(new double[2], new double[3]));
        Assert.Equal("b", error.ParamName);
        Assert.Equal("a.Length is 2 but b.Length is 3; they must be equal (the lengths of the operands of Add). (Parameter 'b')", error.Message);
    }

    [Fact]
    public void SequenceStepAndInitialErrorsAreTheGeneratedOnesWordForWord()
    {
        double[] x = [1, 2, 3];
        var (g, i) = BothThrow<ArgumentException>(() => ConformanceScans.CumSumSteps(x, 0, 5), () => ConformanceScans.CumSumStepsGraph.Invoke(x, 0.0, 5));
        Assert.Equal("x", i.ParamName);
        Assert.Equal(g.Message, i.Message);

        var (gn, iN) = BothThrow<ArgumentOutOfRangeException>(() => ConformanceScans.CumSumSteps(x, 0, -1), () => ConformanceScans.CumSumStepsGraph.Invoke(x, 0.0, -1));
        Assert.Equal("n_steps", iN.ParamName);
        Assert.Equal(gn.Message, iN.Message);

        double[] y0 = [1, 2, 3];
        var (gi, ii) = BothThrow<ArgumentException>(() => Scans.Iir(new double[10], y0, 0.5), () => Scans.IirGraph.Invoke(new double[10], y0, 0.5));
        Assert.Equal("y0", ii.ParamName);
        Assert.Equal(gi.Message, ii.Message);
    }

    [Fact]
    public void ExtremeTapsAreRejectedWhenTheGraphIsBuilt()
    {
        var (x, y0) = (Vector("x"), Vector("y0"));
        var output = Assert.Throws<ArgumentException>(() => Scan(a => ScanStep.Of(a[0]), outputs: [new ScanOutputInfo(y0, [int.MinValue])], steps: Constant(1)));
        Assert.Equal("outputs", output.ParamName);
        Assert.Contains($"between -{Array.MaxLength} and -1; [{int.MinValue}] was given", output.Message);
        var sequence = Assert.Throws<ArgumentException>(() => Scan(a => ScanStep.Of(a[0] + a[1]), [new ScanSequence(x, [int.MinValue, int.MaxValue])]));
        Assert.Equal("sequences", sequence.ParamName);
        Assert.Contains("'x' must span at most", sequence.Message);
    }
}

/// <summary>Scans for the hardening tests.</summary>
public static partial class HardeningScans
{
    internal static Vec<double> Grow(Vec<double> h) => h + 1.0;

    /// <summary>A vector state and a given number of steps: the trace has n x h0.Length elements.</summary>
    [Symbolic(nameof(Grow))]
    public static partial Mat<double> Grown([Initial] Vec<double> h0, [Steps] int n);
}
