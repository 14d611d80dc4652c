using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// The tensor kernels, on spans: the eager operators and <see cref="Sym"/> call them, and so does generated code for
/// every op it does not fuse into a loop of its own (Dot, reductions, Softmax), and so does the interpreter. Vectorised
/// with <see cref="TensorPrimitives"/>, except the matrix products: blocked FMA kernels of their own, on the widest
/// accelerated vectors (float and double; other types fall back to TensorPrimitives). Nothing here allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Kernels
{
    // ---- Elementwise --------------------------------------------------------------------------------------------

    /// <summary><paramref name="destination"/>[i] = x[i] op y[i].</summary>
    public static void Binary<T>(Op op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(x, y, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(x, y, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Atan2: TensorPrimitives.Atan2(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(x, y, destination); break;
            case Op.Minimum: TensorPrimitives.Min(x, y, destination); break;
            default: // no vectorised form (Remainder, Atan2...): the op's scalar kernel per element
                RequireLength(y.Length, x.Length, op.ToString());
                RequireLength(destination.Length, x.Length, op.ToString());
                for (int i = 0; i < destination.Length; i++) destination[i] = ScalarOps.Float(op, x[i], y[i], T.Zero);
                break;
        }
    }

    /// <summary><paramref name="destination"/>[i] = x[i] op y.</summary>
    public static void Binary<T>(Op op, ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(x, y, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(x, y, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Atan2: TensorPrimitives.Atan2(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(x, y, destination); break;
            case Op.Minimum: TensorPrimitives.Min(x, y, destination); break;
            default:
                RequireLength(destination.Length, x.Length, op.ToString());
                for (int i = 0; i < destination.Length; i++) destination[i] = ScalarOps.Float(op, x[i], y, T.Zero);
                break;
        }
    }

    /// <summary><paramref name="destination"/>[i] = x op y[i].</summary>
    public static void Binary<T>(Op op, T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Add: TensorPrimitives.Add(y, x, destination); break;
            case Op.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
            case Op.Multiply: TensorPrimitives.Multiply(y, x, destination); break;
            case Op.Divide: TensorPrimitives.Divide(x, y, destination); break;
            case Op.Pow: TensorPrimitives.Pow(x, y, destination); break;
            case Op.Atan2: TensorPrimitives.Atan2(x, y, destination); break;
            case Op.Maximum: TensorPrimitives.Max(y, x, destination); break;
            case Op.Minimum: TensorPrimitives.Min(y, x, destination); break;
            default:
                RequireLength(destination.Length, y.Length, op.ToString());
                for (int i = 0; i < destination.Length; i++) destination[i] = ScalarOps.Float(op, x, y[i], T.Zero);
                break;
        }
    }

    /// <summary><paramref name="destination"/>[i] = op(x[i]).</summary>
    public static void Unary<T>(Op op, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty && destination.IsEmpty) return; // TensorPrimitives.Sigmoid rejects empty spans
        switch (op)
        {
            case Op.Negate: TensorPrimitives.Negate(x, destination); break;
            case Op.Abs: TensorPrimitives.Abs(x, destination); break;
            case Op.Sqrt: TensorPrimitives.Sqrt(x, destination); break;
            case Op.Exp: TensorPrimitives.Exp(x, destination); break;
            case Op.Log: TensorPrimitives.Log(x, destination); break;
            case Op.Cbrt: TensorPrimitives.Cbrt(x, destination); break;
            case Op.Log2: TensorPrimitives.Log2(x, destination); break;
            case Op.Log10: TensorPrimitives.Log10(x, destination); break;
            case Op.Sin: TensorPrimitives.Sin(x, destination); break;
            case Op.Cos: TensorPrimitives.Cos(x, destination); break;
            case Op.Asin: TensorPrimitives.Asin(x, destination); break;
            case Op.Acos: TensorPrimitives.Acos(x, destination); break;
            case Op.Atan: TensorPrimitives.Atan(x, destination); break;
            case Op.Floor: TensorPrimitives.Floor(x, destination); break;
            case Op.Ceiling: TensorPrimitives.Ceiling(x, destination); break;
            case Op.Truncate: TensorPrimitives.Truncate(x, destination); break;
            case Op.Round: TensorPrimitives.Round(x, destination); break;
            case Op.Tanh: TensorPrimitives.Tanh(x, destination); break;
            case Op.Sigmoid: TensorPrimitives.Sigmoid(x, destination); break;
            case Op.Relu: TensorPrimitives.Max(x, T.Zero, destination); break;
            default: throw NotElementwise(op, 1);
        }
    }

    /// <summary><paramref name="destination"/>[i] = condition[i] != 0 ? a[i] : b[i] (Theano's switch).</summary>
    public static void Where<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(a.Length, condition.Length, "Where");
        RequireLength(b.Length, condition.Length, "Where");
        RequireLength(destination.Length, condition.Length, "Where");
        for (int i = 0; i < condition.Length; i++)
            destination[i] = condition[i] != T.Zero ? a[i] : b[i];
    }

    // ---- Dot products -------------------------------------------------------------------------------------------

    /// <summary>x · y.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Dot(x, y);

    /// <summary>destination = W x, for W of <paramref name="rows"/> x <paramref name="columns"/> (row-major).</summary>
    public static void MatVec<T>(ReadOnlySpan<T> w, int rows, int columns, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireMatrix(w.Length, rows, columns, "Dot(matrix, vector)");
        RequireLength(x.Length, columns, "Dot(matrix, vector)");
        RequireLength(destination.Length, rows, "Dot(matrix, vector)");
        ref T w0 = ref MemoryMarshal.GetReference(w);
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        int width = MatVecWidth<T>(columns);
        if (width == 0)
            for (int r = 0; r < rows; r++)
                destination[r] = TensorPrimitives.Dot(w.Slice(r * columns, columns), x);
        else if (width == Vector512<T>.Count) MatVec<T, Vector512<T>, Simd512<T>>(ref w0, rows, columns, ref x0, ref d0);
        else if (width == Vector256<T>.Count) MatVec<T, Vector256<T>, Simd256<T>>(ref w0, rows, columns, ref x0, ref d0);
        else MatVec<T, Vector128<T>, Simd128<T>>(ref w0, rows, columns, ref x0, ref d0);
    }

    /// <summary>
    /// The vector width (elements) of the mat-vec kernel for rows of <paramref name="columns"/>, 0 for the scalar one.
    /// 512-bit vectors only for rows of 2 KB or more: each row's accumulator is summed across its lanes once, and on
    /// shorter rows those sums cost more than the wider FMAs save (measured, benchmarks/README).
    /// </summary>
    internal static int MatVecWidth<T>(int columns) where T : unmanaged, IFloatingPointIeee754<T> =>
        !IsSimd<T>() ? 0
        : Vector512.IsHardwareAccelerated && (long)columns * Unsafe.SizeOf<T>() >= WideRowBytes ? Vector512<T>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<T>.Count
        : Vector128<T>.Count;

    private const int WideRowBytes = 2048;

    /// <summary>destination = xᵀ W, for W of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public static void VecMat<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, int rows, int columns, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireMatrix(w.Length, rows, columns, "Dot(vector, matrix)");
        RequireLength(x.Length, rows, "Dot(vector, matrix)");
        RequireLength(destination.Length, columns, "Dot(vector, matrix)");
        VecMatUnchecked(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(w), rows, columns, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>destination = A B, for A of n x k and B of k x m.</summary>
    public static void MatMul<T>(ReadOnlySpan<T> a, int n, int k, ReadOnlySpan<T> b, int m, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireMatrix(a.Length, n, k, "Dot(matrix, matrix)");
        RequireMatrix(b.Length, k, m, "Dot(matrix, matrix)");
        RequireMatrix(destination.Length, n, m, "Dot(matrix, matrix)");
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        MatMulUnchecked(ref a0, n, k, ref b0, m, ref d0); // four rows per pass (Kernels.MatMul.cs)
    }

    /// <summary>
    /// destination += Aᵀ B, for A of rows x m and B of rows x n (destination m x n): a gradient's sum over steps of
    /// outer products aₜ bₜᵀ, as one product over the stored rows after a backward loop. Blocks of four rows by two
    /// vectors of the destination stay in registers while the rows of A and B stream past (Kernels.MatMul.cs);
    /// each element adds its terms in order of the rows, one FMA each. Nothing allocated.
    /// </summary>
    public static void AddTransposedProduct<T>(ReadOnlySpan<T> a, int rows, int m, ReadOnlySpan<T> b, int n, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireMatrix(a.Length, rows, m, "AddTransposedProduct (A)");
        RequireMatrix(b.Length, rows, n, "AddTransposedProduct (B)");
        RequireMatrix(destination.Length, m, n, "AddTransposedProduct (destination)");
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        if (!IsSimd<T>()) AddTransposedProductScalar(ref a0, rows, m, ref b0, n, 0, 0, ref d0);
        else if (Vector512.IsHardwareAccelerated) AddTransposedProductBlocks<T, Vector512<T>, Simd512<T>>(ref a0, rows, m, ref b0, n, ref d0);
        else if (Vector256.IsHardwareAccelerated) AddTransposedProductBlocks<T, Vector256<T>, Simd256<T>>(ref a0, rows, m, ref b0, n, ref d0);
        else AddTransposedProductBlocks<T, Vector128<T>, Simd128<T>>(ref a0, rows, m, ref b0, n, ref d0);
    }

    private static void VecMatUnchecked<T>(ref T x, ref T w, int rows, int columns, ref T destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!IsSimd<T>())
        {
            var result = MemoryMarshal.CreateSpan(ref destination, columns);
            result.Clear();
            for (int r = 0; r < rows; r++)
            {
                var row = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref w, (nint)r * columns), columns);
                TensorPrimitives.MultiplyAdd(row, Unsafe.Add(ref x, r), result, result);
            }
        }
        else if (Vector512.IsHardwareAccelerated) VecMat<T, Vector512<T>, Simd512<T>>(ref x, ref w, rows, columns, ref destination);
        else if (Vector256.IsHardwareAccelerated) VecMat<T, Vector256<T>, Simd256<T>>(ref x, ref w, rows, columns, ref destination);
        else VecMat<T, Vector128<T>, Simd128<T>>(ref x, ref w, rows, columns, ref destination);
    }

    // The SIMD kernels: float and double on the widest accelerated vectors (typeof checks are JIT-time constants, and
    // each width is its own specialisation, so the calls through TSimd inline to single instructions).
    private static bool IsSimd<T>() =>
        (typeof(T) == typeof(double) || typeof(T) == typeof(float)) && Vector128.IsHardwareAccelerated;

    /// <summary>Rows of W per pass of the mat-vec (also the block of <see cref="PackedMatrix{T}"/>).</summary>
    internal const int RowBlock = 4;

    /// <summary>
    /// Four rows per pass: each load of x feeds four FMAs into four independent accumulators (hiding the FMA latency
    /// and quartering the reads of x); each row's accumulator is summed horizontally once, then the scalar tail.
    /// </summary>
    private static void MatVec<T, TVector, TSimd>(ref T w, int rows, int columns, ref T x, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, r = 0;
        for (; r <= rows - RowBlock; r += RowBlock)
        {
            ref T w0 = ref Unsafe.Add(ref w, (nint)r * columns);
            ref T w1 = ref Unsafe.Add(ref w0, columns);
            ref T w2 = ref Unsafe.Add(ref w1, columns);
            ref T w3 = ref Unsafe.Add(ref w2, columns);
            TVector s0 = TSimd.Zero, s1 = s0, s2 = s0, s3 = s0;
            int c = 0;
            for (; c <= columns - width; c += width)
            {
                TVector xv = TSimd.Load(ref x, (nuint)c);
                s0 = TSimd.Fma(TSimd.Load(ref w0, (nuint)c), xv, s0);
                s1 = TSimd.Fma(TSimd.Load(ref w1, (nuint)c), xv, s1);
                s2 = TSimd.Fma(TSimd.Load(ref w2, (nuint)c), xv, s2);
                s3 = TSimd.Fma(TSimd.Load(ref w3, (nuint)c), xv, s3);
            }
            T d0 = TSimd.Sum(s0), d1 = TSimd.Sum(s1), d2 = TSimd.Sum(s2), d3 = TSimd.Sum(s3);
            for (; c < columns; c++)
            {
                T xc = Unsafe.Add(ref x, c);
                d0 += Unsafe.Add(ref w0, c) * xc;
                d1 += Unsafe.Add(ref w1, c) * xc;
                d2 += Unsafe.Add(ref w2, c) * xc;
                d3 += Unsafe.Add(ref w3, c) * xc;
            }
            Unsafe.Add(ref destination, r) = d0;
            Unsafe.Add(ref destination, r + 1) = d1;
            Unsafe.Add(ref destination, r + 2) = d2;
            Unsafe.Add(ref destination, r + 3) = d3;
        }
        for (; r < rows; r++)
        {
            ref T w0 = ref Unsafe.Add(ref w, (nint)r * columns);
            TVector s0 = TSimd.Zero;
            int c = 0;
            for (; c <= columns - width; c += width)
                s0 = TSimd.Fma(TSimd.Load(ref w0, (nuint)c), TSimd.Load(ref x, (nuint)c), s0);
            T d0 = TSimd.Sum(s0);
            for (; c < columns; c++)
                d0 += Unsafe.Add(ref w0, c) * Unsafe.Add(ref x, c);
            Unsafe.Add(ref destination, r) = d0;
        }
    }

    /// <summary>
    /// Column blocks of four vectors held in registers while the rows stream past (x[r] broadcast, one FMA per
    /// vector), so the destination is written once instead of read and written once per row; then single vectors,
    /// then the scalar columns.
    /// </summary>
    private static void VecMat<T, TVector, TSimd>(ref T x, ref T w, int rows, int columns, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct where TSimd : struct, ISimd<T, TVector>
    {
        int width = TSimd.Count, c = 0;
        for (; c <= columns - 4 * width; c += 4 * width)
        {
            TVector s0 = TSimd.Zero, s1 = s0, s2 = s0, s3 = s0;
            ref T column = ref Unsafe.Add(ref w, c);
            for (int r = 0; r < rows; r++)
            {
                TVector xr = TSimd.Broadcast(Unsafe.Add(ref x, r));
                ref T row = ref Unsafe.Add(ref column, (nint)r * columns);
                s0 = TSimd.Fma(TSimd.Load(ref row, 0), xr, s0);
                s1 = TSimd.Fma(TSimd.Load(ref row, (nuint)width), xr, s1);
                s2 = TSimd.Fma(TSimd.Load(ref row, (nuint)(2 * width)), xr, s2);
                s3 = TSimd.Fma(TSimd.Load(ref row, (nuint)(3 * width)), xr, s3);
            }
            TSimd.Store(s0, ref destination, (nuint)c);
            TSimd.Store(s1, ref destination, (nuint)(c + width));
            TSimd.Store(s2, ref destination, (nuint)(c + 2 * width));
            TSimd.Store(s3, ref destination, (nuint)(c + 3 * width));
        }
        for (; c <= columns - width; c += width)
        {
            TVector s0 = TSimd.Zero;
            for (int r = 0; r < rows; r++)
                s0 = TSimd.Fma(TSimd.Load(ref w, (nuint)((nint)r * columns + c)), TSimd.Broadcast(Unsafe.Add(ref x, r)), s0);
            TSimd.Store(s0, ref destination, (nuint)c);
        }
        for (; c < columns; c++)
        {
            T d = T.Zero;
            for (int r = 0; r < rows; r++)
                d += Unsafe.Add(ref w, (nint)r * columns + c) * Unsafe.Add(ref x, r);
            Unsafe.Add(ref destination, c) = d;
        }
    }

    /// <summary>The vector operations the kernels need, for one vector width (implemented by zero-size structs).</summary>
    private interface ISimd<T, TVector> where T : unmanaged where TVector : struct
    {
        static abstract int Count { get; }
        static abstract TVector Zero { get; }
        static abstract TVector Load(ref T source, nuint offset);
        static abstract void Store(TVector value, ref T destination, nuint offset);
        static abstract TVector Broadcast(T value);
        /// <summary>a * b + c in one rounding (float and double only).</summary>
        static abstract TVector Fma(TVector a, TVector b, TVector c);
        static abstract T Sum(TVector value);
    }

    private readonly struct Simd512<T> : ISimd<T, Vector512<T>> where T : unmanaged
    {
        public static int Count => Vector512<T>.Count;
        public static Vector512<T> Zero => Vector512<T>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector512<T> value) => Vector512.Sum(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) => typeof(T) == typeof(double)
            ? Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
            : Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    private readonly struct Simd256<T> : ISimd<T, Vector256<T>> where T : unmanaged
    {
        public static int Count => Vector256<T>.Count;
        public static Vector256<T> Zero => Vector256<T>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector256<T> value) => Vector256.Sum(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) => typeof(T) == typeof(double)
            ? Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
            : Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    private readonly struct Simd128<T> : ISimd<T, Vector128<T>> where T : unmanaged
    {
        public static int Count => Vector128<T>.Count;
        public static Vector128<T> Zero => Vector128<T>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector128<T> value) => Vector128.Sum(value);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Fma(Vector128<T> a, Vector128<T> b, Vector128<T> c) => typeof(T) == typeof(double)
            ? Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
            : Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    // ---- Reductions and Softmax ---------------------------------------------------------------------------------

    /// <summary>The reduction <paramref name="op"/> (Sum, Prod, Mean, Max, Min, LogSumExp) of all of x.</summary>
    public static T Reduce<T>(Op op, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        Op.Sum => TensorPrimitives.Sum(x),
        Op.Prod => x.IsEmpty ? T.One : TensorPrimitives.Product(x),
        Op.Mean => TensorPrimitives.Sum(x) / T.CreateChecked(x.Length),
        Op.Max => x.IsEmpty ? throw NoValue(op, "an empty vector", nameof(x)) : TensorPrimitives.Max(x),
        Op.Min => x.IsEmpty ? throw NoValue(op, "an empty vector", nameof(x)) : TensorPrimitives.Min(x),
        Op.LogSumExp => LogSumExp(x),
        _ => throw new ArgumentException($"{op} is not a reduction.", nameof(op)),
    };

    /// <summary>
    /// log(sum(exp(x))) computed stably, as scipy's logsumexp: m + log(sum(exp(x - m))) with m = max x, so no exp
    /// overflows. Of nothing it is -inf (the log of an empty sum); an infinite max gives itself, NaN gives NaN.
    /// </summary>
    private static T LogSumExp<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty) return T.NegativeInfinity;
        T shift = StableShift(TensorPrimitives.Max(x));
        return shift + T.Log(SumExp(x, shift));
    }

    /// <summary>The max an exp is shifted by; an infinite or NaN max shifts by nothing (inf - inf would be NaN).</summary>
    private static T StableShift<T>(T max) where T : IFloatingPointIeee754<T> => T.IsFinite(max) ? max : T.Zero;

    /// <summary>sum(exp(x - shift)), vectorised through a stack buffer (kernels do not allocate).</summary>
    private static T SumExp<T>(ReadOnlySpan<T> x, T shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> buffer = stackalloc T[Math.Min(x.Length, 256)];
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i += buffer.Length)
        {
            var part = x.Slice(i, Math.Min(buffer.Length, x.Length - i));
            var exps = buffer[..part.Length];
            TensorPrimitives.Subtract(part, shift, exps);
            TensorPrimitives.Exp(exps, exps);
            sum += TensorPrimitives.Sum<T>(exps);
        }
        return sum;
    }

    /// <summary>x - logsumexp(x) computed stably, as (x - m) - log(sum(exp(x - m))); nothing for an empty x.</summary>
    private static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty) return;
        T shift = StableShift(TensorPrimitives.Max(x));
        T logSum = T.Log(SumExp(x, shift));
        TensorPrimitives.Subtract(x, shift, destination);
        TensorPrimitives.Subtract(destination, logSum, destination);
    }

    private static ArgumentException NoValue(Op op, string what, string parameter) => new($"{op} of {what} has no value.", parameter);

    /// <summary>
    /// The reduction of a <paramref name="rows"/> x <paramref name="columns"/> matrix along <paramref name="axis"/>:
    /// axis 0 reduces each column (giving <paramref name="columns"/> values), axis 1 each row.
    /// </summary>
    public static void Reduce<T>(Op op, ReadOnlySpan<T> x, int rows, int columns, int axis, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (axis == 1)
        {
            RequireLength(destination.Length, rows, op.ToString());
            for (int r = 0; r < rows; r++)
                destination[r] = Reduce(op, x.Slice(r * columns, columns));
            return;
        }
        RequireLength(destination.Length, columns, op.ToString());
        if (op is Op.Max or Op.Min && rows == 0)
            throw NoValue(op, "zero rows", nameof(x));
        for (int c = 0; c < columns; c++)
        {
            T acc = op switch { Op.Prod => T.One, Op.Max or Op.Min => x[c], Op.LogSumExp => T.NegativeInfinity, _ => T.Zero };
            for (int r = 0; r < rows; r++)
            {
                T v = x[r * columns + c];
                acc = op switch { Op.Prod => acc * v, Op.Max or Op.LogSumExp => T.Max(acc, v), Op.Min => T.Min(acc, v), _ => acc + v };
            }
            if (op == Op.LogSumExp && rows > 0)
            {
                // acc is the column's max: the column's sum of exps, shifted by it.
                T shift = StableShift(acc), sum = T.Zero;
                for (int r = 0; r < rows; r++) sum += T.Exp(x[r * columns + c] - shift);
                acc = shift + T.Log(sum);
            }
            destination[c] = op == Op.Mean ? acc / T.CreateChecked(rows) : acc;
        }
    }

    /// <summary>destination = exp(x - max x) / sum(exp(x - max x)).</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(destination.Length, x.Length, "Softmax");
        if (x.IsEmpty) return;
        TensorPrimitives.SoftMax(x, destination);
    }

    /// <summary>Softmax of each row of a <paramref name="rows"/> x <paramref name="columns"/> matrix.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
            Softmax(x.Slice(r * columns, columns), destination.Slice(r * columns, columns));
    }

    // ---- Eager helpers for the operators of Vec and Mat ---------------------------------------------------------

    internal static Vec<T> Map<T>(Vec<T> a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(b.Length, a.Length, op.ToString());
        var result = Vec<T>.Zeros(a.Length);
        Binary(op, a.Span, b.Span, result.Span);
        return result;
    }

    internal static Vec<T> Map<T>(Vec<T> a, T b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(a.Length);
        Binary(op, a.Span, b, result.Span);
        return result;
    }

    internal static Vec<T> Map<T>(T a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(b.Length);
        Binary(op, a, b.Span, result.Span);
        return result;
    }

    internal static Vec<T> Negate<T>(Vec<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Vec<T>.Zeros(a.Length);
        Unary(Op.Negate, a.Span, result.Span);
        return result;
    }

    internal static Mat<T> Map<T>(Mat<T> a, Mat<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
            throw new ArgumentException($"{op} needs matrices of one shape; they are {a.Rows} x {a.Columns} and {b.Rows} x {b.Columns}.");
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Binary(op, a.Span, b.Span, result.Span);
        return result;
    }

    /// <summary>A row vector broadcast over every row of the matrix, as Theano broadcasts a vector.</summary>
    internal static Mat<T> Map<T>(Mat<T> a, Vec<T> b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(b.Length, a.Columns, op.ToString());
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        for (int r = 0; r < a.Rows; r++)
            Binary(op, a.Row(r).Span, b.Span, result.Row(r).Span);
        return result;
    }

    internal static Mat<T> Map<T>(Mat<T> a, T b, Op op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Binary(op, a.Span, b, result.Span);
        return result;
    }

    internal static Mat<T> Negate<T>(Mat<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Mat<T>.Zeros(a.Rows, a.Columns);
        Unary(Op.Negate, a.Span, result.Span);
        return result;
    }

    /// <summary>A matrix span must hold exactly rows x columns values: the kernels read it without bounds checks.</summary>
    internal static void RequireMatrix(int length, int rows, int columns, string operation)
    {
        if (rows < 0 || columns < 0 || length != (long)rows * columns)
            throw new ArgumentException($"{operation} needs a matrix of {rows} x {columns} values; it has {length}.");
    }

    private static void RequireLength(int actual, int expected, string operation)
    {
        if (actual != expected)
            throw new ArgumentException($"{operation} needs lengths that agree: {actual} and {expected}.");
    }

    private static ArgumentException NotElementwise(Op op, int arity) =>
        new($"{op} is not an elementwise op of {arity} operand(s).", nameof(op));
}
