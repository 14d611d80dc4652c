using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace SymGen.Graph.Interpreting;

/// <summary>
/// A node of a monitored plan: its info, its operands' slots (as the graph gives them, before any conversion the
/// kernel needs) and its value's slot. A monitored plan brackets each node's instructions with
/// <see cref="Code.Before"/> and <see cref="Code.After"/> naming its entry.
/// </summary>
internal sealed class MonitoredNode
{
    public MonitoredNode(ApplyVariable node, Slot[] operands, string? scan)
    {
        Node = node;
        Operands = operands;
        Info = new NodeInfo(node, scan);
        InputNames = node.Inputs.Select(Name).ToArray();
    }

    public ApplyVariable Node { get; }
    public NodeInfo Info { get; }
    public Slot[] Operands { get; }
    public Slot Dest { get; set; }
    /// <summary>How reports name each operand: the step parameter's or input's name, else the node's source or label; null for a constant (its value says it all).</summary>
    public string?[] InputNames { get; }

    private static string? Name(Variable v) => v switch
    {
        ConstantVariable => null,
        ApplyVariable { Label: { } label } => label,
        ApplyVariable a => GraphPrinter.Label(a),
        _ => Plan.Describe(v),
    };
}

/// <summary>
/// One call's run in a <see cref="ScanMode"/>: calls the mode's hooks around each node, checks values (NaN guard,
/// Debug), and measures (Profile). The plan's instructions call it; the plain plan has none of them.
/// </summary>
internal sealed class ModeRun
{
    private readonly ScanMode _mode;
    private readonly Plan _plan;
    private readonly MonitoredNode[] _nodes;
    // The mode's hooks and switches, read once per call rather than per node.
    private readonly NodeHook? _before, _after;
    private readonly bool _profiles, _checks;
    private readonly long[] _nodeTicks, _nodeCalls, _scanTicks, _scanCalls, _scanSteps;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _nodeStarted, _scanStarted;

    public ModeRun(ScanMode mode, Plan plan)
    {
        _mode = mode;
        _plan = plan;
        _nodes = plan.Nodes;
        (_before, _after, _profiles) = (mode.Before, mode.After, mode.Profiles);
        _checks = mode.GuardsNaN || mode.ChecksAgainstReference;
        int nodes = mode.Profiles ? plan.Nodes.Length : 0, scans = mode.Profiles ? plan.Scans.Length : 0;
        (_nodeTicks, _nodeCalls, _scanTicks, _scanCalls, _scanSteps) = (new long[nodes], new long[nodes], new long[scans], new long[scans], new long[scans]);
    }

    /// <summary>A test-only seam: when set (for this async flow), the interpreter compiles this op's double scalar kernel as the function given, so that Debug has a broken kernel to catch.</summary>
    internal static readonly AsyncLocal<(Op Op, Func<double, double, double> Kernel)?> TestKernel = new();

    /// <summary>
    /// A test-only seam read once per run: every node of this op (double elements, scalar or tensor) has each element
    /// x of its value at step t made <c>Wrong(t, x)</c> after it runs, as if the interpreter's kernel were wrong (a Dot,
    /// a Tanh...), so that Debug beside a generated loop has a broken engine to catch. Mode runs only.
    /// </summary>
    internal static readonly AsyncLocal<(Op Op, Func<int, double, double> Wrong)?> TestWrongOutput = new();
    private readonly (Op Op, Func<int, double, double> Wrong)? _wrongOutput = TestWrongOutput.Value;

    public void Before(int index, State s)
    {
        if (_before is { } hook) hook(new NodeEvent(s, _nodes[index], s.Step, ran: false));
        if (_profiles) _nodeStarted = Stopwatch.GetTimestamp();
    }

    public void After(int index, State s)
    {
        if (_profiles)
        {
            _nodeTicks[index] += Stopwatch.GetTimestamp() - _nodeStarted;
            _nodeCalls[index]++;
        }
        var node = _nodes[index];
        if (_wrongOutput is { } wrong && wrong.Op == node.Node.Op) MakeWrong(node, s, wrong.Wrong);
        if (_checks) Check(node, s);
        if (_after is { } hook) hook(new NodeEvent(s, node, s.Step, ran: true));
    }

    private void Check(MonitoredNode node, State s)
    {
        if (_mode.GuardsNaN) CheckFinite(node, s);
        if (_mode.Generated is { } generated) CheckAgainstGenerated(node, s, generated);
        if (_mode.ChecksAgainstReference) CheckAgainstReference(node, s);
    }

    private static void MakeWrong(MonitoredNode node, State s, Func<int, double, double> wrong)
    {
        if (node.Dest.Kind != ElementKind.Float64) return;
        if (!node.Dest.IsTensor) s.D[node.Dest.Index] = wrong(s.Step, s.D[node.Dest.Index]);
        else
        {
            var values = s.T[node.Dest.Index].Span<double>();
            for (int e = 0; e < values.Length; e++) values[e] = wrong(s.Step, values[e]);
        }
    }

    public void ScanBegins(int scan, State s)
    {
        s.Step = -1;
        if (_profiles) _scanStarted = Stopwatch.GetTimestamp();
    }

    public void ScanEnds(int scan, State s)
    {
        if (_profiles)
        {
            _scanTicks[scan] += Stopwatch.GetTimestamp() - _scanStarted;
            _scanCalls[scan]++;
            _scanSteps[scan] += s.Step + 1;
        }
        s.Step = -1;
    }

    /// <summary>The run's measurements, added to the mode's (a failed run's too: its nodes ran).</summary>
    public void Finish()
    {
        if (!_mode.Profiles) return;
        var total = Profile.Time(Stopwatch.GetTimestamp() - _started);
        var nodes = Enumerable.Range(0, _plan.Nodes.Length).Where(i => _nodeCalls[i] > 0)
            .Select(i => new NodeProfile(_plan.Nodes[i].Info, _nodeCalls[i], Profile.Time(_nodeTicks[i]))).ToList();
        var scans = Enumerable.Range(0, _plan.Scans.Length).Where(i => _scanCalls[i] > 0)
            .Select(i => new ScanProfile(_plan.Scans[i].Name, _scanCalls[i], _scanSteps[i], Profile.Time(_scanTicks[i]))).ToList();
        _mode.Record(new Profile(1, total, nodes, scans));
    }

    // ---- Checks ----------------------------------------------------------------------------------------------

    private static string Where(MonitoredNode node, int step) =>
        step >= 0 && node.Info.Scan is { } scan ? $"at step {step} of scan '{scan}'" : "outside any scan's loop";

    private static string Inputs(MonitoredNode node, State s) =>
        string.Join(", ", node.Operands.Select((slot, j) => node.InputNames[j] is { } name ? $"{name} = {new NodeValue(s, slot)}" : new NodeValue(s, slot).ToString()));

    private static void CheckFinite(MonitoredNode node, State s)
    {
        if (node.Dest.Kind is not (ElementKind.Float64 or ElementKind.Float32)) return;
        var value = new NodeValue(s, node.Dest);
        for (int e = 0; e < value.Length; e++)
        {
            double x = value.Element(e);
            if (double.IsFinite(x)) continue;
            var what = double.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
            var produced = node.Dest.IsTensor ? $"{what} (element {e} of {value})" : what;
            var inputs = Inputs(node, s);
            throw new ScanModeException($"{node.Info} produced {produced} {Where(node, s.Step)} from {inputs}.",
                node.Info, s.Step, value.ToString(), null, inputs);
        }
    }

    /// <summary>
    /// Debug beside a generated loop: the node's value against the generated code's value of the same node at the same
    /// step (a node of the scan's step the loop computed), element by element within the op's tolerance; scalars of
    /// scalar operands bit for bit, as every engine computes them with the same C# expression.
    /// </summary>
    private static void CheckAgainstGenerated(MonitoredNode node, State s, Scanning.GeneratedValues generated)
    {
        if (node.Info.Scan is null || generated.Find(node.Info.Name, s.Step) is not { } trace) return;
        var value = new NodeValue(s, node.Dest);
        string Fail(string what) => $"{node.Info} {Where(node, s.Step)}: {what} (from {Inputs(node, s)}).";
        var generatedText = trace.Format(s.Step);
        if (trace.Kind != value.Kind || trace.Dims.Count != value.Length || trace.Dims.Rank != value.Rank)
            throw new ScanModeException(Fail($"the generated loop gave {generatedText} ({ElementKinds.Keyword(trace.Kind)}, {trace.Dims}), the interpreter {value} ({ElementKinds.Keyword(value.Kind)}, {Dims.Of(value.Shape)})"),
                node.Info, s.Step, value.ToString(), generatedText, Inputs(node, s));
        bool allScalar = !node.Dest.IsTensor && node.Operands.All(o => !o.IsTensor);
        int ulps = allScalar ? 0 : OpTable.Get(node.Node.Op).ToleranceUlps;
        bool floating = value.Kind is ElementKind.Float64 or ElementKind.Float32, identical = true;
        for (int e = 0; e < value.Length; e++)
        {
            double got = floating ? value.Element(e) : 0, want = floating ? trace.Element(s.Step, e) : 0;
            bool agree = floating ? Agree(got, want, ulps, value.Kind) : trace.Equal(s.Step, e, value);
            identical &= !floating || got.Equals(want);
            if (!agree)
                throw new ScanModeException(
                    Fail($"the generated loop gave {generatedText}, the interpreter {value}" + (value.Length > 1 ? $" (element {e} first differs)" : "")
                         + (ulps == 0 ? "" : $", beyond {OpTable.Get(node.Node.Op).Name}'s tolerance of {(ulps == OpInfo.NoUlpBound ? "no ulp bound" : ulps + " ulps")}")),
                    node.Info, s.Step, value.ToString(), generatedText, Inputs(node, s));
        }
        // Within tolerance: the interpreter goes on from the generated code's value, so that every node is compared on
        // the inputs the generated code gave it (differences do not pile up across nodes and steps) and the call's
        // results are the generated loop's. Bit-equal values (views of inputs among them) are left alone.
        if (!identical) trace.WriteTo(s.Step, s, node.Dest);
    }

    private static void CheckAgainstReference(MonitoredNode node, State s)
    {
        var inputs = node.Operands.Select(slot => slot.IsTensor ? (object)s.T[slot.Index] : s.Box(slot)).ToArray();
        var value = new NodeValue(s, node.Dest);
        var actual = node.Dest.IsTensor ? (object)s.T[node.Dest.Index] : s.Box(node.Dest);
        string Fail(string what) => $"{node.Info} {Where(node, s.Step)}: {what} (from {Inputs(node, s)}).";

        // The shape the op's rule gives for these operands.
        if (node.Dest.IsTensor)
        {
            var shapes = inputs.Select(i => i is TensorValue t ? t.Shape : []).ToArray();
            var expected = Eager.Shape(node.Node.Op, node.Node.Axis, shapes);
            if (!expected.AsSpan().SequenceEqual(value.Shape))
                throw new ScanModeException(Fail($"the interpreter's value {value} has shape [{string.Join(", ", value.Shape.ToArray())}], but {OpTable.Get(node.Node.Op).Name}'s shape rule gives [{string.Join(", ", expected)}]"),
                    node.Info, s.Step, value.ToString(), null, Inputs(node, s));
        }
        var reference = ReferenceEvaluation.Evaluate(node.Node, inputs);
        if (reference is null) return;
        // Scalars are computed by the same C# expression in every engine: bit for bit. Tensors: the op's tolerance.
        bool allScalar = !node.Dest.IsTensor && node.Operands.All(o => !o.IsTensor);
        int ulps = allScalar ? 0 : OpTable.Get(node.Node.Op).ToleranceUlps;
        var expectedText = reference is TensorValue r ? ValueText.Format(r) : ValueText.Format(reference);
        int length = value.Length;
        for (int e = 0; e < length; e++)
        {
            double got = value.Element(e);
            double want = reference is TensorValue t ? ValueText.ElementAsDouble(t.Data, t.Offset + e) : ValueText.ElementAsDouble(Box(reference), 0);
            if (!Agree(got, want, ulps, node.Dest.Kind))
                throw new ScanModeException(
                    Fail($"the interpreter gave {value}, an independent evaluation {expectedText}" + (ulps == 0 ? "" : $" (beyond {OpTable.Get(node.Node.Op).Name}'s tolerance of {(ulps == OpInfo.NoUlpBound ? "no ulp bound" : ulps + " ulps")})")),
                    node.Info, s.Step, value.ToString(), expectedText, Inputs(node, s));
        }
    }

    private static Array Box(object scalar) => scalar switch
    {
        double d => new[] { d }, float f => new[] { f }, long l => new[] { l }, int n => new[] { n }, _ => new[] { (bool)scalar },
    };

    /// <summary>Equal (NaN with NaN), or within <paramref name="ulps"/> units in the last place of max(|want|, 1).</summary>
    private static bool Agree(double got, double want, int ulps, ElementKind kind)
    {
        if (got.Equals(want)) return true;
        if (double.IsNaN(got) || double.IsNaN(want) || ulps == 0) return false;
        double magnitude = Math.Max(Math.Abs(want), 1);
        double ulp = kind == ElementKind.Float32 ? MathF.BitIncrement((float)magnitude) - (float)magnitude : Math.BitIncrement(magnitude) - magnitude;
        // No ulp bound: the engines agree absolutely (an approximation's error near zero), to the kind's precision.
        double bound = ulps == OpInfo.NoUlpBound ? (kind == ElementKind.Float32 ? 1e-6 : 1e-12) * magnitude : ulps * ulp;
        return Math.Abs(got - want) <= bound;
    }
}
