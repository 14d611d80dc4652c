using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace SymGen.Benchmarks;

public static partial class RnnScans
{
    static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Elman))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

    static Vec<float> ElmanF(Vec<float> x, Vec<float> h, Mat<float> W, Mat<float> U, Vec<float> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(ElmanF))]
    public static partial Mat<float> RnnF([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b);

    // The same scans into a trace the caller owns, as the hand loop writes ([Destination]: nothing allocated per call).
    [Symbolic(nameof(Elman))]
    public static partial void RnnInto([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b, [Destination] Mat<double> trace);

    [Symbolic(nameof(ElmanF))]
    public static partial void RnnFInto([Sequence] Mat<float> xs, [Initial] Vec<float> h0, Mat<float> W, Mat<float> U, Vec<float> b, [Destination] Mat<float> trace);

    /// <summary>
    /// The loop a good engineer writes (PERFORMANCE-ANCHORS.md): the trace preallocated by the caller, a four-row
    /// FMA mat-vec on <see cref="Vector{T}"/> (on <see cref="Vector512{T}"/> if <paramref name="wide"/>), U x + b then
    /// W h added per step, <see cref="TensorPrimitives.Tanh"/> on the row. Written here, not with SymGen's Kernels, so
    /// the baseline stays independent of the code it measures.
    /// </summary>
    public static void Hand<T>(T[] xs, int steps, int inputs, T[] h0, T[] W, T[] U, T[] b, T[] trace, bool wide = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = h0.Length;
        ReadOnlySpan<T> h = h0;
        for (int t = 0; t < steps; t++)
        {
            var next = trace.AsSpan(t * hidden, hidden);
            if (wide)
            {
                MatVec4x512(U, inputs, xs.AsSpan(t * inputs, inputs), next, b);
                MatVec4x512(W, hidden, h, next, next);
            }
            else
            {
                MatVec4(U, inputs, xs.AsSpan(t * inputs, inputs), next, b);
                MatVec4(W, hidden, h, next, next);
            }
            TensorPrimitives.Tanh(next, next);
            h = next;
        }
    }

    /// <summary><see cref="MatVec4{T}"/> on 512-bit vectors (<c>wide</c>: a CPU with AVX-512 offers both; the README says which is faster).</summary>
    static void MatVec4x512<T>(ReadOnlySpan<T> w, int columns, ReadOnlySpan<T> x, Span<T> destination, ReadOnlySpan<T> addend) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = destination.Length, width = Vector512<T>.Count;
        ref T w0 = ref MemoryMarshal.GetReference(w), x0 = ref MemoryMarshal.GetReference(x);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref T a0 = ref Unsafe.Add(ref w0, r * columns);
            ref T a1 = ref Unsafe.Add(ref a0, columns);
            ref T a2 = ref Unsafe.Add(ref a1, columns);
            ref T a3 = ref Unsafe.Add(ref a2, columns);
            Vector512<T> s0 = Vector512<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            int c = 0;
            for (; c + width <= columns; c += width)
            {
                var xv = Vector512.LoadUnsafe(ref x0, (nuint)c);
                s0 = Fma(Vector512.LoadUnsafe(ref a0, (nuint)c), xv, s0);
                s1 = Fma(Vector512.LoadUnsafe(ref a1, (nuint)c), xv, s1);
                s2 = Fma(Vector512.LoadUnsafe(ref a2, (nuint)c), xv, s2);
                s3 = Fma(Vector512.LoadUnsafe(ref a3, (nuint)c), xv, s3);
            }
            T d0 = Vector512.Sum(s0), d1 = Vector512.Sum(s1), d2 = Vector512.Sum(s2), d3 = Vector512.Sum(s3);
            for (; c < columns; c++)
            {
                T xc = Unsafe.Add(ref x0, c);
                d0 += Unsafe.Add(ref a0, c) * xc; d1 += Unsafe.Add(ref a1, c) * xc;
                d2 += Unsafe.Add(ref a2, c) * xc; d3 += Unsafe.Add(ref a3, c) * xc;
            }
            destination[r] = addend[r] + d0; destination[r + 1] = addend[r + 1] + d1;
            destination[r + 2] = addend[r + 2] + d2; destination[r + 3] = addend[r + 3] + d3;
        }
        for (; r < rows; r++)
            destination[r] = addend[r] + TensorPrimitives.Dot(w.Slice(r * columns, columns), x);
    }

    static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }

    /// <summary>destination = w x + addend (addend may be destination), four rows per pass.</summary>
    static void MatVec4<T>(ReadOnlySpan<T> w, int columns, ReadOnlySpan<T> x, Span<T> destination, ReadOnlySpan<T> addend) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = destination.Length, width = Vector<T>.Count;
        ref T w0 = ref MemoryMarshal.GetReference(w), x0 = ref MemoryMarshal.GetReference(x);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref T a0 = ref Unsafe.Add(ref w0, r * columns);
            ref T a1 = ref Unsafe.Add(ref a0, columns);
            ref T a2 = ref Unsafe.Add(ref a1, columns);
            ref T a3 = ref Unsafe.Add(ref a2, columns);
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            int c = 0;
            for (; c + width <= columns; c += width)
            {
                var xv = Vector.LoadUnsafe(ref x0, (nuint)c);
                s0 = Fma(Vector.LoadUnsafe(ref a0, (nuint)c), xv, s0);
                s1 = Fma(Vector.LoadUnsafe(ref a1, (nuint)c), xv, s1);
                s2 = Fma(Vector.LoadUnsafe(ref a2, (nuint)c), xv, s2);
                s3 = Fma(Vector.LoadUnsafe(ref a3, (nuint)c), xv, s3);
            }
            T d0 = Vector.Sum(s0), d1 = Vector.Sum(s1), d2 = Vector.Sum(s2), d3 = Vector.Sum(s3);
            for (; c < columns; c++)
            {
                T xc = Unsafe.Add(ref x0, c);
                d0 += Unsafe.Add(ref a0, c) * xc; d1 += Unsafe.Add(ref a1, c) * xc;
                d2 += Unsafe.Add(ref a2, c) * xc; d3 += Unsafe.Add(ref a3, c) * xc;
            }
            destination[r] = addend[r] + d0; destination[r + 1] = addend[r + 1] + d1;
            destination[r + 2] = addend[r + 2] + d2; destination[r + 3] = addend[r + 3] + d3;
        }
        for (; r < rows; r++)
            destination[r] = addend[r] + TensorPrimitives.Dot(w.Slice(r * columns, columns), x);
    }

    static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }
}

/// <summary>Elman RNN forward pass, T = 1000 steps, 32 inputs: generated scan against the best hand-written loop.</summary>
[MemoryDiagnoser]
public class RnnBenchmarks
{
    private const int Steps = 1000, Inputs = 32;

    [Params(32, 128, 512)] public int Hidden;

    private double[] _xs = [], _h0 = [], _w = [], _u = [], _b = [];
    private float[] _xsF = [], _h0F = [], _wF = [], _uF = [], _bF = [];
    private double[] _trace = [];
    private float[] _traceF = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Values(int n, double scale) { var v = new double[n]; for (int i = 0; i < n; i++) v[i] = (random.NextDouble() - 0.5) * scale; return v; }
        _xs = Values(Steps * Inputs, 2); _h0 = Values(Hidden, 1); _w = Values(Hidden * Hidden, 2.0 / Math.Sqrt(Hidden));
        _u = Values(Hidden * Inputs, 2.0 / Math.Sqrt(Inputs)); _b = Values(Hidden, 0.2);
        float[] F(double[] d) => Array.ConvertAll(d, v => (float)v);
        (_xsF, _h0F, _wF, _uF, _bF) = (F(_xs), F(_h0), F(_w), F(_u), F(_b));
        (_trace, _traceF) = (new double[Steps * Hidden], new float[Steps * Hidden]);
    }

    [Benchmark(Baseline = true)] public double[] HandDouble() { RnnScans.Hand(_xs, Steps, Inputs, _h0, _w, _u, _b, _trace); return _trace; }

    [Benchmark] public Mat<double> GeneratedDouble() =>
        RnnScans.Rnn(new Mat<double>(_xs, Steps, Inputs), _h0, new Mat<double>(_w, Hidden, Hidden), new Mat<double>(_u, Hidden, Inputs), _b);

    [Benchmark] public float[] HandFloat() { RnnScans.Hand(_xsF, Steps, Inputs, _h0F, _wF, _uF, _bF, _traceF); return _traceF; }

    [Benchmark] public Mat<float> GeneratedFloat() =>
        RnnScans.RnnF(new Mat<float>(_xsF, Steps, Inputs), _h0F, new Mat<float>(_wF, Hidden, Hidden), new Mat<float>(_uF, Hidden, Inputs), _bF);

    // Into the preallocated trace, as the hand loop: the like-for-like comparison (0 B per call on both sides).
    [Benchmark] public double[] GeneratedIntoDouble()
    {
        RnnScans.RnnInto(new Mat<double>(_xs, Steps, Inputs), _h0, new Mat<double>(_w, Hidden, Hidden), new Mat<double>(_u, Hidden, Inputs), _b, new Mat<double>(_trace, Steps, Hidden));
        return _trace;
    }

    [Benchmark] public float[] GeneratedIntoFloat()
    {
        RnnScans.RnnFInto(new Mat<float>(_xsF, Steps, Inputs), _h0F, new Mat<float>(_wF, Hidden, Hidden), new Mat<float>(_uF, Hidden, Inputs), _bF, new Mat<float>(_traceF, Steps, Hidden));
        return _traceF;
    }

    // The hand loop with a 512-bit mat-vec: the stronger of the two hand loops is the baseline (README).
    [Benchmark] public double[] Hand512Double() { RnnScans.Hand(_xs, Steps, Inputs, _h0, _w, _u, _b, _trace, wide: true); return _trace; }

    [Benchmark] public float[] Hand512Float() { RnnScans.Hand(_xsF, Steps, Inputs, _h0F, _wF, _uF, _bF, _traceF, wide: true); return _traceF; }
}
