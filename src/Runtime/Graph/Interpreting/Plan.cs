using System;
using System.Collections.Generic;
using System.Threading;
using SymGen.Scanning;

namespace SymGen.Graph.Interpreting;

/// <summary>
/// A function's graph compiled once into instructions over typed slots: the outer code (run once per call, each
/// tensor op sizing and allocating its buffer when it runs), and a <see cref="ScanPlan"/> per scan (sized and
/// checked once per call before its first step, then stepped with no boxing, dictionaries or allocation). Immutable
/// and shared by concurrent calls: every call gets its own <see cref="State"/>.
/// </summary>
internal sealed class Plan
{
    private Plan(Compiler c, Instruction[] code)
    {
        Code = code;
        Counts = c.Counts;
        Slots = c.Slots;
        TensorOps = c.TensorOps.ToArray();
        Scans = c.Scans.ToArray();
        ScanGradients = c.ScanGradients.ToArray();
        Constants = c.Constants.ToArray();
        Inputs = c.Inputs;
        Nodes = c.Nodes.ToArray();
        TestKernel = c.TestKernel;
    }

    /// <summary>The nodes a monitored plan reports (none in a plain plan).</summary>
    public MonitoredNode[] Nodes { get; }
    /// <summary>The test-only kernel the plan was compiled with (<see cref="ModeRun.TestKernel"/>), if any.</summary>
    public Func<double, double, double>? TestKernel { get; }
    /// <summary>Whether the plan calls a mode's hooks (compiled for a <see cref="ScanMode"/>).</summary>
    public bool Monitored { get; private init; }

    public Instruction[] Code { get; }
    public SlotCounts Counts { get; }
    public TensorOp[] TensorOps { get; }
    public ScanPlan[] Scans { get; }
    public ScanGradientPlan[] ScanGradients { get; }
    private Dictionary<Variable, Slot> Slots { get; }
    private (Slot Slot, object Value)[] Constants { get; }
    private IReadOnlyList<InputVariable> Inputs { get; }

    /// <summary>Compiles the graph computing <paramref name="roots"/> from <paramref name="inputs"/>.</summary>
    public static Plan Compile(IReadOnlyList<InputVariable> inputs, IReadOnlyList<Variable> roots, bool monitored = false)
    {
        var c = new Compiler(inputs) { Monitored = monitored };
        var code = new List<Instruction>();
        var known = new HashSet<Variable>();
        foreach (var input in inputs)
        {
            c.Slots[input] = c.Counts.New(input.Type);
            known.Add(input);
        }
        foreach (var node in Compiler.Order(roots, known))
            switch (node)
            {
                case ScanOutputVariable output:
                    if (!c.Slots.ContainsKey(output))
                    {
                        c.Scans.Add(ScanPlan.Compile(output.Scan, c));
                        int scan = c.Scans.Count - 1;
                        if (monitored) code.Add(new Instruction(Interpreting.Code.ScanBegins, Op.Input, scan, 0, 0, 0));
                        code.Add(new Instruction(Interpreting.Code.Scan, Op.Input, scan, 0, 0, 0));
                        if (monitored) code.Add(new Instruction(Interpreting.Code.ScanEnds, Op.Input, scan, 0, 0, 0));
                    }
                    break;
                case ScanGradientVariable gradient:
                    // One backward scan gives the gradients of all the forward scan's inputs.
                    if (!c.Slots.ContainsKey(gradient))
                    {
                        // A monitored backward pass reports its nodes too, at its steps from the last back.
                        c.ScanGradients.Add(ScanGradientPlan.Compile(gradient.Node, c));
                        code.Add(new Instruction(Interpreting.Code.ScanGradient, Op.Input, c.ScanGradients.Count - 1, 0, 0, 0));
                    }
                    break;
                case InputVariable input:
                    throw new ArgumentException($"No value was given for input '{input}'.");
                default:
                    c.Emit(node, code, outer: true);
                    break;
            }
        return new Plan(c, code.ToArray()) { Monitored = monitored };
    }

    /// <summary>
    /// Runs the plan on one call's arguments (by input) and returns the call's state; a monitored plan runs in
    /// <paramref name="mode"/> (required for one).
    /// </summary>
    public State Run(IReadOnlyDictionary<InputVariable, object> arguments, CancellationToken cancellation, ScanMode? mode = null)
    {
        var s = new State(Counts, cancellation);
        if (Monitored) s.Mode = new ModeRun(mode ?? throw new ArgumentNullException(nameof(mode)), this);
        foreach (var (slot, value) in Constants) s.Unbox(slot, value);
        foreach (var input in Inputs)
        {
            var slot = Slots[input];
            if (slot.IsTensor) s.T[slot.Index] = (TensorValue)arguments[input];
            else s.Unbox(slot, arguments[input]);
        }
        try
        {
            Machine.Run(Code, s, this);
        }
        finally
        {
            s.Mode?.Finish();
        }
        return s;
    }

    /// <summary>A variable's value after <see cref="Run"/>: a <see cref="TensorValue"/> or a boxed scalar.</summary>
    public object Value(State s, Variable variable)
    {
        if (!Slots.TryGetValue(variable, out var slot))
            throw new ArgumentException($"No value was given for input '{variable}'.");
        return slot.IsTensor ? s.T[slot.Index] : s.Box(slot);
    }

    /// <summary>An outer tensor op: sized (and its buffer allocated) when it runs, once per call, then run.</summary>
    public void RunOuter(int op, State s)
    {
        var tensorOp = TensorOps[op];
        Size(tensorOp, s, "", null);
        Allocate(tensorOp, s);
        OpKernels.Run(tensorOp, s);
    }

    // ---- Sizes: resolved and checked once per call, in the generated code's words -----------------------------

    /// <summary>Infers and checks a tensor op's dimensions from its operands' (<see cref="ShapeRules"/>).</summary>
    public static void Size(TensorOp op, State s, string where, Func<Size, int>? precedence)
    {
        var inputs = op.Node.Inputs;
        var operands = new Size[inputs.Count][];
        for (int j = 0; j < operands.Length; j++) operands[j] = SizesOf(op.Operands[j], inputs[j], s);
        var sizes = InferSizes(op.Node, operands, where, precedence);
        if (op.Dest.IsTensor) s.Sizes[op.Dest.Index] = sizes;
    }

    /// <summary>A tensor op's buffer for this call, of the dimensions <see cref="Size"/> found.</summary>
    public static void Allocate(TensorOp op, State s)
    {
        if (!op.Dest.IsTensor) return;
        var sizes = s.Sizes[op.Dest.Index]!;
        var shape = new int[sizes.Length];
        for (int d = 0; d < shape.Length; d++) shape[d] = sizes[d].Value;
        s.T[op.Dest.Index] = TensorValue.Zeros(op.Kind, shape);
    }

    /// <summary>A value's dimensions: known (a step's, an op's, a trace's), or read from an input's value.</summary>
    public static Size[] SizesOf(Slot slot, Variable variable, State s)
    {
        if (!slot.IsTensor) return [];
        if (s.Sizes[slot.Index] is { } known) return known;
        var shape = s.T[slot.Index].Shape;
        Size[] sizes;
        if (variable is InputVariable input)
            sizes = Graph.Size.Of(input, shape);
        else
        {
            sizes = new Size[shape.Length];
            for (int d = 0; d < shape.Length; d++) sizes[d] = new Size(shape[d], $"dimension {d} of {Describe(variable)}", Describe(variable));
        }
        return s.Sizes[slot.Index] = sizes;
    }

    /// <summary>
    /// An op's result dimensions from its operands', checking every pair the shape rule ties together. Which
    /// parameter is blamed follows the generated code's rule (<see cref="ShapeRules.Blame{TDim}"/>) with the scan's
    /// <paramref name="precedence"/>; outside scans, the left operand establishes.
    /// </summary>
    public static Size[] InferSizes(ApplyVariable node, IReadOnlyList<Size[]> operands, string where, Func<Size, int>? precedence) =>
        ShapeRules.Infer(node.Op, operands, node.Axis, (first, second, what) =>
        {
            var (a, b) = ShapeRules.Blame(first, second, precedence ?? (_ => 0));
            ScanArguments.RequireSameSize(a.Value, b.Value, a.Text, b.Text, where + what, a.Parameter, b.Parameter);
        }, out var rankError) ?? throw new ArgumentException(rankError);

    /// <summary>How errors name a variable: an input by its (the user's parameter's) name.</summary>
    public static string Describe(Variable node) => node switch
    {
        { Name: { } name } => name,
        ApplyVariable a => $"{OpTable.Get(a.Op).Name} #{a.Id}",
        ScanOutputVariable s => $"output {s.Index} of scan '{s.Scan.Name}'",
        _ => node.ToString(),
    };
}

/// <summary>Compiles graph nodes into instructions: assigns slots, chooses kernels, inserts C#'s conversions.</summary>
internal sealed class Compiler
{
    public Compiler(IReadOnlyList<InputVariable> inputs) => Inputs = inputs;

    public IReadOnlyList<InputVariable> Inputs { get; }
    public SlotCounts Counts { get; } = new();
    public Dictionary<Variable, Slot> Slots { get; } = new();
    public List<TensorOp> TensorOps { get; } = new();
    public List<ScanPlan> Scans { get; } = new();
    public List<ScanGradientPlan> ScanGradients { get; } = new();
    public List<(Slot, object)> Constants { get; } = new();
    /// <summary>Whether each node's instructions are bracketed by <see cref="Code.Before"/>/<see cref="Code.After"/> (a plan for a mode).</summary>
    public bool Monitored { get; init; }
    /// <summary>The scan whose step is being compiled, or null for the outer code.</summary>
    public string? CurrentScan { get; set; }
    public List<MonitoredNode> Nodes { get; } = new();
    /// <summary>The test-only kernel of <see cref="ModeRun.TestKernel"/>, read once when compiling.</summary>
    public Func<double, double, double>? TestKernel { get; private set; }
    private readonly (Op Op, Func<double, double, double> Kernel)? _testKernel = ModeRun.TestKernel.Value;

    /// <summary>
    /// The variables <paramref name="roots"/> depend on, not <paramref name="known"/>, each after its inputs (the
    /// evaluation order of the step-by-step interpreter before it, so errors come in the same order). An explicit
    /// stack: no recursion, whatever the graph's depth.
    /// </summary>
    public static List<Variable> Order(IReadOnlyList<Variable> roots, HashSet<Variable> known)
    {
        var order = new List<Variable>();
        var visited = new HashSet<Variable>();
        var pending = new Stack<(Variable Node, bool InputsDone)>();
        for (int r = roots.Count - 1; r >= 0; r--) pending.Push((roots[r], false));
        while (pending.Count > 0)
        {
            var (node, inputsDone) = pending.Pop();
            if (inputsDone)
            {
                order.Add(node);
                continue;
            }
            if (known.Contains(node) || !visited.Add(node)) continue;
            pending.Push((node, true));
            for (int i = node.Inputs.Count - 1; i >= 0; i--) pending.Push((node.Inputs[i], false));
        }
        return order;
    }

    /// <summary>A constant or an op. A node already compiled elsewhere (a constant subgraph shared by a step and
    /// the outer graph) keeps its slot and is computed again where it is used: it is pure.</summary>
    public void Emit(Variable node, List<Instruction> code, bool outer)
    {
        switch (node)
        {
            case ConstantVariable constant:
                if (Slots.ContainsKey(constant)) return;
                var slot = Slots[constant] = Counts.New(constant.Type);
                Constants.Add((slot, ScalarOps.Cast(constant.Value, constant.Type.Element)));
                return;
            case ApplyVariable apply when Monitored:
                var operands = new Slot[apply.Inputs.Count];
                for (int j = 0; j < operands.Length; j++) operands[j] = Slots[apply.Inputs[j]];
                var monitored = new MonitoredNode(apply, operands, CurrentScan);
                Nodes.Add(monitored);
                code.Add(new Instruction(Code.Before, apply.Op, Nodes.Count - 1, 0, 0, 0));
                EmitApply(apply, code, outer);
                monitored.Dest = Slots[apply];
                code.Add(new Instruction(Code.After, apply.Op, Nodes.Count - 1, 0, 0, 0));
                return;
            case ApplyVariable apply:
                EmitApply(apply, code, outer);
                return;
            default:
                throw new NotSupportedException($"A step graph cannot contain {node.GetType().Name}.");
        }
    }

    private void EmitApply(ApplyVariable node, List<Instruction> code, bool outer)
    {
        var operands = new Slot[node.Inputs.Count];
        bool anyTensor = node.Type.Rank > 0;
        for (int j = 0; j < operands.Length; j++)
        {
            operands[j] = Slots[node.Inputs[j]];
            anyTensor |= operands[j].IsTensor;
        }
        if (!Slots.TryGetValue(node, out var dest))
            Slots[node] = dest = Counts.New(node.Type);
        // An observing op (Print) runs its kernel whatever its operands: the one place its effect is written.
        if (!anyTensor && OpTable.Get(node.Op).Effect == OpEffect.Pure)
        {
            EmitScalar(node.Op, node.Type.Element, operands, dest.Index, code, topLevel: true);
            return;
        }
        var kernel = OpKernels.Choose(node);
        var kind = node.Type.Element;
        TensorOp op;
        if (kernel == TensorKernel.PerElement)
        {
            // The op's scalar instructions, on scratch slots that receive each element of the tensor operands.
            var elementSlots = new int[operands.Length];
            var elementOperands = new Slot[operands.Length];
            for (int j = 0; j < operands.Length; j++)
                elementOperands[j] = operands[j].IsTensor ? Counts.New(operands[j].Kind, 0) : operands[j];
            for (int j = 0; j < operands.Length; j++) elementSlots[j] = elementOperands[j].Index;
            var result = Counts.New(kind, 0);
            var micro = new List<Instruction>();
            EmitScalar(node.Op, kind, elementOperands, result.Index, micro);
            op = new TensorOp { Node = node, Kernel = kernel, Operands = operands, Dest = dest, Micro = micro.ToArray(), ElementSlots = elementSlots, ResultScratch = result.Index };
        }
        else
        {
            // The vectorised kernels take scalars of the result's type: converted once, as C# would (a kernel
            // entry takes its scalar operands, an index, as they are).
            for (int j = 0; j < operands.Length; j++)
                if (kernel != TensorKernel.Entry && !operands[j].IsTensor && operands[j].Kind != kind)
                    operands[j] = new Slot(kind, 0, As(operands[j], kind, code));
            op = new TensorOp { Node = node, Kernel = kernel, Operands = operands, Dest = dest };
        }
        TensorOps.Add(op);
        code.Add(new Instruction(outer ? Code.OuterTensor : Code.Tensor, node.Op, TensorOps.Count - 1, 0, 0, dest.Index));
    }

    /// <summary>
    /// A scalar op: operands converted to the type C# computes it in (the result's; the widest operand's for a
    /// comparison; bool for a condition), then one instruction of that type.
    /// </summary>
    public void EmitScalar(Op op, ElementKind kind, Slot[] operands, int dest, List<Instruction> code, bool topLevel = false)
    {
        switch (OpTable.Get(op).Category)
        {
            case OpCategory.Conversion:
                code.Add(new Instruction(Code.Convert, op, operands[0].Index, 0, 0, dest, kind, operands[0].Kind));
                return;
            case OpCategory.Comparison:
                var common = ElementKinds.Promote(operands[0].Kind, operands[1].Kind);
                // An element of a tensor comparison is a mask (1 or 0 of the result's type): compared, then converted.
                int compared = kind == ElementKind.Bool ? dest : Counts.New(ElementKind.Bool, 0).Index;
                code.Add(new Instruction(Instruction.Of(Code.CompareBool, common), op, As(operands[0], common, code), As(operands[1], common, code), 0, compared));
                if (kind != ElementKind.Bool)
                    code.Add(new Instruction(Code.Convert, Op.Convert, compared, 0, 0, dest, kind, ElementKind.Bool));
                return;
            case OpCategory.Select:
                code.Add(new Instruction(Instruction.Of(Code.SelectBool, kind), op,
                    As(operands[0], ElementKind.Bool, code), As(operands[1], kind, code), As(operands[2], kind, code), dest));
                return;
        }
        if (op == Op.Sign)
        {
            // Math.Sign of the operand as C# picks the overload (an integer's sign is its double's).
            bool single = operands[0].Kind == ElementKind.Float32;
            var operandKind = single ? ElementKind.Float32 : ElementKind.Float64;
            // Math.Sign gives an int; an element of a tensor's Sign is of the tensor's type.
            int sign = kind == ElementKind.Int32 ? dest : Counts.New(ElementKind.Int32, 0).Index;
            code.Add(new Instruction(single ? Code.SignFloat32 : Code.SignFloat64, op, As(operands[0], operandKind, code), 0, 0, sign));
            if (kind != ElementKind.Int32)
                code.Add(new Instruction(Code.Convert, Op.Convert, sign, 0, 0, dest, kind, ElementKind.Int32));
            return;
        }
        OpKernels.RequireScalarKernel(op, kind);
        int a = As(operands[0], kind, code);
        int b = operands.Length > 1 ? As(operands[1], kind, code) : 0;
        int c = operands.Length > 2 ? As(operands[2], kind, code) : 0;
        if (topLevel && kind == ElementKind.Float64 && _testKernel is { } test && test.Op == op)
        {
            TestKernel = test.Kernel;
            code.Add(new Instruction(Code.TestKernel, op, a, b, c, dest));
            return;
        }
        code.Add(new Instruction(Instruction.Of(op, kind), op, a, b, c, dest));
    }

    /// <summary>The scalar slot holding <paramref name="slot"/>'s value as <paramref name="kind"/>: itself, or a conversion.</summary>
    private int As(Slot slot, ElementKind kind, List<Instruction> code)
    {
        if (slot.Kind == kind) return slot.Index;
        var converted = Counts.New(kind, 0);
        code.Add(new Instruction(Code.Convert, Op.Convert, slot.Index, 0, 0, converted.Index, kind, slot.Kind));
        return converted.Index;
    }
}
