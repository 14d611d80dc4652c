using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// The output whose trace row can hold a precomputed product until its step overwrites it: the product is read
    /// once, as an operand of a fused loop written into that row, element by element (each element read before
    /// it is written); the output keeps a trace (not a shared variable), and no earlier product took it (in <paramref name="earlier"/>). Else -1.
    /// </summary>
    private static int ProductTrace(PrecomputedProduct product, IEnumerable<PrecomputedProduct> earlier, EquatableArray<FusionGroup> groups,
        int[] uses, NodeStorage[] storage, int[] traceOutput, StepGraph step, IReadOnlyList<ScanOutput> outputs)
    {
        if (uses[product.Node] != 1) return -1;
        foreach (var group in groups)
        {
            if (!group.Operands.Contains(product.Node)) continue;
            int o = traceOutput[group.Node];
            bool taken = earlier.Any(p => p.Trace == o);
            return storage[group.Node] == NodeStorage.TraceRow && o >= 0 && step.Nodes[group.Node].Type.Rank == 1
                && outputs[o].SharedParameter is null && !taken ? o : -1;
        }
        return -1;
    }

    /// <summary>
    /// The non-sequence matrices of the products computed at every step (float or double, not precomputed), packed
    /// once before the loop: M of <c>Dot(M, v)</c> by row blocks (<paramref name="rows"/>), M of <c>Dot(A, M)</c> and
    /// <c>Dot(v, M)</c> by column strips (<paramref name="columns"/>); each product reads its packed layout.
    /// </summary>
    private static (List<int> Rows, List<int> Columns) PackedMatrices(StepGraph step, bool[] live, NodeStorage[] storage, bool[] hoisted)
    {
        var rows = new SortedSet<int>();
        var columns = new SortedSet<int>();
        foreach (var node in step.Nodes)
        {
            if (node.Op != Op.Dot || !live[node.Id] || hoisted[node.Id] || node.Type.Rank == 0 || storage[node.Id] is NodeStorage.Precomputed or NodeStorage.None
                || node.Type.Element is not (ElementKind.Float32 or ElementKind.Float64))
                continue;
            StepNode left = step.Nodes[node.Inputs[0]], right = step.Nodes[node.Inputs[1]];
            if (left.Type.Element != node.Type.Element || right.Type.Element != node.Type.Element) continue;
            if (IsMatrixArgument(left) && right.Type.Rank == 1) rows.Add(left.Argument);
            else if (IsMatrixArgument(right)) columns.Add(right.Argument);
        }
        return (rows.ToList(), columns.ToList());

        bool IsMatrixArgument(StepNode operand) =>
            operand.Op == Op.Input && step.Arguments[operand.Argument].Source == StepArgumentSource.NonSequence && operand.Type.Rank == 2;
    }
}
