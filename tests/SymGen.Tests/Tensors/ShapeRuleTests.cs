using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Tensors;

/// <summary>The op table's shape rules, on numeric dimensions (as the runtime uses them).</summary>
public class ShapeRuleTests
{
    private static (int[]? Shape, List<(int, int)> Required, string? RankError) Infer(Op op, int axis, params int[][] shapes)
    {
        var required = new List<(int, int)>();
        var shape = ShapeRules.Infer<int>(op, shapes, axis, (a, b, _) => required.Add((a, b)), out var rankError);
        return (shape, required, rankError);
    }

    [Theory]
    [InlineData(Op.Add)]
    [InlineData(Op.Multiply)]
    [InlineData(Op.Maximum)]
    [InlineData(Op.Pow)]
    public void ElementwiseBroadcastsScalarsAndRowVectors(Op op)
    {
        Assert.Equal([3], Infer(op, -1, [3], []).Shape!);
        Assert.Equal([3], Infer(op, -1, [], [3]).Shape!);
        var sameRank = Infer(op, -1, [2, 3], [4, 5]);
        Assert.Equal([2, 3], sameRank.Shape!);
        Assert.Equal([(2, 4), (3, 5)], sameRank.Required.Skip(2));
        var row = Infer(op, -1, [2, 3], [7]);
        Assert.Equal([2, 3], row.Shape!);
        Assert.Contains((3, 7), row.Required);
        Assert.Empty(Infer(op, -1, [], []).Shape!);
    }

    [Fact]
    public void UnaryAndSelectKeepTheShape()
    {
        Assert.Equal([4, 2], Infer(Op.Tanh, -1, [4, 2]).Shape!);
        Assert.Equal([4], Infer(Op.Relu, -1, [4]).Shape!);
        Assert.Equal([4], Infer(Op.Select, -1, [4], [4], []).Shape!);
    }

    [Fact]
    public void DotContractsTheInnerDimension()
    {
        var vv = Infer(Op.Dot, -1, [3], [4]);
        Assert.Equal([], vv.Shape!);
        Assert.Equal([(3, 4)], vv.Required);
        var mv = Infer(Op.Dot, -1, [2, 3], [5]);
        Assert.Equal([2], mv.Shape!);
        Assert.Equal([(3, 5)], mv.Required);
        var vm = Infer(Op.Dot, -1, [2], [6, 3]);
        Assert.Equal([3], vm.Shape!);
        Assert.Equal([(2, 6)], vm.Required);
        var mm = Infer(Op.Dot, -1, [2, 3], [4, 5]);
        Assert.Equal([2, 5], mm.Shape!);
        Assert.Equal([(3, 4)], mm.Required);
        var scalar = Infer(Op.Dot, -1, [], [3]);
        Assert.Null(scalar.Shape);
        Assert.Contains("rank 0 and 1", scalar.RankError);
    }

    [Theory]
    [InlineData(Op.Sum)]
    [InlineData(Op.Prod)]
    [InlineData(Op.Mean)]
    [InlineData(Op.Max)]
    public void ReductionsGiveScalarsOrAVectorPerAxis(Op op)
    {
        Assert.Equal([], Infer(op, -1, [5]).Shape!);
        Assert.Equal([], Infer(op, -1, [2, 5]).Shape!);
        Assert.Equal([5], Infer(op, 0, [2, 5]).Shape!);
        Assert.Equal([2], Infer(op, 1, [2, 5]).Shape!);
        Assert.Null(Infer(op, 0, [5]).Shape);
        Assert.Null(Infer(op, -1, new[] { System.Array.Empty<int>() }).Shape);
    }

    [Fact]
    public void SoftmaxKeepsVectorsAndMatrices()
    {
        Assert.Equal([5], Infer(Op.Softmax, -1, [5]).Shape!);
        Assert.Equal([2, 5], Infer(Op.Softmax, -1, [2, 5]).Shape!);
        Assert.Null(Infer(Op.Softmax, -1, new[] { System.Array.Empty<int>() }).Shape);
    }

    [Fact]
    public void EveryOpOfTheTableHasARuleOrIsALeaf()
    {
        // Some operands of ranks 0 to 2 fit every op: its rule gives them a shape.
        foreach (var info in OpTable.All.Where(i => i.Category != OpCategory.Leaf))
        {
            var fits = Ranks(info.Arity).Any(ranks => Infer(info.Op, -1, ranks.Select(r => Enumerable.Repeat(3, r).ToArray()).ToArray()).Shape is not null);
            Assert.True(fits, $"{info.Name} has no shape rule for operands of rank 0 to 2");
        }
    }

    private static IEnumerable<int[]> Ranks(int arity) => arity == 0 ? [[]]
        : Ranks(arity - 1).SelectMany(rest => new[] { 0, 1, 2 }.Select(r => rest.Append(r).ToArray()));
}
