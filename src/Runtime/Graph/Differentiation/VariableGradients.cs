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

        var graph = new VariableGraph(cost);
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

    private static Variable ZerosLike(Variable x) =>
        x.Type.Rank == 0 ? Tensor.Constant(0, x.Type.Element) : Tensor.Fill(x, Tensor.Constant(0, x.Type.Element));

    /// <summary>
    /// Variables as an <see cref="IGradientGraph"/>: numbered in topological order (each after its inputs) from the
    /// cost, and the nodes the rules add appended.
    /// </summary>
    private sealed class VariableGraph : IGradientGraph
    {
        private readonly List<Variable> _nodes = [];
        private readonly Dictionary<Variable, int> _ids = new(ReferenceEqualityComparer.Instance);
        private readonly List<int[]> _operands = [];

        public VariableGraph(Variable cost)
        {
            // Iterative post-order: deep graphs (long chains built in a loop) must not overflow the stack.
            var stack = new Stack<(Variable Node, int NextInput)>();
            stack.Push((cost, 0));
            var entered = new HashSet<Variable>(ReferenceEqualityComparer.Instance) { cost };
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
            _operands.Add(v.Inputs.Select(i => _ids[i]).ToArray());
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
            Add(Tensor.Apply(op, axis, Array.ConvertAll(operands, o => _nodes[o])));

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

        /// <summary>The rule of a node the op table does not differentiate (a scan's output), or none for a node no wrt reaches.</summary>
        public DerivativeRule? RuleOf(int node)
        {
            if (node < _leadsToWrt.Length && !_leadsToWrt[node])
            {
                var none = Enumerable.Repeat(-1, _operands[node].Length).ToArray();
                return (_, _) => none;
            }
            return _nodes[node] is ScanOutputVariable output ? (graph, site) => DifferentiateScanOutput(output, site) : null;
        }

        /// <summary>
        /// The hook for gradients through a scan: given the gradient of <paramref name="output"/>'s trace
        /// (<paramref name="site"/>.Gradient), the gradient of each of the scan's outer inputs
        /// (<see cref="ScanNode.OuterInputs"/>, the node's operands), -1 for none.
        /// </summary>
        private int[] DifferentiateScanOutput(ScanOutputVariable output, DerivativeSite site) =>
            throw new NotSupportedException($"Tensor.Grad through a scan ('{output.Scan.Name}', output '{output}') is not supported yet.");
    }
}
