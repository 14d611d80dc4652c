using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>
/// The shape and type layer, walked from the op table: for every op, every combination of operand ranks 0..2 (and
/// axis) against the documented rule of its row's family (the summaries of <see cref="ShapeRule"/> and
/// <see cref="TypeRule"/>), written here again: accepted or not, the result's dimensions, and every pair of sizes
/// that must agree.
/// </summary>
public class OpShapeTableTests
{
    /// <summary>The applications this layer checks, for the completeness test: those the documented rule accepts.</summary>
    public static IReadOnlyList<OpApplication> Cases =>
        OpTableWalk.Computing.SelectMany(row => AllApplications(row).Where(a => Documented(a, Slots(a.Ranks)) is not null)).ToList();

    private static IEnumerable<OpApplication> AllApplications(OpInfo row) =>
        OpTableWalk.RankTuples(row.Arity).SelectMany(ranks => (row.HasAxis ? new[] { -1, 0, 1 } : [-1]).Select(axis => new OpApplication(row, ranks, axis)));

    [Fact]
    public void EveryOpShapesEveryRankAsItsFamilyIsDocumented()
    {
        var failures = new List<string>();
        foreach (var application in OpTableWalk.Computing.SelectMany(AllApplications))
        {
            var dims = Slots(application.Ranks);
            var pairs = new HashSet<(int, int)>();
            var shape = ShapeRules.Infer<int>(application.Row.Op, dims, application.Axis, (a, b, _) => { if (a != b) pairs.Add(Ordered(a, b)); }, out var rankError);
            var documented = Documented(application, dims);
            string Show(int[]? s) => s is null ? "rejected" : $"({string.Join(", ", s)})";
            if (documented is null != shape is null || documented is not null && !documented.Value.Shape.SequenceEqual(shape!))
                failures.Add($"{application}: {Show(shape)} {rankError}, documented {Show(documented?.Shape)}");
            else if (documented is not null && !documented.Value.Pairs.SetEquals(pairs))
                failures.Add($"{application}: requires [{string.Join(", ", pairs)}], documented [{string.Join(", ", documented.Value.Pairs)}]");
            else if (shape is null && string.IsNullOrEmpty(rankError))
                failures.Add($"{application}: rejected without saying why");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryOpTypesEveryKindAsItsFamilyIsDocumented()
    {
        ElementKind[] kinds = [ElementKind.Bool, ElementKind.Int32, ElementKind.Int64, ElementKind.Float32, ElementKind.Float64];
        var failures = new List<string>();
        foreach (var row in OpTableWalk.Computing.Where(r => r.Type != TypeRule.Target))
            foreach (var operands in Enumerable.Range(0, (int)Math.Pow(kinds.Length, row.Arity))
                         .Select(n => Enumerable.Range(0, row.Arity).Select(i => kinds[n / (int)Math.Pow(kinds.Length, i) % kinds.Length]).ToArray()))
                foreach (var rank in new[] { 0, 1 })
                {
                    var kind = TypeRules.Infer(row.Op, operands, rank, out var error);
                    var documented = DocumentedType(row, operands, rank);
                    if (kind != documented || kind is null && string.IsNullOrEmpty(error))
                        failures.Add($"{row.Name}({string.Join(", ", operands)}) of rank {rank}: {kind?.ToString() ?? "rejected: " + error}, documented {documented?.ToString() ?? "rejected"}");
                }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // ---- The documented rules ---------------------------------------------------------------------------------

    /// <summary>Dimensions all different (2, 3, 4, ...), so that each required pair names its two dimensions.</summary>
    private static int[][] Slots(int[] ranks)
    {
        int next = 2;
        return ranks.Select(r => Enumerable.Range(0, r).Select(_ => next++).ToArray()).ToArray();
    }

    private static (int, int) Ordered(int a, int b) => a < b ? (a, b) : (b, a);

    private static (int[] Shape, HashSet<(int, int)> Pairs)? Documented(OpApplication application, int[][] x)
    {
        var pairs = new HashSet<(int, int)>();
        (int[], HashSet<(int, int)>) Result(int[] shape, params (int, int)[] required)
        {
            foreach (var (a, b) in required) pairs.Add(Ordered(a, b));
            return (shape, pairs);
        }
        int[] ranks = application.Ranks;
        int axis = application.Axis;
        switch (application.Row.Shape)
        {
            case ShapeRule.Elementwise when axis == -1:
                // Scalars broadcast to anything; a vector over a matrix's rows (its length, the columns); equal ranks agree everywhere.
                var result = x.First(s => s.Length == ranks.Max());
                foreach (var s in x)
                    if (s.Length == result.Length) for (int d = 0; d < s.Length; d++) pairs.Add(Ordered(result[d], s[d]));
                    else if (s.Length == 1) pairs.Add(Ordered(result[1], s[0]));
                pairs.RemoveWhere(p => p.Item1 == p.Item2);
                return (result, pairs);
            case ShapeRule.Contraction when axis == -1:
                return (ranks[0], ranks[1]) switch
                {
                    (1, 1) => Result([], (x[0][0], x[1][0])),
                    (2, 1) => Result([x[0][0]], (x[0][1], x[1][0])),
                    (1, 2) => Result([x[1][1]], (x[0][0], x[1][0])),
                    (2, 2) => Result([x[0][0], x[1][1]], (x[0][1], x[1][0])),
                    _ => null,
                };
            case ShapeRule.Reduction:
                return (ranks[0], axis) switch
                {
                    (1 or 2, -1) => Result([]),
                    (2, 0) => Result([x[0][1]]),
                    (2, 1) => Result([x[0][0]]),
                    _ => null,
                };
            case ShapeRule.RowWise when axis == -1 && ranks[0] is 1 or 2:
                return Result(x[0]);
            case ShapeRule.Transpose when axis == -1 && ranks[0] == 2:
                return Result([x[0][1], x[0][0]]);
            case ShapeRule.Outer when axis == -1 && ranks is [1, 1]:
                return Result([x[0][0], x[1][0]]);
            case ShapeRule.Diagonal when axis == -1 && ranks[0] == 2:
                return Result([x[0][0]], (x[0][0], x[0][1]));
            case ShapeRule.SquareToScalar when axis == -1 && ranks[0] == 2:
                return Result([], (x[0][0], x[0][1]));
            case ShapeRule.Index when axis == -1 && ranks is [1 or 2, 0]:
                return Result(x[0][1..]);
            case ShapeRule.SetIndex when axis == -1 && ranks is [1, 0, 0]:
                return Result(x[0]);
            case ShapeRule.SetIndex when axis == -1 && ranks is [2, 1, 0]:
                return Result(x[0], (x[0][1], x[1][0]));
            case ShapeRule.SetDiagonal when axis == -1 && ranks is [2, 1]:
                return Result(x[0], (x[0][0], x[0][1]), (x[0][0], x[1][0]));
            case ShapeRule.Same when axis == -1:
                return Result(x[0]);
            default:
                return null;
        }
    }

    private static ElementKind? DocumentedType(OpInfo row, ElementKind[] kinds, int rank)
    {
        bool IsBool(ElementKind k) => k == ElementKind.Bool;
        bool IsInteger(ElementKind k) => k is ElementKind.Int32 or ElementKind.Int64;
        // C#'s numeric promotion: the wider of int < long < float < double.
        ElementKind Promote(IEnumerable<ElementKind> ks) => ks.Aggregate(ElementKind.Int32, (a, b) => (ElementKind)Math.Max((int)a, (int)b));
        switch (row.Type)
        {
            case TypeRule.Promote:
                return kinds.Any(IsBool) ? null : Promote(kinds);
            case TypeRule.MathPromote:
                return kinds.Any(IsBool) ? null : IsInteger(Promote(kinds)) ? ElementKind.Float64 : Promote(kinds);
            case TypeRule.Comparison:
                if (kinds.All(IsBool) && row.Op is Op.Equal or Op.NotEqual && rank == 0) return ElementKind.Bool;
                return kinds.Any(IsBool) ? null : rank == 0 ? ElementKind.Bool : Promote(kinds);
            case TypeRule.Logical:
                return kinds.All(IsBool) ? ElementKind.Bool : kinds.All(IsInteger) ? Promote(kinds) : null;
            case TypeRule.Branches:
                var branches = kinds.Skip(1).ToArray();
                if (rank == 0 && !IsBool(kinds[0])) return null; // a scalar Select's condition is a bool; a tensor's is a mask
                return branches.All(IsBool) ? ElementKind.Bool : branches.Any(IsBool) ? null : Promote(branches);
            case TypeRule.IndexOrOperand:
                return kinds.Any(IsBool) ? null : rank == 0 ? ElementKind.Int32 : Promote(kinds);
            case TypeRule.FirstOperand:
                return kinds[0];
            case TypeRule.Indexing: // the index last; a value placed (SetIndex) of the elements' type
                return IsInteger(kinds[^1]) && (kinds.Length < 3 || kinds[1] == kinds[0]) ? kinds[0] : null;
            default:
                return null;
        }
    }
}
