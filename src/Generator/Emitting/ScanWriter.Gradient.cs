using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Generator.Planning;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

// A gradient method's body: the forward loop (as the scan's, but every trace kept and no shared update applied),
// then the reverse loop over the backward step, written by the same node emission as the forward loop.
internal sealed partial class ScanWriter
{
    public void WriteGradient()
    {
        var gradient = _gradient!;
        WriteHeader();
        WriteGradientHeader(gradient);
        ScanEmitter.WriteDeclaration(_w, _signature);
        _w.WriteLine("{");
        _w.Indent++;
        WriteGradientModeRoute(gradient);
        WriteForward();
        if (gradient.ForwardTraces.Count == 0)
            WriteTraceCut();
        WriteBackward(gradient);
        if (gradient.ReturnsForward)
            WriteReturn();
        _w.Indent--;
        _w.WriteLine("}");
    }

    private void WriteGradientHeader(GradientSpec gradient)
    {
        var backward = gradient.Backward;
        var live = LoopPlanner.LiveNodes(backward);
        _w.WriteLine($"// Gradient (a vector-Jacobian product) of scan '{CSharpText.Comment(_scan.Name)}'{(_scan.TruncateGradient > 0 ? $", through the last {_scan.TruncateGradient} step(s) only" : "")}:");
        _w.WriteLine("// the forward loop above stores every trace; the reverse loop runs the backward step, as this graph:");
        const int Listed = 64;
        var listed = backward.Nodes.Where(n => n.Op is not (Op.Input or Op.Constant) && live[n.Id]).ToList();
        foreach (var node in listed.Take(Listed))
            _w.WriteLine($"//   b{node.Id} = {OpTable.Get(node.Op).Name}({string.Join(", ", node.Inputs.Select(i => BackwardNodeText(backward, i)))}{(node.Axis >= 0 ? $", axis: {node.Axis}" : "")}) : {node.Type}{ShapeText(node.Shape)}");
        if (listed.Count > Listed)
            _w.WriteLine($"//   ... and {listed.Count - Listed} more nodes");
        foreach (var result in gradient.Results)
            _w.WriteLine($"// d{ForwardArgumentText(result)} += {(result.SecondResult >= 0 ? $"Outer({BackwardNodeText(backward, backward.Results[result.Result])}, {BackwardNodeText(backward, backward.Results[result.SecondResult])}), summed over the steps as one matrix product after the loop" : BackwardNodeText(backward, backward.Results[result.Result]))}");
    }

    private static string BackwardNodeText(StepGraph graph, int id)
    {
        var node = graph.Nodes[id];
        return node.Op switch
        {
            Op.Input => graph.Arguments[node.Argument].Name,
            Op.Constant => node.Literal!,
            _ => "b" + id,
        };
    }

    private string ForwardArgumentText(BackwardResult result) => result.Source switch
    {
        StepArgumentSource.SequenceTap => $"{_scan.Sequences[result.Index].Parameter}[{ScanParser.TapText("t", result.Tap)}]",
        StepArgumentSource.OutputTap => $"{_scan.Outputs[result.Index].Name}[{ScanParser.TapText("t", result.Tap)}]",
        _ => _scan.NonSequences[result.Index].SharedParameter ?? _scan.NonSequences[result.Index].Parameter,
    };

    private void WriteBackward(GradientSpec gradient)
    {
        var backward = gradient.Backward;
        var plan = gradient.Plan;
        var forwardArguments = _argumentNames;
        int forwardCount = _step.Arguments.Count;

        // Names: a tensor non-sequence's span and a scalar non-sequence are the forward loop's; values declared in
        // the loop body get names of their own.
        var argumentNames = backward.Arguments.Select((a, i) =>
            i < forwardCount && a.Source == StepArgumentSource.NonSequence ? forwardArguments[i]
            : a.Source == StepArgumentSource.OutputTap ? _names.Fresh($"{_scan.Outputs[a.Index].Name}_{-a.Tap}")
            : a.Source == StepArgumentSource.StoredOutput ? _names.Fresh(_scan.Outputs[a.Index].Name + "_t")
            : a.Source == StepArgumentSource.Cotangent ? _names.Fresh("d" + _scan.Outputs[a.Index].Name + "_t")
            : _names.Fresh(a.Name)).ToList();
        var nodeNames = backward.Nodes.Select(n => n.Op switch
        {
            Op.Input => argumentNames[n.Argument],
            Op.Constant => n.Literal!.StartsWith("-", System.StringComparison.Ordinal) ? $"({n.Literal})" : n.Literal!,
            _ => plan.HasStorage(n.Id) ? _names.Fresh("b" + n.Id) : "",
        }).ToList();

        string stop = _names.Fresh("firstDifferentiated");
        var carry = _scan.Outputs.Select(o => _names.Fresh("d" + o.Name + "Carry")).ToList();
        var sequenceGradients = _scan.Sequences.Select(q => _names.Fresh("d" + q.Parameter + "Rows")).ToList();
        var nonSequenceGradients = _scan.NonSequences.Select(n => _names.Fresh("d" + (n.SharedParameter ?? n.Parameter) + "Sum")).ToList();
        var resultRows = backward.Results.Select((r, i) => _names.Fresh("g" + i)).ToList();
        var deferred = gradient.Results.Where(r => r.SecondResult >= 0).ToList();
        // The per-step vectors of deferred outer products: rows already in memory (a trace, a cotangent carry, a
        // sequence read at t + offset) are read where they are; the others are stored, one row per step.
        var storedRows = new Dictionary<int, StepRows>();

        _w.WriteLineNoTabs("");
        _w.WriteLine("// ---- Backward: the reverse loop (back-propagation through time) ----");
        _w.WriteLine(_scan.TruncateGradient > 0
            ? $"// Only the last {_scan.TruncateGradient} executed step(s) are differentiated (TruncateGradient): earlier ones get exactly 0."
            : "// Every executed step is differentiated.");
        _w.WriteLine(_scan.TruncateGradient > 0
            ? $"int {stop} = global::System.Math.Max(0, {_executed} - {_scan.TruncateGradient});"
            : $"int {stop} = 0;");

        // The cotangent of each returned output at every step: the incoming dLoss/dTrace, plus what later steps add
        // through the output's taps (the carry). Rows 0..depth-1 are the initial state's, then one per step.
        var targets = gradient.Targets;
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var output = _scan.Outputs[o];
            if (output.SharedParameter is not null || gradient.Cotangents[ReturnedIndex(o)] is not { Parameter.Length: > 0 } input) continue;
            var cotangent = input.Parameter;
            var element = output.ElementType.ElementKeyword;
            var width = output.ElementType.Rank == 0 ? "1" : _widths[o]!;
            var incoming = _names.Fresh(cotangent + "Rows");
            _w.WriteLine($"// The cotangent of '{output.Name}' at each step{(output.IsRecurrent ? $" (rows 0..{output.Depth - 1}: its initial state's)" : "")}.");
            _w.WriteLine($"var {carry[o]} = new {element}[{(output.Depth == 0 ? "" : $"{output.Depth} * {width} + ")}{_executed}{(width == "1" ? "" : $" * {width}")}];");
            var value = ScanParser.EscapeIdentifier(cotangent);
            if (input.IsFunction)
            {
                // The loss depends on the outputs: its cotangent is computed from the trace, between the passes.
                _w.WriteLine($"global::System.ArgumentNullException.ThrowIfNull({value});");
                value = _names.Fresh(cotangent + "Value");
                _w.WriteLine($"var {value} = {ScanParser.EscapeIdentifier(cotangent)}({_traces[o]});");
            }
            var source = output.ElementType.Rank == 0 ? $"global::System.MemoryExtensions.AsSpan({value})" : $"{value}.Span";
            _w.WriteLine($"global::System.ReadOnlySpan<{element}> {incoming} = {source};");
            _w.WriteLine($"{Runtime}.RequireCotangent({incoming}.Length, {_executed}, {width}, {CSharpText.Literal(cotangent)}, {CSharpText.Literal(output.Name)});");
            _w.WriteLine($"{incoming}.CopyTo(global::System.MemoryExtensions.AsSpan({carry[o]}, {(output.Depth == 0 ? "0" : $"{output.Depth} * {width}")}));");
        }
        foreach (var target in targets.Where(t => t.Kind == GradientTargetKind.Sequence))
            _w.WriteLine($"var {sequenceGradients[target.Index]} = new {target.Element.ElementKeyword}[{_rows[target.Index]}.Length];");
        foreach (var target in targets.Where(t => t.Kind == GradientTargetKind.NonSequence))
        {
            var n = _scan.NonSequences[target.Index];
            _w.WriteLine(n.Type.Rank == 0
                ? $"{n.Type.ElementKeyword} {nonSequenceGradients[target.Index]} = {Zero(n.Type)};"
                : $"var {nonSequenceGradients[target.Index]} = new {n.Type.ElementKeyword}[{Size(RowShapeOf(n))}];");
        }
        // Outer products deferred to one matrix product: both vectors' rows, one per step.
        foreach (var result in deferred)
            foreach (var r in new[] { result.Result, result.SecondResult })
            {
                var node = backward.Nodes[backward.Results[r]];
                if (storedRows.FirstOrDefault(p => backward.Results[p.Key] == node.Id).Value is { } same)
                {
                    storedRows[r] = same;
                    continue;
                }
                if (RowsInMemory(backward, node, carry) is { } rows)
                {
                    storedRows[r] = rows;
                    continue;
                }
                var width = _names.Fresh(resultRows[r] + "Width");
                _w.WriteLine($"int {width} = {Size(node.Shape)};");
                _w.WriteLine($"var {resultRows[r]}Rows = new {node.Type.ElementKeyword}[{_executed} * {width}];");
                storedRows[r] = new StepRows($"global::System.MemoryExtensions.AsSpan({resultRows[r]}Rows)", "0", width, Owner: r);
            }
        // A tensor result computed in place gets one row of its own, reused by every step.
        for (int r = 0; r < backward.Results.Count; r++)
        {
            var node = backward.Nodes[backward.Results[r]];
            if (storedRows.ContainsKey(r) || plan.Nodes[node.Id].TraceOutput != r) continue;
            _w.WriteLine($"global::System.Span<{node.Type.ElementKeyword}> {resultRows[r]} = new {node.Type.ElementKeyword}[{Size(node.Shape)}];");
        }
        var buffers = backward.Nodes.Where(n => plan.Nodes[n.Id].Storage == NodeStorage.Buffer).ToList();
        foreach (var node in buffers)
            _w.WriteLine($"global::System.Span<{node.Type.ElementKeyword}> {nodeNames[node.Id]} = new {node.Type.ElementKeyword}[{Size(node.Shape)}];");

        // The backward step is written by the forward loop's node emission.
        var (forwardStep, forwardPlan, forwardGroups, forwardNames) = (_step, _plan, _groups, _nodeNames);
        (_step, _plan, _groups, _argumentNames, _nodeNames) = (backward, plan, plan.FusionGroups.ToDictionary(g => g.Node), argumentNames, nodeNames);
        _resultRow = r => storedRows.TryGetValue(r, out var row) ? row.Row(_t) : resultRows[r];

        if (plan.Hoisted.Count > 0)
        {
            _w.WriteLine("// Backward nodes that depend only on constants and non-sequences: computed once.");
            foreach (var id in plan.Hoisted)
                WriteNode(backward.Nodes[id]);
        }
        _w.WriteLineNoTabs("");
        string? segment = null, end = null, last = null;
        if (_segmentStart is not null)
        {
            // Segments from the last: the forward loop left the last one in the buffers; each earlier one is computed
            // again from its checkpoint, then differentiated.
            (segment, end, last) = (_names.Fresh("segment"), _names.Fresh("segmentEnd"), _names.Fresh("lastSegment"));
            _w.WriteLine($"int {last} = ({_executed} - 1) / {CheckpointEvery};");
            _w.WriteLine($"for (int {segment} = {last}; {segment} >= 0 && {_executed} > 0; {segment}--)");
            _w.WriteLine("{");
            _w.Indent++;
            _w.WriteLine($"int {end} = global::System.Math.Min(({segment} + 1) * {CheckpointEvery}, {_executed});");
            _w.WriteLine($"if ({end} <= {stop}) break;");
            _w.WriteLine($"if ({segment} != {last})");
            _w.WriteLine("{");
            _w.Indent++;
            _w.WriteLine($"{_segmentStart} = {segment} * {CheckpointEvery};");
            WriteSegmentRecompute(end, forwardStep, forwardPlan, forwardGroups, forwardArguments, forwardNames);
            _w.Indent--;
            _w.WriteLine("}");
            _w.WriteLine($"for (int {_t} = {end} - 1; {_t} >= global::System.Math.Max({_segmentStart}, {stop}); {_t}--)");
        }
        else
            _w.WriteLine($"for (int {_t} = {_executed} - 1; {_t} >= {stop}; {_t}--)");
        _w.WriteLine("{");
        _w.Indent++;
        if (_scan.Cancellation is { } token)
            _w.WriteLine($"if (({_t} & 1023) == 0) {ScanParser.EscapeIdentifier(token)}.ThrowIfCancellationRequested();");
        WriteStepInputs();
        for (int a = forwardCount; a < backward.Arguments.Count; a++)
        {
            var argument = backward.Arguments[a];
            var output = _scan.Outputs[argument.Index];
            var o = argument.Index;
            var element = argument.Type.ElementKeyword;
            _w.WriteLine($"// {argument.Name}");
            if (argument.Source == StepArgumentSource.StoredOutput)
                _w.WriteLine(argument.Type.Rank == 0
                    ? $"{element} {argumentNames[a]} = {TraceElement(o, _t)};"
                    : $"global::System.ReadOnlySpan<{element}> {argumentNames[a]} = {_traceRows[o]}.Slice({RowOffset(o, _t)}, {_widths[o]});");
            else
                _w.WriteLine(argument.Type.Rank == 0
                    ? $"{element} {argumentNames[a]} = {carry[o]}[{Offset(output.Depth, _t)}];"
                    : $"global::System.ReadOnlySpan<{element}> {argumentNames[a]} = global::System.MemoryExtensions.AsSpan({carry[o]}, ({Offset(output.Depth, _t)}) * {_widths[o]}, {_widths[o]});");
        }
        foreach (var node in backward.Nodes)
            if (plan.ComputedInLoop(node.Id))
                WriteNode(node);

        _w.WriteLine("// Add this step's gradients where they belong.");
        foreach (var result in gradient.Results)
        {
            if (result.SecondResult >= 0)
            {
                foreach (var r in new[] { result.Result, result.SecondResult })
                    if (storedRows[r].Owner == r && plan.Nodes[backward.Results[r]].TraceOutput != r)
                        _w.WriteLine($"{nodeNames[backward.Results[r]]}.CopyTo({_resultRow(r)});");
                continue;
            }
            var value = nodeNames[backward.Results[result.Result]];
            var type = backward.Nodes[backward.Results[result.Result]].Type;
            switch (result.Source)
            {
                case StepArgumentSource.SequenceTap:
                {
                    var sequence = _scan.Sequences[result.Index];
                    var row = SequenceIndex(sequence, result.Tap, RowCount(sequence.Parameter, sequence.Container, _rows[result.Index]));
                    WriteAddInto(sequenceGradients[result.Index], type, type.Rank == 0 ? row : $"({row}) * {Size(RowShapeOf(sequence))}", Size(RowShapeOf(sequence)), value);
                    break;
                }
                case StepArgumentSource.OutputTap:
                {
                    var output = _scan.Outputs[result.Index];
                    var row = Offset(output.Depth, $"{_t} - {-result.Tap}");
                    WriteAddInto(carry[result.Index], type, type.Rank == 0 ? row : $"({row}) * {_widths[result.Index]}", type.Rank == 0 ? "1" : _widths[result.Index]!, value);
                    break;
                }
                default:
                    if (type.Rank == 0)
                        _w.WriteLine($"{nonSequenceGradients[result.Index]} += {value};");
                    else
                        WriteAddInto(nonSequenceGradients[result.Index], type, "0", Size(RowShapeOf(_scan.NonSequences[result.Index])), value);
                    break;
            }
        }
        _w.Indent--;
        _w.WriteLine("}");
        if (segment is not null)
        {
            _w.Indent--;
            _w.WriteLine("}");
        }
        (_step, _plan, _groups, _nodeNames, _argumentNames, _resultRow) = (forwardStep, forwardPlan, forwardGroups, forwardNames, forwardArguments, null);

        foreach (var result in deferred)
        {
            var (a, b) = (storedRows[result.Result], storedRows[result.SecondResult]);
            var element = backward.Nodes[backward.Results[result.Result]].Type.ElementKeyword;
            var rows = $"{_executed} - {stop}";
            _w.WriteLine($"// d{ForwardArgumentText(result)} += sum over the steps of Outer(a_t, b_t) = A^T B, one matrix product over the stored rows.");
            _w.WriteLine($"{Kernels}.AddTransposedProduct<{element}>({a.Steps(stop, rows)}, {rows}, {a.Width}, {b.Steps(stop, rows)}, {b.Width}, {nonSequenceGradients[result.Index]});");
        }

        _w.WriteLineNoTabs("");
        _w.WriteLine("// The gradients asked for.");
        foreach (var target in targets)
            _w.WriteLine($"{ScanParser.EscapeIdentifier(target.Parameter)} = {TargetValue(target, carry, sequenceGradients, nonSequenceGradients)};");
    }

    /// <summary>
    /// One row per step of a vector: in <see cref="Span"/> (a span expression), step t's row is row
    /// <see cref="First"/> + t; <see cref="Owner"/> is the result that writes them (-1: rows already in memory).
    /// </summary>
    private sealed record StepRows(string Span, string First, string Width, int Owner = -1)
    {
        private string RowIndex(string step) => First == "0" ? step : $"{First} + {step}";
        public string Row(string step) => $"{Span}.Slice(({RowIndex(step)}) * {Width}, {Width})";
        public string Steps(string from, string count) => $"{Span}.Slice(({RowIndex(from)}) * {Width}, ({count}) * {Width})";
    }

    /// <summary>
    /// A backward input whose rows for consecutive steps are consecutive rows of a buffer: a stored output (its trace),
    /// a cotangent (its carry, final once its step ran), a sequence tap read forwards (rows t + offset). Else null.
    /// </summary>
    private StepRows? RowsInMemory(StepGraph backward, StepNode node, List<string> carry)
    {
        if (node.Op != Op.Input) return null;
        var argument = backward.Arguments[node.Argument];
        switch (argument.Source)
        {
            case StepArgumentSource.StoredOutput when _segmentStart is null:
                return new StepRows(_traceRows[argument.Index], "0", _widths[argument.Index]!);
            case StepArgumentSource.Cotangent:
                return new StepRows($"global::System.MemoryExtensions.AsSpan({carry[argument.Index]})",
                    _scan.Outputs[argument.Index].Depth.ToString(CultureInfo.InvariantCulture), _widths[argument.Index]!);
            case StepArgumentSource.SequenceTap when !_scan.GoBackwards:
                var sequence = _scan.Sequences[argument.Index];
                return new StepRows(_rows[argument.Index], (argument.Tap - sequence.LowestTap).ToString(CultureInfo.InvariantCulture), Size(argument.Shape));
            default:
                return null;
        }
    }

    // ---- [Forward]: the traces of an earlier forward call ---------------------------------------------------

    /// <summary>
    /// The [Forward] traces stand for the forward loop's: each checked to have one row per step (a while loop's: at
    /// most one per step, all the same number, which is the number of executed steps).
    /// </summary>
    private void WriteGivenTraces()
    {
        var gradient = _gradient!;
        _w.WriteLine("// [Forward]: the traces of an earlier call of the scan; the forward loop does not run.");
        bool whileLoop = _step.Condition >= 0;
        if (whileLoop)
            _w.WriteLine($"int {_executed} = -1;");
        int given = 0;
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var output = _scan.Outputs[o];
            if (output.SharedParameter is not null) continue;
            var parameter = ScanParser.EscapeIdentifier(gradient.ForwardTraces[given++]);
            var element = output.ElementType.ElementKeyword;
            string length;
            if (output.ElementType.Rank == 0)
            {
                _w.WriteLine($"global::System.ArgumentNullException.ThrowIfNull({parameter});");
                _w.WriteLine($"var {_traces[o]} = {parameter};");
                length = $"{_traces[o]}.Length";
            }
            else
            {
                _w.WriteLine($"int {_widths[o]} = {Size(output.Shape)};");
                _w.WriteLine($"var {_traces[o]} = {parameter};");
                _w.WriteLine($"global::System.Span<{element}> {_traceRows[o]} = {_traces[o]}.Span;");
                length = $"{_traceRows[o]}.Length";
            }
            var width = WidthOf(o);
            _w.WriteLine(whileLoop
                ? $"{_executed} = {Runtime}.RequireForwardTrace({length}, {_steps}, {width}, {_executed}, {CSharpText.Literal(gradient.ForwardTraces[given - 1])}, {CSharpText.Literal(output.Name)});"
                : $"{Runtime}.RequireForwardTrace({length}, {_steps}, {width}, {_steps}, {CSharpText.Literal(gradient.ForwardTraces[given - 1])}, {CSharpText.Literal(output.Name)});");
        }
    }

    // ---- Checkpointing: segment buffers of depth + k rows, every k-th state's past values kept -----------------

    /// <summary>Per output: the array of its checkpoints (depth rows per segment), or null for a map output.</summary>
    private readonly Dictionary<int, string> _checkpoints = new();

    private int CheckpointEvery => _gradient!.Checkpoint;

    /// <summary>Step <paramref name="step"/>'s row in output <paramref name="o"/>'s segment buffer.</summary>
    private string SegmentRow(int o, string step)
    {
        int depth = _scan.Outputs[o].Depth;
        var text = $"{step} - {_segmentStart}";
        return depth == 0 ? text : $"{text} + {depth}";
    }

    /// <summary>A scalar output's value at <paramref name="step"/>: its trace's element, or its segment buffer's.</summary>
    private string TraceElement(int o, string step) =>
        _segmentStart is not null ? $"{_traces[o]}[{SegmentRow(o, step)}]" : $"{_traces[o]}[{step}]";

    private string WidthOf(int o) => _scan.Outputs[o].ElementType.Rank == 0 ? "1" : _widths[o]!;

    /// <summary>The segment buffers (their first rows the initial state's), the checkpoint arrays, the segment start.</summary>
    private void WriteSegments()
    {
        int k = CheckpointEvery;
        _w.WriteLine($"// Checkpoint = {k}: each output keeps depth + {k} rows (the current segment of {k} steps and the past values");
        _w.WriteLine($"// before it); every {k}-th state's past values are kept, and the backward pass recomputes each segment from them.");
        var segments = _names.Fresh("segments");
        // At least one: the first checkpoint (the initial state) is kept even for zero steps.
        _w.WriteLine($"int {segments} = global::System.Math.Max(1, ({_steps} + {k - 1}) / {k});");
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var output = _scan.Outputs[o];
            var element = output.ElementType.ElementKeyword;
            if (output.ElementType.Rank > 0)
                _w.WriteLine($"int {_widths[o]} = {Size(output.Shape)};");
            var width = WidthOf(o);
            _w.WriteLine($"var {_traces[o]} = new {element}[{output.Depth + k} * {width}];");
            if (output.ElementType.Rank > 0)
                _w.WriteLine($"global::System.Span<{element}> {_traceRows[o]} = {_traces[o]};");
            if (output.Depth == 0) continue;
            // The initial state's rows y[-depth] .. y[-1] come first.
            if (output.ElementType.Rank == 0 && _initialRows[o] is null)
                _w.WriteLine($"{_traces[o]}[0] = {ScanParser.EscapeIdentifier(output.InitialParameter!)};");
            else
                _w.WriteLine($"{_initialRows[o]}.Slice(0, {output.Depth} * {width}).CopyTo({_traces[o]});");
            var checkpoints = _checkpoints[o] = _names.Fresh(output.Name + "Checkpoints");
            _w.WriteLine($"var {checkpoints} = new {element}[{segments} * {output.Depth} * {width}];");
        }
        _w.WriteLine($"int {_segmentStart} = 0;");
        WriteCheckpointSave();
    }

    /// <summary>Keeps the past values before the current segment (its buffers' first rows) as its checkpoint.</summary>
    private void WriteCheckpointSave()
    {
        foreach (var (o, checkpoints) in _checkpoints.Select(p => (p.Key, p.Value)))
        {
            var rows = $"{_scan.Outputs[o].Depth} * {WidthOf(o)}";
            _w.WriteLine($"global::System.MemoryExtensions.AsSpan({_traces[o]}, 0, {rows}).CopyTo(global::System.MemoryExtensions.AsSpan({checkpoints}, {_segmentStart} / {CheckpointEvery} * {rows}, {rows}));");
        }
    }

    /// <summary>In the forward loop: a full segment moves its last depth rows to the front and starts the next one.</summary>
    private void WriteSegmentShift()
    {
        if (_segmentStart is null) return;
        int k = CheckpointEvery;
        _w.WriteLine($"if ({_t} - {_segmentStart} == {k})");
        _w.WriteLine("{");
        _w.Indent++;
        foreach (var o in _checkpoints.Keys)
        {
            var width = WidthOf(o);
            _w.WriteLine($"global::System.MemoryExtensions.AsSpan({_traces[o]}, {k} * {width}, {_scan.Outputs[o].Depth} * {width}).CopyTo({_traces[o]});");
        }
        _w.WriteLine($"{_segmentStart} = {_t};");
        WriteCheckpointSave();
        _w.Indent--;
        _w.WriteLine("}");
    }

    /// <summary>In the backward pass: the segment's buffers from its checkpoint, then its steps computed again.</summary>
    private void WriteSegmentRecompute(string end, StepGraph forwardStep, LoopPlan forwardPlan, Dictionary<int, FusionGroup> forwardGroups,
        List<string> forwardArguments, List<string> forwardNodes)
    {
        var backward = (_step, _plan, _groups, _argumentNames, _nodeNames, _resultRow);
        (_step, _plan, _groups, _argumentNames, _nodeNames, _resultRow) = (forwardStep, forwardPlan, forwardGroups, forwardArguments, forwardNodes, null);
        foreach (var (o, checkpoints) in _checkpoints.Select(p => (p.Key, p.Value)))
        {
            var rows = $"{_scan.Outputs[o].Depth} * {WidthOf(o)}";
            _w.WriteLine($"global::System.MemoryExtensions.AsSpan({checkpoints}, {_segmentStart} / {CheckpointEvery} * {rows}, {rows}).CopyTo({_traces[o]});");
        }
        _w.WriteLine($"for (int {_t} = {_segmentStart}; {_t} < {end}; {_t}++)");
        _w.WriteLine("{");
        _w.Indent++;
        WriteStepInputs();
        foreach (var node in _step.Nodes)
            if (_plan.ComputedInLoop(node.Id))
                WriteNode(node);
        WriteStores();
        _w.Indent--;
        _w.WriteLine("}");
        (_step, _plan, _groups, _argumentNames, _nodeNames, _resultRow) = backward;
    }

    private int ReturnedIndex(int output) => Enumerable.Range(0, output).Count(o => _scan.Outputs[o].SharedParameter is null);

    /// <summary>Row <paramref name="step"/> of a carry whose first <paramref name="depth"/> rows are the initial state's.</summary>
    private static string Offset(int depth, string step) => depth == 0 ? step : $"{depth} + {step}";

    private void WriteAddInto(string buffer, TypeRef type, string offset, string width, string value)
    {
        if (type.Rank == 0)
        {
            _w.WriteLine($"{buffer}[{offset}] += {value};");
            return;
        }
        var destination = _names.Fresh("into");
        var i = _names.Fresh("i");
        _w.WriteLine("{");
        _w.Indent++;
        _w.WriteLine($"var {destination} = global::System.MemoryExtensions.AsSpan({buffer}, {offset}, {width});");
        _w.WriteLine($"for (int {i} = 0; {i} < {destination}.Length; {i}++) {destination}[{i}] += {value}[{i}];");
        _w.Indent--;
        _w.WriteLine("}");
    }

    private static EquatableArray<Dim> RowShapeOf(NonSequenceInput n)
    {
        var p = ScanParser.EscapeIdentifier(n.Parameter);
        return n.Type.Rank switch
        {
            0 => EquatableArray<Dim>.Empty,
            1 => new[] { new Dim($"{p}.Length", n.Parameter) }.ToEquatableArray(),
            _ => new[] { new Dim($"{p}.Rows", n.Parameter), new Dim($"{p}.Columns", n.Parameter) }.ToEquatableArray(),
        };
    }

    private EquatableArray<Dim> RowShapeOf(SequenceInput sequence) =>
        _step.Arguments.FirstOrDefault(a => a.Source == StepArgumentSource.SequenceTap && _scan.Sequences[a.Index] == sequence)?.Shape
        ?? EquatableArray<Dim>.Empty;

    /// <summary>A gradient in its input's type: rows in the sequence's container, an initial state's rows of the carry, a sum.</summary>
    private string TargetValue(GradientTarget target, List<string> carry, List<string> sequenceGradients, List<string> nonSequenceGradients)
    {
        var t = target.Element.ElementKeyword;
        switch (target.Kind)
        {
            case GradientTargetKind.Sequence:
            {
                var sequence = _scan.Sequences[target.Index];
                var p = ScanParser.EscapeIdentifier(sequence.Parameter);
                var data = sequenceGradients[target.Index];
                return target.Container switch
                {
                    ContainerKind.Vec => $"new global::SymGen.Vec<{t}>({data})",
                    ContainerKind.Mat => $"new global::SymGen.Mat<{t}>({data}, {p}.Rows, {p}.Columns)",
                    ContainerKind.Tensor3 => $"new global::SymGen.Tensor3<{t}>({data}, {p}.Length, {p}.Rows, {p}.Columns)",
                    _ => data,
                };
            }
            case GradientTargetKind.Initial:
            {
                var output = _scan.Outputs[target.Index];
                var p = ScanParser.EscapeIdentifier(output.InitialParameter!);
                var data = carry[target.Index];
                var width = output.ElementType.Rank == 0 ? "1" : _widths[target.Index]!;
                var rows = output.Depth.ToString(CultureInfo.InvariantCulture);
                return (target.Container, output.ElementType.Rank) switch
                {
                    (ContainerKind.Single, 0) => $"{data}[0]",
                    (ContainerKind.Single, 1) => $"new global::SymGen.Vec<{t}>({data}, 0, {width})",
                    (ContainerKind.Single, _) => $"new global::SymGen.Mat<{t}>({data}, 0, {p}.Rows, {p}.Columns)",
                    (ContainerKind.Vec, _) => $"new global::SymGen.Vec<{t}>({data}, 0, {rows})",
                    (ContainerKind.Mat, _) => $"new global::SymGen.Mat<{t}>({data}, 0, {rows}, {width})",
                    (ContainerKind.Tensor3, _) => $"new global::SymGen.Tensor3<{t}>(global::System.MemoryExtensions.AsSpan({data}, 0, {rows} * {width}).ToArray(), {rows}, {p}.Rows, {p}.Columns)",
                    (ContainerKind.Memory or ContainerKind.ReadOnlyMemory, _) => $"global::System.MemoryExtensions.AsMemory({data}, 0, {rows})",
                    (ContainerKind.Span or ContainerKind.ReadOnlySpan, _) => $"global::System.MemoryExtensions.AsSpan({data}, 0, {rows})",
                    _ => $"global::System.MemoryExtensions.AsSpan({data}, 0, {rows}).ToArray()",
                };
            }
            default:
            {
                var n = _scan.NonSequences[target.Index];
                var p = ScanParser.EscapeIdentifier(n.Parameter);
                var data = nonSequenceGradients[target.Index];
                return n.Type.Rank switch
                {
                    0 => data,
                    1 => $"new global::SymGen.Vec<{t}>({data})",
                    _ => $"new global::SymGen.Mat<{t}>({data}, {p}.Rows, {p}.Columns)",
                };
            }
        }
    }
}
