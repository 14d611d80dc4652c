using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymGen.Benchmarks;

/// <summary>
/// The honest baseline for the generated gradient (issue 12): back-propagation through time for the Elman RNN
/// h_t = tanh(W h_{t-1} + U x_t + b), written as a good engineer would. Buffers are allocated once, by the
/// constructor; a call allocates nothing. The input projection U x_t is one matrix product before the loop; the
/// backward loop does only what depends on the step before (δ_t and Wᵀ δ_t); the weight gradients are matrix
/// products over all steps after it (dW = Σ_t δ_t h_{t-1}ᵀ = Δᵀ H_prev, dU = Δᵀ X, register-tiled), not outer
/// products per step.
/// Also used by the tests, which check it against finite differences and against the training sample's gradient.
/// </summary>
public sealed class HandBptt<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _steps, _inputs, _hidden;
    private readonly T[] _states;        // (steps + 1) x hidden: row 0 is h0, row t + 1 is h_t
    private readonly T[] _projected;     // steps x hidden: U x_t + b
    private readonly T[] _transposedU;   // inputs x hidden
    private readonly T[] _deltas;        // steps x hidden: δ_t = dLoss/d(pre-activation of step t)
    private readonly T[] _recurrent, _carry; // hidden: W h_{t-1}; dLoss/dh_t through step t + 1

    public HandBptt(int steps, int inputs, int hidden)
    {
        (_steps, _inputs, _hidden) = (steps, inputs, hidden);
        (_states, _projected, _transposedU) = (new T[(steps + 1) * hidden], new T[steps * hidden], new T[inputs * hidden]);
        _deltas = new T[steps * hidden];
        (_recurrent, _carry) = (new T[hidden], new T[hidden]);
    }

    /// <summary>The hidden states of the last <see cref="Forward"/> (steps x hidden, row t is h_t).</summary>
    public ReadOnlySpan<T> States => _states.AsSpan(_hidden, _steps * _hidden);

    /// <summary>The forward pass alone: the hidden states into <see cref="States"/>.</summary>
    public void Forward(ReadOnlySpan<T> xs, ReadOnlySpan<T> h0, ReadOnlySpan<T> w, ReadOnlySpan<T> u, ReadOnlySpan<T> b)
    {
        int n = _hidden;
        Transpose(u, n, _inputs, _transposedU);
        Kernels.MatMul<T>(xs, _steps, _inputs, _transposedU, n, _projected);
        h0.CopyTo(_states);
        for (int t = 0; t < _steps; t++)
        {
            var next = _states.AsSpan((t + 1) * n, n);
            Kernels.MatVec(w, n, n, _states.AsSpan(t * n, n), _recurrent);
            TensorPrimitives.Add(_projected.AsSpan(t * n, n), _recurrent, next);
            TensorPrimitives.Add(next, b, next);
            TensorPrimitives.Tanh(next, next);
        }
    }

    /// <summary>
    /// Forward, then backward from the cotangent <paramref name="dH"/> = dLoss/dH (steps x hidden): the gradients with
    /// respect to h0, W, U and b, written into the given spans.
    /// </summary>
    public void Gradient(ReadOnlySpan<T> xs, ReadOnlySpan<T> h0, ReadOnlySpan<T> w, ReadOnlySpan<T> u, ReadOnlySpan<T> b,
        ReadOnlySpan<T> dH, Span<T> dh0, Span<T> dW, Span<T> dU, Span<T> db)
    {
        Forward(xs, h0, w, u, b);
        int n = _hidden;
        _carry.AsSpan().Clear();
        db.Clear();
        for (int t = _steps - 1; t >= 0; t--)
        {
            var delta = _deltas.AsSpan(t * n, n);
            TanhBackward(dH.Slice(t * n, n), _carry, _states.AsSpan((t + 1) * n, n), delta);
            TensorPrimitives.Add(db, delta, db);
            Kernels.VecMat<T>(delta, w, n, n, _carry);   // Wᵀ δ_t, as δ_tᵀ W
        }
        _carry.CopyTo(dh0);
        // dW = Δᵀ H_prev and dU = Δᵀ X, a block of steps at a time so that the block's rows stay in cache.
        dW.Clear();
        dU.Clear();
        for (int first = 0; first < _steps; first += StepBlock)
        {
            int count = Math.Min(StepBlock, _steps - first);
            var deltas = _deltas.AsSpan(first * n, count * n);
            AddTransposedProduct(deltas, count, n, _states.AsSpan(first * n, count * n), n, dW);
            AddTransposedProduct(deltas, count, n, xs.Slice(first * _inputs, count * _inputs), _inputs, dU);
        }
    }

    private const int StepBlock = 64;

    /// <summary>δ = (dH_t + carry) ⊙ (1 - h_t²): tanh's derivative from its output, in one pass.</summary>
    private static void TanhBackward(ReadOnlySpan<T> dh, ReadOnlySpan<T> carry, ReadOnlySpan<T> h, Span<T> delta)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            ReadOnlySpan<Vector<T>> vdh = MemoryMarshal.Cast<T, Vector<T>>(dh), vcarry = MemoryMarshal.Cast<T, Vector<T>>(carry),
                vh = MemoryMarshal.Cast<T, Vector<T>>(h);
            var vdelta = MemoryMarshal.Cast<T, Vector<T>>(delta);
            for (int k = 0; k < vdelta.Length; k++) vdelta[k] = (vdh[k] + vcarry[k]) * (one - vh[k] * vh[k]);
            i = vdelta.Length * Vector<T>.Count;
        }
        for (; i < delta.Length; i++) delta[i] = (dh[i] + carry[i]) * (T.One - h[i] * h[i]);
    }

    /// <summary>
    /// destination (rows x columns) += aᵀ b, for a of count x rows and b of count x columns, without transposing a:
    /// a register tile of 4 destination rows by 2 vectors, so each load of b feeds four FMAs.
    /// </summary>
    private static void AddTransposedProduct(ReadOnlySpan<T> a, int count, int rows, ReadOnlySpan<T> b, int columns, Span<T> destination)
    {
        int width = Vector<T>.Count, j = 0;
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        for (; Vector.IsHardwareAccelerated && j + 2 * width <= columns; j += 2 * width)
        {
            int i = 0;
            for (; i + 4 <= rows; i += 4)
            {
                ref T d = ref Unsafe.Add(ref d0, (nint)i * columns + j);
                nuint row = (nuint)columns, second = (nuint)width;
                Vector<T> s00 = Vector.LoadUnsafe(ref d), s01 = Vector.LoadUnsafe(ref d, second),
                    s10 = Vector.LoadUnsafe(ref d, row), s11 = Vector.LoadUnsafe(ref d, row + second),
                    s20 = Vector.LoadUnsafe(ref d, 2 * row), s21 = Vector.LoadUnsafe(ref d, 2 * row + second),
                    s30 = Vector.LoadUnsafe(ref d, 3 * row), s31 = Vector.LoadUnsafe(ref d, 3 * row + second);
                for (int t = 0; t < count; t++)
                {
                    ref T bt = ref Unsafe.Add(ref b0, (nint)t * columns + j);
                    Vector<T> left = Vector.LoadUnsafe(ref bt), right = Vector.LoadUnsafe(ref bt, second);
                    ref T at = ref Unsafe.Add(ref a0, (nint)t * rows + i);
                    var x = new Vector<T>(at);
                    (s00, s01) = (Fma(x, left, s00), Fma(x, right, s01));
                    x = new Vector<T>(Unsafe.Add(ref at, 1));
                    (s10, s11) = (Fma(x, left, s10), Fma(x, right, s11));
                    x = new Vector<T>(Unsafe.Add(ref at, 2));
                    (s20, s21) = (Fma(x, left, s20), Fma(x, right, s21));
                    x = new Vector<T>(Unsafe.Add(ref at, 3));
                    (s30, s31) = (Fma(x, left, s30), Fma(x, right, s31));
                }
                s00.StoreUnsafe(ref d); s01.StoreUnsafe(ref d, second);
                s10.StoreUnsafe(ref d, row); s11.StoreUnsafe(ref d, row + second);
                s20.StoreUnsafe(ref d, 2 * row); s21.StoreUnsafe(ref d, 2 * row + second);
                s30.StoreUnsafe(ref d, 3 * row); s31.StoreUnsafe(ref d, 3 * row + second);
            }
            for (; i < rows; i++)
                for (int t = 0; t < count; t++)
                    for (int c = j; c < j + 2 * width; c++)
                        Unsafe.Add(ref d0, (nint)i * columns + c) += Unsafe.Add(ref a0, (nint)t * rows + i) * Unsafe.Add(ref b0, (nint)t * columns + c);
        }
        for (int i = 0; i < rows; i++)
            for (int t = 0; t < count; t++)
                for (int c = j; c < columns; c++)
                    Unsafe.Add(ref d0, (nint)i * columns + c) += Unsafe.Add(ref a0, (nint)t * rows + i) * Unsafe.Add(ref b0, (nint)t * columns + c);
    }

    private static void Transpose(ReadOnlySpan<T> source, int rows, int columns, Span<T> destination)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                destination[c * rows + r] = source[r * columns + c];
    }

    private static Vector<T> Fma(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(double)) return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }
}
