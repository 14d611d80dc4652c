using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>A dimension of a value: axis <see cref="Axis"/> of the outer value <see cref="Of"/>.</summary>
internal sealed record Dim(Variable Of, int Axis);

/// <summary>
/// The model's named dimensions. Every size in a step graph is one of its inputs' sizes (the op table's shape rules
/// only copy and compare them), so each step value's dimensions are axes of outer values; the sizes the rules
/// require equal are one name (W.Rows = b.Length = h0.Length is "h0.Length"), as Netron and ONNX's checker read them.
/// </summary>
internal sealed class DimNames
{
    private static readonly string[][] Members = [[], ["Length"], ["Rows", "Columns"], ["Length", "Rows", "Columns"]];
    private readonly Dictionary<Dim, Dim> _parent = new();
    private readonly HashSet<InputVariable> _inputs;
    private readonly Dictionary<ScanNode, Dictionary<Variable, Dim[]>> _stepDims = new();

    public DimNames(Function function) => _inputs = function.Inputs.ToHashSet();

    private Dim Find(Dim d)
    {
        while (_parent.TryGetValue(d, out var p) && p != d) d = p;
        return d;
    }

    private void Union(Dim a, Dim b)
    {
        if (!_inputs.Contains(a.Of as InputVariable ?? null!) || !_inputs.Contains(b.Of as InputVariable ?? null!)) return;
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb) return;
        // The earlier input names the class (the sequences and initial states come first).
        if (Order(rb) < Order(ra)) (ra, rb) = (rb, ra);
        _parent[rb] = ra;
    }

    private int Order(Dim d) => _inputs.ToList().IndexOf((InputVariable)d.Of) * 4 + d.Axis;

    private string NameOf(Dim d)
    {
        var r = Find(d);
        var members = Members[System.Math.Min(r.Of.Type.Rank, 3)];
        return $"{r.Of}.{(r.Axis < members.Length ? members[r.Axis] : $"Dimension{r.Axis}")}";
    }

    /// <summary>A function input's dimension names.</summary>
    public string?[] Of(InputVariable input) => Enumerable.Range(0, input.Type.Rank).Select(a => (string?)NameOf(new Dim(input, a))).ToArray();

    /// <summary>A function output's dimension names: a trace's steps, then its rows' sizes where they are inputs' sizes.</summary>
    public string?[] OfTopLevel(Variable output)
    {
        if (output is ScanOutputVariable o && _stepDims.TryGetValue(o.Scan, out var dims) && dims.TryGetValue(o.Scan.StepOutputs[o.Index], out var row))
            return [$"{o.Scan.Name}.steps", .. row.Select(d => _inputs.Contains(d.Of as InputVariable ?? null!) ? NameOf(d) : null)];
        return new string?[output.Type.Rank];
    }

    /// <summary>The dimensions of a step value of <paramref name="scan"/>, as axes of the scan's outer values.</summary>
    public Dim[]? StepDims(ScanNode scan, Variable stepValue) =>
        _stepDims.TryGetValue(scan, out var dims) && dims.TryGetValue(stepValue, out var d) ? d : null;

    /// <summary>Works out the dimensions of every value of <paramref name="scan"/>'s step, and the sizes it requires equal.</summary>
    public void Analyse(ScanNode scan)
    {
        if (_stepDims.ContainsKey(scan)) return;
        var dims = new Dictionary<Variable, Dim[]>();
        _stepDims[scan] = dims;
        int k = 0;
        foreach (var s in scan.Sequences)
            foreach (var _ in s.Taps)
                dims[scan.StepInputs[k++]] = Axes(s.Source, 1);
        foreach (var o in scan.OutputInfo.Where(o => o.Initial is not null))
            foreach (var _ in o.Taps)
                dims[scan.StepInputs[k++]] = Axes(o.Initial!, o.IsRows ? 1 : 0);
        foreach (var n in scan.NonSequences)
            dims[scan.StepInputs[k++]] = Axes(n, 0);
        var outputs = scan.StepOutputs.Append(scan.StepCondition).OfType<Variable>().ToList();
        foreach (var output in outputs) Walk(output, dims);
        for (int i = 0; i < scan.OutputInfo.Count; i++)
            if (scan.OutputInfo[i] is { Initial: { } initial } info && dims.TryGetValue(scan.StepOutputs[i], out var step))
            {
                var state = Axes(initial, info.IsRows ? 1 : 0);
                for (int a = 0; a < System.Math.Min(state.Length, step.Length); a++) Union(state[a], step[a]);
            }
    }

    private static Dim[] Axes(Variable v, int skip) => Enumerable.Range(skip, System.Math.Max(0, v.Type.Rank - skip)).Select(a => new Dim(v, a)).ToArray();

    private Dim[] Walk(Variable v, Dictionary<Variable, Dim[]> dims)
    {
        if (dims.TryGetValue(v, out var known)) return known;
        Dim[] result;
        switch (v)
        {
            case ApplyVariable a when a.Op != Op.Convert:
                var operands = a.Inputs.Select(i => Walk(i, dims)).ToList();
                result = ShapeRules.Infer(a.Op, operands, a.Axis, (x, y, _) => Union(x, y), out _) ?? Axes(v, 0);
                break;
            case ApplyVariable a:
                result = Walk(a.Inputs[0], dims);
                break;
            default:
                // Constants are scalars; an inner scan's values, or an outer value, measure themselves.
                result = Axes(v, 0);
                break;
        }
        return dims[v] = result;
    }
}
