// The shape rules of the op table, written once for the generator (whose dimensions are C# expressions known only
// per call) and the runtime (whose dimensions are numbers): generic over the dimension type. A rule checks ranks,
// reports every pair of dimensions that must agree, and returns the result's dimensions.
using System;
using System.Collections.Generic;

namespace SymGen.Graph;

/// <summary>Infers an op's result shape from its operands' shapes (rank = number of dimensions).</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
static class ShapeRules
{
    /// <summary>
    /// The result dimensions of <paramref name="op"/> on operands of <paramref name="shapes"/>, or null with a
    /// <paramref name="rankError"/> when the ranks do not fit. <paramref name="requireEqual"/> receives each pair of
    /// dimensions that must be equal, and a description of the pair for error messages.
    /// </summary>
    /// <param name="op">The op.</param>
    /// <param name="shapes">The operands' dimensions (none for a scalar).</param>
    /// <param name="axis">For reductions: -1 for all elements, 0 to reduce each column, 1 each row.</param>
    /// <param name="requireEqual">Called with each pair of dimensions that must be equal, and why.</param>
    /// <param name="rankError">Why the ranks do not fit, when the result is null.</param>
    public static TDim[]? Infer<TDim>(Op op, IReadOnlyList<TDim[]> shapes, int axis, Action<TDim, TDim, string> requireEqual, out string? rankError)
    {
        rankError = null;
        var info = OpTable.Get(op);
        if (info.IsElementwise)
            return Broadcast(info.Name, shapes, requireEqual, out rankError);
        switch (op)
        {
            case Op.Dot:
                var (a, b) = (shapes[0], shapes[1]);
                switch (a.Length, b.Length)
                {
                    case (1, 1): requireEqual(a[0], b[0], "the lengths of the two vectors"); return [];
                    case (2, 1): requireEqual(a[1], b[0], "the matrix's columns and the vector's length"); return [a[0]];
                    case (1, 2): requireEqual(a[0], b[0], "the vector's length and the matrix's rows"); return [b[1]];
                    case (2, 2): requireEqual(a[1], b[0], "the first matrix's columns and the second's rows"); return [a[0], b[1]];
                }
                rankError = $"Dot takes vectors and matrices, not operands of rank {a.Length} and {b.Length}";
                return null;
            case Op.Sum or Op.Prod or Op.Mean or Op.Max:
                var x = shapes[0];
                if (axis == -1 && x.Length >= 1) return [];
                if (x.Length == 2 && axis is 0 or 1) return [axis == 0 ? x[1] : x[0]];
                rankError = axis == -1 ? $"{info.Name} reduces a vector or a matrix, not a scalar"
                    : axis is not (0 or 1) ? $"{info.Name} of a matrix reduces axis 0 (each column) or 1 (each row), not axis {axis}"
                    : $"{info.Name} along axis {axis} needs a matrix";
                return null;
            case Op.Softmax:
                if (shapes[0].Length is 1 or 2) return shapes[0];
                rankError = "Softmax takes a vector or a matrix";
                return null;
            default:
                rankError = $"{info.Name} has no shape rule";
                return null;
        }
    }

    /// <summary>
    /// Which of two sizes that must be equal an error blames, the same in the generated code and the interpreter:
    /// returns them as (established, compared); the error names both and blames the compared one's parameter
    /// (<c>ParamName</c>). The data establishes the sizes the step works on: the sequences first, then the recurrent
    /// state (initial states and updated shared variables, in output order), then the non-sequences (the weights),
    /// in the order the scan lists them: lower <paramref name="precedence"/> first. Between two sizes of equal
    /// precedence, the rule's own order decides: the left operand (the first of the largest rank, for broadcasting)
    /// establishes, as C# evaluates. So for <c>tanh(W h + U x + b)</c>, W's columns are checked against h0 (blaming
    /// W), U's columns against xs (blaming U), U's rows and b's length against W's rows (blaming U, b); a shared
    /// state that does not fit the sequence is the state's fault. At run time an empty size against a non-empty one
    /// is blamed instead (<c>ScanArguments.RequireSameSize</c>), so <c>default</c> arguments are named.
    /// </summary>
    public static (TDim Established, TDim Compared) Blame<TDim>(TDim first, TDim second, Func<TDim, int> precedence) =>
        precedence(second) < precedence(first) ? (second, first) : (first, second);

    /// <summary>
    /// Theano-style broadcasting: scalars broadcast to anything; a vector broadcasts over the rows of a matrix (its
    /// length must equal the matrix's columns); operands of one rank must agree in every dimension.
    /// </summary>
    private static TDim[]? Broadcast<TDim>(string name, IReadOnlyList<TDim[]> shapes, Action<TDim, TDim, string> requireEqual, out string? rankError)
    {
        rankError = null;
        TDim[] result = [];
        foreach (var shape in shapes)
            if (shape.Length > result.Length) result = shape;
        if (result.Length > 2)
        {
            rankError = $"{name} works on scalars, vectors and matrices";
            return null;
        }
        foreach (var shape in shapes)
        {
            if (shape.Length == 0) continue;
            if (shape.Length == result.Length)
                for (int d = 0; d < shape.Length; d++)
                    requireEqual(result[d], shape[d], $"the {(d == 0 && shape.Length == 2 ? "rows" : shape.Length == 2 ? "columns" : "lengths")} of the operands of {name}");
            else
                requireEqual(result[1], shape[0], $"the vector's length and the matrix's columns in {name}");
        }
        return result;
    }
}
