using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;

namespace SymGen.Generator.Emitting;

// Caller-provided destinations ([Destination]): traces are written into the caller's rows, intermediates come from
// ArrayPool, so a call allocates nothing. Every check runs before the first step, so a bad call writes nothing.
internal sealed partial class ScanWriter
{
    private const string Destinations = "global::SymGen.Scanning.ScanDestinations";

    private bool HasDestinations => _scan.Destinations.Count > 0;

    /// <summary>The arrays rented for intermediate tensors of a destination scan (returned after the loop).</summary>
    private readonly List<(string Array, string Element)> _rented = new();

    private DestinationOutput? DestinationOf(int o) => _scan.Destinations.FirstOrDefault(d => d.Output == o);

    private static string Escaped(string parameter) => ScanParser.EscapeIdentifier(parameter);

    /// <summary>A destination's elements as a writable span.</summary>
    private static string DestinationSpan(DestinationOutput d) => d.Container switch
    {
        ContainerKind.Array => $"global::System.MemoryExtensions.AsSpan({Escaped(d.Parameter)})",
        ContainerKind.Span => Escaped(d.Parameter),
        _ => $"{Escaped(d.Parameter)}.Span",
    };

    /// <summary>A destination's rows: elements for scalars, rows of a Mat, matrices of a Tensor3.</summary>
    private static string DestinationRows(DestinationOutput d) => d.Container switch
    {
        ContainerKind.Mat => $"{Escaped(d.Parameter)}.Rows",
        _ => $"{Escaped(d.Parameter)}.Length",
    };

    /// <summary>An input's elements as a read-only span, for the overlap checks; null for a scalar.</summary>
    private static string? InputSpan(string parameter, ContainerKind container, TypeRef type) => container switch
    {
        ContainerKind.Array => $"new global::System.ReadOnlySpan<{type.ElementKeyword}>({Escaped(parameter)})",
        ContainerKind.Span or ContainerKind.ReadOnlySpan => Escaped(parameter),
        ContainerKind.Single when type.Rank == 0 => null,
        _ => $"{Escaped(parameter)}.Span",
    };

    /// <summary>
    /// Null checks of array destinations, then no destination may share an element with an input (sequences,
    /// initial states, tensor non-sequences of its element type) or another destination. Written first, so that it
    /// holds under a debugging mode too.
    /// </summary>
    private void WriteDestinationGuards()
    {
        if (!HasDestinations) return;
        _w.WriteLine("// Destinations: the caller's memory, checked before anything is written.");
        foreach (var d in _scan.Destinations.Where(d => d.Container == ContainerKind.Array))
            _w.WriteLine($"global::System.ArgumentNullException.ThrowIfNull({Escaped(d.Parameter)});");
        var inputs = new List<(string Parameter, string Span, string Element)>();
        foreach (var s in _scan.Sequences)
            if (InputSpan(s.Parameter, s.Container, s.ElementType with { Rank = 0 }) is { } span)
                inputs.Add((s.Parameter, span, s.ElementType.ElementKeyword));
        foreach (var o in _scan.Outputs.Where(o => o.IsRecurrent && o.SharedParameter is null))
            if (InputSpan(o.InitialParameter!, o.InitialContainer, o.ElementType) is { } span)
                inputs.Add((o.InitialParameter!, span, o.ElementType.ElementKeyword));
        foreach (var n in _scan.NonSequences.Where(n => n.SharedParameter is null && n.Type.Rank > 0))
            inputs.Add((n.Parameter, $"{Escaped(n.Parameter)}.Span", n.Type.ElementKeyword));
        for (int i = 0; i < _scan.Destinations.Count; i++)
        {
            var d = _scan.Destinations[i];
            var element = d.Row.ElementKeyword;
            foreach (var input in inputs.Where(x => x.Element == element))
                _w.WriteLine($"{Destinations}.RequireNoOverlap<{element}>({DestinationSpan(d)}, {input.Span}, {CSharpText.Literal(d.Parameter)}, {CSharpText.Literal(input.Parameter)}, false);");
            for (int k = i + 1; k < _scan.Destinations.Count; k++)
                if (_scan.Destinations[k].Row.ElementKeyword == element)
                    _w.WriteLine($"{Destinations}.RequireNoOverlap<{element}>({DestinationSpan(d)}, {DestinationSpan(_scan.Destinations[k])}, {CSharpText.Literal(d.Parameter)}, {CSharpText.Literal(_scan.Destinations[k].Parameter)}, true);");
        }
        _w.WriteLineNoTabs("");
    }

    /// <summary>Each destination holds a row per step (a while loop's maximum), each row one step's value.</summary>
    private void WriteDestinationChecks()
    {
        if (!HasDestinations) return;
        _w.WriteLine("// Each destination: a row per step, of one step's size.");
        foreach (var d in _scan.Destinations)
        {
            var output = _scan.Outputs[d.Output];
            var name = CSharpText.Literal(d.Parameter);
            _w.WriteLine($"{Destinations}.RequireRows({DestinationRows(d)}, {_steps}, {name});");
            if (d.Container == ContainerKind.Mat)
                _w.WriteLine($"{Destinations}.RequireRowSize({Escaped(d.Parameter)}.Columns, {output.Shape[0]}, \"columns\", {name});");
            else if (d.Container == ContainerKind.Tensor3)
            {
                _w.WriteLine($"{Destinations}.RequireRowSize({Escaped(d.Parameter)}.Rows, {output.Shape[0]}, \"rows\", {name});");
                _w.WriteLine($"{Destinations}.RequireRowSize({Escaped(d.Parameter)}.Columns, {output.Shape[1]}, \"columns\", {name});");
            }
        }
    }

    /// <summary>An output's trace is its destination: a span of scalars, or the rows of a tensor trace.</summary>
    private void WriteDestinationTrace(int o)
    {
        var d = DestinationOf(o)!;
        var output = _scan.Outputs[o];
        if (output.ElementType.Rank == 0)
        {
            _w.WriteLine($"global::System.Span<{output.ElementType.CSharpName}> {_traces[o]} = {DestinationSpan(d)};");
            return;
        }
        _w.WriteLine($"int {_widths[o]} = {Size(output.Shape)};");
        _w.WriteLine($"global::System.Span<{output.ElementType.ElementKeyword}> {_traceRows[o]} = {DestinationSpan(d)};");
    }

    /// <summary>An intermediate tensor's buffer: a new array, or for a destination scan one rented from ArrayPool.</summary>
    private string BufferDeclaration(Model.StepNode node) =>
        SpanDeclaration(_nodeNames[node.Id], node.Type.ElementKeyword, Size(node.Shape));

    /// <summary>
    /// A per-call span of <paramref name="length"/> elements: a new array, or for a destination scan (which allocates
    /// nothing per call) one rented from ArrayPool and returned after the loop.
    /// </summary>
    private string SpanDeclaration(string name, string element, string length)
    {
        if (!HasDestinations)
            return $"global::System.Span<{element}> {name} = new {element}[{length}];";
        var array = _names.Fresh(name + "Array");
        _rented.Add((array, element));
        return $"{element}[] {array} = global::System.Buffers.ArrayPool<{element}>.Shared.Rent({length}); " +
               $"global::System.Span<{element}> {name} = global::System.MemoryExtensions.AsSpan({array}, 0, {length});";
    }

    /// <summary>
    /// The rented buffers go back to the pool after the loop (a scan that throws leaves them to the collector, which
    /// costs an allocation on a later call, never a wrong value).
    /// </summary>
    private void WriteBufferReturns()
    {
        foreach (var (array, element) in _rented)
            _w.WriteLine($"global::System.Buffers.ArrayPool<{element}>.Shared.Return({array});");
    }

    /// <summary>A destination scan returns nothing, or the steps it ran.</summary>
    private void WriteDestinationReturn()
    {
        if (_scan.ReturnsSteps)
            _w.WriteLine($"return {_executed};");
    }

    /// <summary>
    /// Under a debugging mode: the graph runs (the interpreter, as for the allocating overload); only when it has
    /// succeeded and every trace fits its destination are the traces copied in.
    /// </summary>
    private void WriteDestinationModeResults(string results, string call)
    {
        _w.WriteLine($"var {results} = {call};");
        var traces = new List<(DestinationOutput D, string Trace)>();
        int index = 0;
        string? steps = null;
        foreach (var o in Enumerable.Range(0, _scan.Outputs.Count).Where(o => _scan.Outputs[o].SharedParameter is null))
        {
            var d = DestinationOf(o)!;
            var output = _scan.Outputs[o];
            var trace = _names.Fresh(d.Parameter + "Mode");
            var name = CSharpText.Literal(d.Parameter);
            _w.WriteLine($"var {trace} = {Runtime}.ModeResult<{TraceType(output)}>({results}[{index++}]);");
            var rows = output.ElementType.Rank switch { 0 => $"{trace}.Length", 1 => $"{trace}.Rows", _ => $"{trace}.Length" };
            _w.WriteLine($"{Destinations}.RequireRows({DestinationRows(d)}, {rows}, {name});");
            if (output.ElementType.Rank == 1)
                _w.WriteLine($"if ({rows} > 0) {Destinations}.RequireRowSize({Escaped(d.Parameter)}.Columns, {trace}.Columns, \"columns\", {name});");
            else if (output.ElementType.Rank == 2)
            {
                _w.WriteLine($"if ({rows} > 0) {Destinations}.RequireRowSize({Escaped(d.Parameter)}.Rows, {trace}.Rows, \"rows\", {name});");
                _w.WriteLine($"if ({rows} > 0) {Destinations}.RequireRowSize({Escaped(d.Parameter)}.Columns, {trace}.Columns, \"columns\", {name});");
            }
            steps ??= rows;
            traces.Add((d, trace));
        }
        foreach (var (d, trace) in traces)
            _w.WriteLine($"{Destinations}.CopyModeTrace<{d.Row.ElementKeyword}>({(d.Row.Rank == 0 ? trace : trace + ".Span")}, {DestinationSpan(d)});");
        _w.WriteLine(_scan.ReturnsSteps ? $"return {steps ?? "0"};" : "return;");
    }
}
