// The graph derivative rules read and extend. Both engines implement it: the generator over its step-graph builder
// (nodes are the builder's ids, dimensions C# expressions), the runtime over Variables (numbered in the order they
// are visited). The rules (DerivativeRules) and the reverse sweep (Backpropagation) are written once against it.
using System.Collections.Generic;

namespace SymGen.Graph;

/// <summary>
/// A step graph as derivative rules see it: nodes are numbers, each after its operands; rules add nodes with
/// <see cref="Apply"/> and <see cref="Constant"/>, typed and shaped by the op table's rules.
/// </summary>
internal interface IGradientGraph
{
    /// <summary>The op of <paramref name="node"/>.</summary>
    Op OpOf(int node);
    /// <summary>The element kind of <paramref name="node"/>'s value.</summary>
    ElementKind KindOf(int node);
    /// <summary>The rank of <paramref name="node"/>'s value (0 scalar, 1 vector, 2 matrix).</summary>
    int RankOf(int node);
    /// <summary>The axis of a reduction node (-1: all elements).</summary>
    int AxisOf(int node);
    /// <summary>The operands of <paramref name="node"/>.</summary>
    IReadOnlyList<int> OperandsOf(int node);
    /// <summary>A new node: <paramref name="op"/> applied to <paramref name="operands"/> (along <paramref name="axis"/> for ops with one).</summary>
    int Apply(Op op, int axis, params int[] operands);
    /// <summary>A new scalar constant of <paramref name="kind"/>.</summary>
    int Constant(double value, ElementKind kind);
    /// <summary>Scalar <paramref name="node"/> converted to <paramref name="kind"/> (C#'s promotion mixes float and double scalars).</summary>
    int Convert(int node, ElementKind kind);
}

/// <summary>Where a derivative rule is applied: the node (its operands and value are in the graph) and the gradient flowing into its value.</summary>
internal readonly record struct DerivativeSite(int Node, int Gradient);
