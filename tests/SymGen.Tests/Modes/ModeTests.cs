using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SymGen.Graph;
using SymGen.Graph.Interpreting;
using SymGen.Tests.Tensors;
using Xunit;
using static SymGen.Graph.Tensor;

namespace SymGen.Tests.Modes;

/// <summary>
/// Issue 13, the modes in the compiled interpreter: Monitor hooks (the Theano tutorial's <c>MonitorMode</c>), Debug
/// against an independent evaluation, the NaN guard, Profile; the ambient scope; shared state after a failed run.
/// </summary>
public class ModeTests
{
    // ---- Monitor ----------------------------------------------------------------------------------------------

    [Fact]
    public void TheTutorialsMonitorPrintsEachNodesInputsAndOutputsFor5TimesXAt3()
    {
        // theano.function([x], [5 * x], mode=MonitorMode(pre_func=inspect_inputs, post_func=inspect_outputs))(3)
        var x = Scalar("x");
        var f = Function([x], [5.0 * x]);
        var printed = new StringBuilder();
        var mode = ScanMode.Monitor(
            before: (in NodeEvent e) =>
            {
                printed.Append(e.Node).Append(" input(s) value(s): [");
                for (int i = 0; i < e.InputCount; i++) printed.Append(i > 0 ? ", " : "").Append(e.Input(i));
                printed.Append(']');
            },
            after: (in NodeEvent e) =>
            {
                Assert.Equal(-1, e.Step); // the outer graph: no scan step
                printed.Append(" output(s) value(s): [").Append(e.Output).AppendLine("]");
            });
        var result = f.Invoke(mode, 3.0);
        Assert.Equal(15.0, result[0]);
        Assert.Equal("Multiply input(s) value(s): [5, 3] output(s) value(s): [15]" + Environment.NewLine, printed.ToString());
    }

    [Fact]
    public void HooksFireInGraphOrderOncePerNodePerStepWithTheStepsValues()
    {
        // h[t] = tanh(w * h[t-1] + x[t]): two nodes per step (Multiply, Add) then Tanh, each once per step, in order.
        var (xs, h0, w) = (Vector("xs"), Scalar("h0"), Scalar("w"));
        var f = Function([xs, h0, w], Scan(a => ScanStep.Of(Tanh(a[2] * a[1] + a[0])), [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(h0)], [w], name: "rnn"));
        double[] x = [0.5, -1, 2, 0.25];
        var seen = new List<(int Step, Op Op, double[] Inputs, double Output, string? Scan)>();
        var before = new List<(int, Op)>();
        var mode = ScanMode.Monitor(
            before: (in NodeEvent e) => before.Add((e.Step, e.Node.Op)),
            after: (in NodeEvent e) =>
            {
                var inputs = new double[e.InputCount];
                for (int i = 0; i < inputs.Length; i++) inputs[i] = e.Input(i).AsDouble();
                seen.Add((e.Step, e.Node.Op, inputs, e.Output.AsDouble(), e.Node.Scan));
            });
        var trace = (Vec<double>)f.Invoke(mode, x, 0.1, 0.9)[0];

        // The step computed by hand.
        var expected = new List<(int, Op, double[], double)>();
        double h = 0.1;
        for (int t = 0; t < x.Length; t++)
        {
            double product = 0.9 * h, sum = product + x[t], next = Math.Tanh(sum);
            expected.Add((t, Op.Multiply, [0.9, h], product));
            expected.Add((t, Op.Add, [product, x[t]], sum));
            expected.Add((t, Op.Tanh, [sum], next));
            Assert.Equal(next, trace[t]);
            h = next;
        }
        Assert.Equal(expected.Count, seen.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.Equal((expected[k].Item1, expected[k].Item2), (seen[k].Step, seen[k].Op));
            Assert.Equal(expected[k].Item3, seen[k].Inputs);
            Assert.Equal(expected[k].Item4, seen[k].Output);
            Assert.Equal("rnn", seen[k].Scan);
        }
        Assert.Equal(seen.Select(s => (s.Step, s.Op)), before);
    }

    [Fact]
    public void AGeneratedGraphsNodesAreLabelledWithTheirSourceAndTensorValuesAreTyped()
    {
        var (W, U, b) = (new Mat<double>([0.5, -0.2, 0.1, 0.3], 2, 2), new Mat<double>([1, 0, 0, 1], 2, 2), new Vec<double>([0.1, -0.1]));
        var xs = new Mat<double>([1, 2, 3, 4, 5, 6], 3, 2);
        var h0 = new Vec<double>([0, 0]);
        var labels = new List<string>();
        var tanhOutputs = new List<double[]>();
        var mode = ScanMode.Monitor(after: (in NodeEvent e) =>
        {
            labels.Add(e.Node.ToString());
            if (e.Node.Op == Op.Tanh)
            {
                Assert.Equal(1, e.Output.Rank);
                Assert.Equal([2], e.Output.Shape.ToArray());
                tanhOutputs.Add(e.Output.AsSpan<double>().ToArray());
            }
        });
        var trace = (Mat<double>)OpScans.RnnGraph.Invoke(mode, xs, h0, W, U, b)[0];
        Assert.Contains(labels, l => l.StartsWith("Dot ") && l.Contains("'Sym.Dot(W, h)'"));
        Assert.Equal(3, tanhOutputs.Count);
        // The monitored run gives the plain interpreter's bits, and the generated loop's values within Tanh's tolerance.
        var plain = (Mat<double>)OpScans.RnnGraph.Invoke(xs, h0, W, U, b)[0];
        var generated = OpScans.Rnn(xs, h0, W, U, b);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(plain.Row(t).ToArray(), tanhOutputs[t]);
            Assert.Equal(plain.Row(t).ToArray(), trace.Row(t).ToArray());
            for (int i = 0; i < 2; i++) Assert.Equal(generated[t, i], trace[t, i], 1e-12);
        }
    }

    [Fact]
    public void AThrowingHookStopsTheRunAndLeavesSharedStateUntouched()
    {
        var (xs, acc) = (Vector("xs"), SharedInput("acc", TensorType.Float64Scalar));
        var scan = Scan(a => ScanStep.Of(a[1] + a[0]), [new ScanSequence(xs, [0])], updates: [acc], name: "accumulate");
        var f = Function([xs, acc], [], scan.Node);
        var shared = new Shared<double>("acc", 10);
        var mode = ScanMode.Monitor(after: (in NodeEvent e) =>
        {
            if (e.Step == 2) throw new InvalidOperationException("stop at step 2");
        });
        var thrown = Assert.Throws<InvalidOperationException>(() => f.Invoke(mode, new double[] { 1, 2, 3, 4 }, shared));
        Assert.Equal("stop at step 2", thrown.Message);
        Assert.Equal(10, shared.Value);
        // The same call with a hook that does not throw updates it, as the fast path does.
        f.Invoke(ScanMode.Monitor(after: (in NodeEvent _) => { }), new double[] { 1, 2, 3, 4 }, shared);
        Assert.Equal(20, shared.Value);
        f.Invoke(new double[] { 1, 2, 3, 4 }, shared);
        Assert.Equal(30, shared.Value);
    }

    [Fact]
    public void ConcurrentCallsInDifferentModesEachSeeTheirOwnStepsAndValues()
    {
        var (xs, h0) = (Vector("xs"), Scalar("h0"));
        var f = Function([xs, h0], Scan(a => ScanStep.Of(a[1] + a[0]), [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(h0)]));
        var results = System.Threading.Tasks.Parallel.For(0, 8, k =>
        {
            var steps = new List<(int, double)>();
            var x = Enumerable.Range(0, 200 + k).Select(i => (double)(i * k)).ToArray();
            f.Invoke(ScanMode.Monitor(after: (in NodeEvent e) => steps.Add((e.Step, e.Output.AsDouble()))), x, (double)k);
            double h = k;
            Assert.Equal(x.Length, steps.Count);
            for (int t = 0; t < x.Length; t++) Assert.Equal((t, h += x[t]), steps[t]);
        });
        Assert.True(results.IsCompleted);
    }

    [Fact]
    public void TheOutputIsNotThereBeforeTheNodeRuns()
    {
        var x = Scalar("x");
        string? message = null;
        Function([x], [x * 2.0]).Invoke(ScanMode.Monitor(before: (in NodeEvent e) =>
        {
            Assert.False(e.HasOutput);
            try { _ = e.Output; }
            catch (InvalidOperationException thrown) { message = thrown.Message; }
        }), 1.0);
        Assert.Equal("Multiply has not run yet: its output is there in the hook after it.", message);
    }

    [Fact]
    public void TheNanGuardLeavesSharedStateUntouched()
    {
        var (xs, acc) = (Vector("xs"), SharedInput("acc", TensorType.Float64Scalar));
        var scan = Scan(a => ScanStep.Of(a[1] + Log(a[0])), [new ScanSequence(xs, [0])], updates: [acc], name: "logsum");
        var f = Function([xs, acc], [], scan.Node);
        var shared = new Shared<double>("acc", 1);
        Assert.Throws<ScanModeException>(() => f.Invoke(ScanMode.NanGuard(), new double[] { 1, -1 }, shared));
        Assert.Equal(1, shared.Value);
        f.Invoke(ScanMode.NanGuard(), new double[] { 1, Math.E }, shared);
        Assert.Equal(2, shared.Value);
    }

    [Fact]
    public void TheAmbientScopeRunsCallsInItsModeAndACallsOwnModeWins()
    {
        var x = Scalar("x");
        var f = Function([x], [Exp(x) * 2.0]);
        int scoped = 0, own = 0;
        Assert.Null(ScanMode.Current);
        using (ScanMode.Use(ScanMode.Monitor(after: (in NodeEvent _) => scoped++)))
        {
            Assert.NotNull(ScanMode.Current);
            Assert.Equal(2 * Math.Exp(1), f.Invoke(1.0)[0]);
            Assert.Equal(2, scoped);
            f.Invoke(ScanMode.Monitor(after: (in NodeEvent _) => own++), 1.0);
            Assert.Equal((2, 2), (scoped, own));
        }
        Assert.Null(ScanMode.Current);
        f.Invoke(1.0);
        Assert.Equal(2, scoped);
        // The plain plan is never the monitored one.
        Assert.NotSame(f.CompiledPlan, f.CompiledMonitoredPlan);
        Assert.Empty(((Plan)f.CompiledPlan!).Nodes);
    }

    [Fact]
    public void ANullFirstArgumentIsStillAnArgument() =>
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Function([Vector("x"), Scalar("y")], [Sum(Vector("x"))]).Invoke(null!, 1.0)).ParamName);

    [Fact]
    public void CombinedModesCallEveryHookInOrder()
    {
        var x = Scalar("x");
        var f = Function([x], [x + 1.0]);
        var calls = new List<string>();
        var mode = ScanMode.Monitor(after: (in NodeEvent _) => calls.Add("a")) | ScanMode.Monitor(after: (in NodeEvent _) => calls.Add("b")) | ScanMode.NanGuard();
        f.Invoke(mode, 1.0);
        Assert.Equal(["a", "b"], calls);
        Assert.Equal("Monitor | NanGuard", mode.ToString());
    }

    // ---- NaN guard --------------------------------------------------------------------------------------------

    [Fact]
    public void TheNanGuardNamesLogOfANegativeSequenceElementAtStep3()
    {
        var (xs, s0) = (Vector("x"), Scalar("s0"));
        var f = Function([xs, s0], Scan(a => ScanStep.Of(a[1] + Apply(Op.Log, -1, "n3", "Math.Log(x)", a[0])), [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(s0)],
            name: "logs", stepInputNames: ["x", "s"]));
        double[] x = [1, 2, 3, -1, 5];
        var fast = (Vec<double>)f.Invoke(x, 0.0)[0];
        Assert.True(double.IsNaN(fast[3])); // the fast path computes NaN on
        var thrown = Assert.Throws<ScanModeException>(() => f.Invoke(ScanMode.NanGuard(), x, 0.0));
        Assert.Equal("Log n3 'Math.Log(x)' produced NaN at step 3 of scan 'logs' from x = -1.", thrown.Message);
        Assert.Equal((3, Op.Log, "-1"), (thrown.Step, thrown.Node.Op, thrown.Inputs[4..]));
    }

    [Fact]
    public void TheNanGuardNamesTheFirstNodeOfATensorThatOverflows()
    {
        var v = Vector("v");
        var f = Function([v], [Sum(Exp(v) * 2.0)]);
        var thrown = Assert.Throws<ScanModeException>(() => f.Invoke(ScanMode.NanGuard(), new double[] { 1, 800, 2 }));
        Assert.Equal(Op.Exp, thrown.Node.Op);
        Assert.Equal(-1, thrown.Step);
        Assert.Equal("Exp produced Infinity (element 1 of [2.718281828459045, ∞, 7.38905609893065]) outside any scan's loop from v = [1, 800, 2].".Replace("∞", double.PositiveInfinity.ToString(System.Globalization.CultureInfo.InvariantCulture)), thrown.Message);
    }

    // ---- Debug ------------------------------------------------------------------------------------------------

    [Fact]
    public void DebugPassesACorrectScanAndGivesTheFastPathsResults()
    {
        var (W, U, b) = (new Mat<double>([0.5, -0.2, 0.1, 0.3], 2, 2), new Mat<double>([1, 0, 0, 1], 2, 2), new Vec<double>([0.1, -0.1]));
        var xs = new Mat<double>([1, 2, 3, 4, 5, 6], 3, 2);
        var h0 = new Vec<double>([0, 0]);
        var debugged = (Mat<double>)OpScans.RnnGraph.Invoke(ScanMode.Debug(), xs, h0, W, U, b)[0];
        Assert.Equal(((Mat<double>)OpScans.RnnGraph.Invoke(xs, h0, W, U, b)[0]).Span.ToArray(), debugged.Span.ToArray());
    }

    [Fact]
    public void DebugCatchesABrokenKernelAndNamesTheNodeAndStep()
    {
        // The test-only seam breaks the interpreter's double Multiply from step 2 on (when its left operand is 3).
        var (xs, s0) = (Vector("x"), Scalar("s0"));
        var scan = Scan(a => ScanStep.Of(Apply(Op.Multiply, -1, "n2", "x * 2", a[0], Constant(2.0)) + a[1]), [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(s0)],
            name: "doubling", stepInputNames: ["x", "s"]);
        double[] x = [1, 2, 3, 4];
        ModeRun.TestKernel.Value = (Op.Multiply, (a, b) => a == 3 ? a * b + 1e-9 : a * b);
        Function f;
        try
        {
            f = Function([xs, s0], scan);
            // The broken kernel is compiled into the plain plan too: the fast path is silently off.
            Assert.Equal(1e-9 + 12, ((Vec<double>)f.Invoke(x, 0.0)[0])[2], 12);
            var thrown = Assert.Throws<ScanModeException>(() => f.Invoke(ScanMode.Debug(), x, 0.0));
            Assert.Equal(2, thrown.Step);
            Assert.Equal(Op.Multiply, thrown.Node.Op);
            Assert.Equal("n2", thrown.Node.Name);
            Assert.Equal("6", thrown.Expected);
            Assert.Equal((6 + 1e-9).ToString("R", System.Globalization.CultureInfo.InvariantCulture), thrown.Value);
            Assert.StartsWith("Multiply n2 'x * 2' at step 2 of scan 'doubling': the interpreter gave 6.000000001, an independent evaluation 6 (from x = 3, 2)", thrown.Message);
        }
        finally
        {
            ModeRun.TestKernel.Value = null;
        }
        // Without the seam a new function passes Debug.
        Assert.Equal([2.0, 6, 12, 20], ((Vec<double>)Function([xs, s0], scan).Invoke(ScanMode.Debug(), x, 0.0)[0]).ToArray());
    }

    [Fact]
    public void DebugComparesTensorOpsWithTheEagerSymFunctions()
    {
        var (m, v) = (Matrix("m"), Vector("v"));
        var f = Function([m, v], [Softmax(Dot(m, v) + v), Sum(m, 0), LogSumExp(m, 1), Outer(v, v), Transpose(m)]);
        var M = new Mat<double>([1, 2, 3, 4], 2, 2);
        var V = new Vec<double>([0.5, -0.5]);
        var plain = f.Invoke(M, V);
        var debugged = f.Invoke(ScanMode.Debug(), M, V);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i].ToString(), debugged[i].ToString());
    }

    [Fact]
    public void AnUntilLoopIsProfiledByTheStepsItRan()
    {
        var (xs, s0) = (Vector("xs"), Scalar("s0"));
        var f = Function([xs, s0], Scan(a =>
        {
            var next = a[1] + a[0];
            return ScanStep.Stop(Greater(next, Constant(5.0)), next);
        }, [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(s0)], name: "until"));
        var mode = ScanMode.Profile();
        var trace = (Vec<double>)f.Invoke(mode, new double[] { 1, 2, 3, 4, 5 }, 0.0)[0];
        Assert.Equal([1.0, 3, 6], trace.ToArray());
        Assert.Equal(3, mode.ProfileReport!.Scans.Single().Steps);
        Assert.Equal(3, mode.ProfileReport.Nodes.Single(n => n.Node.Op == Op.Greater).Calls);
    }

    // ---- Profile ----------------------------------------------------------------------------------------------

    [Fact]
    public void ProfileCountsEveryNodePerStepAndEveryScanAndAccumulatesOverCalls()
    {
        var (xs, h0) = (Vector("xs"), Scalar("h0"));
        var f = Function([xs, h0], [Sum(Scan(a => ScanStep.Of(Tanh(a[1] + a[0])), [new ScanSequence(xs, [0])], [ScanOutputInfo.Recurrent(h0)], name: "rnn")[0])]);
        var mode = ScanMode.Profile();
        Assert.Null(mode.ProfileReport);
        var x = new double[100];
        f.Invoke(mode, x, 0.5);
        f.Invoke(mode, x, 0.5);
        var profile = mode.ProfileReport!;
        Assert.Equal(2, profile.Calls);
        var scan = Assert.Single(profile.Scans);
        Assert.Equal(("rnn", 2L, 200L), (scan.Scan, scan.Calls, scan.Steps));
        Assert.Equal(200, profile.Nodes.Single(n => n.Node.Op == Op.Tanh).Calls);
        Assert.Equal(200, profile.Nodes.Single(n => n.Node.Op == Op.Add).Calls);
        Assert.Equal(2, profile.Nodes.Single(n => n.Node.Op == Op.Sum).Calls);
        Assert.True(profile.Nodes.Zip(profile.Nodes.Skip(1)).All(p => p.First.Time >= p.Second.Time), "sorted by time, longest first");
        var table = profile.ToString();
        Assert.Contains("rnn", table);
        Assert.Contains("Tanh", table);
        Assert.Contains("200", table);
    }
}
