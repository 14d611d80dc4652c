using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SymGen.Graph;
using SymGen.Graph.Interpreting;
using SymGen.Scanning;
using SymGen.Tests.Tensors;
using Xunit;

namespace SymGen.Tests.Debugging;

/// <summary>
/// Issue 13's Debug mode on [Symbolic] scans: the generated loop's own value of every node at every step (its
/// observed twin) against the interpreter's, the first step and node beyond the op's tolerance reported with both
/// values and the node's source label. The test-only seams make one engine wrong: the interpreter's output of an op
/// (<see cref="ModeRun.TestWrongOutput"/>) or the generated loop's recorded value of a node (<see cref="GeneratedValues.TestWrongValue"/>).
/// </summary>
public sealed class DebugBesideGeneratedTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Mat<double> W = new([0.5, -0.2, 0.1, 0.3], 2, 2);
    private static readonly Mat<double> U = new([1, 0.5, -0.5, 1], 2, 2);
    private static readonly Vec<double> B = new([0.1, -0.1]);
    private static readonly Mat<double> Xs = new([1, 2, 3, 4, 5, 6, -1, 0.5], 4, 2);
    private static readonly Vec<double> H0 = new([0.2, -0.4]);

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void DebugPassesACorrectGeneratedScanAndGivesTheFastPathsResults()
    {
        // The interpreter alone differs from the generated loop within Tanh's tolerance (it is vectorised there); under
        // Debug it goes on from the generated loop's value of each node that agrees, so the results are the fast path's.
        var fast = OpScans.Rnn(Xs, H0, W, U, B);
        var interpreted = (Mat<double>)OpScans.RnnGraph.Invoke(Xs, H0, W, U, B)[0];
        Assert.NotEqual(fast.Span.ToArray(), interpreted.Span.ToArray());
        Mat<double> debugged;
        using (ScanMode.Use(ScanMode.Debug())) debugged = OpScans.Rnn(Xs, H0, W, U, B);
        Assert.Equal(fast.Span.ToArray(), debugged.Span.ToArray());
    }

    [Fact]
    public void ABrokenDotInTheInterpreterIsNamedWithItsLabelStepAndBothValues()
    {
        var fast = OpScans.Rnn(Xs, H0, W, U, B);
        // Dot(W, h) at step 2 reads h = Rnn[1]; the generated loop computes it right, the broken interpreter adds 1e-6.
        var right = Sym.Dot(W, fast.Row(1));
        ModeRun.TestWrongOutput.Value = (Op.Dot, (t, x) => t == 2 ? x + 1e-6 : x);
        ScanModeException thrown;
        try
        {
            thrown = Assert.Throws<ScanModeException>(() => { using (ScanMode.Use(ScanMode.Debug())) OpScans.Rnn(Xs, H0, W, U, B); });
        }
        finally
        {
            ModeRun.TestWrongOutput.Value = null;
        }
        output.WriteLine(thrown.Message); // the README's "Debugging a scan" shows this message
        Assert.Equal(2, thrown.Step);
        Assert.Equal(Op.Dot, thrown.Node.Op);
        Assert.Equal("Sym.Dot(W, h)", thrown.Node.Label);
        var generated = $"[{Text(right[0])}, {Text(right[1])}]";
        var interpreted = $"[{Text(right[0] + 1e-6)}, {Text(right[1] + 1e-6)}]";
        Assert.Equal(generated, thrown.Expected);
        Assert.Equal(interpreted, thrown.Value);
        Assert.StartsWith($"Dot n5 'Sym.Dot(W, h)' at step 2 of scan 'Rnn': the generated loop gave {generated}, the interpreter {interpreted}", thrown.Message);
        // The node's inputs: the generated loop's values, which the interpreter went on from.
        Assert.Contains($"h = [{Text(fast[1, 0])}, {Text(fast[1, 1])}]", thrown.Inputs);
    }

    [Fact]
    public void ABrokenTanhOfTheGeneratedLoopIsCaughtWhereTheReferenceCheckAloneSeesNothing()
    {
        // The generated side is wrong (node n9 = Sym.Tanh(...) recorded 1e-9 off at step 3): the interpreter and the
        // independent evaluation agree with each other, so only the comparison with the generated loop can see it.
        var fast = OpScans.Rnn(Xs, H0, W, U, B);
        GeneratedValues.TestWrongValue.Value = (9, (t, x) => t == 3 ? x - 1e-9 : x);
        ScanModeException thrown;
        try
        {
            thrown = Assert.Throws<ScanModeException>(() => { using (ScanMode.Use(ScanMode.Debug())) OpScans.Rnn(Xs, H0, W, U, B); });
        }
        finally
        {
            GeneratedValues.TestWrongValue.Value = null;
        }
        Assert.Equal(3, thrown.Step);
        Assert.Equal(Op.Tanh, thrown.Node.Op);
        Assert.Equal("Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b)", thrown.Node.Label);
        Assert.Equal($"[{Text(fast[3, 0] - 1e-9)}, {Text(fast[3, 1] - 1e-9)}]", thrown.Expected);
        // The interpreter's Tanh (the eager one's kernel) of the generated loop's operand at step 3.
        var interpreted = Sym.Tanh(Sym.Dot(W, fast.Row(2)) + Sym.Dot(U, Xs.Row(3)) + B);
        Assert.Equal($"[{Text(interpreted[0])}, {Text(interpreted[1])}]", thrown.Value);
        Assert.Contains("beyond Tanh's tolerance of", thrown.Message);
        // The interpreter's graph under Debug alone (no generated loop: the reference check) passes the same call.
        Assert.Equal(OpScans.RnnGraph.Invoke(Xs, H0, W, U, B)[0].ToString(), OpScans.RnnGraph.Invoke(ScanMode.Debug(), Xs, H0, W, U, B)[0].ToString());
    }

    [Fact]
    public void AScalarNodeMustAgreeBitForBit()
    {
        double[] x = [0.5, -1, 2, 0.25];
        // One ulp off in the interpreter's a * x at step 1: scalars are the same C# expression in both engines.
        ModeRun.TestWrongOutput.Value = (Op.Multiply, (t, v) => t == 1 && v == 0.25 * -1 ? Math.BitIncrement(v) : v);
        ScanModeException thrown;
        try
        {
            thrown = Assert.Throws<ScanModeException>(() => { using (ScanMode.Use(ScanMode.Debug())) ModeScans.Ema(x, 1.0, 0.25); });
        }
        finally
        {
            ModeRun.TestWrongOutput.Value = null;
        }
        Assert.Equal(1, thrown.Step);
        Assert.Equal("a * x", thrown.Node.Label);
        Assert.Equal("-0.25", thrown.Expected);
        Assert.Equal(Text(Math.BitIncrement(-0.25)), thrown.Value);
        Assert.StartsWith($"Multiply n3 'a * x' at step 1 of scan 'Ema': the generated loop gave -0.25, the interpreter {Text(Math.BitIncrement(-0.25))} (from a = 0.25, x = -1)", thrown.Message);
    }

    [Fact]
    public void ADebugFailureLeavesSharedStateUntouchedAndASuccessUpdatesItOnce()
    {
        double[] x = [1, 2, 3, 4];
        var total = new Shared<double>("total", 10);
        ModeRun.TestWrongOutput.Value = (Op.Add, (t, v) => t == 2 ? v + 1 : v);
        try
        {
            Assert.Throws<ScanModeException>(() => { using (ScanMode.Use(ScanMode.Debug())) ModeScans.Accumulate(x, total); });
        }
        finally
        {
            ModeRun.TestWrongOutput.Value = null;
        }
        Assert.Equal(10, total.Value);
        // A passing Debug call updates it as the fast path does: once (the generated twin writes nothing back).
        using (ScanMode.Use(ScanMode.Debug())) ModeScans.Accumulate(x, total);
        Assert.Equal(20, total.Value);
    }

    [Fact]
    public void DebugWithProfileRecordsIntoTheCallersModeAndPrintsOncePerStep()
    {
        var mode = ScanMode.Debug() | ScanMode.Profile();
        var writer = new StringWriter();
        double[] result;
        using (Printing.To(writer))
        using (ScanMode.Use(mode))
            result = ModeScans.PrintTimesFive([1.0, 2, 3]);
        Assert.Equal(new[] { 5.0, 10, 15 }, result);
        // The generated twin prints nothing: the interpreter's run prints, once per step.
        Assert.Equal($"x = 1{writer.NewLine}x = 2{writer.NewLine}x = 3{writer.NewLine}", writer.ToString());
        var scan = Assert.Single(mode.ProfileReport!.Scans);
        Assert.Equal((1L, 3L), (scan.Calls, scan.Steps));
    }

    [Fact]
    public void ErrorsUnderDebugAreTheFastPathsAndNoMoreWork()
    {
        var fast = Assert.Throws<ArgumentException>(() => OpScans.Rnn(Xs, new Vec<double>([1, 2, 3]), W, U, B));
        var debugged = Assert.Throws<ArgumentException>(() => { using (ScanMode.Use(ScanMode.Debug())) OpScans.Rnn(Xs, new Vec<double>([1, 2, 3]), W, U, B); });
        Assert.Equal(fast.Message, debugged.Message);
        Assert.Equal(fast.ParamName, debugged.ParamName);
    }

    [Fact]
    public void ARunTimeGraphKeepsTheReferenceCheck()
    {
        // A graph built at run time (as from F#) has no generated loop: Debug checks each node against an independent
        // evaluation of its op, and names it so.
        var (xs, s0) = (Tensor.Vector("x"), Tensor.Scalar("s0"));
        var scan = Tensor.Scan(a => ScanStep.Of(Tensor.Apply(Op.Tanh, -1, "n2", "tanh(x)", a[0]) + a[1]),
            [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(s0)], name: "tanhs", stepInputNames: ["x", "s"]);
        var f = Tensor.Function([xs, s0], scan);
        ModeRun.TestWrongOutput.Value = (Op.Tanh, (t, v) => t == 1 ? v + 1e-3 : v);
        ScanModeException thrown;
        try
        {
            thrown = Assert.Throws<ScanModeException>(() => f.Invoke(ScanMode.Debug(), new Vec<double>([0.5, 1, 2]), 0.0));
        }
        finally
        {
            ModeRun.TestWrongOutput.Value = null;
        }
        Assert.Equal(1, thrown.Step);
        Assert.Equal("tanh(x)", thrown.Node.Label);
        Assert.Equal(Text(Math.Tanh(1)), thrown.Expected);
        Assert.Contains("an independent evaluation", thrown.Message);
    }
}
