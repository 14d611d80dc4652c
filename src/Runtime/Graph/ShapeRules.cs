// The type and shape rules of the op table, written once for the generator (whose dimensions are C# expressions known
// only per call) and the runtime (whose dimensions are numbers): generic over the dimension type. A shape rule checks
// ranks, reports every pair of dimensions that must agree, and returns the result's dimensions; a type rule gives the
// result's element kind. Each op's row names its rules (OpInfo.Type, OpInfo.Shape).
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
        if (shapes.Count != info.Arity)
        {
            rankError = $"{info.Name} takes {info.Arity} operand(s), not {shapes.Count}";
            return null;
        }
        switch (info.Shape)
        {
            case ShapeRule.Elementwise:
                return Broadcast(info.Name, shapes, requireEqual, out rankError);
            case ShapeRule.Contraction:
                var (a, b) = (shapes[0], shapes[1]);
                switch (a.Length, b.Length)
                {
                    case (1, 1): requireEqual(a[0], b[0], "the lengths of the two vectors"); return [];
                    case (2, 1): requireEqual(a[1], b[0], "the matrix's columns and the vector's length"); return [a[0]];
                    case (1, 2): requireEqual(a[0], b[0], "the vector's length and the matrix's rows"); return [b[1]];
                    case (2, 2): requireEqual(a[1], b[0], "the first matrix's columns and the second's rows"); return [a[0], b[1]];
                }
                rankError = $"{info.Name} takes vectors and matrices, not operands of rank {a.Length} and {b.Length}";
                return null;
            case ShapeRule.Reduction:
                var x = shapes[0];
                if (axis == -1 && x.Length is 1 or 2) return [];
                if (x.Length == 2 && axis is 0 or 1) return [axis == 0 ? x[1] : x[0]];
                rankError = axis == -1 ? $"{info.Name} reduces a vector or a matrix, not {RankName(x.Length)}"
                    : axis is not (0 or 1) ? $"{info.Name} of a matrix reduces axis 0 (each column) or 1 (each row), not axis {axis}"
                    : $"{info.Name} along axis {axis} needs a matrix";
                return null;
            case ShapeRule.RowWise:
                if (shapes[0].Length is 1 or 2) return shapes[0];
                rankError = $"{info.Name} takes a vector or a matrix, not {RankName(shapes[0].Length)}";
                return null;
            case ShapeRule.Transpose:
                if (shapes[0].Length == 2) return [shapes[0][1], shapes[0][0]];
                rankError = $"{info.Name} takes a matrix, not {RankName(shapes[0].Length)}";
                return null;
            case ShapeRule.Outer:
                if (shapes[0].Length == 1 && shapes[1].Length == 1) return [shapes[0][0], shapes[1][0]];
                rankError = $"{info.Name} takes two vectors, not operands of rank {shapes[0].Length} and {shapes[1].Length}";
                return null;
            case ShapeRule.Diagonal or ShapeRule.SquareToScalar:
                if (shapes[0].Length != 2)
                {
                    rankError = $"{info.Name} takes a square matrix, not {RankName(shapes[0].Length)}";
                    return null;
                }
                requireEqual(shapes[0][0], shapes[0][1], "the rows and the columns of a square matrix");
                return info.Shape == ShapeRule.Diagonal ? [shapes[0][0]] : [];
            case ShapeRule.Index:
                if (shapes[0].Length is 1 or 2 && shapes[1].Length == 0)
                {
                    var row = new TDim[shapes[0].Length - 1];
                    Array.Copy(shapes[0], 1, row, 0, row.Length);
                    return row;
                }
                rankError = shapes[1].Length != 0 ? "an index is a scalar int or long"
                    : $"an index picks an element of a vector or a row of a matrix, not of {RankName(shapes[0].Length)}";
                return null;
            case ShapeRule.SetIndex:
                if (shapes[0].Length is 1 or 2 && shapes[2].Length == 0 && shapes[1].Length == shapes[0].Length - 1)
                {
                    if (shapes[0].Length == 2) requireEqual(shapes[0][1], shapes[1][0], "the row's length and the matrix's columns");
                    return shapes[0];
                }
                rankError = shapes[2].Length != 0 ? "an index is a scalar int or long"
                    : shapes[0].Length is not (1 or 2) ? $"{info.Name} replaces an element of a vector or a row of a matrix, not of {RankName(shapes[0].Length)}"
                    : $"{info.Name} of {RankName(shapes[0].Length)} places {(shapes[0].Length == 1 ? "a scalar" : "a vector")}, not {RankName(shapes[1].Length)}";
                return null;
            case ShapeRule.SetDiagonal:
                if (shapes[0].Length == 2 && shapes[1].Length == 1)
                {
                    requireEqual(shapes[0][0], shapes[0][1], "the rows and the columns of a square matrix");
                    requireEqual(shapes[0][0], shapes[1][0], "the diagonal's length and the matrix's rows");
                    return shapes[0];
                }
                rankError = $"{info.Name} takes a square matrix and a vector, not operands of rank {shapes[0].Length} and {shapes[1].Length}";
                return null;
            case ShapeRule.Same:
                return shapes[0];
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

    /// <summary>"a scalar", "a vector", "a matrix", "a tensor of rank 3".</summary>
    public static string RankName(int rank) => rank switch
    {
        0 => "a scalar",
        1 => "a vector",
        2 => "a matrix",
        _ => $"a tensor of rank {rank}",
    };

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

/// <summary>Infers an op's result element kind from its operands' kinds, with C#'s rules (the op's <see cref="TypeRule"/>).</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
static class TypeRules
{
    /// <summary>
    /// The element kind of <paramref name="op"/>'s result of rank <paramref name="resultRank"/> on operands of
    /// <paramref name="kinds"/>, or null with an <paramref name="error"/> when the kinds do not fit.
    /// </summary>
    public static ElementKind? Infer(Op op, IReadOnlyList<ElementKind> kinds, int resultRank, out string? error)
    {
        error = null;
        var info = OpTable.Get(op);
        bool anyBool = false, allBool = kinds.Count > 0;
        var promoted = ElementKind.Int32;
        for (int i = info.Type == TypeRule.Branches ? 1 : 0; i < kinds.Count; i++)
        {
            if (kinds[i] == ElementKind.Bool) anyBool = true; else allBool = false;
            if (kinds[i] != ElementKind.Bool) promoted = ElementKinds.Promote(promoted, kinds[i]);
        }
        switch (info.Type)
        {
            case TypeRule.Logical:
                if (allBool) return ElementKind.Bool;
                if (!anyBool && ElementKinds.IsInteger(promoted)) return promoted;
                error = $"{info.Name} takes bools or integers";
                return null;
            case TypeRule.Comparison when !anyBool:
                return resultRank == 0 ? ElementKind.Bool : promoted;
            case TypeRule.Comparison when info.Op is Op.Equal or Op.NotEqual && allBool && resultRank == 0:
                return ElementKind.Bool;
            case TypeRule.FirstOperand:
                return kinds[0];
            case TypeRule.Indexing:
                if (!ElementKinds.IsInteger(kinds[kinds.Count - 1]))
                    error = $"an index is an int or a long, not a {ElementKinds.Keyword(kinds[kinds.Count - 1])}";
                else if (kinds.Count == 3 && kinds[1] != kinds[0])
                    error = $"the value placed is of the {ElementKinds.Keyword(kinds[0])} elements' type, not a {ElementKinds.Keyword(kinds[1])}";
                else
                    return kinds[0];
                return null;
            case TypeRule.Branches when kinds[0] == ElementKind.Bool || resultRank > 0:
                if (allBool) return ElementKind.Bool;
                if (!anyBool) return promoted;
                break;
            case TypeRule.IndexOrOperand when !anyBool:
                return resultRank == 0 ? ElementKind.Int32 : promoted;
            case TypeRule.Promote when !anyBool:
                return promoted;
            case TypeRule.MathPromote when !anyBool:
                return ElementKinds.IsInteger(promoted) ? ElementKind.Float64 : promoted;
        }
        error = info.Type == TypeRule.Branches && kinds[0] != ElementKind.Bool
            ? "the condition of a scalar Select is a bool"
            : $"{info.Name} takes numbers, not bools";
        return null;
    }
}
