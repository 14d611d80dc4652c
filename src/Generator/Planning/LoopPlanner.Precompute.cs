using System.Collections.Generic;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Planning;

internal static partial class LoopPlanner
{
    /// <summary>
    /// The Dot nodes of a sequence row and a non-sequence matrix (<c>U x</c> in <c>tanh(W h + U x + b)</c>): they do not
    /// depend on the recurrent state, so their values for every step are one matrix product over the sequence's rows,
    /// computed before the loop, leaving the products with the state in it. Not for a while loop (it may stop long
    /// before its maximum), nor for a product that is itself an output (it is computed into its trace row).
    /// </summary>
    private static List<PrecomputedProduct> PrecomputedProducts(StepGraph step, bool[] live, int[] traceOutput)
    {
        var products = new List<PrecomputedProduct>();
        foreach (var node in step.Nodes)
        {
            if (node.Op != Op.Dot || !live[node.Id] || node.Type.Rank != 1 || traceOutput[node.Id] >= 0
                || node.Type.Element is not (ElementKind.Float32 or ElementKind.Float64))
                continue;
            StepNode a = step.Nodes[node.Inputs[0]], b = step.Nodes[node.Inputs[1]];
            if (Argument(a, StepArgumentSource.NonSequence, 2) is int m1 && Argument(b, StepArgumentSource.SequenceTap, 1) is int s1)
                products.Add(new PrecomputedProduct(node.Id, s1, m1, MatrixFirst: true));
            else if (Argument(a, StepArgumentSource.SequenceTap, 1) is int s2 && Argument(b, StepArgumentSource.NonSequence, 2) is int m2)
                products.Add(new PrecomputedProduct(node.Id, s2, m2, MatrixFirst: false));

            int? Argument(StepNode operand, StepArgumentSource source, int rank) =>
                operand.Op == Op.Input && step.Arguments[operand.Argument].Source == source
                && operand.Type.Rank == rank && operand.Type.Element == node.Type.Element ? operand.Argument : null;
        }
        return products;
    }
}
