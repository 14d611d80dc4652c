using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace SymGen.Graph.Interpreting;

/// <summary>
/// What an instruction does. The scalar codes come in runs of five, one per <see cref="ElementKind"/> in its order,
/// so a code is its run's first code plus the kind: one flat switch dispatches op family and type at once.
/// </summary>
internal enum Code : byte
{
    /// <summary>Operands and result of one kind: arithmetic, math functions, logic.</summary>
    Bool, Int32, Int64, Float32, Float64,
    /// <summary>A comparison of two operands of the kind; a bool result.</summary>
    CompareBool, CompareInt32, CompareInt64, CompareFloat32, CompareFloat64,
    /// <summary><c>cond ? a : b</c>: a bool condition, branches and result of the kind.</summary>
    SelectBool, SelectInt32, SelectInt64, SelectFloat32, SelectFloat64,
    /// <summary>A C# conversion from <see cref="Instruction.From"/> to <see cref="Instruction.Kind"/>.</summary>
    Convert,
    /// <summary><c>Math.Sign</c>/<c>MathF.Sign</c>: an int result.</summary>
    SignFloat32, SignFloat64,
    /// <summary>The commonest double ops, dispatched once rather than twice (<see cref="Code.Float64"/>, then the op).</summary>
    AddFloat64, SubtractFloat64, MultiplyFloat64, DivideFloat64,
    /// <summary>A tensor op (<see cref="TensorOp"/> number <see cref="Instruction.A"/>).</summary>
    Tensor,
    /// <summary>A tensor op of the outer code: sized and given its buffer when it runs (once per call), then run.</summary>
    OuterTensor,
    /// <summary>A scan (<see cref="ScanPlan"/> number <see cref="Instruction.A"/>); only in a function's outer code.</summary>
    Scan,
    /// <summary>A scan's backward pass (<see cref="ScanGradientPlan"/> number <see cref="Instruction.A"/>); only in a function's outer code.</summary>
    ScanGradient,
    // Only in a monitored plan (a ScanMode's): the plain plan never contains them, so costs nothing per step.
    /// <summary>Before node <see cref="Instruction.A"/> of <see cref="Plan.Nodes"/>: its inputs are computed.</summary>
    Before,
    /// <summary>After node <see cref="Instruction.A"/> of <see cref="Plan.Nodes"/>: its value is computed.</summary>
    After,
    /// <summary>The first instruction of a monitored scan's step: the step counter moves on.</summary>
    NextStep,
    /// <summary>Before and after scan <see cref="Instruction.A"/> (<see cref="Plan.Scans"/>) in a monitored plan.</summary>
    ScanBegins, ScanEnds,
    /// <summary>A double scalar op run by the test-only kernel of <see cref="ModeRun.TestKernel"/> (compiled in only while a test sets it).</summary>
    TestKernel,
}

/// <summary>
/// One step of a plan: an op on typed slots (indices into the state's arrays of its kind). Unused operands are 0,
/// a slot every array has.
/// </summary>
internal readonly record struct Instruction(Code Code, Op Op, int A, int B, int C, int Dest, ElementKind Kind = default, ElementKind From = default)
{
    public static Code Of(Code first, ElementKind kind) => (Code)((int)first + (int)kind);

    /// <summary>The instruction's code for a scalar op of one kind: a code of its own for the commonest.</summary>
    public static Code Of(Op op, ElementKind kind) => (op, kind) switch
    {
        (Op.Add, ElementKind.Float64) => Code.AddFloat64,
        (Op.Subtract, ElementKind.Float64) => Code.SubtractFloat64,
        (Op.Multiply, ElementKind.Float64) => Code.MultiplyFloat64,
        (Op.Divide, ElementKind.Float64) => Code.DivideFloat64,
        _ => Of(Code.Bool, kind),
    };
}

/// <summary>
/// A call's mutable state: the values of every slot of a plan, typed. Each call has its own; the plan is shared.
/// </summary>
internal sealed class State
{
    public State(SlotCounts counts, CancellationToken cancellation)
    {
        // Slot 0 of every kind exists, so that an unused operand can read it.
        D = new double[counts.Float64 + 1];
        F = new float[counts.Float32 + 1];
        L = new long[counts.Int64 + 1];
        I = new int[counts.Int32 + 1];
        B = new bool[counts.Bool + 1];
        T = new TensorValue[counts.Tensor + 1];
        Sizes = new Size[]?[counts.Tensor + 1];
        Cancellation = cancellation;
    }

    public readonly double[] D;
    public readonly float[] F;
    public readonly long[] L;
    public readonly int[] I;
    public readonly bool[] B;
    public readonly TensorValue[] T;
    /// <summary>Each tensor slot's dimensions and where they come from, once known in this call.</summary>
    public readonly Size[]?[] Sizes;
    public readonly CancellationToken Cancellation;
    /// <summary>The call's mode run, in a monitored plan; null in a plain one.</summary>
    public ModeRun? Mode;
    /// <summary>The step of the scan running, or -1 outside a loop (kept by a monitored plan only).</summary>
    public int Step = -1;

    /// <summary>A scalar slot's value, boxed (for results, once per call).</summary>
    public object Box(Slot slot) => slot.Kind switch
    {
        ElementKind.Float64 => D[slot.Index],
        ElementKind.Float32 => F[slot.Index],
        ElementKind.Int64 => L[slot.Index],
        ElementKind.Int32 => I[slot.Index],
        _ => B[slot.Index],
    };

    /// <summary>Sets a scalar slot from a boxed value of its kind (arguments, constants: once per call).</summary>
    public void Unbox(Slot slot, object value)
    {
        switch (slot.Kind)
        {
            case ElementKind.Float64: D[slot.Index] = (double)value; break;
            case ElementKind.Float32: F[slot.Index] = (float)value; break;
            case ElementKind.Int64: L[slot.Index] = (long)value; break;
            case ElementKind.Int32: I[slot.Index] = (int)value; break;
            default: B[slot.Index] = (bool)value; break;
        }
    }

    /// <summary>Scalar slot <paramref name="slot"/> of <paramref name="kind"/> = element <paramref name="index"/> of <paramref name="data"/>.</summary>
    public void Load(Array data, int index, ElementKind kind, int slot)
    {
        switch (kind)
        {
            case ElementKind.Float64: D[slot] = ((double[])data)[index]; break;
            case ElementKind.Float32: F[slot] = ((float[])data)[index]; break;
            case ElementKind.Int64: L[slot] = ((long[])data)[index]; break;
            case ElementKind.Int32: I[slot] = ((int[])data)[index]; break;
            default: B[slot] = ((bool[])data)[index]; break;
        }
    }

    /// <summary>Element <paramref name="index"/> of <paramref name="data"/> = scalar slot <paramref name="slot"/> of <paramref name="kind"/>.</summary>
    public void Store(Array data, int index, ElementKind kind, int slot)
    {
        switch (kind)
        {
            case ElementKind.Float64: ((double[])data)[index] = D[slot]; break;
            case ElementKind.Float32: ((float[])data)[index] = F[slot]; break;
            case ElementKind.Int64: ((long[])data)[index] = L[slot]; break;
            case ElementKind.Int32: ((int[])data)[index] = I[slot]; break;
            default: ((bool[])data)[index] = B[slot]; break;
        }
    }

    /// <summary>Scalar slot <paramref name="to"/> = slot <paramref name="from"/>, both of <paramref name="kind"/>.</summary>
    public void Copy(ElementKind kind, int from, int to)
    {
        switch (kind)
        {
            case ElementKind.Float64: D[to] = D[from]; break;
            case ElementKind.Float32: F[to] = F[from]; break;
            case ElementKind.Int64: L[to] = L[from]; break;
            case ElementKind.Int32: I[to] = I[from]; break;
            default: B[to] = B[from]; break;
        }
    }
}

/// <summary>Where a variable's value lives: a scalar slot of its kind, or (rank above 0) a tensor slot.</summary>
internal readonly record struct Slot(ElementKind Kind, int Rank, int Index)
{
    public bool IsTensor => Rank > 0;
}

/// <summary>How many slots of each kind a plan uses.</summary>
internal sealed class SlotCounts
{
    public int Bool, Int32, Int64, Float32, Float64, Tensor;

    public Slot New(TensorType type) => New(type.Element, type.Rank);

    public Slot New(ElementKind kind, int rank)
    {
        if (rank > 0) return new Slot(kind, rank, ++Tensor);
        int index = kind switch
        {
            ElementKind.Float64 => ++Float64,
            ElementKind.Float32 => ++Float32,
            ElementKind.Int64 => ++Int64,
            ElementKind.Int32 => ++Int32,
            _ => ++Bool,
        };
        return new Slot(kind, 0, index);
    }
}

/// <summary>Runs instructions: one flat switch per instruction, typed arrays, no boxing, no allocation.</summary>
internal static class Machine
{
    public static void Run(Instruction[] code, State s, Plan plan)
    {
        double[] d = s.D;
        ref double d0 = ref MemoryMarshal.GetArrayDataReference(d);
        float[] f = s.F;
        long[] l = s.L;
        int[] n = s.I;
        bool[] b = s.B;
        for (int k = 0; k < code.Length; k++)
        {
            ref readonly Instruction i = ref code[k];
            switch (i.Code)
            {
                // Slots are checked against the state's arrays when the plan is compiled: read them unchecked.
                case Code.AddFloat64: Unsafe.Add(ref d0, i.Dest) = Unsafe.Add(ref d0, i.A) + Unsafe.Add(ref d0, i.B); break;
                case Code.SubtractFloat64: Unsafe.Add(ref d0, i.Dest) = Unsafe.Add(ref d0, i.A) - Unsafe.Add(ref d0, i.B); break;
                case Code.MultiplyFloat64: Unsafe.Add(ref d0, i.Dest) = Unsafe.Add(ref d0, i.A) * Unsafe.Add(ref d0, i.B); break;
                case Code.DivideFloat64: Unsafe.Add(ref d0, i.Dest) = Unsafe.Add(ref d0, i.A) / Unsafe.Add(ref d0, i.B); break;
                case Code.Float64: d[i.Dest] = ScalarOps.Float(i.Op, d[i.A], d[i.B], d[i.C]); break;
                case Code.Float32: f[i.Dest] = ScalarOps.Float(i.Op, f[i.A], f[i.B], f[i.C]); break;
                case Code.Int64: l[i.Dest] = ScalarOps.Integer(i.Op, l[i.A], l[i.B]); break;
                case Code.Int32: n[i.Dest] = ScalarOps.Integer(i.Op, n[i.A], n[i.B]); break;
                case Code.Bool: b[i.Dest] = ScalarOps.Logical(i.Op, b[i.A], b[i.B]); break;
                case Code.CompareFloat64: b[i.Dest] = ScalarOps.Compare(i.Op, d[i.A], d[i.B]); break;
                case Code.CompareFloat32: b[i.Dest] = ScalarOps.Compare(i.Op, f[i.A], f[i.B]); break;
                case Code.CompareInt64: b[i.Dest] = ScalarOps.Compare(i.Op, l[i.A], l[i.B]); break;
                case Code.CompareInt32: b[i.Dest] = ScalarOps.Compare(i.Op, n[i.A], n[i.B]); break;
                case Code.CompareBool: b[i.Dest] = ScalarOps.Compare(i.Op, b[i.A] ? 1 : 0, b[i.B] ? 1 : 0); break;
                case Code.SelectFloat64: d[i.Dest] = b[i.A] ? d[i.B] : d[i.C]; break;
                case Code.SelectFloat32: f[i.Dest] = b[i.A] ? f[i.B] : f[i.C]; break;
                case Code.SelectInt64: l[i.Dest] = b[i.A] ? l[i.B] : l[i.C]; break;
                case Code.SelectInt32: n[i.Dest] = b[i.A] ? n[i.B] : n[i.C]; break;
                case Code.SelectBool: b[i.Dest] = b[i.A] ? b[i.B] : b[i.C]; break;
                case Code.SignFloat64: n[i.Dest] = Math.Sign(d[i.A]); break;
                case Code.SignFloat32: n[i.Dest] = MathF.Sign(f[i.A]); break;
                case Code.Convert: Convert(in i, s); break;
                case Code.Tensor: OpKernels.Run(plan.TensorOps[i.A], s); break;
                case Code.OuterTensor: plan.RunOuter(i.A, s); break;
                case Code.Scan: plan.Scans[i.A].Run(s, plan); break;
                case Code.ScanGradient: plan.ScanGradients[i.A].Run(s, plan); break;
                case Code.Before: s.Mode!.Before(i.A, s); break;
                case Code.After: s.Mode!.After(i.A, s); break;
                case Code.NextStep: s.Step++; break;
                case Code.ScanBegins: s.Mode!.ScanBegins(i.A, s); break;
                case Code.ScanEnds: s.Mode!.ScanEnds(i.A, s); break;
                case Code.TestKernel: d[i.Dest] = plan.TestKernel!(d[i.A], d[i.B]); break;
            }
        }
    }

    /// <summary>C#'s conversions (unchecked), as the generated code's casts; bool converts as 0 or 1, and to (x != 0).</summary>
    private static void Convert(in Instruction i, State s)
    {
        switch (i.From)
        {
            case ElementKind.Float64: Set(s, i.Kind, i.Dest, s.D[i.A]); break;
            case ElementKind.Float32:
                float f = s.F[i.A];
                switch (i.Kind)
                {
                    case ElementKind.Float64: s.D[i.Dest] = f; break;
                    case ElementKind.Float32: s.F[i.Dest] = f; break;
                    case ElementKind.Int64: s.L[i.Dest] = unchecked((long)f); break;
                    case ElementKind.Int32: s.I[i.Dest] = unchecked((int)f); break;
                    default: s.B[i.Dest] = f != 0; break;
                }
                break;
            case ElementKind.Int64: Set(s, i.Kind, i.Dest, s.L[i.A]); break;
            case ElementKind.Int32: Set(s, i.Kind, i.Dest, (long)s.I[i.A]); break;
            default: Set(s, i.Kind, i.Dest, s.B[i.A] ? 1L : 0L); break;
        }
    }

    private static void Set(State s, ElementKind kind, int dest, double v)
    {
        switch (kind)
        {
            case ElementKind.Float64: s.D[dest] = v; break;
            case ElementKind.Float32: s.F[dest] = (float)v; break;
            case ElementKind.Int64: s.L[dest] = unchecked((long)v); break;
            case ElementKind.Int32: s.I[dest] = unchecked((int)v); break;
            default: s.B[dest] = v != 0; break;
        }
    }

    /// <summary>From an integer (an int widens to long first, exactly): C#'s casts of the integer.</summary>
    private static void Set(State s, ElementKind kind, int dest, long v)
    {
        switch (kind)
        {
            case ElementKind.Float64: s.D[dest] = v; break;
            case ElementKind.Float32: s.F[dest] = v; break;
            case ElementKind.Int64: s.L[dest] = v; break;
            case ElementKind.Int32: s.I[dest] = unchecked((int)v); break;
            default: s.B[dest] = v != 0; break;
        }
    }
}
