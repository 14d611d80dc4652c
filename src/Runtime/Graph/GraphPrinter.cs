using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SymGen.Graph;

/// <summary>
/// Shows graphs to people: <see cref="DebugPrint"/> writes an indented tree in the spirit of Theano's
/// <c>debugprint</c>; <see cref="ToDot"/> writes Graphviz DOT, each scan's step graph a cluster of its own.
/// </summary>
public static class GraphPrinter
{
    /// <summary>
    /// An indented tree of <paramref name="outputs"/>: each node's op, a short id, its type; a node reached a second
    /// time is printed by id alone. Each scan's step graph follows, its results marked with <c>&lt;</c>.
    /// </summary>
    public static string DebugPrint(params Variable[] outputs)
    {
        var ids = new Ids();
        var text = new StringBuilder();
        var printed = new HashSet<Variable>();
        var scans = new List<ScanNode>();
        foreach (var output in outputs)
            Tree(output, "", "", text, ids, printed, scans);
        for (int i = 0; i < scans.Count; i++)
        {
            var scan = scans[i];
            text.AppendLine();
            text.AppendLine($"Inner graph of Scan{{{scan.Name}}} [id {ids[scan.Outputs[0]]}]:");
            text.AppendLine($" step({string.Join(", ", scan.StepInputs.Select(v => $"{v} [id {ids[v]}]"))})");
            var stepResults = scan.StepOutputs.Select((o, k) => (o, $"< output {k}")).ToList();
            if (scan.StepCondition is { } until) stepResults.Add((until, "< until"));
            foreach (var (result, role) in stepResults)
                Tree(result, " ", " ", text, ids, printed, scans, role);
        }
        return text.ToString();
    }

    private static void Tree(Variable v, string first, string rest, StringBuilder text, Ids ids, HashSet<Variable> printed, List<ScanNode> scans, string? role = null)
    {
        bool seen = !printed.Add(v);
        text.Append(first).Append(Label(v)).Append(" [id ").Append(ids[v]).Append(']');
        if (role is not null) text.Append(' ').Append(role);
        text.Append(' ').Append(v.Type);
        if (seen && v.Inputs.Count > 0)
        {
            text.AppendLine(" ^");
            return;
        }
        text.AppendLine();
        if (v is ScanOutputVariable s && !scans.Contains(s.Scan)) scans.Add(s.Scan);
        foreach (var input in v.Inputs)
            Tree(input, rest + " |", rest + " |", text, ids, printed, scans);
    }

    /// <summary>The graph of <paramref name="outputs"/> as Graphviz DOT (render with <c>dot -Tpng</c> or <c>-Tsvg</c>).</summary>
    public static string ToDot(params Variable[] outputs)
    {
        var ids = new Ids();
        var text = new StringBuilder();
        text.AppendLine("digraph SymGen {");
        text.AppendLine("  rankdir=BT;");
        text.AppendLine("  node [fontname=\"Helvetica\", fontsize=10];");
        var done = new HashSet<Variable>();
        var scans = new List<ScanNode>();
        foreach (var output in outputs)
            Dot(output, text, ids, done, scans, "  ");
        for (int i = 0; i < scans.Count; i++)
        {
            var scan = scans[i];
            text.AppendLine($"  subgraph cluster_{ids[scan.Outputs[0]]} {{");
            text.AppendLine($"    label=\"step of Scan{{{Escape(scan.Name)}}}\"; style=rounded; color=gray50;");
            var inner = scan.StepOutputs.Concat(scan.StepCondition is null ? [] : [scan.StepCondition]);
            foreach (var input in scan.StepInputs)
                Dot(input, text, ids, done, scans, "    ");
            foreach (var result in inner)
                Dot(result, text, ids, done, scans, "    ");
            text.AppendLine("  }");
            // Which outer value feeds each step parameter: a sequence's rows, an initial state, a non-sequence.
            int p = 0;
            foreach (var sequence in scan.Sequences)
                foreach (var tap in sequence.Taps)
                    text.AppendLine($"  {ids[sequence.Source]} -> {ids[scan.StepInputs[p++]]} [style=dotted, label=\"t{(tap == 0 ? "" : tap.ToString("+0;-0", CultureInfo.InvariantCulture))}\"];");
            for (int k = 0; k < scan.OutputInfo.Count; k++)
                foreach (var tap in scan.OutputInfo[k].Taps)
                    text.AppendLine($"  {ids[scan.OutputInfo[k].Initial!]} -> {ids[scan.StepInputs[p++]]} [style=dotted, label=\"initial\"];");
            foreach (var nonSequence in scan.NonSequences)
                text.AppendLine($"  {ids[nonSequence]} -> {ids[scan.StepInputs[p++]]} [style=dotted];");
            for (int k = 0; k < scan.Outputs.Count; k++)
                text.AppendLine($"  {ids[scan.StepOutputs[k]]} -> {ids[scan.Outputs[k]]} [style=dashed, label=\"trace\"];");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static void Dot(Variable v, StringBuilder text, Ids ids, HashSet<Variable> done, List<ScanNode> scans, string indent)
    {
        if (!done.Add(v)) return;
        string shape = v switch { InputVariable => "ellipse", ConstantVariable => "plaintext", ScanOutputVariable => "box3d", _ => "box" };
        text.AppendLine($"{indent}{ids[v]} [label=\"{Escape(Label(v))}\\n{v.Type}\", shape={shape}];");
        if (v is ScanOutputVariable s)
        {
            if (!scans.Contains(s.Scan)) scans.Add(s.Scan);
            foreach (var input in s.Scan.OuterInputs)
            {
                Dot(input, text, ids, done, scans, "  ");
                text.AppendLine($"  {ids[input]} -> {ids[v]};");
            }
            return;
        }
        foreach (var input in v.Inputs)
        {
            Dot(input, text, ids, done, scans, indent);
            text.AppendLine($"{indent}{ids[input]} -> {ids[v]};");
        }
    }

    private static string Label(Variable v) => v switch
    {
        ApplyVariable a => OpTable.Get(a.Op).Name + (a.Axis >= 0 ? $"{{axis={a.Axis}}}" : ""),
        ScanOutputVariable s => $"Scan{{{s.Scan.Name}}}.{s.Index}" + (s.Name is null ? "" : $" '{s.Name}'"),
        ConstantVariable c => c.ToString(),
        _ => v.ToString(),
    };

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>Short ids in order of first appearance: A, B, ..., Z, AA, AB, ...</summary>
    private sealed class Ids
    {
        private readonly Dictionary<Variable, string> _ids = new();

        public string this[Variable v]
        {
            get
            {
                if (_ids.TryGetValue(v, out var id)) return id;
                int n = _ids.Count;
                var name = new StringBuilder();
                do { name.Insert(0, (char)('A' + n % 26)); n = n / 26 - 1; } while (n >= 0);
                return _ids[v] = name.ToString();
            }
        }
    }
}
