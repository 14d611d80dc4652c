using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>
/// Work of a step that reads the sequences but not the recurrent state (an RNN's <c>U xₜ + b</c>), computed for all
/// steps at once before the loop: each sequence tap is the block of rows the steps read, the products one matrix
/// product over all of them (X Uᵀ), elementwise ops over the block; the step then reads row t of the result. ONNX
/// Runtime runs one large product far faster than a thousand small ones (docs/onnx.md, "Layout").
/// </summary>
internal sealed class Batch
{
    private readonly Scope _outer;
    private readonly Dictionary<InputVariable, (string Source, int Row)> _taps;
    private readonly string _steps;
    private readonly System.Func<Variable, bool> _varies;
    private readonly Dictionary<Variable, bool> _batchable = new();
    private readonly Dictionary<Variable, string> _values = new();

    public Batch(Scope outer, Dictionary<InputVariable, (string, int)> taps, string steps, System.Func<Variable, bool> varies)
    {
        (_outer, _taps, _steps, _varies) = (outer, taps, steps, varies);
    }

    /// <summary>Whether <paramref name="v"/> is computed for all steps before the loop: it reads a sequence, not the state, through ops that have a form for all steps.</summary>
    public bool Hoists(ApplyVariable v) => Batchable(v);

    private bool Batchable(Variable v)
    {
        if (_batchable.TryGetValue(v, out var known)) return known;
        bool result = v switch
        {
            InputVariable input => _taps.ContainsKey(input),
            ApplyVariable a => HasForm(a) && OnnxOps.MayHoist(a) && a.Inputs.All(i => Batchable(i) || (!_varies(i) && Hoistable(i))) && a.Inputs.Any(Batchable),
            _ => false,
        };
        return _batchable[v] = result;
    }

    private static bool Hoistable(Variable v) => v is not ApplyVariable a || OnnxOps.MayHoist(a);

    private static bool HasForm(ApplyVariable a) =>
        (OpTable.Get(a.Op).IsElementwise && a.Op != Op.Fill) || a.Op == Op.Dot || a.Op == Op.Convert;

    /// <summary>The value of <paramref name="v"/> for every step, one row per step (written before the loop).</summary>
    public string All(Variable v)
    {
        if (_values.TryGetValue(v, out var known)) return known;
        var s = _outer;
        string result;
        if (v is InputVariable input)
        {
            var (source, row) = _taps[input];
            var end = s.Add("Add", [s.Add("Unsqueeze", [_steps, s.Longs(0)]), s.Longs(row)]);
            result = s.Add("Slice", [source, s.Longs(row), end, s.Longs(0)], null, null, $"{input} for every step");
        }
        else
        {
            var a = (ApplyVariable)v;
            var operands = a.Inputs.Select(i => Batchable(i) ? All(i) : s.Emit(i)).ToArray();
            result = a.Op == Op.Dot ? Dot(s, a, operands) : Elementwise(s, a, operands);
        }
        return _values[v] = result;
    }

    private string Elementwise(Scope s, ApplyVariable a, string[] operands)
    {
        // Per step the op broadcasts its operands right-aligned (a vector over a matrix's rows); with the steps in
        // front, an operand of lower rank than the result gets ones after its step axis to stay aligned.
        int rank = a.Type.Rank;
        for (int i = 0; i < operands.Length; i++)
            if (Batchable(a.Inputs[i]) && a.Inputs[i].Type.Rank < rank)
                operands[i] = s.Add("Unsqueeze", [operands[i], s.Longs(Enumerable.Range(1, rank - a.Inputs[i].Type.Rank).Select(d => (long)d).ToArray())]);
        return OnnxOps.Write(s, a, operands, forAllSteps: true);
    }

    private string Dot(Scope s, ApplyVariable a, string[] v)
    {
        var (left, right) = (a.Inputs[0].Type.Rank, a.Inputs[1].Type.Rank);
        bool l = Batchable(a.Inputs[0]), r = Batchable(a.Inputs[1]);
        string doc = $"{a.Label ?? a.Name} for every step";
        var kind = a.Type.Element;
        for (int i = 0; i < 2; i++)
            if (a.Inputs[i].Type.Element != kind) v[i] = s.Cast(v[i], kind);
        switch (left, right, l, r)
        {
            case (2, 1, false, true):
                // W xₜ for all t: X Wᵀ, one row per step.
                return s.Add("MatMul", [v[1], s.Transposed(a.Inputs[0], v[0])], null, null, doc);
            case (1, 1, true, true):
                return s.Add("ReduceSum", [s.Add("Mul", [v[0], v[1]], null, null, doc), s.Longs(1)], null, null, doc, Scope.Int("keepdims", 0));
            case (1, 1, false, true):
                return s.Add("MatMul", [v[1], v[0]], null, null, doc);
            case (2, 1, true, true):
                return s.Add("Squeeze", [s.Add("MatMul", [v[0], s.Add("Unsqueeze", [v[1], s.Longs(2)])], null, null, doc), s.Longs(2)], null, null, doc);
            case (1, 2, true, true):
                return s.Add("Squeeze", [s.Add("MatMul", [s.Add("Unsqueeze", [v[0], s.Longs(1)]), v[1]], null, null, doc), s.Longs(1)], null, null, doc);
            default:
                // Numpy's MatMul broadcasts the step axis: [T,k]·[k,n], [T,k]·[k], [m,k]·[T,k,n], [T,m,k]·[k]...
                return s.Add("MatMul", v, null, null, doc);
        }
    }
}
