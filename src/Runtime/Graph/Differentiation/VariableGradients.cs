// Tensor.Grad (Theano's T.grad) for graphs built at run time: the op table's derivative rules applied by the shared
// reverse sweep (Backpropagation) over an IGradientGraph adapter of Variables. Runtime only: the generator's link of
// Differentiation/*.cs leaves this file out (it has no Variables).
using System;
using System.Collections.Generic;
using System.Linq;

namespace SymGen.Graph;

/// <summary>The gradients of a run-time graph's scalar cost (<see cref="Tensor.Grad"/>).</summary>
internal static class VariableGradients
{
    public static Variable[] Grad(Variable cost, Variable[] wrt)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(wrt);
        if (cost.Type.Rank != 0 || !Backpropagation.IsDifferentiable(cost.Type.Element))
            throw new ArgumentException($"The cost must be a float or double scalar; '{cost}' is a {cost.Type}.", nameof(cost));
        for (int i = 0; i < wrt.Length; i++)
        {
            if (wrt[i] is null) throw new ArgumentNullException(nameof(wrt), $"wrt[{i}] is null.");
            if (!Backpropagation.IsDifferentiable(wrt[i].Type.Element))
                throw new ArgumentException($"wrt[{i}] ('{wrt[i]}') is a {wrt[i].Type}: gradients are taken only with respect to float or double values.", nameof(wrt));
        }

        var graph = new VariableGraph([cost]);
        for (int i = 0; i < wrt.Length; i++)
            if (!graph.Contains(wrt[i]))
                // Theano's DisconnectedInputError, in its words.
                throw new ArgumentException($"Tensor.Grad was asked to compute the gradient with respect to a variable that is not part of the computational graph of the cost: wrt[{i}] ('{wrt[i]}').", nameof(wrt));

        int nodeCount = graph.Count;
        graph.Prune(wrt);
        var nonDifferentiable = new List<int>();
        var gradients = Backpropagation.Run(graph, nodeCount, [(graph.IdOf(cost), graph.Constant(1, cost.Type.Element))], nonDifferentiable, graph.RuleOf);
        if (nonDifferentiable.Count > 0)
        {
            var node = (ApplyVariable)graph[nonDifferentiable[0]];
            throw new NotSupportedException($"The cost is differentiated through {OpTable.Get(node.Op).Name} ('{node.Label ?? node.ToString()}'), which has no derivative.");
        }
        // A variable reached only through ops of zero gradient (comparisons, rounding, ArgMax) gets zeros, as in Theano.
        return wrt.Select(w => gradients[graph.IdOf(w)] is var g and >= 0 ? graph[g] : ZerosLike(w)).ToArray();
    }

    /// <summary>
    /// The gradients of <paramref name="wrt"/> given the cotangents of <paramref name="seeds"/>' nodes (a
    /// vector-Jacobian product; a scan's backward step is one), null where none flows.
    /// </summary>
    /// <param name="seeds">Each node and the variable of its cotangent (an input of the caller's graph).</param>
    /// <param name="wrt">The variables whose gradients are wanted.</param>
    /// <param name="what">How the error for an op without derivative begins ("The gradient of scan 's' goes").</param>
    /// <exception cref="NotSupportedException">The seeds depend on a <paramref name="wrt"/> through an op without derivative.</exception>
    public static Variable?[] Backward(IReadOnlyList<(Variable Node, Variable Cotangent)> seeds, IReadOnlyList<Variable> wrt, string what)
    {
        var graph = new VariableGraph(seeds.Select(s => s.Node).Concat(seeds.Select(s => s.Cotangent)));
        graph.Prune(wrt.Where(graph.Contains).ToList());
        var nonDifferentiable = new List<int>();
        var gradients = Backpropagation.Run(graph, graph.Count, seeds.Select(s => (graph.IdOf(s.Node), graph.IdOf(s.Cotangent))).ToList(),
            nonDifferentiable, graph.RuleOf);
        if (nonDifferentiable.Count > 0)
        {
            var node = (ApplyVariable)graph[nonDifferentiable[0]];
            throw new NotSupportedException($"{what} through {OpTable.Get(node.Op).Name} ('{node.Label ?? node.ToString()}'), which has no derivative.");
        }
        return wrt.Select(w => graph.Contains(w) && gradients[graph.IdOf(w)] is var g and >= 0 ? graph[g] : null).ToArray();
    }

    private static Variable ZerosLike(Variable x) =>
        x.Type.Rank == 0 ? Tensor.Constant(0, x.Type.Element) : Tensor.Fill(x, Tensor.Constant(0, x.Type.Element));

    /// <summary>
    /// Variables as an <see cref="IGradientGraph"/>: numbered in topological order (each after its inputs) from the
    /// roots, and the nodes the rules add appended. A scan is one node (<see cref="ScanTuple"/>) whose value is the tuple
    /// of its traces: each trace is a node of its own reading it, so that the sweep reaches the scan once, after every
    /// trace, with the cotangents of all of them (<see cref="TraceCotangents"/>), and builds one backward scan.
    /// </summary>
    private sealed class VariableGraph : IGradientGraph
    {
        private readonly List<Variable> _nodes = [];
        private readonly Dictionary<Variable, int> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly List<int[]> _operands = [];

        private readonly Dictionary<ScanNode, int> _scans = new(ReferenceEqualityComparer.Instance);

        public VariableGraph(IEnumerable<Variable> roots)
        {
            // Iterative post-order: deep graphs (long chains built in a loop) must not overflow the stack.
            var stack = new Stack<(Variable Node, int NextInput)>();
            var entered = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
            foreach (var root in roots.Reverse())
                if (entered.Add(root)) stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Count)
                {
                    stack.Push((node, next + 1));
                    var input = node.Inputs[next];
                    if (entered.Add(input)) stack.Push((input, 0));
                    continue;
                }
                Add(node);
            }
        }

        public int Count => _nodes.Count;
        public Variable this[int node] => _nodes[node];
        public bool Contains(Variable v) => _ids.ContainsKey(v);
        public int IdOf(Variable v) => _ids[v];

        private int Add(Variable v)
        {
            if (_ids.TryGetValue(v, out int id)) return id;
            if (v is ScanOutputVariable trace && !_scans.ContainsKey(trace.Scan))
                _scans[trace.Scan] = Add(new ScanTuple(trace.Scan));
            _operands.Add(v switch
            {
                ScanOutputVariable output => [_scans[output.Scan]],
                // A backward scan this sweep makes reads traces the sweep may not have met: it is not differentiated
                // again. One of the cost's graph keeps its operands, so that a second derivative is refused, not dropped.
                ScanGradientVariable gradient when !gradient.Inputs.All(_ids.ContainsKey) => [],
                _ => v.Inputs.Select(i => _ids[i]).ToArray(),
            });
            _nodes.Add(v);
            _ids[v] = _nodes.Count - 1;
            return _nodes.Count - 1;
        }

        public Op OpOf(int node) => _nodes[node] switch
        {
            ApplyVariable a => a.Op,
            ConstantVariable => Op.Constant,
            // Inputs, and scan outputs (leaves as far as the op table knows: RuleOf differentiates them).
            _ => Op.Input,
        };

        public ElementKind KindOf(int node) => _nodes[node].Type.Element;
        public int RankOf(int node) => _nodes[node].Type.Rank;
        public int AxisOf(int node) => _nodes[node] is ApplyVariable a ? a.Axis : -1;
        public IReadOnlyList<int> OperandsOf(int node) => _operands[node];

        public int Apply(Op op, int axis, params int[] operands) =>
            // The sweep sums the contributions of a scan's traces: their tuples merge.
            op == Op.Add && _nodes[operands[0]] is TraceCotangents a && _nodes[operands[1]] is TraceCotangents b ? Add(a.Plus(b))
                : Add(Tensor.Apply(op, axis, Array.ConvertAll(operands, o => _nodes[o])));

        public int Constant(double value, ElementKind kind) => Add(Tensor.Constant(value, kind));

        public int Convert(int node, ElementKind kind) => Add(Tensor.Convert(_nodes[node], kind));

        private bool[] _leadsToWrt = [];

        /// <summary>
        /// Marks the nodes that depend on a <paramref name="wrt"/> (each is numbered after its operands): only their
        /// gradients are built, as Theano's grad does, so a part of the cost that no wrt reaches (a scan, an op
        /// without a rule) is not differentiated at all.
        /// </summary>
        public void Prune(IReadOnlyList<Variable> wrt)
        {
            _leadsToWrt = new bool[_nodes.Count];
            foreach (var w in wrt) _leadsToWrt[_ids[w]] = true;
            for (int node = 0; node < _nodes.Count; node++)
                foreach (var operand in _operands[node])
                    if (_leadsToWrt[operand]) { _leadsToWrt[node] = true; break; }
        }

        /// <summary>
        /// The rule of a node the op table does not differentiate (a scan's trace, or the scan itself), or none for a
        /// node no wrt reaches.
        /// </summary>
        public DerivativeRule? RuleOf(int node)
        {
            if (node < _leadsToWrt.Length && !_leadsToWrt[node])
            {
                var none = Enumerable.Repeat(-1, _operands[node].Length).ToArray();
                return (_, _) => none;
            }
            return _nodes[node] switch
            {
                // A trace passes its cotangent to its scan, as the tuple's entry.
                ScanOutputVariable output => (graph, site) => [Add(TraceCotangents.Of(output, _nodes[site.Gradient]))],
                ScanTuple tuple => (graph, site) => DifferentiateScan(tuple.Scan, (TraceCotangents)_nodes[site.Gradient]),
                ScanGradientVariable gradient => (graph, site) =>
                    throw new NotSupportedException($"Tensor.Grad through the gradient of scan '{gradient.Scan.Name}' ('{gradient}', a second derivative) is not supported."),
                _ => null,
            };
        }

        /// <summary>
        /// The gradient of each of <paramref name="scan"/>'s outer inputs (<see cref="ScanNode.OuterInputs"/>, the
        /// tuple's operands), -1 for none: one backward scan for the cotangents of all its traces.
        /// </summary>
        private int[] DifferentiateScan(ScanNode scan, TraceCotangents cotangents) =>
            ScanGradientNode.Build(scan, cotangents.ByOutput).Gradients.Select(g => g is null ? -1 : Add(g)).ToArray();
    }

    /// <summary>A scan as one node of the gradient graph: the tuple of its traces, computed from its outer inputs.</summary>
    private sealed class ScanTuple(ScanNode scan) : Variable(TensorType.Float64Scalar, $"scan '{scan.Name}'")
    {
        public ScanNode Scan { get; } = scan;
        public override IReadOnlyList<Variable> Inputs => Scan.OuterInputs;
    }

    /// <summary>The cotangent of a <see cref="ScanTuple"/>: one per trace (<see cref="ScanNode.Outputs"/>), null for none.</summary>
    private sealed class TraceCotangents(Variable?[] byOutput) : Variable(TensorType.Float64Scalar, null)
    {
        public Variable?[] ByOutput { get; } = byOutput;
        public override IReadOnlyList<Variable> Inputs => [];

        public static TraceCotangents Of(ScanOutputVariable trace, Variable cotangent)
        {
            var byOutput = new Variable?[trace.Scan.Outputs.Count];
            byOutput[trace.Index] = cotangent;
            return new TraceCotangents(byOutput);
        }

        public TraceCotangents Plus(TraceCotangents other) =>
            new(ByOutput.Zip(other.ByOutput, (a, b) => a is null ? b : b is null ? a : Tensor.Apply(Op.Add, a, b)).ToArray());
    }
}
