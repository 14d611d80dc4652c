using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>A written scan: each output's trace, and the last value of each output carried at tap -1 alone.</summary>
internal sealed record LoopValues(string[] Traces, string?[] Finals);

internal sealed partial class Scope
{
    private readonly Dictionary<Variable, string> _transposed = new();

    /// <summary>
    /// The transpose of matrix <paramref name="m"/> (ONNX value <paramref name="value"/>), written in the outermost
    /// graph that has the matrix: a weight is transposed once, before the loop, not every step.
    /// </summary>
    public string Transposed(Variable m, string value)
    {
        if (Parent is not null && Parent.TryLookUp(m, out var outer) && outer == value) return Parent.Transposed(m, value);
        if (_transposed.TryGetValue(m, out var known)) return known;
        return _transposed[m] = Add("Transpose", [value], null, null, $"{m}ᵀ (row-vector layout for products)");
    }

    /// <summary>
    /// A scan as an ONNX Loop. The trip count is <c>n_steps</c>, or the shortest sequence less its taps' span;
    /// sequence taps are rows gathered at <c>t + offset + tap</c> (of the reversed sequence for go_backwards); an
    /// output read at tap -1 alone is carried as its value, one read further back as a window of its last rows; the
    /// stop condition (<c>until</c>) is the loop's condition, negated. Every step's outputs are the Loop's scan
    /// outputs: the traces.
    /// </summary>
    private LoopValues WriteLoop(ScanNode scan)
    {
        Dims.Analyse(scan);
        string label = $"scan '{scan.Name}'";

        // Sequences, and the number of steps.
        // Step t reads tap k at row t + offset + k; backwards, of the reversed sequence at t + offset - k, where
        // offset is the taps' reach before (after) the visited element: tap -1 is then the element visited next.
        var sources = new List<(string Value, int Offset)>();
        var available = new List<string>();
        foreach (var sequence in scan.Sequences)
        {
            var source = Emit(sequence.Source);
            if (scan.GoBackwards)
                source = Add("Slice", [source, Longs(-1), Longs(long.MinValue), Longs(0), Longs(-1)], null, null, $"{sequence.Source} reversed (go_backwards)");
            int lowest = Math.Min(0, sequence.Taps.Min()), span = Math.Max(0, sequence.Taps.Max()) - lowest;
            sources.Add((source, scan.GoBackwards ? Math.Max(0, sequence.Taps.Max()) : -lowest));
            var length = Add("Squeeze", [ShapeAxis(source, 0)]);
            available.Add(span == 0 ? length : Add("Sub", [length, Scalar(span, ElementKind.Int64)], null, null, $"steps {sequence.Source} allows (its length less its taps' span)"));
        }
        string steps = scan.Steps is not null
            ? Cast(Emit(scan.Steps), ElementKind.Int64)
            : available.Count == 1 ? available[0] : Add("Min", available.ToArray(), null, null, "the shortest sequence decides");

        // The body: (t, condition, carried state...) -> (condition, carried state..., each step's outputs).
        var body = new GraphProto { Name = $"{scan.Name}_step", DocString = $"One step of {label}." };
        var step = new Scope(Writer, this, body, Dims);
        var t = Writer.Fresh("t");
        var conditionIn = Writer.Fresh("cond_in");
        body.Input.Add(ModelWriter.Value(t, ElementKind.Int64, [], "the step's index"));
        body.Input.Add(ModelWriter.Value(conditionIn, ElementKind.Bool, []));

        var varying = new HashSet<Variable>();
        var taps = new Dictionary<InputVariable, (string, int)>();
        int k = 0;
        for (int j = 0; j < scan.Sequences.Count; j++)
            foreach (var tap in scan.Sequences[j].Taps)
            {
                var input = scan.StepInputs[k++];
                int row = scan.GoBackwards ? sources[j].Offset - tap : sources[j].Offset + tap;
                var index = row == 0 ? t : step.Add("Add", [t, Scalar(row, ElementKind.Int64)]);
                taps[input] = (sources[j].Value, row);
                step.Bind(input, step.Add("Gather", [sources[j].Value, index], [Writer.Fresh(input.ToString())], null, $"{input}", Int("axis", 0)));
                varying.Add(input);
            }

        // Carried state: one per output with an initial state.
        var initials = new List<string>();
        var carried = new List<(int Output, string In, int Depth, bool Window)>();
        for (int i = 0; i < scan.OutputInfo.Count; i++)
        {
            var info = scan.OutputInfo[i];
            if (info.Initial is null) continue;
            var kind = scan.StepOutputs[i].Type.Element;
            var initial = Emit(info.Initial);
            if (info.Initial.Type.Element != kind) initial = Cast(initial, kind);
            int depth = info.Depth;
            bool window = !(depth == 1 && info.Taps.Count == 1);
            if (info.IsRows)
                initial = window
                    ? Add("Slice", [initial, Longs(0), Longs(depth), Longs(0)], null, null, $"the {depth} rows before the first step of output {i}")
                    : Add("Gather", [initial, Scalar(0, ElementKind.Int64)], null, null, null, Int("axis", 0));
            initials.Add(initial);
            var stateIn = Writer.Fresh($"{scan.Outputs[i].Name ?? $"{scan.Name}.{i}"}_in");
            body.Input.Add(ModelWriter.Value(stateIn, kind, new string?[scan.StepOutputs[i].Type.Rank + (window ? 1 : 0)]));
            carried.Add((i, stateIn, depth, window));
            foreach (var tap in info.Taps)
            {
                var input = scan.StepInputs[k++];
                step.Bind(input, window ? step.Add("Gather", [stateIn, Scalar(depth + tap, ElementKind.Int64)], [Writer.Fresh(input.ToString())], null, $"{input}", Int("axis", 0)) : stateIn);
                varying.Add(input);
            }
        }
        // Non-sequences are the enclosing graph's values, read by name.
        foreach (var n in scan.NonSequences)
            Bind(scan.StepInputs[k++], Emit(n));

        var varies = new Dictionary<Variable, bool>();
        step.VariesPerStep = v => Varies(v, varying, varies);
        step.StepIndex = t;
        step.Batch = new Batch(this, taps, steps, step.VariesPerStep);

        // Outputs of the body.
        var conditionOut = Writer.Fresh("cond_out");
        if (scan.StepCondition is { } until)
            step.Add("Not", [step.Emit(until)], [conditionOut], null, "until: the loop goes on while the condition is false");
        else
            step.Add("Identity", [conditionIn], [conditionOut]);
        body.Output.Add(ModelWriter.Value(conditionOut, ElementKind.Bool, []));
        var values = scan.StepOutputs.Select(step.Emit).ToArray();
        foreach (var (i, stateIn, depth, window) in carried)
        {
            var next = Writer.Fresh($"{scan.Outputs[i].Name ?? $"{scan.Name}.{i}"}_out");
            if (window)
            {
                var older = step.Add("Slice", [stateIn, Longs(1), Longs(depth), Longs(0)]);
                var newest = step.Add("Unsqueeze", [values[i], Longs(0)]);
                step.Add("Concat", [older, newest], [next], null, $"the last {depth} values of output {i}", Int("axis", 0));
            }
            else
                step.Add("Identity", [values[i]], [next]);
            body.Output.Add(ModelWriter.Value(next, scan.StepOutputs[i].Type.Element, new string?[scan.StepOutputs[i].Type.Rank + (window ? 1 : 0)]));
        }
        var scanOutputs = new List<string>();
        for (int i = 0; i < values.Length; i++)
        {
            var row = step.Add("Identity", [values[i]], [Writer.Fresh($"{scan.Outputs[i].Name ?? $"{scan.Name}.{i}"}_t")]);
            body.Output.Add(ModelWriter.Value(row, scan.StepOutputs[i].Type.Element, new string?[scan.StepOutputs[i].Type.Rank]));
            scanOutputs.Add(row);
        }

        // The loop, and its results.
        var finals = carried.Select(c => Writer.Fresh($"{scan.Outputs[c.Output].Name ?? $"{scan.Name}.{c.Output}"}_final")).ToList();
        var raw = scanOutputs.Select(o => Writer.Fresh(o + "s")).ToList();
        Add("Loop", [steps, Scalar(1, ElementKind.Bool), .. initials], [.. finals, .. raw], Writer.Fresh(scan.Name), label, GraphAttribute("body", body));

        var traces = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
            traces[i] = Shaped(scan, i, raw[i]);
        var lastValues = new string?[values.Length];
        for (int c = 0; c < carried.Count; c++)
            if (!carried[c].Window) lastValues[carried[c].Output] = finals[c];
        return new LoopValues(traces, lastValues);
    }

    /// <summary>
    /// A trace with its rows' shape stated (ONNX Runtime gives a loop of no steps a shape of its own): the steps
    /// run, then each row dimension, read from the outer value it is a size of.
    /// </summary>
    private string Shaped(ScanNode scan, int output, string trace)
    {
        if (scan.StepOutputs[output].Type.Rank == 0) return trace;
        var dims = Dims.StepDims(scan, scan.StepOutputs[output]);
        if (dims is null || dims.Any(d => !scan.OuterInputs.Contains(d.Of))) return trace;
        var shape = Add("Concat", [ShapeAxis(trace, 0), .. dims.Select(d => ShapeAxis(Emit(d.Of), d.Axis))], null, null, null, Int("axis", 0));
        return Add("Reshape", [trace, shape], null, null, $"trace {scan.Outputs[output].Name ?? output.ToString()} of {scan.Name}", Int("allowzero", 1));
    }

    /// <summary>Whether <paramref name="v"/> depends on a step input that changes from step to step.</summary>
    private static bool Varies(Variable v, HashSet<Variable> varying, Dictionary<Variable, bool> known)
    {
        if (known.TryGetValue(v, out var k)) return k;
        known[v] = false; // (graphs are acyclic; this only guards the recursion)
        bool result = v switch
        {
            InputVariable input => varying.Contains(input),
            ScanOutputVariable o => o.Scan.OuterInputs.Any(i => Varies(i, varying, known))
                || o.Scan.StepOutputs.Append(o.Scan.StepCondition).OfType<Variable>().Any(s => Varies(s, varying, known)),
            _ => v.Inputs.Any(i => Varies(i, varying, known)),
        };
        return known[v] = result;
    }
}
