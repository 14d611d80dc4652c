using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SymGen.Graph.Interpreting;

/// <summary>How a tensor op runs: a kernel of <see cref="Kernels"/>, or the op's scalar kernel element by element.</summary>
internal enum TensorKernel : byte
{
    /// <summary>An op's kernel entry in <see cref="Kernels"/> (its row's Kernel), called with each operand's Dims.</summary>
    Entry,
    Unary,
    /// <summary>Two tensors of one shape.</summary>
    Binary,
    /// <summary>A matrix and a vector broadcast over its rows (left) / a vector and a matrix (right).</summary>
    BinaryRowsLeft, BinaryRowsRight,
    BinaryTensorScalar, BinaryScalarTensor,
    Where,
    /// <summary>Any elementwise op, any element types: the op's scalar instructions per element.</summary>
    PerElement,
}

/// <summary>
/// A tensor op of a plan (an op with a tensor operand or result): its kernel, chosen once when the graph is compiled,
/// and its operands' slots. Immutable: buffers and sizes live in each call's <see cref="State"/>.
/// </summary>
internal sealed class TensorOp
{
    public required ApplyVariable Node { get; init; }
    public required TensorKernel Kernel { get; init; }
    /// <summary>The operands' slots; scalar operands of a vectorised kernel already converted to <see cref="Kind"/>.</summary>
    public required Slot[] Operands { get; init; }
    public required Slot Dest { get; init; }
    /// <summary>The element type the kernel computes in (the result's).</summary>
    public ElementKind Kind => Node.Type.Element;

    // PerElement: per element, each tensor operand's element is loaded into its scratch slot, Micro runs, and the
    // result scratch slot is stored.
    public Instruction[] Micro { get; init; } = [];
    public int[] ElementSlots { get; init; } = [];
    public int ResultScratch { get; init; }
}

/// <summary>
/// The interpreter's kernels, and the one place where an op's kernel is chosen (<see cref="Choose"/> for tensor ops,
/// <see cref="RequireScalarKernel"/> for scalars). An elementwise op needs nothing here: its scalar kernel
/// (<see cref="ScalarOps"/>) runs per element unless TensorPrimitives has it; any other op calls its row's kernel
/// entry in <see cref="Kernels"/> (<see cref="Entry{T}"/>), so a new kernel entry is a case there.
/// </summary>
internal static class OpKernels
{
    /// <summary>
    /// Throws, when the graph is compiled, for a scalar op of a type its kernel lacks (probing the kernel with
    /// harmless operands: the kernels' switches are the only list of what they compute).
    /// </summary>
    public static void RequireScalarKernel(Op op, ElementKind kind)
    {
        switch (kind)
        {
            case ElementKind.Float64: ScalarOps.Float(op, 1.0, 1.0, 1.0); break;
            case ElementKind.Float32: ScalarOps.Float(op, 1f, 1f, 1f); break;
            case ElementKind.Int64: ScalarOps.Integer(op, 1L, 1L); break;
            case ElementKind.Int32: ScalarOps.Integer(op, 1, 1); break;
            default: ScalarOps.Logical(op, true, true); break;
        }
    }

    private static NotSupportedException NoTensorKernel(ApplyVariable node) =>
        new($"The interpreter has no tensor kernel for {OpTable.Get(node.Op).Name} on {string.Join(", ", node.Inputs.Select(i => i.Type))} (giving a {node.Type}).");

    // ---- Tensor kernels -----------------------------------------------------------------------------------------

    /// <summary>
    /// The kernel of a tensor op, from its op and its operands' types (ranks decide Dot's form and broadcasting;
    /// sizes are checked per call). Vectorised kernels take float or double operands of the result's type (scalars
    /// are converted first); every other elementwise case runs the op's scalar kernel per element.
    /// </summary>
    public static TensorKernel Choose(ApplyVariable node)
    {
        var info = OpTable.Get(node.Op);
        var kind = node.Type.Element;
        var inputs = node.Inputs;
        // Print writes any value, scalar or tensor, through its kernel (Run's Print).
        if (node.Op == Op.Print) return TensorKernel.Entry;
        bool floating = kind is ElementKind.Float64 or ElementKind.Float32;
        bool sameKind = true;
        foreach (var input in inputs)
            if (input.Type.Rank > 0 && input.Type.Element != kind) sameKind = false;
        if (info.IsElementwise)
        {
            if (!floating || !sameKind) return TensorKernel.PerElement;
            int r0 = inputs[0].Type.Rank, r1 = inputs.Count > 1 ? inputs[1].Type.Rank : 0;
            if (inputs.Count == 1 && Kernels.HasVectorisedUnary(node.Op)) return TensorKernel.Unary;
            if (inputs.Count == 2 && Kernels.HasVectorisedBinary(node.Op))
                return (r0, r1) switch
                {
                    (0, _) => TensorKernel.BinaryScalarTensor,
                    (_, 0) => TensorKernel.BinaryTensorScalar,
                    _ when r0 == r1 => TensorKernel.Binary,
                    _ when r0 > r1 => TensorKernel.BinaryRowsLeft,
                    _ => TensorKernel.BinaryRowsRight,
                };
            if (node.Op == Op.Select && inputs[0].Type.Rank == node.Type.Rank && inputs[0].Type.Element == kind
                && inputs[1].Type.Rank == node.Type.Rank && inputs[2].Type.Rank == node.Type.Rank)
                return TensorKernel.Where;
            return TensorKernel.PerElement;
        }
        // Every other op calls its row's kernel entry, in the element type of its tensor operands.
        var element = inputs.First(i => i.Type.Rank > 0).Type.Element;
        if (info.Kernel is null || element is not (ElementKind.Float64 or ElementKind.Float32)
            || inputs.Any(i => i.Type.Rank > 0 && i.Type.Element != element)
            || (node.Type.Element != element && node.Type is not { Rank: 0, Element: ElementKind.Int32 }))
            throw NoTensorKernel(node);
        return TensorKernel.Entry;
    }

    /// <summary>Runs a tensor op on this call's buffers.</summary>
    public static void Run(TensorOp op, State s)
    {
        if (op.Node.Op == Op.Print) Print(op, s);
        else if (op.Kernel == TensorKernel.PerElement) PerElement(op, s);
        else if (op.Kernel == TensorKernel.Entry)
        {
            if (op.Node.Inputs[0].Type.Element == ElementKind.Float32) Entry<float>(op, s);
            else Entry<double>(op, s);
        }
        else if (op.Kind == ElementKind.Float64) Run<double>(op, s);
        else Run<float>(op, s);
    }

    private static void Run<T>(TensorOp op, State s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = op.Operands;
        var t = s.T;
        var dest = t[op.Dest.Index].Span<T>();
        // A scalar first operand (BinaryScalarTensor) is in the scalar slots, not the tensors.
        TensorValue a = x[0].IsTensor ? t[x[0].Index] : null!;
        switch (op.Kernel)
        {
            case TensorKernel.Unary: Kernels.Unary<T>(op.Node.Op, a.Span<T>(), dest); break;
            case TensorKernel.Binary: Kernels.Binary<T>(op.Node.Op, a.Span<T>(), t[x[1].Index].Span<T>(), dest); break;
            case TensorKernel.BinaryTensorScalar: Kernels.Binary<T>(op.Node.Op, a.Span<T>(), Scalar<T>(s, x[1].Index), dest); break;
            case TensorKernel.BinaryScalarTensor: Kernels.Binary<T>(op.Node.Op, Scalar<T>(s, x[0].Index), t[x[1].Index].Span<T>(), dest); break;
            case TensorKernel.BinaryRowsLeft:
            {
                Span<T> matrix = a.Span<T>(), vector = t[x[1].Index].Span<T>();
                for (int r = 0, width = vector.Length; r < a.Shape[0]; r++)
                    Kernels.Binary<T>(op.Node.Op, matrix.Slice(r * width, width), vector, dest.Slice(r * width, width));
                break;
            }
            case TensorKernel.BinaryRowsRight:
            {
                var b = t[x[1].Index];
                Span<T> vector = a.Span<T>(), matrix = b.Span<T>();
                for (int r = 0, width = vector.Length; r < b.Shape[0]; r++)
                    Kernels.Binary<T>(op.Node.Op, vector, matrix.Slice(r * width, width), dest.Slice(r * width, width));
                break;
            }
            case TensorKernel.Where: Kernels.Where<T>(a.Span<T>(), t[x[1].Index].Span<T>(), t[x[2].Index].Span<T>(), dest); break;
        }
    }

    /// <summary>
    /// An op's kernel entry (its row's Kernel names it; the op is passed when the entry serves several): each tensor
    /// operand with its Dims, a scalar index as a long, the axis of a reduction along one, then the destination of
    /// a tensor result or the scalar slot of a scalar one.
    /// </summary>
    private static void Entry<T>(TensorOp op, State s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = op.Operands;
        var node = op.Node;
        var a = s.T[x[0].Index];
        ReadOnlySpan<T> xa = a.Span<T>();
        var da = Dims.Of(a.Shape);
        TensorValue? b = x.Length > 1 && x[1].IsTensor ? s.T[x[1].Index] : null;
        ReadOnlySpan<T> xb = b is null ? default : b.Span<T>();
        var db = b is null ? Dims.Scalar : Dims.Of(b.Shape);
        if (node.Type.Rank == 0)
        {
            switch (node.Op)
            {
                case Op.ArgMax or Op.ArgMin: s.I[op.Dest.Index] = Kernels.ArgReduce<T>(node.Op, xa, da); return;
                case Op.Dot: Scalar<T>(s, op.Dest.Index) = Kernels.Dot<T>(xa, da, xb, db); return;
                case Op.Trace: Scalar<T>(s, op.Dest.Index) = Kernels.Trace<T>(xa, da); return;
                case Op.Index: Scalar<T>(s, op.Dest.Index) = Kernels.Index<T>(xa, da, Long(s, x[1])); return;
                default: Scalar<T>(s, op.Dest.Index) = Kernels.Reduce<T>(node.Op, xa, da); return;
            }
        }
        var dest = s.T[op.Dest.Index].Span<T>();
        switch (OpTable.Get(node.Op).Kernel)
        {
            case "Dot": Kernels.Dot<T>(xa, da, xb, db, dest); break;
            case "Reduce": Kernels.Reduce<T>(node.Op, xa, da, node.Axis, dest); break;
            case "ArgReduce": Kernels.ArgReduce<T>(node.Op, xa, da, node.Axis, dest); break;
            case "Softmax": Kernels.Softmax<T>(xa, da, dest); break;
            case "LogSoftmax": Kernels.LogSoftmax<T>(xa, da, dest); break;
            case "Transpose": Kernels.Transpose<T>(xa, da, dest); break;
            case "Outer": Kernels.Outer<T>(xa, da, xb, db, dest); break;
            case "Diagonal": Kernels.Diagonal<T>(xa, da, dest); break;
            case "Index": Kernels.Index<T>(xa, da, Long(s, x[1]), dest); break;
            case "SetIndex" when b is null: Kernels.SetIndex<T>(xa, da, Scalar<T>(s, x[1].Index), Long(s, x[2]), dest); break;
            case "SetIndex": Kernels.SetIndex<T>(xa, da, xb, db, Long(s, x[2]), dest); break;
            case "SetDiagonal": Kernels.SetDiagonal<T>(xa, da, xb, db, dest); break;
            default: throw new NotSupportedException($"The interpreter calls no kernel entry named {OpTable.Get(node.Op).Kernel} for {OpTable.Get(node.Op).Name}.");
        }
    }

    /// <summary>Print's kernel (the generated loop's call): writes the operand with the node's label, and passes it on.</summary>
    private static void Print(TensorOp op, State s)
    {
        var x = op.Operands[0];
        int dest = op.Dest.Index;
        var label = op.Node.Text!;
        if (!x.IsTensor)
        {
            switch (x.Kind)
            {
                case ElementKind.Float64: s.D[dest] = Kernels.Print(s.D[x.Index], label); break;
                case ElementKind.Float32: s.F[dest] = Kernels.Print(s.F[x.Index], label); break;
                case ElementKind.Int64: s.L[dest] = Kernels.Print(s.L[x.Index], label); break;
                case ElementKind.Int32: s.I[dest] = Kernels.Print(s.I[x.Index], label); break;
                default: s.B[dest] = Kernels.Print(s.B[x.Index], label); break;
            }
            return;
        }
        var value = s.T[x.Index];
        var dims = Dims.Of(value.Shape);
        var result = s.T[dest];
        switch (x.Kind)
        {
            case ElementKind.Float64: Kernels.Print<double>(value.Span<double>(), dims, label, result.Span<double>()); break;
            case ElementKind.Float32: Kernels.Print<float>(value.Span<float>(), dims, label, result.Span<float>()); break;
            case ElementKind.Int64: Kernels.Print<long>(value.Span<long>(), dims, label, result.Span<long>()); break;
            case ElementKind.Int32: Kernels.Print<int>(value.Span<int>(), dims, label, result.Span<int>()); break;
            default: Kernels.Print<bool>(value.Span<bool>(), dims, label, result.Span<bool>()); break;
        }
    }

    /// <summary>An integer scalar slot as a long (an index).</summary>
    private static long Long(State s, Slot slot) => slot.Kind == ElementKind.Int64 ? s.L[slot.Index] : s.I[slot.Index];

    /// <summary>A float or double scalar slot by reference, for the generic kernels (no boxing).</summary>
    private static ref T Scalar<T>(State s, int index) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return ref Unsafe.As<double, T>(ref s.D[index]);
        return ref Unsafe.As<float, T>(ref s.F[index]);
    }

    /// <summary>
    /// An elementwise op element by element with its scalar instructions: each operand read in its own type and
    /// converted as C# would, a vector operand broadcast over a matrix's rows.
    /// </summary>
    private static void PerElement(TensorOp op, State s)
    {
        var dest = s.T[op.Dest.Index];
        var x = op.Operands;
        int length = dest.Length, columns = dest.Shape[^1];
        for (int e = 0; e < length; e++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                if (!x[j].IsTensor) continue;
                var v = s.T[x[j].Index];
                s.Load(v.Data, v.Offset + (v.Shape.Length == dest.Shape.Length ? e : e % columns), x[j].Kind, op.ElementSlots[j]);
            }
            Machine.Run(op.Micro, s, null!);
            s.Store(dest.Data, dest.Offset + e, dest.Kind, op.ResultScratch);
        }
    }
}
