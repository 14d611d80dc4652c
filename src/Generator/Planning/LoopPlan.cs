using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Planning;

/// <summary>
/// What a loop writer may optimise away. The defaults give the fastest loop; the monitoring and debug modes turn
/// optimisations off so that every node's value exists at every step.
/// </summary>
/// <param name="Fuse">Chains of elementwise tensor ops become one loop over the elements, without buffers between them.</param>
/// <param name="Hoist">Scalar nodes that depend only on constants and non-sequences are computed once, before the loop.</param>
/// <param name="KeepEveryNodeObservable">Every live node gets storage of its own (a scalar its local, a tensor its
/// buffer or trace row) and is computed in the loop: nothing is fused, hoisted or precomputed, whatever the other options say.</param>
/// <param name="Vectorise">Fused loops whose ops all have a vector form (the op table's <c>VectorForm</c>) run on
/// Vector512/256/128, then a scalar loop for the last elements.</param>
/// <param name="Precompute">Matrix-vector products of a non-sequence and a sequence row, which do not depend on the
/// recurrent state, are computed for every step before the loop as one matrix product (<see cref="PrecomputedProduct"/>).</param>
/// <param name="PackWeights">Non-sequence matrices of per-step products are laid out once, before the loop, as a
/// <c>PackedMatrix</c> that the product reads as one aligned stream: four-row blocks for <c>Dot(M, v)</c>
/// (<see cref="LoopPlan.Packed"/>), column strips for <c>Dot(A, M)</c> and <c>Dot(v, M)</c> (<see cref="LoopPlan.PackedColumns"/>).</param>
internal sealed record LoopOptions(bool Fuse = true, bool Hoist = true, bool KeepEveryNodeObservable = false, bool Vectorise = true, bool Precompute = true,
    bool PackWeights = true)
{
    public static LoopOptions Default { get; } = new();
}

/// <summary>Where a node's value lives while a step runs.</summary>
internal enum NodeStorage
{
    /// <summary>Nowhere of its own: a dead node, a constant (written as its literal) or a step argument.</summary>
    None,
    /// <summary>A scalar local.</summary>
    Register,
    /// <summary>An elementwise tensor node computed inside the loop of the one node that uses it, element by element.</summary>
    Fused,
    /// <summary>A tensor buffer allocated once per call and reused by every step.</summary>
    Buffer,
    /// <summary>A tensor computed straight into its output's row of the trace (<see cref="NodePlan.TraceOutput"/>).</summary>
    TraceRow,
    /// <summary>A tensor computed for every step before the loop (<see cref="LoopPlan.Precomputed"/>); each step reads its row.</summary>
    Precomputed,
}

/// <summary>The loop plan's decisions for one node of the step graph.</summary>
/// <param name="Live">An output or the stop condition depends on it.</param>
/// <param name="TraceOutput">For <see cref="NodeStorage.TraceRow"/>: the output whose row it is, else -1.</param>
/// <param name="Hoisted">Computed once, before the loop.</param>
/// <param name="CanThrow">It may throw, so it runs only where the step method would (never hoisted).</param>
internal sealed record NodePlan(bool Live, NodeStorage Storage, int TraceOutput, bool Hoisted, bool CanThrow);

/// <summary>
/// One loop over the elements of a materialised elementwise tensor node.
/// </summary>
/// <param name="Node">The node the loop computes (its storage is a buffer or a trace row).</param>
/// <param name="Members">The nodes the loop computes, each after its operands (depth first, left to right),
/// <paramref name="Node"/> last; all but the last are <see cref="NodeStorage.Fused"/>.</param>
/// <param name="Operands">The loop's operands read from memory (inputs of members that are not fused), distinct.</param>
internal sealed record FusionGroup(int Node, EquatableArray<int> Members, EquatableArray<int> Operands);

/// <summary>
/// A Dot node that depends only on a sequence row and a non-sequence matrix: <c>Dot(M, x[t+k])</c> or
/// <c>Dot(x[t+k], M)</c>. The rows of the sequence the steps read, as one matrix X, give all its values at once
/// (X Mᵀ or X M, one matrix product before the loop); step t reads its row.
/// </summary>
/// <param name="Node">The Dot node.</param>
/// <param name="Sequence">The step argument (a sequence tap) of the row operand.</param>
/// <param name="Matrix">The step argument (a non-sequence) of the matrix operand.</param>
/// <param name="MatrixFirst">Dot(M, x) (the product X Mᵀ) rather than Dot(x, M) (X M).</param>
/// <param name="Trace">The output whose trace row t the product's one user, a fused loop, overwrites at step t, element
/// by element (so row t can hold the product until then, with no array of its own), else -1. The writer uses it
/// going forwards, where step t reads the product's row t.</param>
internal sealed record PrecomputedProduct(int Node, int Sequence, int Matrix, bool MatrixFirst, int Trace = -1);

/// <summary>
/// How a scan's step graph becomes a loop: which nodes are computed, where each value lives, what runs before the
/// loop, which elementwise nodes share a loop, and which past values of scalar outputs stay in registers. A value
/// in the model (so it keeps the pipeline's caching), made by <see cref="LoopPlanner"/>, read by the loop writers.
/// </summary>
/// <param name="Nodes">Per node, by node id.</param>
/// <param name="Hoisted">The nodes computed once before the loop, in the order they are computed.</param>
/// <param name="FusionGroups">One per materialised elementwise tensor node, in node order.</param>
/// <param name="RegisterDepths">Per output: a scalar output's past values y[t-1] .. y[t-depth] live in locals
/// shifted every step; a deeper tap, and every tap of a tensor output (depth 0), is read from the trace.</param>
internal sealed record LoopPlan(
    LoopOptions Options,
    EquatableArray<NodePlan> Nodes,
    EquatableArray<int> Hoisted,
    EquatableArray<FusionGroup> FusionGroups,
    EquatableArray<int> RegisterDepths)
{
    /// <summary>
    /// The products computed for every step before the loop, in node order (empty unless <see cref="LoopOptions.Precompute"/>).
    /// </summary>
    public EquatableArray<PrecomputedProduct> Precomputed { get; init; } = EquatableArray<PrecomputedProduct>.Empty;

    /// <summary>
    /// The step arguments (non-sequence matrices) packed before the loop for the per-step products <c>Dot(M, v)</c>
    /// that read them, in argument order (empty unless <see cref="LoopOptions.PackWeights"/>).
    /// </summary>
    public EquatableArray<int> Packed { get; init; } = EquatableArray<int>.Empty;

    /// <summary>
    /// The step arguments (non-sequence matrices) packed by column strips before the loop for the per-step products
    /// <c>Dot(A, M)</c> and <c>Dot(v, M)</c> that read them, in argument order.
    /// </summary>
    public EquatableArray<int> PackedColumns { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The packed step argument whose matrix a per-step <c>Dot(M, v)</c> node multiplies, else null.</summary>
    public int? PackedMatrixOf(StepGraph step, StepNode node) =>
        IsPerStepDot(node) && node.Type.Rank == 1 && step.Nodes[node.Inputs[1]].Type.Rank == 1
        && step.Nodes[node.Inputs[0]] is { Op: Op.Input, Type.Rank: 2 } matrix && Packed.Contains(matrix.Argument)
            ? matrix.Argument : null;

    /// <summary>The column-packed step argument a per-step <c>Dot(A, M)</c> or <c>Dot(v, M)</c> node multiplies by, else null.</summary>
    public int? ColumnPackedMatrixOf(StepGraph step, StepNode node) =>
        IsPerStepDot(node) && step.Nodes[node.Inputs[1]] is { Op: Op.Input, Type.Rank: 2 } matrix && PackedColumns.Contains(matrix.Argument)
            ? matrix.Argument : null;

    private bool IsPerStepDot(StepNode node) =>
        node.Op == Op.Dot && node.Type.Rank > 0 && Nodes[node.Id].Storage is not (NodeStorage.Precomputed or NodeStorage.None);

    /// <summary>Whether the node has a name of its own in the loop: a local, a buffer, a trace row or a precomputed row.</summary>
    public bool HasStorage(int node) => Nodes[node].Storage is NodeStorage.Register or NodeStorage.Buffer or NodeStorage.TraceRow or NodeStorage.Precomputed;

    /// <summary>Whether the node is computed in the loop body, in node order (the others are hoisted, fused or not computed).</summary>
    public bool ComputedInLoop(int node) => HasStorage(node) && !Nodes[node].Hoisted;

    /// <summary>Whether a step argument is a past value of a scalar output held in a register (else it is read from the trace).</summary>
    public bool InRegister(StepArgument argument) =>
        argument.Source == StepArgumentSource.OutputTap && argument.Type.Rank == 0 && -argument.Tap <= RegisterDepths[argument.Index];
}
