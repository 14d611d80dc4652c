using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

// Fused loops: one loop over the elements per fusion group, on vectors when every op of the group has a vector form.
internal sealed partial class ScanWriter
{
    private const string Intrinsics = "global::System.Runtime.Intrinsics";

    /// <summary>The vector widths a fused loop is written for, widest first: the first the CPU accelerates runs.</summary>
    private static readonly string[] VectorWidths = { "512", "256", "128" };

    /// <summary>
    /// One loop over the elements computing the node and every elementwise node fused into it. A vector operand of
    /// a matrix-shaped loop is broadcast over its rows (index c); scalars are broadcast as they are. When every op of
    /// the loop has a vector form (<see cref="Vectorisable"/>), vector loops come first and the scalar loop does the
    /// last elements (fewer than one vector).
    /// </summary>
    private void WriteFusedLoop(StepNode node)
    {
        var name = _nodeNames[node.Id];
        string i = _names.Fresh("i");
        bool rowBroadcast = node.Type.Rank == 2 && _groups[node.Id].Operands.Any(l => _step.Nodes[l].Type.Rank == 1);
        string r = rowBroadcast ? _names.Fresh("r") : "", c = rowBroadcast ? _names.Fresh("c") : i;
        var spills = new List<string>();
        var expression = ElementExpression(node, i, c, spills);
        bool vectorised = Vectorisable(node);
        if (!rowBroadcast)
        {
            if (vectorised)
            {
                _w.WriteLine($"int {i} = 0;");
                WriteVectorLoops(node, i, i, null);
            }
            _w.WriteLine(vectorised ? $"for (; {i} < {name}.Length; {i}++)" : $"for (int {i} = 0; {i} < {name}.Length; {i}++)");
        }
        else
        {
            _w.WriteLine($"for (int {r} = 0, {i} = 0; {r} < {node.Shape[0]}; {r}++)");
            if (vectorised)
            {
                _w.WriteLine("{");
                _w.Indent++;
                _w.WriteLine($"int {c} = 0;");
                WriteVectorLoops(node, i, c, node.Shape[1].Expression);
            }
            else
                _w.Indent++;
            _w.WriteLine(vectorised ? $"for (; {c} < {node.Shape[1]}; {c}++, {i}++)" : $"for (int {c} = 0; {c} < {node.Shape[1]}; {c}++, {i}++)");
        }
        if (spills.Count > 0)
            _w.WriteLine("{");
        _w.Indent++;
        foreach (var spill in spills)
            _w.WriteLine(spill);
        _w.WriteLine($"{name}[{i}] = {expression};");
        _w.Indent--;
        if (spills.Count > 0)
            _w.WriteLine("}");
        if (rowBroadcast)
        {
            _w.Indent--;
            if (vectorised)
                _w.WriteLine("}");
        }
    }

    /// <summary>
    /// Whether a fused loop runs on vectors: the plan allows it, and every op of the loop has a vector form
    /// (<see cref="OpInfo.VectorForm"/>) on operands of the loop's element type, float or double (a conversion, or
    /// a scalar condition, keeps the loop scalar).
    /// </summary>
    private bool Vectorisable(StepNode node)
    {
        var element = node.Type.Element;
        if (!_plan.Options.Vectorise || element is not (ElementKind.Float32 or ElementKind.Float64))
            return false;
        foreach (var member in FusedNodes(node))
        {
            if (OpTable.Get(member.Op).VectorForm is null || member.Type.Element != element)
                return false;
            foreach (var input in member.Inputs.Select(id => _step.Nodes[id]))
                if (input.Type.Element != element || (member.Op == Op.Select && input.Id == member.Inputs[0] && input.Type.Rank == 0))
                    return false;
        }
        return true;
    }

    /// <summary>
    /// The vector loops of a fused loop, one per width (<c>VectorN.IsHardwareAccelerated</c> is a constant to the JIT,
    /// so one branch stays: the choice is made once). The loads read memory without bounds checks, so they run only
    /// when every operand is as long as the loop needs; otherwise the scalar loop does all (and throws where the step
    /// method would). <paramref name="columns"/>: a row-broadcast loop's row length (the loop over one row), else null.
    /// </summary>
    private void WriteVectorLoops(StepNode node, string index, string column, string? columns)
    {
        var name = _nodeNames[node.Id];
        var element = node.Type.ElementKeyword;
        var operands = _groups[node.Id].Operands.Select(id => _step.Nodes[id]).ToList();
        var tensors = operands.Where(o => o.Type.Rank > 0).ToList();
        var fits = tensors.Select(o => o.Type.Rank == 1 && columns is not null ? $"{_nodeNames[o.Id]}.Length >= {columns}" : $"{_nodeNames[o.Id]}.Length >= {name}.Length").ToList();
        if (columns is not null)
            fits.Insert(0, $"{name}.Length >= {node.Shape[0]} * {columns}");
        _w.WriteLine($"// On Vector512, Vector256 or Vector128 (the widest the CPU accelerates), then the scalar loop for the rest.");
        _w.WriteLine(fits.Count > 0 ? $"if ({string.Join(" && ", fits)})" : "{");
        if (fits.Count > 0)
            _w.WriteLine("{");
        _w.Indent++;
        var refs = new Dictionary<int, string>();
        string destination = _names.Fresh(name + "Ref");
        _w.WriteLine($"ref {element} {destination} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({name});");
        foreach (var operand in tensors)
        {
            refs[operand.Id] = _names.Fresh(_nodeNames[operand.Id].Trim('(', ')') + "Ref");
            _w.WriteLine($"ref {element} {refs[operand.Id]} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({_nodeNames[operand.Id]});");
        }
        var limit = columns ?? $"{name}.Length";
        for (int w = 0; w < VectorWidths.Length; w++)
        {
            string vectorClass = $"{Intrinsics}.Vector{VectorWidths[w]}", vectorType = $"{vectorClass}<{element}>";
            _w.WriteLine($"{(w == 0 ? "if" : "else if")} ({vectorClass}.IsHardwareAccelerated)");
            _w.WriteLine("{");
            _w.Indent++;
            // Scalars broadcast once, before the loop; constants are broadcast where they are used (the JIT folds them).
            var broadcasts = new Dictionary<int, string>();
            foreach (var scalar in operands.Where(o => o.Type.Rank == 0))
            {
                if (scalar.Op == Op.Constant)
                {
                    broadcasts[scalar.Id] = $"{vectorClass}.Create({_nodeNames[scalar.Id]})";
                    continue;
                }
                broadcasts[scalar.Id] = _names.Fresh(_nodeNames[scalar.Id] + "Vector");
                _w.WriteLine($"var {broadcasts[scalar.Id]} = {vectorClass}.Create({_nodeNames[scalar.Id]});");
            }
            var spills = new List<string>();
            var expression = VectorExpression(node, vectorClass, vectorType, index, column, broadcasts, refs, spills);
            var step = $"{vectorType}.Count";
            _w.WriteLine(columns is null
                ? $"for (; {index} <= {limit} - {step}; {index} += {step})"
                : $"for (; {column} <= {limit} - {step}; {column} += {step}, {index} += {step})");
            if (spills.Count > 0)
                _w.WriteLine("{");
            _w.Indent++;
            foreach (var spill in spills)
                _w.WriteLine(spill);
            _w.WriteLine($"{vectorClass}.StoreUnsafe({expression}, ref {destination}, (nuint){index});");
            _w.Indent--;
            if (spills.Count > 0)
                _w.WriteLine("}");
            _w.Indent--;
            _w.WriteLine("}");
        }
        _w.Indent--;
        _w.WriteLine("}");
    }

    /// <summary>
    /// The vector expression of a fused loop (as <see cref="ElementExpression"/>, on vectors): operands loaded at the
    /// loop's index (a broadcast row vector at the column), scalars broadcast; a comparison is a mask, which a Select
    /// takes as it is and any other op as 1 or 0.
    /// </summary>
    private string VectorExpression(StepNode top, string vectorClass, string vectorType, string index, string column,
        Dictionary<int, string> broadcasts, Dictionary<int, string> refs, List<string> spills)
    {
        var written = new Dictionary<int, (string Text, int Depth)>();
        var masks = new Dictionary<int, string>();
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
                    operands.Add(input.Type.Rank == 0 ? broadcasts[input.Id]
                        : $"{vectorClass}.LoadUnsafe(ref {refs[input.Id]}, (nuint){(input.Type.Rank == 1 ? column : index)})");
            }
            if (node.Op == Op.Select)
                operands[0] = masks.TryGetValue(node.Inputs[0], out var mask) ? mask : $"~{vectorClass}.Equals({operands[0]}, {vectorType}.Zero)";
            expression = OpTable.FormatVector(node.Op, vectorClass, vectorType, operands);
            if (OpTable.Get(node.Op).Category == OpCategory.Comparison)
            {
                masks[node.Id] = $"({expression})";
                expression = $"(({expression}) & {vectorType}.One)";
            }
            if (node == top)
                break;
            if (depth < MaxFusedDepth)
                written[node.Id] = ($"({expression})", depth);
            else
            {
                var local = _names.Fresh("v" + node.Id);
                spills.Add($"var {local} = {expression};");
                written[node.Id] = (local, 0);
                masks.Remove(node.Id);
            }
        }
        return expression;
    }
}
