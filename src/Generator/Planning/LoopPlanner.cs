using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Planning;

/// <summary>
/// Makes a scan's <see cref="LoopPlan"/> from its step graph and outputs: a pure function, independent of how the
/// loop is written, so that the forward, backward and monitored loop writers share one analysis.
/// Scalars: one local per node; recurrent state and past taps down to y[t-8] live in locals (registers), because
/// scalar recurrences are bound by the latency of the step's dependency chain; deeper taps read the trace.
/// Tensors: a buffer per node that must exist in memory; chains of elementwise ops are fused into one loop over the
/// elements; a tensor output is computed straight into its trace row.
/// </summary>
internal static partial class LoopPlanner
{
    /// <summary>
    /// Scalar past values down to y[t-8] live in locals shifted every step (registers: a scalar recurrence is bound
    /// by its dependency chain); a deeper tap reads the trace instead, as tensor taps do, so that neither the code
    /// nor the work per step grows with the depth of a tap.
    /// </summary>
    private const int MaxRegisterDepth = 8;

    public static LoopPlan Plan(StepGraph step, IReadOnlyList<ScanOutput> outputs, LoopOptions options)
    {
        bool observable = options.KeepEveryNodeObservable;
        bool fuse = options.Fuse && !observable, hoist = options.Hoist && !observable;
        var nodes = step.Nodes;
        var live = LiveNodes(step);

        // Uses by live nodes and by the outputs; the first live node reading each node (-1 for none).
        var uses = new int[nodes.Count];
        var firstUser = Enumerable.Repeat(-1, nodes.Count).ToArray();
        foreach (var node in nodes.Where(n => live[n.Id]))
            foreach (var input in node.Inputs)
            {
                uses[input]++;
                if (firstUser[input] < 0) firstUser[input] = node.Id;
            }
        foreach (var result in step.Results) uses[result]++;

        // A tensor output is computed into its trace row (the first output it is the result of).
        var traceOutput = Enumerable.Repeat(-1, nodes.Count).ToArray();
        for (int o = step.Results.Count - 1; o >= 0; o--)
        {
            var result = nodes[step.Results[o]];
            if (result.Type.Rank > 0 && result.Op is not (Op.Input or Op.Constant)) traceOutput[result.Id] = o;
        }

        var storage = nodes.Select(n => Storage(n, live[n.Id], IsFused(n))).ToArray();
        var precomputed = options.Precompute && !observable && step.Condition < 0 ? PrecomputedProducts(step, live, traceOutput) : new List<PrecomputedProduct>();
        foreach (var product in precomputed) storage[product.Node] = NodeStorage.Precomputed;
        var canThrow = nodes.Select(n => CanThrow(step, n)).ToArray();
        var hoisted = hoist ? InvariantNodes(step, live, canThrow) : new List<int>();
        var isHoisted = new bool[nodes.Count];
        foreach (var id in hoisted) isHoisted[id] = true;

        var groups = nodes
            .Where(n => storage[n.Id] is NodeStorage.Buffer or NodeStorage.TraceRow && OpTable.Get(n.Op).IsElementwise)
            .Select(n => Group(n))
            .ToEquatableArray();

        for (int k = 0; k < precomputed.Count; k++)
            precomputed[k] = precomputed[k] with { Trace = ProductTrace(precomputed[k], precomputed.Take(k), groups, uses, storage, traceOutput, step, outputs) };

        var (packedRows, packedColumns) = options.PackWeights && !observable ? PackedMatrices(step, live, storage, isHoisted) : (new List<int>(), new List<int>());
        return new LoopPlan(
            options,
            nodes.Select(n => new NodePlan(live[n.Id], storage[n.Id], traceOutput[n.Id], isHoisted[n.Id], canThrow[n.Id])).ToEquatableArray(),
            hoisted.ToEquatableArray(),
            groups,
            outputs.Select(o => o.ElementType.Rank == 0 ? RegisterDepth(o) : 0).ToEquatableArray())
        {
            Precomputed = precomputed.ToEquatableArray(),
            Packed = packedRows.ToEquatableArray(),
            PackedColumns = packedColumns.ToEquatableArray(),
        };

        NodeStorage Storage(StepNode node, bool isLive, bool fused) =>
            !isLive || node.Op is Op.Input or Op.Constant ? NodeStorage.None
            : node.Type.Rank == 0 ? NodeStorage.Register
            : fused ? NodeStorage.Fused
            : traceOutput[node.Id] >= 0 ? NodeStorage.TraceRow
            : NodeStorage.Buffer;

        // An elementwise tensor node used once, by an elementwise node of its rank, is computed in that node's loop.
        // Anything else must exist in memory: an output, an input of a kernel (Dot, reductions, Softmax), a node
        // used more than once or broadcast into a larger loop, a node computed by a kernel itself.
        bool IsFused(StepNode node)
        {
            if (!fuse || node.Type.Rank == 0 || node.Op is Op.Input or Op.Constant || !OpTable.Get(node.Op).IsElementwise
                || Observes(node) || uses[node.Id] != 1 || firstUser[node.Id] < 0 || step.Results.Contains(node.Id))
                return false;
            var user = nodes[firstUser[node.Id]];
            return OpTable.Get(user.Op).IsElementwise && user.Type.Rank == node.Type.Rank;
        }

        // The nodes of top's loop, each after its operands (depth first, left to right, without recursion), top last.
        FusionGroup Group(StepNode top)
        {
            var members = new List<int>();
            var operands = new List<int>();
            var seen = new HashSet<int>();
            var pending = new Stack<(StepNode Node, int Next)>();
            pending.Push((top, 0));
            while (pending.Count > 0)
            {
                var (node, next) = pending.Pop();
                if (next == node.Inputs.Count)
                {
                    members.Add(node.Id);
                    continue;
                }
                pending.Push((node, next + 1));
                var input = nodes[node.Inputs[next]];
                if (storage[input.Id] == NodeStorage.Fused)
                    pending.Push((input, 0));
                else if (seen.Add(input.Id))
                    operands.Add(input.Id);
            }
            return new FusionGroup(top.Id, members.ToEquatableArray(), operands.ToEquatableArray());
        }
    }

    /// <summary>
    /// The nodes the outputs, the stop condition and the observing ops depend on: the rest would be computed for
    /// nothing (an observing op, a print, is kept even when no output reads it).
    /// </summary>
    public static bool[] LiveNodes(StepGraph step)
    {
        var live = new bool[step.Nodes.Count];
        var roots = step.Condition >= 0 ? step.Results.Append(step.Condition) : step.Results;
        var pending = new Stack<int>(roots.Concat(step.Nodes.Where(Observes).Select(n => n.Id)));
        while (pending.Count > 0)
        {
            int id = pending.Pop();
            if (live[id]) continue;
            live[id] = true;
            foreach (var input in step.Nodes[id].Inputs) pending.Push(input);
        }
        return live;
    }

    /// <summary>
    /// Scalar nodes whose inputs are constants, non-sequences or other such nodes, and that cannot throw, in node
    /// order: they can be computed once before the loop.
    /// </summary>
    private static List<int> InvariantNodes(StepGraph step, bool[] live, bool[] canThrow)
    {
        var invariant = new bool[step.Nodes.Count];
        var result = new List<int>();
        foreach (var node in step.Nodes)
        {
            invariant[node.Id] = node.Op switch
            {
                Op.Constant => true,
                Op.Input => step.Arguments[node.Argument].Source == StepArgumentSource.NonSequence,
                // A node that can throw stays in the loop: with zero steps the step method never runs it.
                _ => node.Type.Rank == 0 && !canThrow[node.Id] && !Observes(node) && node.Inputs.All(i => invariant[i]),
            };
            if (invariant[node.Id] && node.Op is not (Op.Input or Op.Constant) && live[node.Id])
                result.Add(node.Id);
        }
        return result;
    }

    /// <summary>
    /// Integer operations (division by zero, Abs(MinValue), overflow in a checked build), Sign (of NaN) and the
    /// kernels (Max of an empty vector): floating-point arithmetic never throws.
    /// </summary>
    private static bool CanThrow(StepGraph step, StepNode node) =>
        node.Op is not (Op.Input or Op.Constant)
        && (OpTable.Get(node.Op).MayThrow
            || node.Type.Element is ElementKind.Int32 or ElementKind.Int64
            || node.Inputs.Any(i => step.Nodes[i].Type.Element is ElementKind.Int32 or ElementKind.Int64));

    /// <summary>An op that observes its value (a print, a monitor) must run where and when the step runs it.</summary>
    private static bool Observes(StepNode node) => OpTable.Get(node.Op).Effect != OpEffect.Pure;

    private static int RegisterDepth(ScanOutput output) =>
        output.Taps.Select(tap => -tap).Where(j => j <= MaxRegisterDepth).DefaultIfEmpty(0).Max();
}
