// Reverse-mode differentiation of a step graph: one sweep from the last node to the first, each node's gradient
// pushed to its operands by its op's derivative rule (the op table's), contributions to one node summed.
using System.Collections.Generic;

namespace SymGen.Graph;

/// <summary>The reverse sweep over an <see cref="IGradientGraph"/>, shared by the generator and the runtime.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// The gradient of every node 0..<paramref name="nodeCount"/>-1 given the cotangents of <paramref name="seeds"/>
    /// (a vector-Jacobian product): the node of each gradient, or -1 where none flows (integer and boolean values, nodes
    /// the seeds do not depend on). Nodes ids must be in topological order (each after its operands), as builders make
    /// them; new nodes are appended after <paramref name="nodeCount"/>.
    /// </summary>
    /// <param name="graph">The graph, extended with the gradient nodes.</param>
    /// <param name="nodeCount">The nodes to differentiate: 0 to nodeCount-1.</param>
    /// <param name="seeds">The nodes whose cotangents are given, and the nodes of those cotangents.</param>
    /// <param name="nonDifferentiable">Receives each node a gradient reached whose op has no derivative rule (its
    /// operands then get none from it); the caller reports it.</param>
    public static int[] Run(IGradientGraph graph, int nodeCount, IReadOnlyList<(int Node, int Cotangent)> seeds, List<int>? nonDifferentiable = null)
    {
        var gradient = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++) gradient[i] = -1;
        foreach (var (node, cotangent) in seeds) Accumulate(graph, gradient, node, cotangent);
        for (int node = nodeCount - 1; node >= 0; node--)
        {
            int g = gradient[node];
            var op = graph.OpOf(node);
            if (g < 0 || op is Op.Input or Op.Constant) continue;
            if (OpTable.Get(op).Derivative is not { } rule)
            {
                nonDifferentiable?.Add(node);
                continue;
            }
            var operandGradients = rule(graph, new DerivativeSite(node, g));
            var operands = graph.OperandsOf(node);
            for (int i = 0; i < operands.Count; i++)
                if (operandGradients[i] >= 0) Accumulate(graph, gradient, operands[i], operandGradients[i]);
        }
        return gradient;
    }

    /// <summary>Whether values of <paramref name="kind"/> carry gradients: only floating-point ones do (the reference's rule).</summary>
    public static bool IsDifferentiable(ElementKind kind) => kind is ElementKind.Float32 or ElementKind.Float64;

    private static void Accumulate(IGradientGraph graph, int[] gradient, int node, int contribution)
    {
        var kind = graph.KindOf(node);
        if (!IsDifferentiable(kind)) return;
        // C# promotes a float scalar mixed with a double to double: its gradient comes back as a double.
        if (graph.KindOf(contribution) != kind) contribution = graph.Convert(contribution, kind);
        gradient[node] = gradient[node] < 0 ? contribution : graph.Apply(Op.Add, -1, gradient[node], contribution);
    }
}
