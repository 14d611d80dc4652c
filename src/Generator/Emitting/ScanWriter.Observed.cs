using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

/// <summary>
/// Debug mode beside the generated loop. Beside the fast method the generator writes its observed twin: the same
/// loop planned with <see cref="LoopOptions.KeepEveryNodeObservable"/> (nothing fused or hoisted, every node in
/// storage of its own), handing each node's value at each step to a <c>SymGen.Scanning.GeneratedValues</c>, typed
/// and unboxed. Under Debug the fast method runs the twin first, then the interpreter on its graph, which compares
/// every node with the twin's value of it; the twin writes no shared variable and prints nothing, so a failure
/// leaves shared state as it was. The fast loop is not touched: the twin is a method of its own, called from the
/// mode check before the loop.
/// </summary>
internal sealed partial class ScanWriter
{
    private const string Values = "global::SymGen.Scanning.GeneratedValues";

    /// <summary>Whether this writer writes the observed twin (see <see cref="WriteObserved"/>), not the fast method.</summary>
    public bool Observed { get; init; }

    /// <summary>Whether the fast method's Debug route runs the observed twin (the twin is written beside it).</summary>
    public bool RunsObserved { get; init; }

    /// <summary>The twin's name: the method's, marked so that no user member is likely to take it.</summary>
    public static string ObservedName(MethodSignature signature) =>
        signature.Name.TrimStart('@') + "__SymGenObserved" + new string(signature.FileSuffix.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());

    /// <summary>The scan as its twin computes it: the same step, every node kept observable.</summary>
    public static ScanSpec ObservedScan(ScanSpec scan) =>
        scan with { Plan = LoopPlanner.Plan(scan.Step, scan.Outputs, scan.Plan.Options with { KeepEveryNodeObservable = true }) };

    private string? _observer;

    /// <summary>
    /// The observed twin: <c>private [static] R Name__SymGenObserved(parameters..., GeneratedValues observer)</c>, the
    /// forward loop with a hand-over after each node, no shared update written back, prints silenced.
    /// </summary>
    public void WriteObserved()
    {
        _observer = _names.Fresh("observer");
        _w.WriteLineNoTabs("");
        _w.WriteLine($"// Scan '{CSharpText.Comment(_scan.Name)}' for Debug mode: every node's value at every step to the observer (the interpreter");
        _w.WriteLine("// compares its own with them); no shared variable written back, no print.");
        _w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"SymGen.Generator\", \"" + typeof(ScanWriter).Assembly.GetName().Version + "\")]");
        var modifiers = _signature.Modifiers.Split(' ').Where(m => m is "static" or "unsafe").Prepend("private");
        var parameters = _signature.Parameters.Select(p => $"{Without(p.Modifiers, "params ", "this ")}{p.Type} {p.Name}")
            .Append($"{Values} {_observer}");
        _w.WriteLine($"{string.Join(" ", modifiers)} {_signature.ReturnType} {ObservedName(_signature)}({string.Join(", ", parameters)})");
        _w.WriteLine("{");
        _w.Indent++;
        if (_step.Nodes.Any(n => n.Op == Op.Print))
            _w.WriteLine($"using var {_names.Fresh("quiet")} = global::SymGen.Printing.To(global::System.IO.TextWriter.Null);");
        WriteForward();
        WriteEnd();
        _w.Indent--;
        _w.WriteLine("}");
    }

    private static string Without(string modifiers, params string[] removed) =>
        removed.Aggregate(modifiers, (m, r) => m.Replace(r, ""));

    /// <summary>In the twin, after a node is computed: its value at this step to the observer.</summary>
    private void WriteObservation(StepNode node)
    {
        if (_observer is null || !_plan.HasStorage(node.Id)) return;
        var name = _nodeNames[node.Id];
        _w.WriteLine(node.Type.Rank == 0
            ? $"{_observer}.Scalar<{node.Type.CSharpName}>({node.Id}, {_t}, {name});"
            : $"{_observer}.Tensor<{node.Type.ElementKeyword}>({node.Id}, {_t}, {name}, {Dims(node.Shape)});");
    }

    /// <summary>
    /// In the fast method's mode route: under Debug, the twin runs first (its errors are the fast path's), then the
    /// graph runs in a mode comparing with the twin's values.
    /// </summary>
    private void WriteObservedRun(string mode)
    {
        if (!RunsObserved) return;
        var observed = _names.Fresh("observed");
        var arguments = _signature.Parameters.Select(p => (p.Modifiers.Contains("ref ") ? "ref " : "") + p.Name).Append(observed);
        _w.WriteLine("// Debug: the generated loop first (every node's value at every step), then the interpreter beside it.");
        _w.WriteLine($"if ({Values}.For({mode}) is {{ }} {observed})");
        _w.WriteLine("{");
        _w.Indent++;
        _w.WriteLine($"{ObservedName(_signature)}({string.Join(", ", arguments)});");
        _w.WriteLine($"{mode} = {observed}.Mode;");
        _w.Indent--;
        _w.WriteLine("}");
    }
}
