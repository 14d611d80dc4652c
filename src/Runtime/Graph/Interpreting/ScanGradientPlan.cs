using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using SymGen;

namespace SymGen.Graph.Interpreting;

/// <summary>
/// A backward scan (<see cref="ScanGradientNode"/>) compiled once: its step as instructions over slots, as a forward
/// <see cref="ScanPlan"/>'s. <see cref="Run"/> runs the reverse loop of the reference's gradient (SCAN-SEMANTICS.md
/// §11): t = T-1 down to max(0, T-k) (k = TruncateGradient; all steps for -1), each step reading the forward values
/// at t (sequence rows, past values from the traces or initial states, the stored results) and the whole cotangent of
/// each result (the trace's cotangent row plus what later steps sent back through its taps, carried in a ring of
/// depth rows), then adding each step input's gradient to its sequence row, to the carried cotangent of the past value
/// it read (or to the initial state's row), or to its non-sequence's sum. Buffers are allocated once per call,
/// nothing per step.
/// </summary>
internal sealed class ScanGradientPlan
{
    private ScanGradientNode Node { get; init; } = null!;
    private Slot[] StepInputs { get; init; } = [];
    private Slot?[] Values { get; init; } = [];
    private Slot?[] OutputCotangents { get; init; } = [];
    private Slot?[] StepInputGradients { get; init; } = [];
    /// <summary>The terms of each non-sequence's gradient added at every step.</summary>
    private (int NonSequence, Slot Term)[] NonSequenceTerms { get; init; } = [];
    /// <summary>The outer products a bᵀ of each non-sequence's gradient: a and b stored per step, multiplied after the loop.</summary>
    private (int NonSequence, Slot A, Variable AVariable, Slot B, Variable BVariable)[] NonSequenceProducts { get; init; } = [];
    private Instruction[] BeforeLoop { get; init; } = [];
    private Instruction[] Loop { get; init; } = [];
    private int[] StepTensorOps { get; init; } = [];
    private Slot[] Sequences { get; init; } = [];
    private Slot?[] Initials { get; init; } = [];
    private Slot[] NonSequences { get; init; } = [];
    private Slot[] Traces { get; init; } = [];
    private Slot?[] Cotangents { get; init; } = [];
    private Slot[] OuterInputs { get; init; } = [];
    /// <summary>Per forward outer input, the slot of its gradient, or null.</summary>
    private Slot?[] Gradients { get; init; } = [];
    private string Where { get; init; } = "";

    public static ScanGradientPlan Compile(ScanGradientNode node, Compiler c)
    {
        var scan = node.Forward;
        var known = new HashSet<Variable>();
        Slot Input(InputVariable input)
        {
            known.Add(input);
            return c.Slots[input] = c.Counts.New(input.Type);
        }
        // The forward step's inputs get slots of the backward step's own (the forward plan keeps its).
        var stepInputs = scan.StepInputs.Select(Input).ToArray();
        var values = node.Values.Select(v => v is null ? (Slot?)null : Input(v)).ToArray();
        var outputCotangents = node.OutputCotangents.Select(v => v is null ? (Slot?)null : Input(v)).ToArray();

        // Values the same at every step, computed once before the loop, as in the forward plan.
        var invariant = new HashSet<Variable>(scan.StepInputs.Skip(scan.StepInputs.Count - scan.NonSequences.Count));
        var beforeLoop = new List<Instruction>();
        var loop = new List<Instruction>();
        var tensorOps = new List<int>();
        // A non-sequence's gradient is a sum of terms; its outer products (a weight matrix's, Outer(g, x)) are deferred:
        // their vectors are stored per step and multiplied once after the loop (dW = Σₜ aₜ bₜᵀ = Aᵀ B, one matrix product).
        int firstNonSequence = scan.StepInputs.Count - scan.NonSequences.Count;
        var nonSequenceTerms = new List<(int NonSequence, Variable Term)>();
        var nonSequenceProducts = new List<(int NonSequence, Variable A, Variable B)>();
        for (int n = 0; n < scan.NonSequences.Count; n++)
        {
            if (node.StepInputGradients[firstNonSequence + n] is not { } gradient) continue;
            RequireType(scan, firstNonSequence + n, gradient);
            foreach (var term in Terms(gradient))
                if (term is ApplyVariable { Op: Op.Outer } outer) nonSequenceProducts.Add((n, outer.Inputs[0], outer.Inputs[1]));
                else nonSequenceTerms.Add((n, term));
        }
        var roots = node.StepInputGradients.Take(firstNonSequence).Where(g => g is not null).Select(g => g!)
            .Concat(nonSequenceTerms.Select(t => t.Term)).Concat(nonSequenceProducts.SelectMany(p => new[] { p.A, p.B })).Distinct().ToList();
        // A monitored backward step hoists nothing (a mode reports every node at every step) and names its scan so.
        c.CurrentScan = scan.Name + " (backward)";
        foreach (var v in Compiler.Order(roots, known))
        {
            bool hoisted = v is ConstantVariable || (!c.Monitored && v is ApplyVariable { Type.Rank: 0 } apply
                && apply.Inputs.All(i => i.Type.Rank == 0 && invariant.Contains(i)) && !ScanPlan.CanThrow(apply));
            if (hoisted) invariant.Add(v);
            int before = c.TensorOps.Count;
            c.Emit(v, hoisted ? beforeLoop : loop, outer: false);
            for (int k = before; k < c.TensorOps.Count; k++) tensorOps.Add(k);
        }
        c.CurrentScan = null;
        var stepInputGradients = new Slot?[scan.StepInputs.Count];
        for (int i = 0; i < firstNonSequence; i++)
        {
            if (node.StepInputGradients[i] is not { } gradient) continue;
            RequireType(scan, i, gradient);
            stepInputGradients[i] = c.Slots[gradient];
        }
        var gradients = node.Gradients.Select(g => g is null ? (Slot?)null : c.Slots[g] = c.Counts.New(g.Type)).ToArray();
        return new ScanGradientPlan
        {
            Node = node,
            StepInputs = stepInputs,
            Values = values,
            OutputCotangents = outputCotangents,
            StepInputGradients = stepInputGradients,
            NonSequenceTerms = nonSequenceTerms.Select(t => (t.NonSequence, c.Slots[t.Term])).ToArray(),
            NonSequenceProducts = nonSequenceProducts.Select(p => (p.NonSequence, c.Slots[p.A], p.A, c.Slots[p.B], p.B)).ToArray(),
            BeforeLoop = beforeLoop.ToArray(),
            Loop = loop.ToArray(),
            StepTensorOps = tensorOps.ToArray(),
            Sequences = scan.Sequences.Select(q => c.Slots[q.Source]).ToArray(),
            Initials = scan.OutputInfo.Select(o => o.Initial is null ? (Slot?)null : c.Slots[o.Initial]).ToArray(),
            NonSequences = scan.NonSequences.Select(n => c.Slots[n]).ToArray(),
            Traces = scan.Outputs.Select(o => c.Slots[o]).ToArray(),
            Cotangents = node.Cotangents.Select(g => g is null ? (Slot?)null : c.Slots[g]).ToArray(),
            OuterInputs = scan.OuterInputs.Select(v => c.Slots[v]).ToArray(),
            Gradients = gradients,
            Where = $"gradient of scan '{scan.Name}': ",
        };
    }

    /// <summary>The rules keep each gradient of its value's type and rank (Backpropagation converts, SumTo reduces).</summary>
    private static void RequireType(ScanNode scan, int stepInput, Variable gradient)
    {
        if (gradient.Type != scan.StepInputs[stepInput].Type)
            throw new InvalidOperationException($"The gradient of step input '{scan.StepInputs[stepInput]}' of scan '{scan.Name}' is a {gradient.Type}, not a {scan.StepInputs[stepInput].Type}.");
    }

    /// <summary>The terms of a sum (the sweep adds a value's contributions with Add nodes of its type).</summary>
    private static List<Variable> Terms(Variable sum)
    {
        var terms = new List<Variable>();
        var pending = new Stack<Variable>([sum]);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            if (v is ApplyVariable { Op: Op.Add } add && add.Inputs.All(i => i.Type == add.Type))
            {
                pending.Push(add.Inputs[1]);
                pending.Push(add.Inputs[0]);
            }
            else terms.Add(v);
        }
        return terms;
    }

    /// <summary>Where a step input comes from, and where its gradient goes.</summary>
    private struct Feed
    {
        public Slot Dest;
        /// <summary>The step input's view (tensor inputs), moved from row to row.</summary>
        public TensorValue? View;
        public int Width;
        // A sequence tap: row Start + Stride * t of Source; its gradient goes to the same row of SourceGradient.
        public TensorValue Source;
        public int Start, Stride;
        public TensorValue? SourceGradient;
        // An output tap: y[t - Lag], from the trace, or (t < Lag) the initial state's row InitialRow + t.
        public int Output, Lag, InitialRow;
        public bool IsRows;
        public TensorValue? Initial;
        public Slot InitialSlot;
        public TensorValue? InitialGradient;
        /// <summary>A scalar initial state's gradient (its sum).</summary>
        public Slot? InitialGradientSlot;
        /// <summary>The step input's gradient, if any.</summary>
        public Slot? Gradient;
    }

    public void Run(State s, Plan plan)
    {
        var node = Node;
        var scan = node.Forward;
        var traces = new TensorValue[Traces.Length];
        for (int o = 0; o < traces.Length; o++) traces[o] = s.T[Traces[o].Index];
        int steps = traces.Length == 0 ? 0 : traces[0].Shape[0];
        int first = scan.TruncateGradient == -1 ? 0 : Math.Max(0, steps - scan.TruncateGradient);

        // Sizes of the backward step's values, from the forward scan's inputs and traces, checked once per call.
        int k = 0;
        for (int q = 0; q < Sequences.Length; q++)
        {
            var sizes = Plan.SizesOf(Sequences[q], scan.Sequences[q].Source, s)[1..];
            foreach (var _ in scan.Sequences[q].Taps) ScanPlan.SetSizes(s, StepInputs[k++], sizes);
        }
        for (int o = 0; o < Initials.Length; o++)
        {
            var info = scan.OutputInfo[o];
            if (Initials[o] is not { } initial) continue;
            var sizes = info.IsRows ? Plan.SizesOf(initial, info.Initial!, s)[1..] : Plan.SizesOf(initial, info.Initial!, s);
            foreach (var _ in info.Taps) ScanPlan.SetSizes(s, StepInputs[k++], sizes);
        }
        for (int n = 0; n < NonSequences.Length; n++)
            ScanPlan.SetSizes(s, StepInputs[k++], Plan.SizesOf(NonSequences[n], scan.NonSequences[n], s));
        var stepSizes = new Size[traces.Length][];
        for (int o = 0; o < traces.Length; o++)
        {
            stepSizes[o] = Plan.SizesOf(Traces[o], scan.Outputs[o], s)[1..];
            if (Values[o] is { } value) ScanPlan.SetSizes(s, value, stepSizes[o]);
            if (OutputCotangents[o] is { } cotangent) ScanPlan.SetSizes(s, cotangent, stepSizes[o]);
            if (Cotangents[o] is { } given && s.T[given.Index].Shape[0] != steps)
                throw new ArgumentException($"The cotangent of output '{scan.Outputs[o]}' of scan '{scan.Name}' has {s.T[given.Index].Shape[0]} rows; the trace has {steps}.");
        }
        foreach (var op in StepTensorOps)
            Plan.Size(plan.TensorOps[op], s, Where, null);
        foreach (var op in StepTensorOps)
            Plan.Allocate(plan.TensorOps[op], s);

        // The gradients, zero where no step adds to them (rows of steps not differentiated, or never read).
        var gradients = new TensorValue?[Gradients.Length];
        for (int i = 0; i < Gradients.Length; i++)
        {
            if (Gradients[i] is not { } slot) continue;
            var shape = Plan.SizesOf(OuterInputs[i], scan.OuterInputs[i], s);
            if (slot.IsTensor)
            {
                gradients[i] = s.T[slot.Index] = TensorValue.Zeros(slot.Kind, shape.Select(d => d.Value).ToArray());
                s.Sizes[slot.Index] = shape;
            }
            else SetScalar(s, slot, 0);
        }

        // The deferred products' vectors, one row per step (rows of steps not differentiated stay 0).
        var productRows = new (TensorValue A, TensorValue B)[NonSequenceProducts.Length];
        for (int p = 0; p < productRows.Length; p++)
        {
            var (_, a, aVariable, b, bVariable) = NonSequenceProducts[p];
            int aWidth = Plan.SizesOf(a, aVariable, s)[0].Value, bWidth = Plan.SizesOf(b, bVariable, s)[0].Value;
            productRows[p] = (TensorValue.Zeros(a.Kind, [steps, aWidth]), TensorValue.Zeros(b.Kind, [steps, bWidth]));
        }

        // Each output's whole cotangent at step t (one buffer), and what later steps carry back to its past values (a
        // ring of its depth's rows: row t % depth holds y[t]'s until step t reads it and clears it).
        var widths = new int[traces.Length];
        var depths = new int[traces.Length];
        var carries = new TensorValue?[traces.Length];
        for (int o = 0; o < traces.Length; o++)
        {
            widths[o] = stepSizes[o].Aggregate(1, (a, d) => a * d.Value);
            depths[o] = Math.Max(1, scan.OutputInfo[o].Depth);
            if (OutputCotangents[o] is not { } total) continue;
            if (total.IsTensor) s.T[total.Index] = TensorValue.Zeros(total.Kind, stepSizes[o].Select(d => d.Value).ToArray());
            if (scan.OutputInfo[o].Depth > 0) carries[o] = TensorValue.Zeros(total.Kind, [scan.OutputInfo[o].Depth * widths[o]]);
        }

        var feeds = new Feed[StepInputs.Length];
        k = 0;
        int outer = 0;
        for (int q = 0; q < Sequences.Length; q++, outer++)
        {
            var taps = scan.Sequences[q].Taps;
            int lo = Math.Min(0, taps.Min()), hi = Math.Max(0, taps.Max());
            var source = s.T[Sequences[q].Index];
            foreach (var tap in taps)
            {
                var dest = StepInputs[k];
                feeds[k] = new Feed
                {
                    Dest = dest, View = ScanPlan.View(s, dest, source, source.Shape[1..]), Source = source,
                    Start = scan.GoBackwards ? source.Shape[0] - 1 - hi + tap : tap - lo, Stride = scan.GoBackwards ? -1 : 1,
                    Width = source.Shape[0] == 0 ? 0 : source.Length / source.Shape[0],
                    SourceGradient = gradients[outer], Gradient = StepInputGradients[k], Output = -1,
                };
                k++;
            }
        }
        for (int o = 0; o < scan.OutputInfo.Count; o++)
        {
            var info = scan.OutputInfo[o];
            if (info.Initial is null) continue;
            var initial = Initials[o]!.Value;
            foreach (var tap in info.Taps)
            {
                var dest = StepInputs[k];
                feeds[k] = new Feed
                {
                    Dest = dest, View = ScanPlan.View(s, dest, traces[o], traces[o].Shape[1..]), Width = widths[o],
                    Output = o, Lag = -tap, InitialRow = info.Depth + tap, IsRows = info.IsRows, InitialSlot = initial,
                    Initial = initial.IsTensor ? s.T[initial.Index] : null,
                    InitialGradient = gradients[outer], InitialGradientSlot = Gradients[outer], Gradient = StepInputGradients[k],
                };
                k++;
            }
            outer++;
        }
        int firstNonSequence = k;
        for (int n = 0; n < NonSequences.Length; n++, k++)
            if (StepInputs[k].IsTensor) s.T[StepInputs[k].Index] = s.T[NonSequences[n].Index];
            else s.Copy(StepInputs[k].Kind, NonSequences[n].Index, StepInputs[k].Index);
        var valueViews = new TensorValue?[traces.Length];
        var cotangents = new TensorValue?[traces.Length];
        for (int o = 0; o < traces.Length; o++)
        {
            if (Values[o] is { } value) valueViews[o] = ScanPlan.View(s, value, traces[o], traces[o].Shape[1..]);
            if (Cotangents[o] is { } given) cotangents[o] = s.T[given.Index];
        }

        Machine.Run(BeforeLoop, s, plan);
        var loop = Loop;
        bool monitored = plan.Monitored;
        for (int t = steps - 1; t >= first; t--)
        {
            if (monitored) s.Step = t; // a mode's reports name the forward step being differentiated
            if (((steps - 1 - t) & 1023) == 0) s.Cancellation.ThrowIfCancellationRequested();
            for (int f = 0; f < firstNonSequence; f++)
            {
                ref var feed = ref feeds[f];
                if (feed.Output < 0)
                    ScanPlan.Point(s, feed.View, feed.Dest, feed.Source, feed.Source.Offset + (feed.Start + feed.Stride * t) * feed.Width);
                else if (t >= feed.Lag)
                    ScanPlan.Point(s, feed.View, feed.Dest, traces[feed.Output], traces[feed.Output].Offset + (t - feed.Lag) * feed.Width);
                else if (feed.IsRows)
                    ScanPlan.Point(s, feed.View, feed.Dest, feed.Initial!, feed.Initial!.Offset + (feed.InitialRow + t) * feed.Width);
                else if (feed.View is { } view)
                    (view.Data, view.Offset) = (feed.Initial!.Data, feed.Initial.Offset);
                else
                    s.Copy(feed.Dest.Kind, feed.InitialSlot.Index, feed.Dest.Index);
            }
            for (int o = 0; o < traces.Length; o++)
            {
                if (Values[o] is { } value) ScanPlan.Point(s, valueViews[o], value, traces[o], traces[o].Offset + t * widths[o]);
                if (OutputCotangents[o] is { } total)
                    Total(s, total, cotangents[o], t * widths[o], carries[o], (t % depths[o]) * widths[o], widths[o]);
            }
            Machine.Run(loop, s, plan);
            for (int f = 0; f < firstNonSequence; f++)
            {
                ref var feed = ref feeds[f];
                if (feed.Gradient is not { } gradient) continue;
                if (feed.Output < 0)
                    AddTo(s, gradient, feed.SourceGradient!, (feed.Start + feed.Stride * t) * feed.Width, feed.Width);
                else if (t >= feed.Lag)
                {
                    // y[t - lag]'s cotangent, read when the loop reaches step t - lag (dropped if truncation stops first).
                    if (carries[feed.Output] is { } carry)
                        AddTo(s, gradient, carry, ((t - feed.Lag) % depths[feed.Output]) * feed.Width, feed.Width);
                }
                else if (feed.InitialGradient is { } initialGradient)
                    AddTo(s, gradient, initialGradient, feed.IsRows ? (feed.InitialRow + t) * feed.Width : 0, feed.Width);
                else if (feed.InitialGradientSlot is { } sum)
                    AddScalar(s, sum, gradient);
            }
            foreach (var (n, term) in NonSequenceTerms)
            {
                if (gradients[outer + n] is { } sum) AddTo(s, term, sum, 0, sum.Length);
                else AddScalar(s, Gradients[outer + n]!.Value, term);
            }
            for (int p = 0; p < productRows.Length; p++)
            {
                var (_, a, _, b, _) = NonSequenceProducts[p];
                var (rowsA, rowsB) = productRows[p];
                int aWidth = rowsA.Shape[1], bWidth = rowsB.Shape[1];
                AddTo(s, a, rowsA, t * aWidth, aWidth);
                AddTo(s, b, rowsB, t * bWidth, bWidth);
            }
        }
        if (monitored) s.Step = -1;
        for (int p = 0; p < productRows.Length; p++)
        {
            var (rowsA, rowsB) = productRows[p];
            var sum = gradients[outer + NonSequenceProducts[p].NonSequence]!;
            if (sum.Kind == ElementKind.Float64) AddProduct<double>(rowsA, rowsB, sum);
            else AddProduct<float>(rowsA, rowsB, sum);
        }
    }

    /// <summary><paramref name="sum"/> += Aᵀ B: the sum over steps of the outer products of A's and B's rows, as one
    /// matrix product (the kernel generated backward loops call).</summary>
    private static void AddProduct<T>(TensorValue rowsA, TensorValue rowsB, TensorValue sum) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Kernels.AddTransposedProduct<T>(rowsA.Span<T>(), rowsA.Shape[0], rowsA.Shape[1], rowsB.Span<T>(), rowsB.Shape[1], sum.Span<T>());

    /// <summary>
    /// An output's whole cotangent at step t into <paramref name="total"/>: the trace's cotangent row (if given) plus
    /// the carried row (if recurrent), which is then cleared for the value <c>depth</c> steps back.
    /// </summary>
    private static void Total(State s, Slot total, TensorValue? given, int givenRow, TensorValue? carry, int carryRow, int width)
    {
        if (total.Kind == ElementKind.Float64) Total<double>(s, s.D, total, given, givenRow, carry, carryRow, width);
        else Total<float>(s, s.F, total, given, givenRow, carry, carryRow, width);
    }

    private static void Total<T>(State s, T[] scalars, Slot total, TensorValue? given, int givenRow, TensorValue? carry, int carryRow, int width)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var into = total.IsTensor ? s.T[total.Index].Span<T>() : scalars.AsSpan(total.Index, 1);
        var g = given is null ? default : ((T[])given.Data).AsSpan(given.Offset + givenRow, width);
        var c = carry is null ? default : ((T[])carry.Data).AsSpan(carryRow, width);
        if (given is not null && carry is not null) TensorPrimitives.Add<T>(g, c, into);
        else if (given is not null) g.CopyTo(into);
        else if (carry is not null) c.CopyTo(into);
        else into.Clear();
        c.Clear();
    }

    /// <summary>Adds the value in <paramref name="gradient"/> to <paramref name="width"/> elements of <paramref name="into"/> from <paramref name="offset"/>.</summary>
    private static void AddTo(State s, Slot gradient, TensorValue into, int offset, int width)
    {
        if (into.Kind == ElementKind.Float64) AddTo<double>(s, s.D, gradient, into, offset, width);
        else AddTo<float>(s, s.F, gradient, into, offset, width);
    }

    private static void AddTo<T>(State s, T[] scalars, Slot gradient, TensorValue into, int offset, int width)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var destination = ((T[])into.Data).AsSpan(into.Offset + offset, width);
        if (gradient.IsTensor) TensorPrimitives.Add<T>(destination, s.T[gradient.Index].Span<T>(), destination);
        else destination[0] += scalars[gradient.Index];
    }

    private static void AddScalar(State s, Slot sum, Slot gradient)
    {
        if (sum.Kind == ElementKind.Float64) s.D[sum.Index] += s.D[gradient.Index];
        else s.F[sum.Index] += s.F[gradient.Index];
    }

    private static void SetScalar(State s, Slot slot, double value)
    {
        if (slot.Kind == ElementKind.Float64) s.D[slot.Index] = value;
        else s.F[slot.Index] = (float)value;
    }
}
