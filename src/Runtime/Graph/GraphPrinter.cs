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
    /// time is printed by id alone, marked <c>^</c> (Theano's back-reference). Each scan's step graph follows, its
    /// results marked with <c>&lt;</c>. Indentation stops at <see cref="MaxDepth"/> levels: a node there whose inputs
    /// are not printed yet is marked <c>...</c> and continued in a section of its own, so that the text grows
    /// linearly with the graph, however deep.
    /// </summary>
    public static string DebugPrint(params Variable[] outputs)
    {
        var printer = new TreePrinter();
        foreach (var output in outputs)
            printer.Tree(output, "", "");
        int scan = 0, continued = 0;
        while (scan < printer.Scans.Count || continued < printer.Continued.Count)
        {
            printer.Text.AppendLine();
            if (continued < printer.Continued.Count)
            {
                // A continuation is printed as soon as it is known, before the scans it may lead to.
                var node = printer.Continued[continued++];
                printer.Text.AppendLine($"Inputs of {Label(node)} [id {printer.Ids[node]}]:");
                foreach (var input in node.Inputs)
                    printer.Tree(input, " ", " ");
                continue;
            }
            var s = printer.Scans[scan++];
            printer.Text.AppendLine($"Inner graph of Scan{{{s.Name}}} [id {printer.Ids[s.Outputs[0]]}]:");
            printer.Text.AppendLine($" step({string.Join(", ", s.StepInputs.Select(v => $"{v} [id {printer.Ids[v]}]"))})");
            var stepResults = s.StepOutputs.Select((o, k) => (o, $"< output {k}")).ToList();
            if (s.StepCondition is { } until) stepResults.Add((until, "< until"));
            foreach (var (result, role) in stepResults)
                printer.Tree(result, " ", " ", role);
        }
        return printer.Text.ToString();
    }

    /// <summary>How many levels <see cref="DebugPrint"/> indents before continuing a tree in a section of its own.</summary>
    private const int MaxDepth = 40;

    /// <summary>DebugPrint's state: one walk with an explicit stack, so that no graph is too deep to print.</summary>
    private sealed class TreePrinter
    {
        public readonly Ids Ids = new();
        public readonly StringBuilder Text = new();
        public readonly List<ScanNode> Scans = new();
        public readonly List<Variable> Continued = new();
        private readonly HashSet<Variable> _printed = new();
        private readonly HashSet<ScanNode> _scansSeen = new();

        public void Tree(Variable root, string first, string rest, string? role = null)
        {
            var pending = new Stack<(Variable Node, string Head, string Tail, string? Role, int Depth)>();
            pending.Push((root, first, rest, role, 0));
            while (pending.Count > 0)
            {
                var (v, head, tail, label, depth) = pending.Pop();
                bool seen = !_printed.Add(v);
                Text.Append(head).Append(Label(v)).Append(" [id ").Append(Ids[v]).Append(']');
                if (label is not null) Text.Append(' ').Append(label);
                Text.Append(' ').Append(v.Type);
                if (seen && v.Inputs.Count > 0)
                {
                    Text.AppendLine(" ^");
                    continue;
                }
                if (depth == MaxDepth && v.Inputs.Count > 0)
                {
                    Text.AppendLine(" ...");
                    Continued.Add(v);
                    continue;
                }
                Text.AppendLine();
                if (v is ScanOutputVariable s && _scansSeen.Add(s.Scan)) Scans.Add(s.Scan);
                var childPrefix = tail + " |";
                for (int i = v.Inputs.Count - 1; i >= 0; i--)
                    pending.Push((v.Inputs[i], childPrefix, childPrefix, null, depth + 1));
            }
        }
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

    /// <summary>
    /// Writes <paramref name="root"/> and what it depends on, each node once: a node's line when first reached, the
    /// edge from each input after that input's own lines (an explicit stack: no graph is too deep to draw).
    /// </summary>
    private static void Dot(Variable root, StringBuilder text, Ids ids, HashSet<Variable> done, List<ScanNode> scans, string indent)
    {
        var pending = new Stack<(Variable Node, string Indent, int Next)>();
        if (!Visit(root, indent)) return;
        while (pending.Count > 0)
        {
            var (v, at, next) = pending.Pop();
            // A scan's outer inputs are drawn outside the cluster of any step graph.
            var inputs = v is ScanOutputVariable s ? s.Scan.OuterInputs : v.Inputs;
            var inputIndent = v is ScanOutputVariable ? "  " : at;
            if (next > 0)
                text.AppendLine($"{inputIndent}{ids[inputs[next - 1]]} -> {ids[v]};");
            if (next == inputs.Count) continue;
            pending.Push((v, at, next + 1));
            Visit(inputs[next], inputIndent);
        }

        bool Visit(Variable v, string at)
        {
            if (!done.Add(v)) return false;
            string shape = v switch { InputVariable => "ellipse", ConstantVariable => "plaintext", ScanOutputVariable => "box3d", _ => "box" };
            text.AppendLine($"{at}{ids[v]} [label=\"{Escape(Label(v))}\\n{v.Type}\", shape={shape}];");
            if (v is ScanOutputVariable s && !scans.Contains(s.Scan)) scans.Add(s.Scan);
            pending.Push((v, at, 0));
            return true;
        }
    }

    /// <summary>A node's label, the one hooks and mode reports use too (<see cref="NodeInfo"/>).</summary>
    internal static string Label(Variable v) => v switch
    {
        // The op, then the node's name and source as the generated loop's comment shows them: "Tanh n5 'Math.Tanh(a)'".
        ApplyVariable a => OpTable.Get(a.Op).Name + (a.Axis >= 0 ? $"{{axis={a.Axis}}}" : "")
            + (a.Name is null ? "" : " " + a.Name) + (a.Label is null ? "" : $" '{a.Label}'"),
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
