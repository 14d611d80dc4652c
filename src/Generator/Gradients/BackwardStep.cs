using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Gradients;

/// <summary>
/// Builds a scan's backward step: the step graph of one reverse-loop iteration, which takes the forward step's
/// arguments at step t, the stored forward value of each returned output at t, and the cotangent flowing into each
/// output at t, and computes the gradient of every forward step argument that is asked for (sequence taps,
/// output taps: the recurrent carry, non-sequences). All op knowledge comes from the derivative rules through
/// <see cref="IGradientGraph"/>; this class only replays the forward step and seeds the reverse sweep.
/// </summary>
internal static class BackwardStep
{
    /// <summary>The backward step and what each of its results is (the forward argument whose gradient it is).</summary>
    /// <param name="NonDifferentiable">Forward nodes the gradient reaches, on a path from a differentiated input, whose op has no derivative.</param>
    /// <param name="IntegerCuts">Forward nodes converting a differentiated float value to an integer on the way to an output (no gradient passes).</param>
    internal sealed record Result(StepGraph Step, List<BackwardResult> Results, List<int> NonDifferentiable, List<(int Node, int Argument)> IntegerCuts);

    /// <param name="scan">The forward scan.</param>
    /// <param name="differentiated">Per forward step argument: whether its gradient is wanted (sequences and
    /// non-sequences asked for, and every tap of a returned floating-point recurrent output: the carry).</param>
    public static Result Build(ScanSpec scan, bool[] differentiated)
    {
        var forward = scan.Step;
        var builder = new StepGraphBuilder<Dim>((_, _, _, _) => { }); // the forward pass checked every size already
        var arguments = forward.Arguments.ToList();
        var returned = Enumerable.Range(0, scan.Outputs.Count).Where(o => scan.Outputs[o].SharedParameter is null).ToList();

        // Forced replacement (Theano's forced_replace): a node equal to a returned output is read from its trace, so a
        // derivative written with the node's value (tanh' = 1 - y²) uses the stored value and the work computing it dies.
        var stored = new Dictionary<int, int>();
        foreach (var o in returned)
        {
            var result = forward.Nodes[forward.Results[o]];
            if (result.Op is Op.Input or Op.Constant || stored.ContainsKey(result.Id)) continue;
            var output = scan.Outputs[o];
            arguments.Add(new StepArgument($"{output.Name}[t] (stored)", output.ElementType, StepArgumentSource.StoredOutput, o, 0, output.Shape, -1));
            stored[result.Id] = builder.Input(output.ElementType.Element, output.Shape.ToArray(), arguments.Count - 1, $"{output.Name}[t]");
        }
        var cotangents = new Dictionary<int, int>();
        foreach (var o in returned)
        {
            var output = scan.Outputs[o];
            if (!Backpropagation.IsDifferentiable(output.ElementType.Element)) continue;
            arguments.Add(new StepArgument($"d{output.Name}[t]", output.ElementType, StepArgumentSource.Cotangent, o, 0, output.Shape, -1));
            cotangents[o] = builder.Input(output.ElementType.Element, output.Shape.ToArray(), arguments.Count - 1, $"d{output.Name}[t]");
        }

        var valueOf = new int[forward.Nodes.Count];
        foreach (var node in forward.Nodes)
            valueOf[node.Id] = stored.TryGetValue(node.Id, out var storedInput) ? storedInput : Replay(builder, node, valueOf);

        var graph = new Adapter(forward, builder, valueOf);
        // Two outputs of one node: their cotangents add up.
        var seeds = new Dictionary<int, int>();
        foreach (var pair in cotangents)
        {
            int node = forward.Results[pair.Key];
            if (forward.Nodes[node].Op == Op.Constant) continue;
            int cotangent = graph.Wrap(pair.Value);
            seeds[node] = seeds.TryGetValue(node, out var other) ? graph.Apply(Op.Add, -1, other, cotangent) : cotangent;
        }
        var reached = new List<int>();
        var gradients = Backpropagation.Run(graph, forward.Nodes.Count, seeds.Select(p => (p.Key, p.Value)).ToList(), reached);

        // A forward node depends on a differentiated argument: only there do missing derivatives and integer values matter.
        var dependsOn = new int[forward.Nodes.Count];
        foreach (var node in forward.Nodes)
            dependsOn[node.Id] = node.Op == Op.Input ? (differentiated[node.Argument] ? node.Argument : -1)
                : node.Inputs.Select(i => dependsOn[i]).DefaultIfEmpty(-1).Max();
        var live = Planning.LoopPlanner.LiveNodes(forward);
        var integerCuts = forward.Nodes
            .Where(n => n.Op == Op.Convert && live[n.Id] && !Backpropagation.IsDifferentiable(n.Type.Element)
                        && dependsOn[n.Id] >= 0 && Backpropagation.IsDifferentiable(forward.Nodes[n.Inputs[0]].Type.Element))
            .Select(n => (n.Id, dependsOn[n.Id])).ToList();

        // The gradient of each differentiated argument: its input node's (a step may leave an argument unused).
        var results = new List<int>();
        var backwardResults = new List<BackwardResult>();
        for (int a = 0; a < forward.Arguments.Count; a++)
        {
            if (!differentiated[a]) continue;
            var argument = forward.Arguments[a];
            var terms = forward.Nodes.Where(n => n.Op == Op.Input && n.Argument == a && gradients[n.Id] >= 0)
                .Select(n => gradients[n.Id]).ToList();
            if (terms.Count == 0) continue;
            int gradient = terms.Aggregate((x, y) => graph.Apply(Op.Add, -1, x, y));
            if (argument.Source == StepArgumentSource.NonSequence && argument.Type.Rank == 2)
            {
                // dW = Σₜ (aₜ bₜᵀ + ...): each outer product of two per-step vectors becomes two stored rows, summed over
                // all steps by one matrix product after the loop; what remains is added step by step.
                var rest = new List<int>();
                foreach (var term in Terms(graph, gradient))
                {
                    if (graph.OpOf(term) == Op.Outer && graph.OperandsOf(term).All(x => graph.RankOf(x) == 1))
                    {
                        results.Add(graph.BuilderId(graph.OperandsOf(term)[0]));
                        results.Add(graph.BuilderId(graph.OperandsOf(term)[1]));
                        backwardResults.Add(new BackwardResult(results.Count - 2, argument.Source, argument.Index, argument.Tap, results.Count - 1));
                    }
                    else
                        rest.Add(term);
                }
                if (rest.Count == 0) continue;
                gradient = rest.Aggregate((x, y) => graph.Apply(Op.Add, -1, x, y));
            }
            results.Add(graph.BuilderId(gradient));
            backwardResults.Add(new BackwardResult(results.Count - 1, argument.Source, argument.Index, argument.Tap));
        }

        var nodes = builder.Nodes.Select(n => new StepNode(n.Id, n.Op, new TypeRef(n.Kind, n.Shape.Length),
            n.Inputs.ToEquatableArray(), n.Literal, n.Argument, n.Label, n.Axis, n.Shape.ToEquatableArray())).ToEquatableArray();
        var step = new StepGraph(forward.MethodName + " (backward)", arguments.ToEquatableArray(), nodes, results.ToEquatableArray(), -1);
        return new Result(step, backwardResults, reached.Where(n => dependsOn[n] >= 0).ToList(), integerCuts);
    }

    /// <summary>The terms of a sum (nested Adds of one rank), left to right.</summary>
    private static IEnumerable<int> Terms(Adapter graph, int node)
    {
        var pending = new Stack<int>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            int n = pending.Pop();
            var operands = graph.OperandsOf(n);
            if (graph.OpOf(n) == Op.Add && operands.All(x => graph.RankOf(x) == graph.RankOf(n)))
            {
                pending.Push(operands[1]);
                pending.Push(operands[0]);
            }
            else
                yield return n;
        }
    }

    /// <summary>A forward node, built again in the backward step (its operands already are).</summary>
    private static int Replay(StepGraphBuilder<Dim> builder, StepNode node, int[] valueOf)
    {
        string? error = null;
        int id = node.Op switch
        {
            Op.Input => builder.Input(node.Type.Element, node.Shape.ToArray(), node.Argument, node.Label),
            Op.Constant => builder.Constant(ElementKinds.ParseLiteral(node.Literal!, node.Type.Element), node.Type.Element, node.Label),
            Op.Convert => builder.Convert(valueOf[node.Inputs[0]], node.Type.Element, node.Label, out error),
            _ => builder.Apply(node.Op, node.Axis, node.Inputs.Select(i => valueOf[i]).ToList(), node.Label, out error),
        };
        return id >= 0 ? id : throw new InvalidOperationException($"The forward node '{node.Label}' could not be replayed: {error}");
    }

    /// <summary>
    /// The forward step as the reverse sweep sees it (nodes 0..N-1: the forward nodes, their ops and operands), with
    /// values in the backward builder (a forward node's value is its replayed node, or its output's stored trace row);
    /// nodes the rules add are numbered from N on.
    /// </summary>
    private sealed class Adapter : IGradientGraph
    {
        private readonly StepGraph _forward;
        private readonly StepGraphBuilder<Dim> _builder;
        private readonly int[] _valueOf;
        private readonly List<int> _added = new();
        private readonly Dictionary<int, int> _wrapped = new();

        public Adapter(StepGraph forward, StepGraphBuilder<Dim> builder, int[] valueOf) => (_forward, _builder, _valueOf) = (forward, builder, valueOf);

        private int N => _forward.Nodes.Count;

        public int BuilderId(int node) => node < N ? _valueOf[node] : _added[node - N];

        /// <summary>The graph node of a builder node.</summary>
        public int Wrap(int builderId)
        {
            if (_wrapped.TryGetValue(builderId, out var node)) return node;
            _added.Add(builderId);
            return _wrapped[builderId] = N + _added.Count - 1;
        }

        private BuiltNode<Dim> Built(int node) => _builder.Nodes[BuilderId(node)];

        public Op OpOf(int node) => node < N ? _forward.Nodes[node].Op : Built(node).Op;
        public ElementKind KindOf(int node) => node < N ? _forward.Nodes[node].Type.Element : Built(node).Kind;
        public int RankOf(int node) => node < N ? _forward.Nodes[node].Type.Rank : Built(node).Shape.Length;
        public int AxisOf(int node) => node < N ? _forward.Nodes[node].Axis : Built(node).Axis;

        public IReadOnlyList<int> OperandsOf(int node) =>
            node < N ? _forward.Nodes[node].Inputs : Built(node).Inputs.Select(Wrap).ToList();

        public int Apply(Op op, int axis, params int[] operands)
        {
            // Until main has h-interp's 9687b65: DerivativeRules' Apply(op, x, y) extension bound to this method, its
            // first operand arriving as the axis. An op without an axis never takes one operand fewer than its arity.
            var row = OpTable.Get(op);
            if (!row.HasAxis && operands.Length == row.Arity - 1)
                (axis, operands) = (-1, new[] { axis }.Concat(operands).ToArray());
            int id = _builder.Apply(op, axis, operands.Select(BuilderId).ToList(), $"d({OpTable.Get(op).Name})", out var error);
            return id >= 0 ? Wrap(id) : throw new InvalidOperationException($"A derivative rule built {OpTable.Get(op).Name} of operands that do not fit: {error}");
        }

        public int Constant(double value, ElementKind kind) => Wrap(_builder.Constant(value, kind, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        public int Convert(int node, ElementKind kind)
        {
            int id = _builder.Convert(BuilderId(node), kind, $"({ElementKinds.Keyword(kind)})", out var error);
            return id >= 0 ? Wrap(id) : throw new InvalidOperationException($"A gradient could not be converted: {error}");
        }
    }
}
