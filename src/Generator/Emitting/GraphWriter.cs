using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

/// <summary>
/// Writes, beside a scan's method, a static property holding its symbolic graph: the scan built with the runtime's
/// graph API (<c>SymGen.Graph.Tensor</c>) from the same step graph the loop was written from, as a function of the
/// method's parameters. It is built on first use, without reflection, and serves printing, drawing and the
/// interpreter.
/// </summary>
internal static class GraphWriter
{
    private const string Api = "global::SymGen.Graph";


    public static string PropertyName(MethodSignature signature) => signature.Name.TrimStart('@') + "Graph" + Sanitize(signature.FileSuffix);

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());

    /// <summary>
    /// The names the graph's members start from: the property, its field and its builder. A user member that takes
    /// one of the private names pushes ours aside (<see cref="NameScope"/>); one named like the property keeps its
    /// name, and the scan gets no graph property (SYMG0030).
    /// </summary>
    public static string[] MemberNames(MethodSignature signature)
    {
        var property = PropertyName(signature);
        return [property, "s_" + property, "Build" + property];
    }

    /// <summary>Whether the scan gets its graph property: no member of the type (its own or inherited) takes the name.</summary>
    public static bool HasProperty(MethodSignature signature, IReadOnlyList<string> takenMembers) => !takenMembers.Contains(PropertyName(signature));

    public static void Write(IndentedTextWriter w, MethodSignature signature, ScanSpec scan, IReadOnlyList<string> takenMembers)
    {
        var property = PropertyName(signature);
        if (!HasProperty(signature, takenMembers))
            return;
        var members = new NameScope(takenMembers);
        string field = members.Fresh("s_" + property), build = members.Fresh("Build" + property);
        string access = signature.Modifiers.Split(' ').FirstOrDefault(m => m is "public" or "internal" or "private" or "protected") ?? "private";
        w.WriteLineNoTabs("");
        w.WriteLine($"/// <summary>");
        w.WriteLine($"/// The symbolic graph of scan '{CSharpText.XmlDoc(scan.Name)}': a function of the method's parameters whose outputs are its traces.");
        w.WriteLine($"/// Print it with <c>DebugPrint()</c>, draw it with <c>ToDot()</c>, evaluate it with the interpreter with <c>Invoke(...)</c>.");
        w.WriteLine($"/// </summary>");
        w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"SymGen.Generator\", \"" + typeof(GraphWriter).Assembly.GetName().Version + "\")]");
        // Built on first use, once whichever threads ask first (under a lock); no field initializer, so that the
        // user's static initializers may use it in any order.
        w.WriteLine($"{access} static {Api}.Function {property} => global::System.Threading.LazyInitializer.EnsureInitialized(ref {field}, ref {field}Lock, {build});");
        w.WriteLineNoTabs("");
        w.WriteLine($"private static {Api}.Function? {field};");
        w.WriteLineNoTabs("");
        w.WriteLine($"private static object? {field}Lock;");
        w.WriteLineNoTabs("");
        w.WriteLine($"private static {Api}.Function {build}()");
        w.WriteLine("{");
        w.Indent++;

        var names = new NameScope(new string[0]);
        var inputs = new Dictionary<string, string>();
        foreach (var parameter in signature.Parameters)
        {
            var raw = parameter.Name.TrimStart('@');
            if (InputType(scan, raw) is not { } type) continue;
            inputs[raw] = names.Fresh(raw);
            bool shared = scan.Outputs.Any(o => o.SharedParameter == raw) || scan.NonSequences.Any(n => n.SharedParameter == raw);
            w.WriteLine($"var {inputs[raw]} = {Api}.Tensor.{(shared ? "SharedInput" : "Input")}({CSharpText.Literal(raw)}, new {Api}.TensorType({Api}.ElementKind.{Kind(type)}, {type.Rank}));");
        }

        var step = scan.Step;
        string argument = names.Fresh("step"), outputs = names.Fresh("outputs");
        var nodes = new string[step.Nodes.Count];
        w.WriteLine($"var {outputs} = {Api}.Tensor.Scan({argument} =>");
        w.WriteLine("{");
        w.Indent++;
        foreach (var node in step.Nodes)
        {
            if (!scan.Plan.Nodes[node.Id].Live) continue;
            nodes[node.Id] = node.Op == Op.Input ? $"{argument}[{node.Argument}]" : names.Fresh("n" + node.Id);
            if (node.Op == Op.Input) continue;
            var operands = string.Join(", ", node.Inputs.Select(i => nodes[i]));
            var expression = node.Op switch
            {
                Op.Constant => $"{Api}.Tensor.Constant({node.Literal})",
                Op.Convert => $"{Api}.Tensor.Convert({operands}, {Api}.ElementKind.{Kind(node.Type)})",
                Op.Print => $"{Api}.Tensor.Print({operands}, {CSharpText.Literal(node.Literal ?? "")}, \"n{node.Id}\", {CSharpText.Literal(node.Label)})",
                // Named and labelled as the loop's comment shows the node (n5 = Sym.Dot(W, h)).
                _ => $"{Api}.Tensor.Apply({Api}.Op.{node.Op}, {node.Axis}, \"n{node.Id}\", {CSharpText.Literal(node.Label)}, {operands})",
            };
            w.WriteLine(node.Op == Op.Constant || node.Op == Op.Convert
                ? $"var {nodes[node.Id]} = {expression}; // {CSharpText.Comment(node.Label)}"
                : $"var {nodes[node.Id]} = {expression};");
        }
        var results = string.Join(", ", step.Results.Select(r => nodes[r]));
        w.WriteLine(step.Condition >= 0
            ? $"return {Api}.ScanStep.Stop({nodes[step.Condition]}, {results});"
            : $"return {Api}.ScanStep.Of({results});");
        w.Indent--;
        w.WriteLine("},");
        w.Indent++;
        w.WriteLine($"sequences: new {Api}.ScanSequence[] {{ {string.Join(", ", scan.Sequences.Select(s => $"new({inputs[s.Parameter]}, new[] {{ {string.Join(", ", s.Taps)} }})"))} }},");
        w.WriteLine($"outputs: new {Api}.ScanOutputInfo[] {{ {string.Join(", ", scan.ReturnedOutputs.Select(o => o.IsRecurrent
            ? $"new({inputs[o.InitialParameter!]}, new[] {{ {string.Join(", ", o.Taps)} }}, {(o.InitialContainer != ContainerKind.Single ? "true" : "false")})"
            : $"{Api}.ScanOutputInfo.Map"))} }},");
        w.WriteLine($"nonSequences: new {Api}.Variable[] {{ {string.Join(", ", scan.NonSequences.Select(n => inputs[n.SharedParameter ?? n.Parameter]))} }},");
        if (scan.Outputs.Any(o => o.SharedParameter is not null))
            w.WriteLine($"updates: new {Api}.InputVariable[] {{ {string.Join(", ", scan.Outputs.Where(o => o.SharedParameter is not null).Select(o => inputs[o.SharedParameter!]))} }},");
        w.WriteLine($"steps: {(scan.Steps is { } s ? inputs[s.Parameter] : "null")},");
        w.WriteLine($"goBackwards: {(scan.GoBackwards ? "true" : "false")},");
        w.WriteLine($"truncateGradient: {scan.TruncateGradient},");
        w.WriteLine($"name: {CSharpText.Literal(scan.Name)},");
        w.WriteLine($"outputNames: new string?[] {{ {string.Join(", ", scan.Outputs.Select(o => CSharpText.Literal(o.Name)))} }},");
        w.WriteLine($"stepInputNames: new[] {{ {string.Join(", ", step.Arguments.Select(a => CSharpText.Literal(a.Name)))} }});");
        w.Indent--;
        w.WriteLine(scan.Outputs.Any(o => o.SharedParameter is not null)
            ? $"return {Api}.Tensor.Function(new[] {{ {string.Join(", ", inputs.Values)} }}, {outputs}, {outputs}.Node);"
            : $"return {Api}.Tensor.Function(new[] {{ {string.Join(", ", inputs.Values)} }}, {outputs});");
        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>The graph type of a scan parameter, by its role.</summary>
    private static TypeRef? InputType(ScanSpec scan, string parameter)
    {
        if (scan.Sequences.FirstOrDefault(s => s.Parameter == parameter) is { } sequence)
            return sequence.ElementType with { Rank = sequence.ElementType.Rank + 1 };
        if (scan.Outputs.FirstOrDefault(o => o.InitialParameter == parameter) is { } output)
            return output.InitialContainer == ContainerKind.Single ? output.ElementType : output.ElementType with { Rank = output.ElementType.Rank + 1 };
        if (scan.NonSequences.FirstOrDefault(n => (n.SharedParameter ?? n.Parameter) == parameter) is { } nonSequence)
            return nonSequence.Type;
        if (scan.Outputs.FirstOrDefault(o => o.SharedParameter == parameter) is { } update)
            return update.ElementType;
        if (scan.Steps is { } steps && steps.Parameter == parameter)
            return steps.Type;
        return null;
    }

    private static string Kind(TypeRef type) => type.Element.ToString();
}
