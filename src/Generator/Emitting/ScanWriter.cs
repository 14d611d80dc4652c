using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Generator.Planning;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

/// <summary>
/// Writes one scan's body: argument and size checks, one allocation per trace and per intermediate tensor, then a
/// loop whose body is the step graph, as the scan's <see cref="LoopPlan"/> lays it out (which nodes are computed,
/// where each value lives, what is hoisted and fused, which past values stay in registers).
/// Scalars: a local per node. Tensors: a span per node that exists in memory; each fusion group is one loop over
/// the elements; Dot, reductions and Softmax call the runtime's vectorised kernels; a tensor computed into its
/// trace row is read back from the trace as a past value (no copies).
/// </summary>
internal sealed partial class ScanWriter
{
    private const string Runtime = "global::SymGen.Scanning.ScanArguments";
    private const string Kernels = "global::SymGen.Kernels";
    private const string Traces = "global::SymGen.Scanning.ScanTraces";

    private readonly IndentedTextWriter _w;
    private readonly MethodSignature _signature;
    private readonly ScanSpec _scan;
    private readonly NameScope _names;
    // The loop body being written: the forward step, or a gradient's backward step (same node emission for both).
    private StepGraph _step;
    private LoopPlan _plan;
    /// <summary>The plan's fusion groups by the node each one computes.</summary>
    private Dictionary<int, FusionGroup> _groups;
    /// <summary>For a backward step: the span a result computed in place is written to (by result), else null.</summary>
    private System.Func<int, string>? _resultRow;
    /// <summary>For a gradient method: its request (the forward loop then keeps every trace and applies no update).</summary>
    private readonly GradientSpec? _gradient;
    /// <summary>
    /// A checkpointed gradient (Checkpoint = k): each output's values live in a segment buffer of depth + k rows, row
    /// depth + t - segmentStart holding step t (the first depth rows: the k-th state's past values); null otherwise.
    /// </summary>
    private readonly string? _segmentStart;
    private readonly string _t, _steps, _executed;
    /// <summary>A while loop's trace rows so far (its traces grow as it runs); null when they hold every step.</summary>
    private readonly string? _capacity;
    private readonly string? _transaction;
    private readonly List<string> _rows, _traces, _traceRows;
    private readonly List<string?> _initialRows, _widths;
    private readonly List<List<string>> _state;
    private List<string> _argumentNames, _nodeNames;

    public ScanWriter(IndentedTextWriter writer, MethodSignature signature, ScanSpec scan, GradientSpec? gradient = null)
    {
        (_w, _signature, _scan, _step, _gradient) = (writer, signature, scan, scan.Step, gradient);
        // The parser named the locals holding shared variables' values; they are taken too.
        _names = new NameScope(signature.Parameters.Select(p => p.Name.TrimStart('@'))
            .Concat(scan.NonSequences.Where(n => n.SharedParameter is not null).Select(n => n.Parameter))
            .Concat(scan.Outputs.Where(o => o.SharedParameter is not null).Select(o => o.InitialParameter!)));
        // A checkpointed gradient's forward loop reads every past value from its segment buffers (no registers).
        _plan = gradient?.CheckpointPlan ?? scan.Plan;
        if (gradient?.CheckpointPlan is not null)
            _segmentStart = _names.Fresh("segmentStart");
        _groups = _plan.FusionGroups.ToDictionary(g => g.Node);

        // Names of everything the loop touches, chosen once so that no user parameter is shadowed.
        _t = _names.Fresh("t");
        _steps = _names.Fresh("steps");
        _executed = _step.Condition >= 0 ? _names.Fresh("executed") : _steps;
        _capacity = _step.Condition >= 0 && scan.Destinations.Count == 0 && Enumerable.Range(0, scan.Outputs.Count).Any(KeepsTrace) ? _names.Fresh("capacity") : null;
        _transaction = scan.Outputs.Any(o => o.SharedParameter is not null) || scan.NonSequences.Any(n => n.SharedParameter is not null)
            ? _names.Fresh("transaction") : null;
        _rows = scan.Sequences.Select(s => _names.Fresh(s.Parameter + "Rows")).ToList();
        _traces = scan.Outputs.Select(o => _names.Fresh(o.Name + "Trace")).ToList();
        _traceRows = scan.Outputs.Select(o => o.ElementType.Rank > 0 ? _names.Fresh(o.Name + (o.SharedParameter is null ? "Rows" : "Ring")) : "").ToList();
        _widths = scan.Outputs.Select(o => o.ElementType.Rank > 0 ? _names.Fresh(o.Name + "Width") : null).ToList();
        _initialRows = scan.Outputs.Select(o => o.IsRecurrent && (o.InitialContainer != ContainerKind.Single || o.ElementType.Rank > 0)
            ? _names.Fresh(o.InitialParameter + "Rows") : null).ToList();
        // Scalar state: _state[o][j - 1] holds y[t - j] for j = 1..RegisterDepths[o].
        _state = scan.Outputs.Select((o, index) => Enumerable.Range(1, _plan.RegisterDepths[index]).Select(j => _names.Fresh($"{o.Name}_{j}")).ToList()).ToList();
        _argumentNames = _step.Arguments.Select(a => a.Source switch
        {
            StepArgumentSource.OutputTap when _plan.InRegister(a) => _state[a.Index][-a.Tap - 1],
            StepArgumentSource.OutputTap => _names.Fresh($"{scan.Outputs[a.Index].Name}_{-a.Tap}"),
            StepArgumentSource.NonSequence when a.Type.Rank == 0 => ScanParser.EscapeIdentifier(scan.NonSequences[a.Index].Parameter),
            StepArgumentSource.NonSequence => _names.Fresh(scan.NonSequences[a.Index].Parameter + "Span"),
            _ => _names.Fresh(a.Name),
        }).ToList();
        _nodeNames = _step.Nodes.Select(n => n.Op switch
        {
            Op.Input => _argumentNames[n.Argument],
            Op.Constant => n.Literal!.StartsWith("-", System.StringComparison.Ordinal) ? $"({n.Literal})" : n.Literal!,
            _ => _plan.HasStorage(n.Id) ? _names.Fresh("n" + n.Id) : "",
        }).ToList();
    }

    public void Write()
    {
        WriteHeader();
        ScanEmitter.WriteDeclaration(_w, _signature);
        _w.WriteLine("{");
        _w.Indent++;
        WriteDestinationGuards();
        WriteModeRoute();
        WriteForward();
        WriteEnd();
        _w.Indent--;
        _w.WriteLine("}");
    }

    /// <summary>
    /// A debugging mode (the method's ScanMode parameter, else the scope's <c>ScanMode.Current</c>) runs the scan
    /// through the interpreter on its generated graph, with the same arguments, results, errors and shared updates:
    /// one check per call, before the loop, which is the fast path unchanged.
    /// </summary>
    /// <summary>Whether the method routes itself to its graph under a mode (the runtime has modes, the scan has its graph property).</summary>
    public bool RoutesModes { get; init; }

    private void WriteModeRoute()
    {
        if (!RoutesModes) return;
        // Named after every other local, so that the loop's names are those of a scan without modes.
        string mode = _names.Fresh("mode"), results = _names.Fresh("results");
        var arguments = new List<string>();
        if (_scan.Cancellation is { } token) arguments.Add(ScanParser.EscapeIdentifier(token));
        arguments.AddRange(_signature.Parameters.Select(p => GraphArgument(p.Name.TrimStart('@'))).OfType<string>());
        var current = _scan.ModeParameter is { } parameter
            ? $"({ScanParser.EscapeIdentifier(parameter)} ?? global::SymGen.ScanMode.Current)" : "global::SymGen.ScanMode.Current";
        _w.WriteLine("// A debugging mode (ScanMode) runs the scan through the interpreter on its graph.");
        _w.WriteLine($"if ({current} is {{ }} {mode})");
        _w.WriteLine("{");
        _w.Indent++;
        WriteObservedRun(mode);
        var call = $"{GraphWriter.PropertyName(_signature)}.Invoke({string.Join(", ", arguments.Prepend(mode))})";
        var returned = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null).ToList();
        if (HasDestinations)
            WriteDestinationModeResults(results, call);
        else if (returned.Count == 0)
        {
            _w.WriteLine($"{call};");
            _w.WriteLine("return;");
        }
        else
        {
            _w.WriteLine($"var {results} = {call};");
            var values = returned.Select((o, i) => $"{Runtime}.ModeResult<{TraceType(_scan.Outputs[o])}>({results}[{i}])").ToList();
            _w.WriteLine(_scan.ReturnsTuple ? $"return ({string.Join(", ", values)});" : $"return {values[0]};");
        }
        _w.Indent--;
        _w.WriteLine("}");
        _w.WriteLineNoTabs("");
    }

    /// <summary>The type of an output's trace as the method returns it: an array of scalars, else the next rank's tensor.</summary>
    private static string TraceType(ScanOutput output) => output.ElementType.Rank == 0
        ? output.ElementType.ElementKeyword + "[]"
        : (output.ElementType with { Rank = output.ElementType.Rank + 1 }).CSharpName;

    /// <summary>
    /// A parameter as the graph's argument (the graph's inputs are the scan's parameters, in order), or null for one
    /// the graph has no input for (the cancellation token, the mode): a span or memory of rows as an array.
    /// </summary>
    private string? GraphArgument(string parameter)
    {
        var name = ScanParser.EscapeIdentifier(parameter);
        var container = _scan.Sequences.FirstOrDefault(s => s.Parameter == parameter)?.Container
            ?? _scan.Outputs.FirstOrDefault(o => o.SharedParameter is null && o.InitialParameter == parameter)?.InitialContainer;
        bool input = container is not null
            || _scan.NonSequences.Any(n => (n.SharedParameter ?? n.Parameter) == parameter)
            || _scan.Outputs.Any(o => o.SharedParameter == parameter)
            || _scan.Steps?.Parameter == parameter;
        if (!input) return null;
        return container is ContainerKind.Span or ContainerKind.ReadOnlySpan or ContainerKind.Memory or ContainerKind.ReadOnlyMemory
            ? $"{name}.ToArray()" : name;
    }

    /// <summary>
    /// Whether output <paramref name="o"/> keeps a trace of every step: a returned output, and in a gradient method
    /// every output (the backward loop reads a shared variable's value at each step too).
    /// </summary>
    private bool KeepsTrace(int o) => _scan.Outputs[o].SharedParameter is null || _gradient is not null;

    /// <summary>The forward loop: argument checks, traces, buffers, hoisted nodes, the loop over the steps.</summary>
    private void WriteForward()
    {
        WriteSharedReads();

        // Rows of every sequence and multi-row initial state, as spans.
        for (int s = 0; s < _scan.Sequences.Count; s++)
            WriteRows(_scan.Sequences[s].Parameter, _scan.Sequences[s].Container, _scan.Sequences[s].ElementType, _rows[s]);
        for (int o = 0; o < _scan.Outputs.Count; o++)
            if (_initialRows[o] is { } rowsName)
                WriteRows(_scan.Outputs[o].InitialParameter!, _scan.Outputs[o].InitialContainer, _scan.Outputs[o].ElementType, rowsName);

        WriteStepCount();
        WriteSizeChecks();
        WriteDestinationChecks();

        _w.WriteLineNoTabs("");
        _w.WriteLine("// Traces: one row per step (initial states are not part of them).");
        if (_capacity is not null)
        {
            _w.WriteLine("// A while loop may stop long before its maximum: its traces start small and double as it runs.");
            _w.WriteLine($"int {_capacity} = {Traces}.FirstCapacity({_steps});");
        }
        var rows = _capacity ?? _steps;
        bool given = _gradient is { ForwardTraces.Count: > 0 };
        if (_segmentStart is not null)
            WriteSegments();
        if (given)
            WriteGivenTraces();
        for (int o = 0; o < _scan.Outputs.Count && _segmentStart is null && !given; o++)
        {
            var output = _scan.Outputs[o];
            if (DestinationOf(o) is not null)
            {
                WriteDestinationTrace(o);
                continue;
            }
            if (!KeepsTrace(o))
            {
                // A shared variable keeps no trace: a scalar lives in a local, a tensor in two rows used in turn.
                if (output.ElementType.Rank > 0)
                {
                    _w.WriteLine($"int {_widths[o]} = {Size(output.Shape)};");
                    _w.WriteLine($"global::System.Span<{output.ElementType.ElementKeyword}> {_traceRows[o]} = new {output.ElementType.ElementKeyword}[2 * {_widths[o]}];");
                }
                continue;
            }
            if (output.ElementType.Rank == 0)
            {
                _w.WriteLine($"var {_traces[o]} = new {output.ElementType.CSharpName}[{rows}];");
                continue;
            }
            // A trace holds one row per step: a vector's elements, or a matrix's (then it is a Tensor3).
            _w.WriteLine($"int {_widths[o]} = {Size(output.Shape)};");
            // A while loop's maximum need not fit: only the rows it runs are allocated (checked again as they grow).
            WriteTraceFits(rows, o);
            _w.WriteLine(output.ElementType.Rank == 1
                ? $"var {_traces[o]} = global::SymGen.Mat<{output.ElementType.ElementKeyword}>.Zeros({rows}, {_widths[o]});"
                : $"var {_traces[o]} = global::SymGen.Tensor3<{output.ElementType.ElementKeyword}>.Zeros({rows}, {output.Shape[0]}, {output.Shape[1]});");
            _w.WriteLine($"global::System.Span<{output.ElementType.ElementKeyword}> {_traceRows[o]} = {_traces[o]}.Span;");
        }

        WriteScalarState();

        var tensorInputs = _step.Arguments.Select((a, i) => (a, i)).Where(x => x.a.Source == StepArgumentSource.NonSequence && x.a.Type.Rank > 0).ToList();
        var buffers = _step.Nodes.Where(n => _plan.Nodes[n.Id].Storage == NodeStorage.Buffer && !given).ToList();
        if (tensorInputs.Count + buffers.Count > 0)
        {
            _w.WriteLineNoTabs("");
            _w.WriteLine("// Tensor non-sequences as spans, and one buffer per intermediate tensor, reused by every step.");
            foreach (var (argument, index) in tensorInputs)
                _w.WriteLine($"global::System.ReadOnlySpan<{argument.Type.ElementKeyword}> {_argumentNames[index]} = {ScanParser.EscapeIdentifier(_scan.NonSequences[argument.Index].Parameter)}.Span;");
            foreach (var node in buffers)
                _w.WriteLine(BufferDeclaration(node));
        }

        if (given)
            return; // the traces of an earlier forward call: no forward loop
        if (_plan.Hoisted.Count > 0)
        {
            _w.WriteLineNoTabs("");
            _w.WriteLine("// Nodes that depend only on constants and non-sequences: computed once, before the loop.");
            foreach (var id in _plan.Hoisted)
                WriteNode(_step.Nodes[id]);
        }
        WritePrecomputed();
        WritePacked();

        _w.WriteLineNoTabs("");
        if (_step.Condition >= 0)
            _w.WriteLine($"int {_executed} = {_steps};");
        if (!WritePeeledLoops())
            WriteLoop("0", _steps);
    }

    /// <summary>The loop over steps <paramref name="from"/> to <paramref name="to"/> (excluded).</summary>
    private void WriteLoop(string from, string to)
    {
        _w.WriteLine($"for (int {_t} = {from}; {_t} < {to}; {_t}++)");
        _w.WriteLine("{");
        _w.Indent++;
        if (_scan.Cancellation is { } token)
            _w.WriteLine($"if (({_t} & 1023) == 0) {ScanParser.EscapeIdentifier(token)}.ThrowIfCancellationRequested();");
        WriteGrowth();
        WriteSegmentShift();
        WriteStepInputs();
        foreach (var node in _step.Nodes)
            if (_plan.ComputedInLoop(node.Id))
            {
                WriteNode(node);
                WriteObservation(node);
            }
        WriteStores();
        if (_step.Condition >= 0)
        {
            _w.WriteLine($"// Stop after this step if its condition holds (the step is kept).");
            _w.WriteLine($"if ({_nodeNames[_step.Condition]})");
            _w.WriteLine("{");
            _w.Indent++;
            _w.WriteLine($"{_executed} = {_t} + 1;");
            _w.WriteLine("break;");
            _w.Indent--;
            _w.WriteLine("}");
        }
        _w.Indent--;
        _w.WriteLine("}");
    }

    /// <summary>
    /// Shared variables are read once, when the scan is called (a copy: later changes do not show), inside a
    /// transaction: every one is locked, the updated ones until the call returns or throws (SharedTransaction).
    /// </summary>
    private void WriteSharedReads()
    {
        if (_transaction is null) return;
        var readOnly = _scan.NonSequences.Where(n => n.SharedParameter is not null).Select(n => (Shared: n.SharedParameter!, Local: n.Parameter)).ToList();
        var updated = _scan.Outputs.Where(o => o.SharedParameter is not null).ToList();
        _w.WriteLine("// Shared variables: the call is a transaction on them. All are locked (in one global order, so calls cannot");
        _w.WriteLine("// deadlock) and read at one moment; those only read are released then, the updated ones stay locked until");
        _w.WriteLine("// the call has written them back, or has thrown and changed nothing.");
        foreach (var shared in readOnly.Select(r => r.Shared).Concat(updated.Select(o => o.SharedParameter!)))
            _w.WriteLine($"global::System.ArgumentNullException.ThrowIfNull({ScanParser.EscapeIdentifier(shared)});");
        // Two [Update] parameters of one value type could be one variable, updated twice per step.
        for (int a = 0; a < updated.Count; a++)
            for (int b = a + 1; b < updated.Count; b++)
                if (updated[a].ElementType == updated[b].ElementType)
                    _w.WriteLine($"{Runtime}.RequireDistinct({ScanParser.EscapeIdentifier(updated[a].SharedParameter!)}, {ScanParser.EscapeIdentifier(updated[b].SharedParameter!)}, {CSharpText.Literal(updated[a].SharedParameter!)}, {CSharpText.Literal(updated[b].SharedParameter!)});");
        string List(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(ScanParser.EscapeIdentifier)) + "]";
        _w.WriteLine($"using var {_transaction} = global::SymGen.Scanning.SharedTransaction.Begin({List(updated.Select(o => o.SharedParameter!))}, {List(readOnly.Select(r => r.Shared))});");
        foreach (var (shared, local) in readOnly.Concat(updated.Select(o => (Shared: o.SharedParameter!, Local: o.InitialParameter!))))
            _w.WriteLine($"var {local} = {ScanParser.EscapeIdentifier(shared)}.Value;");
        if (readOnly.Count > 0)
            _w.WriteLine($"{_transaction}.EndReads();");
        _w.WriteLineNoTabs("");
    }

    /// <summary>Cuts the traces of a loop that stopped early, writes shared variables back, returns the traces.</summary>
    private void WriteEnd()
    {
        WriteBufferReturns();
        if (!HasDestinations)
            WriteTraceCut();
        var returned = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null).ToList();
        var updates = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is not null).ToList();
        if (updates.Count > 0 && !Observed)
        {
            _w.WriteLine("// The scan succeeded: every shared variable takes its final value, all together.");
            _w.WriteLine($"global::SymGen.SharedUpdates.Apply({string.Join(", ", updates.Select(o => $"{ScanParser.EscapeIdentifier(_scan.Outputs[o].SharedParameter!)}.Update({FinalValue(o)})"))});");
        }
        if (HasDestinations)
            WriteDestinationReturn();
        else
            WriteReturn();
    }

    /// <summary>Returns the traces of the returned outputs (the one, or a tuple).</summary>
    private void WriteReturn()
    {
        var returned = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null).ToList();
        if (returned.Count > 0)
            _w.WriteLine(_scan.ReturnsTuple ? $"return ({string.Join(", ", returned.Select(o => _traces[o]))});" : $"return {_traces[returned[0]]};");
    }

    /// <summary>A while loop that stopped early cuts its returned traces to the rows it computed.</summary>
    private void WriteTraceCut()
    {
        _w.WriteLineNoTabs("");
        var returned = Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null).ToList();
        if (_step.Condition >= 0 && returned.Count > 0)
        {
            _w.WriteLine("// A loop that stopped early keeps the rows it computed.");
            _w.WriteLine($"if ({_executed} < {_capacity})");
            _w.WriteLine("{");
            _w.Indent++;
            foreach (var o in returned)
                _w.WriteLine($"{Traces}.Resize(ref {_traces[o]}, {_executed});");
            _w.Indent--;
            _w.WriteLine("}");
        }
    }

    /// <summary>A shared variable's value after the last executed step (its value at the call with zero steps).</summary>
    private string FinalValue(int o)
    {
        var output = _scan.Outputs[o];
        if (output.ElementType.Rank == 0)
            return _state[o][0];
        var t = output.ElementType;
        var row = $"(({_executed} - 1) & 1) * {_widths[o]}";
        var view = t.Rank == 1
            ? $"new global::SymGen.Vec<{t.ElementKeyword}>({_traceRows[o]}.Slice({row}, {_widths[o]}).ToArray())"
            : $"new global::SymGen.Mat<{t.ElementKeyword}>({_traceRows[o]}.Slice({row}, {_widths[o]}).ToArray(), {output.Shape[0]}, {output.Shape[1]})";
        return $"{_executed} == 0 ? {output.InitialParameter} : {view}";
    }

    // ---- Before the loop --------------------------------------------------------------------------------------

    private void WriteHeader()
    {
        var w = _w;
        w.WriteLine($"// Scan '{CSharpText.Comment(_scan.Name)}'{(_scan.GoBackwards ? ", going backwards" : "")}, generated by SymGen.");
        w.WriteLine($"// Steps: {(_scan.Steps is { } s ? $"'{s.Parameter}'" : "the shortest sequence, less the span of its taps")}.");
        foreach (var sequence in _scan.Sequences)
            w.WriteLine($"// Sequence '{sequence.Parameter}' ({sequence.ElementType} rows), taps [{Taps(sequence.Taps)}].");
        foreach (var output in _scan.ReturnedOutputs)
            w.WriteLine(output.IsRecurrent
                ? $"// Output '{output.Name}' ({output.ElementType}): recurrent, taps [{Taps(output.Taps)}], from initial state '{output.InitialParameter}'" +
                  (output.InitialContainer == ContainerKind.Single ? "." : $" (row 0 = y[-{output.Depth}]).")
                : $"// Output '{output.Name}' ({output.ElementType}): a map (nothing fed back).");
        foreach (var nonSequence in _scan.NonSequences)
            w.WriteLine($"// Non-sequence '{nonSequence.SharedParameter ?? nonSequence.Parameter}' ({nonSequence.Type}).");
        foreach (var update in _scan.Outputs.Where(o => o.SharedParameter is not null))
            w.WriteLine($"// Shared variable '{update.SharedParameter}' ({update.ElementType}): updated by every step, written back when the scan returns.");
        if (_scan.Cancellation is { } token)
            w.WriteLine($"// Cancellation: '{token}', checked every 1024 steps; a cancelled scan changes no shared variable.");
        w.WriteLine($"// Each step calls {_step.MethodName}({string.Join(", ", _step.Arguments.Select(a => a.Name))}), as this graph:");
        // The listing is cut after a few dozen nodes: every node also has its comment in the loop.
        const int Listed = 64;
        var listed = _step.Nodes.Where(n => n.Op is not (Op.Input or Op.Constant) && _plan.Nodes[n.Id].Live).ToList();
        foreach (var node in listed.Take(Listed))
            w.WriteLine($"//   n{node.Id} = {OpTable.Get(node.Op).Name}({string.Join(", ", node.Inputs.Select(NodeText))}{(node.Axis >= 0 ? $", axis: {node.Axis}" : "")}) : {node.Type}{ShapeText(node.Shape)}");
        if (listed.Count > Listed)
            w.WriteLine($"//   ... and {listed.Count - Listed} more nodes (each is written below, with its source)");
        var results = _step.Results.Select(NodeText).Concat(_step.Condition >= 0 ? new[] { $"Until({NodeText(_step.Condition)})" } : new string[0]).ToList();
        w.WriteLine($"// and returns {(results.Count == 1 ? results[0] : "(" + string.Join(", ", results) + ")")}.");
    }

    private string NodeText(int id)
    {
        var node = _step.Nodes[id];
        return node.Op switch
        {
            Op.Input => _step.Arguments[node.Argument].Name,
            Op.Constant => node.Literal!,
            _ => "n" + id,
        };
    }

    private static string ShapeText(EquatableArray<Dim> shape) => shape.Count == 0 ? "" : $"[{string.Join(", ", shape)}]";

    private void WriteRows(string parameter, ContainerKind container, TypeRef row, string rows)
    {
        var name = ScanParser.EscapeIdentifier(parameter);
        if (container == ContainerKind.Array)
            _w.WriteLine($"global::System.ArgumentNullException.ThrowIfNull({name});");
        var source = container is ContainerKind.Memory or ContainerKind.ReadOnlyMemory or ContainerKind.Vec or ContainerKind.Mat
            or ContainerKind.Tensor3 or ContainerKind.Single
            ? name + ".Span" : name;
        _w.WriteLine($"global::System.ReadOnlySpan<{row.ElementKeyword}> {rows} = {source};");
    }

    /// <summary>The number of rows of a sequence or initial state.</summary>
    private static string RowCount(string parameter, ContainerKind container, string rows) =>
        container switch
        {
            ContainerKind.Mat => $"{ScanParser.EscapeIdentifier(parameter)}.Rows",
            ContainerKind.Tensor3 => $"{ScanParser.EscapeIdentifier(parameter)}.Length",
            ContainerKind.Single => "1",
            _ => $"{rows}.Length",
        };

    private void WriteStepCount()
    {
        if (_scan.Sequences.Count > 0 || _initialRows.Any(r => r is not null))
            _w.WriteLineNoTabs("");
        var sequences = _scan.Sequences;
        if (_scan.Steps is { } given)
        {
            _w.WriteLine($"// Number of steps: '{given.Parameter}'{(sequences.Count > 0 ? "; every sequence must provide that many" : "")}.");
            _w.WriteLine($"int {_steps} = {Runtime}.RequireSteps({ScanParser.EscapeIdentifier(given.Parameter)}, {CSharpText.Literal(given.Parameter)});");
            for (int s = 0; s < sequences.Count; s++)
                _w.WriteLine($"{Runtime}.RequireSequenceSteps({RowCount(sequences[s].Parameter, sequences[s].Container, _rows[s])}, {sequences[s].TapSpan}, {CSharpText.Literal(Taps(sequences[s].Taps))}, {_steps}, {CSharpText.Literal(sequences[s].Parameter)}, {CSharpText.Literal(given.Parameter)});");
        }
        else
        {
            _w.WriteLine("// Number of steps: the shortest sequence decides (each loses the span of its taps).");
            for (int s = 0; s < sequences.Count; s++)
            {
                var provided = $"{Runtime}.StepsProvided({RowCount(sequences[s].Parameter, sequences[s].Container, _rows[s])}, {sequences[s].TapSpan}, \"{Taps(sequences[s].Taps)}\", \"{sequences[s].Parameter}\")";
                _w.WriteLine(s == 0 ? $"int {_steps} = {provided};" : $"{_steps} = global::System.Math.Min({_steps}, {provided});");
            }
        }
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var output = _scan.Outputs[o];
            if (_initialRows[o] is { } rowsName && output.InitialContainer != ContainerKind.Single)
                _w.WriteLine($"{Runtime}.RequireInitialRows({RowCount(output.InitialParameter!, output.InitialContainer, rowsName)}, {output.Depth}, {CSharpText.Literal(Taps(output.Taps))}, {CSharpText.Literal(output.InitialParameter!)});");
        }
    }

    private void WriteSizeChecks()
    {
        if (_scan.SizeChecks.Count == 0) return;
        _w.WriteLine("// Sizes the step's shapes require, checked once for all steps.");
        // The message names both sizes, the established one first; ParamName is the other's (ShapeRules.Blame).
        var precedence = _scan.Sequences.Select(q => (string?)q.Parameter)
            .Concat(_scan.Outputs.Select(o => o.InitialParameter)).Concat(_scan.NonSequences.Select(n => n.Parameter)).ToList();
        foreach (var check in _scan.SizeChecks)
        {
            var (a, b) = ShapeRules.Blame(check.First, check.Second, d => precedence.IndexOf(d.Parameter) is var i and >= 0 ? i : int.MaxValue);
            _w.WriteLine($"{Runtime}.RequireSameSize({a.Expression}, {b.Expression}, {CSharpText.Literal(UserText(a))}, {CSharpText.Literal(UserText(b))}, " +
                         $"{CSharpText.Literal(check.What)}, {CSharpText.Literal(UserParameter(a))}, {CSharpText.Literal(UserParameter(b))});");
        }
    }

    /// <summary>The user's parameter a dimension is read from: a shared variable, not the local holding its value.</summary>
    private string UserParameter(Dim dim) => SharedOf(dim.Parameter) ?? dim.Parameter;

    /// <summary>A dimension as the user would write it: <c>state.Value.Length</c> for a shared variable's.</summary>
    private string UserText(Dim dim) =>
        SharedOf(dim.Parameter) is { } shared && dim.Expression.StartsWith(dim.Parameter + ".", System.StringComparison.Ordinal)
            ? $"{shared}.Value{dim.Expression.Substring(dim.Parameter.Length)}"
            : dim.Expression;

    private string? SharedOf(string local) =>
        _scan.NonSequences.FirstOrDefault(n => n.SharedParameter is not null && n.Parameter == local)?.SharedParameter
        ?? _scan.Outputs.FirstOrDefault(o => o.SharedParameter is not null && o.InitialParameter == local)?.SharedParameter;

    private void WriteScalarState()
    {
        if (_state.All(s => s.Count == 0)) return;
        _w.WriteLineNoTabs("");
        _w.WriteLine("// Recurrent state in locals: <name>_j holds y[t-j].");
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var output = _scan.Outputs[o];
            if (!output.IsRecurrent || output.ElementType.Rank > 0) continue;
            for (int j = 1; j <= _state[o].Count; j++)
            {
                // Row 0 of the initial state is y[-depth], its last needed row y[-1].
                var source = _initialRows[o] is { } rowsName ? $"{rowsName}[{output.Depth - j}]" : ScanParser.EscapeIdentifier(output.InitialParameter!);
                _w.WriteLine($"{output.ElementType.CSharpName} {_state[o][j - 1]} = {source};");
            }
        }
    }

    // ---- The loop ---------------------------------------------------------------------------------------------

    /// <summary>A while loop's traces double when full; tensor rows are then read and written through the new trace.</summary>
    private void WriteGrowth()
    {
        if (_capacity is null) return;
        _w.WriteLine($"if ({_t} == {_capacity})");
        _w.WriteLine("{");
        _w.Indent++;
        _w.WriteLine($"{_capacity} = {Traces}.Grow({_capacity}, {_steps});");
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            if (!KeepsTrace(o)) continue;
            if (_scan.Outputs[o].ElementType.Rank > 0)
                WriteTraceFits(_capacity, o);
            _w.WriteLine($"{Traces}.Resize(ref {_traces[o]}, {_capacity});");
            if (_scan.Outputs[o].ElementType.Rank > 0)
                _w.WriteLine($"{_traceRows[o]} = {_traces[o]}.Span;");
        }
        _w.Indent--;
        _w.WriteLine("}");
    }

    /// <summary>A tensor trace of this many rows must fit an array; the error blames the steps' parameter.</summary>
    private void WriteTraceFits(string rows, int output) =>
        _w.WriteLine($"{Runtime}.RequireTraceFits({rows}, {_widths[output]}, {CSharpText.Literal(_scan.Steps?.Parameter ?? _scan.Sequences[0].Parameter)});");

    private void WriteStepInputs()
    {
        var scalarTaps = _step.Arguments.Select((a, i) => (a, i)).Where(x => x.a.Source == StepArgumentSource.OutputTap && x.a.Type.Rank == 0 && !IsDeepTap(x.a))
            .Select(x => $"{x.a.Name} = {_scan.Outputs[x.a.Index].Name}[{ScanParser.TapText("t", x.a.Tap)}] is {_argumentNames[x.i]}").ToList();
        if (scalarTaps.Count > 0)
            _w.WriteLine($"// {string.Join("; ", scalarTaps)}");

        for (int index = 0; index < _step.Arguments.Count; index++)
        {
            var argument = _step.Arguments[index];
            var name = _argumentNames[index];
            if (argument.Source == StepArgumentSource.SequenceTap)
            {
                var sequence = _scan.Sequences[argument.Index];
                var rows = _rows[argument.Index];
                var row = SequenceIndex(sequence, argument.Tap, RowCount(sequence.Parameter, sequence.Container, rows));
                _w.WriteLine($"// {argument.Name} = {sequence.Parameter}[{ScanParser.TapText("t", argument.Tap)}]");
                if (argument.Type.Rank == 0)
                    _w.WriteLine($"{argument.Type.CSharpName} {name} = {rows}[{row}];");
                else
                {
                    var width = Size(argument.Shape);
                    _w.WriteLine($"global::System.ReadOnlySpan<{argument.Type.ElementKeyword}> {name} = {rows}.Slice({(row.Contains(' ') ? $"({row})" : row)} * {width}, {width});");
                }
            }
            else if (argument.Source == StepArgumentSource.OutputTap && IsDeepTap(argument))
            {
                // y[t-j] is element t-j of the trace once computed, else row depth-j+t of the initial state. Read
                // through the trace variable as it is now, so a trace that is reallocated as it grows still works.
                var output = _scan.Outputs[argument.Index];
                int j = -argument.Tap;
                _w.WriteLine($"// {argument.Name} = {output.Name}[{ScanParser.TapText("t", argument.Tap)}]");
                var initial = _initialRows[argument.Index] is { } initialRows ? $"{initialRows}[{InitialRow(output, j)}]" : ScanParser.EscapeIdentifier(output.InitialParameter!);
                _w.WriteLine(_segmentStart is not null
                    ? $"{argument.Type.CSharpName} {name} = {TraceElement(argument.Index, $"{_t} - {j}")};"
                    : _pastPeel ? $"{argument.Type.CSharpName} {name} = {_traces[argument.Index]}[{_t} - {j}];"
                    : $"{argument.Type.CSharpName} {name} = {_t} >= {j} ? {_traces[argument.Index]}[{_t} - {j}] : {initial};");
            }
            else if (argument.Source == StepArgumentSource.OutputTap && argument.Type.Rank > 0)
            {
                // y[t-j] is row t-j of the trace once computed, else row depth+t-j of the initial state.
                var output = _scan.Outputs[argument.Index];
                int j = -argument.Tap;
                var width = _widths[argument.Index];
                var initial = output.InitialContainer == ContainerKind.Single
                    ? _initialRows[argument.Index]!
                    : $"{_initialRows[argument.Index]}.Slice(({InitialRow(output, j)}) * {width}, {width})";
                _w.WriteLine($"// {argument.Name} = {output.Name}[{ScanParser.TapText("t", argument.Tap)}]");
                _w.WriteLine(_segmentStart is not null
                    ? $"global::System.ReadOnlySpan<{argument.Type.ElementKeyword}> {name} = {_traceRows[argument.Index]}.Slice({RowOffset(argument.Index, $"{_t} - {j}")}, {width});"
                    : $"global::System.ReadOnlySpan<{argument.Type.ElementKeyword}> {name} = {_t} >= {j} " +
                      $"? {_traceRows[argument.Index]}.Slice({RowOffset(argument.Index, $"{_t} - {j}")}, {width}) : {initial};");
            }
        }
    }

    private void WriteNode(StepNode node)
    {
        if (_plan.Nodes[node.Id].Storage == NodeStorage.Precomputed)
        {
            WritePrecomputedRow(node);
            return;
        }
        var name = _nodeNames[node.Id];
        var info = OpTable.Get(node.Op);
        var how = node.Type.Rank > 0 && info.IsElementwise ? FusedText(node) : ReadsPackedMatrix(node) ? ", on the packed matrix" : "";
        _w.WriteLine($"// {name} = {CSharpText.Comment(node.Label)}  ({info.Name}{how})");
        if (_plan.Nodes[node.Id].TraceOutput is var o and >= 0)
            _w.WriteLine($"global::System.Span<{node.Type.ElementKeyword}> {name} = {(_resultRow is not null ? _resultRow(o) : $"{_traceRows[o]}.Slice({RowOffset(o, _t)}, {_widths[o]})")};");

        if (node.Type.Rank == 0)
        {
            _w.WriteLine($"{node.Type.CSharpName} {name} = {ScalarExpression(node)};");
            return;
        }
        if (info.IsElementwise)
        {
            WriteFusedLoop(node);
            return;
        }
        if (!WritePackedProduct(node, name))
            _w.WriteLine(KernelCall(node, name) + ";");
    }

    /// <summary>The C# expression of a scalar node: an operator, a Math call, or a kernel on tensor inputs.</summary>
    private string ScalarExpression(StepNode node)
    {
        var info = OpTable.Get(node.Op);
        return info.Emit switch
        {
            OpEmit.Cast => $"({node.Type.CSharpName}){_nodeNames[node.Inputs[0]]}",
            OpEmit.Kernel => KernelCall(node, null),
            _ => OpTable.FormatCSharp(node.Op, ComputesInSinglePrecision(node), node.Inputs.Select(i => _nodeNames[i]).ToList()),
        };
    }

    /// <summary>
    /// The call of a node's kernel (its op's row names it): the op first when the kernel serves several, each tensor
    /// operand as its span and Dims, a scalar operand as it is, the axis of a reduction along one, and the
    /// destination of a tensor result (a scalar result is returned).
    /// </summary>
    private string KernelCall(StepNode node, string? destination)
    {
        var info = OpTable.Get(node.Op);
        var arguments = new List<string>();
        if (info.Kernel != info.Name)
            arguments.Add($"global::SymGen.Graph.Op.{node.Op}");
        foreach (var input in node.Inputs.Select(i => _step.Nodes[i]))
        {
            arguments.Add(_nodeNames[input.Id]);
            if (input.Type.Rank > 0) arguments.Add(Dims(input.Shape));
        }
        if (info.HasText)
            arguments.Add(CSharpText.Literal(node.Literal ?? ""));
        if (info.HasAxis && node.Axis >= 0)
            arguments.Add(node.Axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (destination is not null)
            arguments.Add(destination);
        // A kernel on scalars alone (Print of a scalar) is typed by its operand; the others by their tensors' elements.
        var tensor = node.Inputs.Where(i => _step.Nodes[i].Type.Rank > 0).DefaultIfEmpty(-1).First();
        var element = tensor >= 0 ? _step.Nodes[tensor].Type.ElementKeyword : node.Type.CSharpName;
        return $"{Kernels}.{info.Kernel}<{element}>({string.Join(", ", arguments)})";
    }

    /// <summary>The <c>SymGen.Dims</c> of a tensor of <paramref name="shape"/>.</summary>
    private static string Dims(EquatableArray<Dim> shape) => shape.Count == 1
        ? $"global::SymGen.Dims.Vector({shape[0]})"
        : $"global::SymGen.Dims.Matrix({shape[0]}, {shape[1]})";

    /// <summary>
    /// Fused subexpressions nested deeper than this are computed into a local of the loop body first: a chain of
    /// 10,000 fused ops written as one expression would nest 10,000 parentheses, too deep for the C# compiler.
    /// </summary>
    private const int MaxFusedDepth = 16;

    /// <summary>
    /// The element expression of a fused loop, written operands first without recursion; <paramref name="spills"/>
    /// receives the declarations of the locals that cut long chains.
    /// </summary>
    private string ElementExpression(StepNode top, string index, string column, List<string> spills)
    {
        var written = new Dictionary<int, (string Text, int Depth)>();
        // The bool of each fused comparison: a Select conditioned on it tests it directly, not its mask.
        var tests = new Dictionary<int, string>();
        string expression = "";
        foreach (var node in FusedNodes(top))
        {
            int depth = 1;
            var operands = new List<string>();
            foreach (var input in node.Inputs.Select(id => _step.Nodes[id]))
            {
                if (written.TryGetValue(input.Id, out var operand))
                {
                    operands.Add(operand.Text);
                    depth = System.Math.Max(depth, operand.Depth + 1);
                }
                else
                    operands.Add(input.Type.Rank == 0 ? _nodeNames[input.Id] : $"{_nodeNames[input.Id]}[{(input.Type.Rank == 1 ? column : index)}]");
            }
            // Tensors hold masks of 1 and 0 where scalars hold bools: a mask condition is read as non-zero, and a
            // comparison gives a mask element.
            if (node.Op == Op.Select && tests.TryGetValue(node.Inputs[0], out var test))
                operands[0] = test;
            else if (node.Op == Op.Select && _step.Nodes[node.Inputs[0]].Type.Element != ElementKind.Bool)
                operands[0] = $"{operands[0]} != {Zero(node.Type)}";
            expression = OpTable.FormatCSharp(node.Op, node.Type.Element == ElementKind.Float32, operands);
            if (OpTable.Get(node.Op).Category == OpCategory.Comparison)
            {
                tests[node.Id] = $"({expression})";
                expression = $"({expression} ? {One(node.Type)} : {Zero(node.Type)})";
            }
            if (node == top)
                break;
            if (depth < MaxFusedDepth)
                written[node.Id] = ($"({expression})", depth);
            else
            {
                var local = _names.Fresh("e" + node.Id);
                spills.Add($"{node.Type.ElementKeyword} {local} = {expression};");
                written[node.Id] = (local, 0);
                tests.Remove(node.Id);
            }
        }
        return expression;
    }

    private void WriteStores()
    {
        bool anyScalarState = _state.Any(s => s.Count > 0);
        _w.WriteLine(anyScalarState
            ? "// Store step t, then shift each recurrent state by one step (every output read start-of-step values)."
            : "// Store step t.");
        // A result that is a past value held in a state local is read before any state shifts (simultaneous rule).
        var resultNames = new List<string>();
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var result = _step.Nodes[_step.Results[o]];
            bool heldInState = result.Op == Op.Input && result.Type.Rank == 0 && _step.Arguments[result.Argument].Source == StepArgumentSource.OutputTap;
            if (heldInState)
            {
                var copy = _names.Fresh(_scan.Outputs[o].Name + "Next");
                _w.WriteLine($"{result.Type.CSharpName} {copy} = {_nodeNames[result.Id]};");
                resultNames.Add(copy);
            }
            else
                resultNames.Add(_nodeNames[result.Id]);
        }
        for (int o = 0; o < _scan.Outputs.Count; o++)
        {
            var resultId = _step.Results[o];
            var value = resultNames[o];
            if (_scan.Outputs[o].ElementType.Rank > 0)
            {
                if (_plan.Nodes[resultId].TraceOutput != o)
                    _w.WriteLine($"{value}.CopyTo({_traceRows[o]}.Slice({RowOffset(o, _t)}, {_widths[o]}));");
                continue;
            }
            if (KeepsTrace(o))
                _w.WriteLine($"{TraceElement(o, _t)} = {value};");
            var s = _state[o];
            for (int j = s.Count; j >= 2; j--)
                _w.WriteLine($"{s[j - 1]} = {s[j - 2]};");
            if (s.Count > 0)
                _w.WriteLine($"{s[0]} = {value};");
        }
    }

    /// <summary>The nodes of <paramref name="top"/>'s fused loop, each after its operands, <paramref name="top"/> last.</summary>
    private IEnumerable<StepNode> FusedNodes(StepNode top) => _groups[top.Id].Members.Select(id => _step.Nodes[id]);

    /// <summary>The ops of a fused loop for its comment; a long chain is summarised, so comments stay short.</summary>
    private string FusedText(StepNode node)
    {
        var fused = FusedNodes(node).Select(n => OpTable.Get(n.Op).Name).ToList();
        const int Listed = 8;
        return fused.Count <= 1 ? ""
            : fused.Count <= Listed ? ", fused: " + string.Join(", ", fused)
            : $", fused: {string.Join(", ", fused.Take(Listed))}, ... ({fused.Count} ops)";
    }

    /// <summary>
    /// Theano's tap slicing: tap k of a sequence with anchors lo = min(taps, 0), hi = max(taps, 0) reads
    /// s[t + k - lo] going forwards, and, going backwards, the same slice reversed: s[len - 1 - hi + k - t].
    /// </summary>
    private string SequenceIndex(SequenceInput sequence, int tap, string rowCount)
    {
        if (!_scan.GoBackwards)
        {
            int offset = tap - sequence.LowestTap;
            return offset == 0 ? _t : $"{_t} + {offset}";
        }
        int fromEnd = 1 + sequence.HighestTap - tap;
        return $"{rowCount} - {fromEnd} - {_t}";
    }

    /// <summary>A past value of a scalar output deeper than its registers: read from the trace.</summary>
    private bool IsDeepTap(StepArgument argument) =>
        argument.Source == StepArgumentSource.OutputTap && argument.Type.Rank == 0 && !_plan.InRegister(argument);

    /// <summary>The row of the initial state holding y[t-j] while t &lt; j: depth-j+t, added in an order that cannot overflow.</summary>
    private string InitialRow(ScanOutput output, int j) =>
        output.Depth == j ? _t : $"{output.Depth - j} + {_t}";

    /// <summary>Math functions on float compute with MathF, as C# overload resolution picks for float operands.</summary>
    private bool ComputesInSinglePrecision(StepNode node) =>
        node.Inputs.Count > 0 && _step.Nodes[node.Inputs[0]].Type.Element == ElementKind.Float32;

    /// <summary>Where step <paramref name="step"/>'s row of output <paramref name="o"/> starts: in its trace, or in a shared variable's two rows.</summary>
    private string RowOffset(int o, string step) =>
        _segmentStart is not null ? $"({SegmentRow(o, step)}) * {_widths[o]}"
        : KeepsTrace(o)
            ? $"{(step.Contains(' ') ? $"({step})" : step)} * {_widths[o]}"
            : $"(({step}) & 1) * {_widths[o]}";

    private static string Size(EquatableArray<Dim> shape) => string.Join(" * ", shape.Select(d => d.Expression));

    private static string Zero(TypeRef type) => type.Element == ElementKind.Float32 ? "0f" : "0d";

    private static string One(TypeRef type) => type.Element == ElementKind.Float32 ? "1f" : "1d";

    private static string Taps(EquatableArray<int> taps) => string.Join(", ", taps);

}
