using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGen.Scanning;

namespace SymGen.Graph.Interpreting;

/// <summary>
/// A scan compiled once: its step as instructions over slots (the nodes that depend only on constants and
/// non-sequences, and cannot throw, computed once before the loop, as the generated loop hoists them), where each
/// step input comes from, and the names its checks use. <see cref="Run"/> checks the arguments and sizes the step
/// once per call, in the generated code's order and words, then runs the steps: no boxing, no dictionaries, no LINQ,
/// no shape inference and no allocation per step (traces grow for until-loops, as the generated ones do).
/// </summary>
internal sealed class ScanPlan
{
    private ScanNode Scan { get; init; } = null!;
    /// <summary>The scan's name (profiles).</summary>
    public string Name => Scan.Name;
    private Slot[] StepInputs { get; init; } = [];
    private Slot[] StepOutputs { get; init; } = [];
    private Slot? Condition { get; init; }
    private Instruction[] BeforeLoop { get; init; } = [];
    private Instruction[] Loop { get; init; } = [];
    /// <summary>The step's tensor ops (indices into the plan's), in node order: sized in this order.</summary>
    private int[] StepTensorOps { get; init; } = [];
    private Slot[] Sequences { get; init; } = [];
    private Slot?[] Initials { get; init; } = [];
    private Slot[] NonSequences { get; init; } = [];
    private Slot? Steps { get; init; }
    private Slot[] Outputs { get; init; } = [];
    // The checks' words, as the generated code's (computed once).
    private string StepsName { get; init; } = "";
    private string[] SequenceNames { get; init; } = [];
    private string[] SequenceTaps { get; init; } = [];
    private int[] Spans { get; init; } = [];
    private string[] OutputTaps { get; init; } = [];
    private string?[] InitialNames { get; init; } = [];
    private string[] OutputNames { get; init; } = [];
    private string Where { get; init; } = "";
    private List<string?> PrecedenceNames { get; init; } = [];

    public static ScanPlan Compile(ScanNode scan, Compiler c)
    {
        var stepInputs = new Slot[scan.StepInputs.Count];
        var known = new HashSet<Variable>();
        for (int i = 0; i < stepInputs.Length; i++)
        {
            c.Slots[scan.StepInputs[i]] = stepInputs[i] = c.Counts.New(scan.StepInputs[i].Type);
            known.Add(scan.StepInputs[i]);
        }
        var roots = scan.StepCondition is null ? scan.StepOutputs : scan.StepOutputs.Append(scan.StepCondition).ToList();

        // Values the same at every step: constants, non-sequences, and ops of those that cannot throw.
        var invariant = new HashSet<Variable>(scan.StepInputs.Skip(scan.StepInputs.Count - scan.NonSequences.Count));
        var beforeLoop = new List<Instruction>();
        var loop = new List<Instruction>();
        var tensorOps = new List<int>();
        // A monitored step hoists nothing: a mode reports every node at every step.
        if (c.Monitored) loop.Add(new Instruction(Code.NextStep, Op.Input, 0, 0, 0, 0));
        c.CurrentScan = scan.Name;
        foreach (var node in Compiler.Order(roots, known))
        {
            bool hoisted = node is ConstantVariable || (!c.Monitored && node is ApplyVariable { Type.Rank: 0 } apply
                && apply.Inputs.All(i => i.Type.Rank == 0 && invariant.Contains(i)) && !CanThrow(apply));
            if (hoisted) invariant.Add(node);
            int before = c.TensorOps.Count;
            c.Emit(node, hoisted ? beforeLoop : loop, outer: false);
            for (int k = before; k < c.TensorOps.Count; k++) tensorOps.Add(k);
        }
        c.CurrentScan = null;

        // A recurrent output's steps read back their own trace: the step must return the initial state's type.
        for (int o = 0; o < scan.OutputInfo.Count; o++)
            if (scan.OutputInfo[o].Initial is { } initial && initial.Type.Element != scan.StepOutputs[o].Type.Element)
                throw new ArgumentException($"Output {o} of scan '{scan.Name}' is {scan.StepOutputs[o].Type.Element.ToString().ToLowerInvariant()} per step, " +
                    $"but its initial state '{Plan.Describe(initial)}' is {initial.Type.Element.ToString().ToLowerInvariant()}: convert one to the other's type.");
        var outputs = new Slot[scan.Outputs.Count];
        for (int o = 0; o < outputs.Length; o++)
            c.Slots[scan.Outputs[o]] = outputs[o] = c.Counts.New(scan.Outputs[o].Type);
        string stepsName = scan.Steps is { } stepsVariable ? Plan.Describe(stepsVariable)
            : scan.Sequences.Count > 0 ? Plan.Describe(scan.Sequences[0].Source) : scan.Name;
        return new ScanPlan
        {
            Scan = scan,
            StepInputs = stepInputs,
            StepOutputs = scan.StepOutputs.Select(o => c.Slots[o]).ToArray(),
            Condition = scan.StepCondition is { } condition ? c.Slots[condition] : null,
            BeforeLoop = beforeLoop.ToArray(),
            Loop = loop.ToArray(),
            StepTensorOps = tensorOps.ToArray(),
            Sequences = scan.Sequences.Select(q => c.Slots[q.Source]).ToArray(),
            Initials = scan.OutputInfo.Select(o => o.Initial is null ? (Slot?)null : c.Slots[o.Initial]).ToArray(),
            NonSequences = scan.NonSequences.Select(n => c.Slots[n]).ToArray(),
            Steps = scan.Steps is { } steps ? c.Slots[steps] : null,
            Outputs = outputs,
            StepsName = stepsName,
            SequenceNames = scan.Sequences.Select(q => Plan.Describe(q.Source)).ToArray(),
            SequenceTaps = scan.Sequences.Select(q => string.Join(", ", q.Taps)).ToArray(),
            Spans = scan.Sequences.Select(q => Math.Max(0, q.Taps.Max()) - Math.Min(0, q.Taps.Min())).ToArray(),
            OutputTaps = scan.OutputInfo.Select(o => string.Join(", ", o.Taps)).ToArray(),
            InitialNames = scan.OutputInfo.Select(o => o.Initial is null ? null : Plan.Describe(o.Initial)).ToArray(),
            OutputNames = scan.Outputs.Select((o, i) => o.Name ?? i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Where = $"step of scan '{scan.Name}': ",
            // The order in which the scan's parameters establish sizes (ShapeRules.Blame), as the generated code's.
            PrecedenceNames = scan.Sequences.Select(q => (Variable?)q.Source).Concat(scan.OutputInfo.Select(o => o.Initial)).Concat(scan.NonSequences)
                .Select(v => v is null ? null : Plan.Describe(v)).ToList(),
        };
    }

    /// <summary>
    /// Ops the table says may throw (Sign of NaN), and integer division, remainder (by zero) and Abs (of MinValue),
    /// stay in the loop: a scan of zero steps must not throw.
    /// </summary>
    internal static bool CanThrow(ApplyVariable node) => OpTable.Get(node.Op).MayThrow
        || (node.Op is Op.Divide or Op.Remainder or Op.Abs && node.Type.Element is ElementKind.Int32 or ElementKind.Int64);

    /// <summary>Where a step input comes from: a sequence's row, at <c>Start + Stride * t</c>.</summary>
    private struct SequenceFeed
    {
        public Slot Dest;
        public TensorValue Source;
        public TensorValue? View;
        /// <summary>The source's array for a double scalar: the commonest case, read without a type switch.</summary>
        public double[]? Doubles;
        public int Start, Stride, Width;
    }

    /// <summary>Where a step input comes from: output <c>Output</c>'s value <c>Lag</c> steps back, or its initial state.</summary>
    private struct TapFeed
    {
        public Slot Dest;
        public int Output, Lag, Width, InitialRow;
        public TensorValue? Initial, View;
        /// <summary>The initial rows' array for a double scalar.</summary>
        public double[]? InitialDoubles;
        public Slot InitialSlot;
        public bool IsRows;
    }

    public void Run(State s, Plan plan)
    {
        var scan = Scan;
        int sequenceCount = Sequences.Length;
        var sequences = new TensorValue[sequenceCount];
        for (int q = 0; q < sequenceCount; q++) sequences[q] = s.T[Sequences[q].Index];

        // The generated code's checks, in its order and words: steps, sequence lengths, initial rows, sizes.
        int steps;
        if (Steps is { } stepsSlot)
        {
            long given = stepsSlot.Kind == ElementKind.Int32 ? s.I[stepsSlot.Index] : s.L[stepsSlot.Index];
            steps = ScanArguments.RequireSteps(given, StepsName);
            for (int q = 0; q < sequenceCount; q++)
                ScanArguments.RequireSequenceSteps(sequences[q].Shape[0], Spans[q], SequenceTaps[q], steps, SequenceNames[q], StepsName);
        }
        else
        {
            // A sequence shorter than its taps' span is an error, as in the generated scan.
            steps = int.MaxValue;
            for (int q = 0; q < sequenceCount; q++)
                steps = Math.Min(steps, ScanArguments.StepsProvided(sequences[q].Shape[0], Spans[q], SequenceTaps[q], SequenceNames[q]));
        }
        for (int o = 0; o < Initials.Length; o++)
            if (scan.OutputInfo[o].IsRows)
                ScanArguments.RequireInitialRows(s.T[Initials[o]!.Value.Index].Shape[0], scan.OutputInfo[o].Depth, OutputTaps[o], InitialNames[o]!);

        // Sizes of the step's values from the inputs' alone, each named after the outer parameter it comes from:
        // the traces exist, and every size is checked, before the first step.
        int capacity = Condition is null ? steps : ScanTraces.FirstCapacity(steps);
        int k = 0;
        for (int q = 0; q < sequenceCount; q++)
        {
            var sizes = Plan.SizesOf(Sequences[q], scan.Sequences[q].Source, s)[1..];
            foreach (var _ in scan.Sequences[q].Taps) SetSizes(s, StepInputs[k++], sizes);
        }
        var initialSizes = new Size[Initials.Length][];
        for (int o = 0; o < Initials.Length; o++)
        {
            var info = scan.OutputInfo[o];
            initialSizes[o] = Initials[o] is not { } initial ? []
                : info.IsRows ? Plan.SizesOf(initial, info.Initial!, s)[1..] : Plan.SizesOf(initial, info.Initial!, s);
            foreach (var _ in info.Taps) SetSizes(s, StepInputs[k++], initialSizes[o]);
        }
        for (int n = 0; n < NonSequences.Length; n++)
            SetSizes(s, StepInputs[k++], Plan.SizesOf(NonSequences[n], scan.NonSequences[n], s));
        int Precedence(Size size) => PrecedenceNames.IndexOf(size.Parameter) is var i and >= 0 ? i : int.MaxValue;
        foreach (var op in StepTensorOps)
            Plan.Size(plan.TensorOps[op], s, Where, Precedence);

        var traces = new TensorValue[StepOutputs.Length];
        var widths = new int[StepOutputs.Length];
        for (int o = 0; o < StepOutputs.Length; o++)
        {
            var shape = Plan.SizesOf(StepOutputs[o], scan.StepOutputs[o], s);
            if (scan.OutputInfo[o].Initial is not null)
            {
                if (initialSizes[o].Length != shape.Length)
                    throw new ArgumentException($"Output {o} of scan '{scan.Name}' has rank {shape.Length} per step, but its initial state '{InitialNames[o]}' rank {initialSizes[o].Length}.");
                for (int d = 0; d < shape.Length; d++)
                {
                    var (a, b) = ShapeRules.Blame(initialSizes[o][d], shape[d], Precedence);
                    ScanArguments.RequireSameSize(a.Value, b.Value, a.Text, b.Text,
                        $"output '{OutputNames[o]}' of scan '{scan.Name}' must keep the shape of its initial state '{InitialNames[o]}'",
                        a.Parameter, b.Parameter);
                }
            }
            long width = 1;
            var traceShape = new int[shape.Length + 1];
            traceShape[0] = capacity;
            for (int d = 0; d < shape.Length; d++) width *= traceShape[d + 1] = shape[d].Value;
            ScanArguments.RequireTraceFits(capacity, width, StepsName); // checked again as a while loop's traces grow
            widths[o] = (int)width;
            traces[o] = TensorValue.Zeros(StepOutputs[o].Kind, traceShape);
        }
        foreach (var op in StepTensorOps)
            Plan.Allocate(plan.TensorOps[op], s);

        // Where each step input comes from; tensor inputs are views moved from row to row.
        var sequenceFeeds = new SequenceFeed[StepInputs.Length];
        int sequenceFeedCount = 0;
        k = 0;
        for (int q = 0; q < sequenceCount; q++)
        {
            var taps = scan.Sequences[q].Taps;
            int lo = Math.Min(0, taps.Min()), hi = Math.Max(0, taps.Max());
            var source = sequences[q];
            foreach (var tap in taps)
            {
                var dest = StepInputs[k++];
                sequenceFeeds[sequenceFeedCount++] = new SequenceFeed
                {
                    Dest = dest, Source = source, View = View(s, dest, source, source.Shape[1..]),
                    Doubles = dest is { IsTensor: false, Kind: ElementKind.Float64 } ? (double[])source.Data : null,
                    Start = scan.GoBackwards ? source.Shape[0] - 1 - hi + tap : tap - lo,
                    Stride = scan.GoBackwards ? -1 : 1,
                    Width = source.Shape[0] == 0 ? 0 : source.Length / source.Shape[0],
                };
            }
        }
        var tapFeeds = new TapFeed[StepInputs.Length - k];
        int tapFeedCount = 0;
        for (int o = 0; o < Initials.Length; o++)
        {
            var info = scan.OutputInfo[o];
            foreach (var tap in info.Taps)
            {
                var dest = StepInputs[k++];
                var initial = Initials[o]!.Value;
                tapFeeds[tapFeedCount++] = new TapFeed
                {
                    Dest = dest, Output = o, Lag = -tap, Width = widths[o], IsRows = info.IsRows,
                    InitialRow = info.Depth + tap, InitialSlot = initial,
                    Initial = initial.IsTensor ? s.T[initial.Index] : null,
                    InitialDoubles = dest is { IsTensor: false, Kind: ElementKind.Float64 } && info.IsRows ? (double[])s.T[initial.Index].Data : null,
                    View = View(s, dest, traces[o], traces[o].Shape[1..]),
                };
            }
        }
        for (int n = 0; n < NonSequences.Length; n++, k++)
            if (StepInputs[k].IsTensor) s.T[StepInputs[k].Index] = s.T[NonSequences[n].Index];
            else s.Copy(StepInputs[k].Kind, NonSequences[n].Index, StepInputs[k].Index);

        // Double scalar traces, written and read back without a type switch (refreshed when a trace grows).
        var traceDoubles = new double[]?[traces.Length];
        for (int o = 0; o < traces.Length; o++) traceDoubles[o] = StepOutputs[o] is { IsTensor: false, Kind: ElementKind.Float64 } ? (double[])traces[o].Data : null;

        Machine.Run(BeforeLoop, s, plan);
        int executed = steps;
        double[] doubleSlots = s.D;
        var loop = Loop;
        var stepOutputs = StepOutputs;
        for (int t = 0; t < steps; t++)
        {
            if ((t & 1023) == 0) s.Cancellation.ThrowIfCancellationRequested();
            if (t == capacity)
            {
                capacity = ScanTraces.Grow(capacity, steps);
                for (int o = 0; o < traces.Length; o++)
                {
                    ScanArguments.RequireTraceFits(capacity, widths[o], StepsName);
                    traces[o] = traces[o].Resized(capacity);
                    if (traceDoubles[o] is not null) traceDoubles[o] = (double[])traces[o].Data;
                }
            }
            for (int f = 0; f < sequenceFeedCount; f++)
            {
                ref var feed = ref sequenceFeeds[f];
                int row = feed.Start + feed.Stride * t;
                if (feed.Doubles is { } doubles) doubleSlots[feed.Dest.Index] = doubles[feed.Source.Offset + row];
                else if (feed.View is { } view) view.Offset = feed.Source.Offset + row * feed.Width;
                else s.Load(feed.Source.Data, feed.Source.Offset + row, feed.Dest.Kind, feed.Dest.Index);
            }
            for (int f = 0; f < tapFeedCount; f++)
            {
                ref var feed = ref tapFeeds[f];
                // y[t - lag]: the trace's row once the steps have written it, before that the initial state's.
                if (t >= feed.Lag && traceDoubles[feed.Output] is { } doubles)
                    doubleSlots[feed.Dest.Index] = doubles[t - feed.Lag];
                else if (feed.InitialDoubles is { } initialDoubles && t < feed.Lag)
                    doubleSlots[feed.Dest.Index] = initialDoubles[feed.Initial!.Offset + feed.InitialRow + t];
                else if (t >= feed.Lag)
                    Point(s, feed.View, feed.Dest, traces[feed.Output], (t - feed.Lag) * feed.Width);
                else if (feed.IsRows)
                    Point(s, feed.View, feed.Dest, feed.Initial!, feed.Initial!.Offset + (feed.InitialRow + t) * feed.Width);
                else if (feed.View is { } view)
                    (view.Data, view.Offset) = (feed.Initial!.Data, feed.Initial.Offset);
                else
                    s.Copy(feed.Dest.Kind, feed.InitialSlot.Index, feed.Dest.Index);
            }
            Machine.Run(loop, s, plan);
            for (int o = 0; o < stepOutputs.Length; o++)
            {
                var output = stepOutputs[o];
                if (traceDoubles[o] is { } doubles) doubles[t] = doubleSlots[output.Index];
                else if (output.IsTensor)
                {
                    var value = s.T[output.Index];
                    Array.Copy(value.Data, value.Offset, traces[o].Data, t * widths[o], widths[o]);
                }
                else s.Store(traces[o].Data, t, output.Kind, output.Index);
            }
            if (Condition is { } stop && s.B[stop.Index])
            {
                executed = t + 1;
                break;
            }
        }

        var stepsSize = new Size(executed, $"the number of steps of scan '{scan.Name}'", StepsName);
        for (int o = 0; o < Outputs.Length; o++)
        {
            s.Sizes[Outputs[o].Index] = [stepsSize, .. Plan.SizesOf(StepOutputs[o], scan.StepOutputs[o], s)];
            s.T[Outputs[o].Index] = executed < capacity ? traces[o].Take(executed) : traces[o];
        }
    }

    internal static void SetSizes(State s, Slot slot, Size[] sizes)
    {
        if (slot.IsTensor) s.Sizes[slot.Index] = sizes;
    }

    /// <summary>A tensor step input's view (its data and offset move each step), or null for a scalar.</summary>
    internal static TensorValue? View(State s, Slot slot, TensorValue of, int[] shape)
    {
        if (!slot.IsTensor) return null;
        return s.T[slot.Index] = new TensorValue(of.Kind, of.Data, of.Offset, shape);
    }

    /// <summary>The step input reads element (scalar) or row (tensor view) at <paramref name="offset"/> of <paramref name="source"/>.</summary>
    internal static void Point(State s, TensorValue? view, Slot dest, TensorValue source, int offset)
    {
        if (view is null) s.Load(source.Data, offset, dest.Kind, dest.Index);
        else (view.Data, view.Offset) = (source.Data, offset);
    }
}
