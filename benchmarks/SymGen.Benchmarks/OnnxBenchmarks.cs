using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using SymGen.Onnx;

namespace SymGen.Benchmarks;

/// <summary>
/// The Elman RNN (T = 1000 steps, 32 inputs) exported to ONNX and run in ONNX Runtime on one intra-op thread, beside
/// the generated loop: the same scan (RnnScans.Rnn / RnnF), the same data. The inputs are ONNX Runtime tensors made
/// once over the arrays (no copy per call); each call returns the trace, as the generated method does.
/// </summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private const int Steps = 1000, Inputs = 32;

    [Params(32, 128, 512)] public int Hidden;

    private double[] _xs = [], _h0 = [], _w = [], _u = [], _b = [];
    private float[] _xsF = [], _h0F = [], _wF = [], _uF = [], _bF = [];
    private InferenceSession _session = null!, _sessionF = null!;
    private OrtValue[] _inputs = [], _inputsF = [];
    private readonly string[] _names = ["xs", "h0", "W", "U", "b"], _output = ["Rnn"], _outputF = ["RnnF"];
    private readonly RunOptions _run = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Values(int n, double scale) { var v = new double[n]; for (int i = 0; i < n; i++) v[i] = (random.NextDouble() - 0.5) * scale; return v; }
        _xs = Values(Steps * Inputs, 2); _h0 = Values(Hidden, 1); _w = Values(Hidden * Hidden, 2.0 / Math.Sqrt(Hidden));
        _u = Values(Hidden * Inputs, 2.0 / Math.Sqrt(Inputs)); _b = Values(Hidden, 0.2);
        float[] F(double[] d) => Array.ConvertAll(d, v => (float)v);
        (_xsF, _h0F, _wF, _uF, _bF) = (F(_xs), F(_h0), F(_w), F(_u), F(_b));

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(OnnxExport.ToBytes(RnnScans.RnnGraph), options);
        _sessionF = new InferenceSession(OnnxExport.ToBytes(RnnScans.RnnFGraph), options);
        OrtValue Of<T>(T[] data, params long[] shape) where T : unmanaged => OrtValue.CreateTensorValueFromMemory(data, shape);
        _inputs = [Of(_xs, Steps, Inputs), Of(_h0, Hidden), Of(_w, Hidden, Hidden), Of(_u, Hidden, Inputs), Of(_b, Hidden)];
        _inputsF = [Of(_xsF, Steps, Inputs), Of(_h0F, Hidden), Of(_wF, Hidden, Hidden), Of(_uF, Hidden, Inputs), Of(_bF, Hidden)];

        // The two engines agree before anything is measured (the conformance suite's bound: 1e-12, 1e-5).
        Check(GeneratedDouble().Span.ToArray(), OnnxTrace<double>(_session, _inputs, _output), 1e-12);
        Check(GeneratedFloat().Span.ToArray(), OnnxTrace<float>(_sessionF, _inputsF, _outputF), 1e-5f);
    }

    private T[] OnnxTrace<T>(InferenceSession session, OrtValue[] inputs, string[] output) where T : unmanaged
    {
        using var results = session.Run(_run, _names, inputs, output);
        return results[0].GetTensorDataAsSpan<T>().ToArray();
    }

    private static void Check<T>(T[] expected, T[] actual, T tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length) throw new InvalidOperationException($"ONNX Runtime's trace has {actual.Length} values, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
            if (T.Abs(expected[i] - actual[i]) > tolerance) throw new InvalidOperationException($"ONNX Runtime's trace[{i}] = {actual[i]}, expected {expected[i]}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var v in _inputs) v.Dispose();
        foreach (var v in _inputsF) v.Dispose();
        _session.Dispose();
        _sessionF.Dispose();
    }

    [Benchmark(Baseline = true)] public Mat<double> GeneratedDouble() =>
        RnnScans.Rnn(new Mat<double>(_xs, Steps, Inputs), _h0, new Mat<double>(_w, Hidden, Hidden), new Mat<double>(_u, Hidden, Inputs), _b);

    [Benchmark] public int OnnxDouble()
    {
        using var results = _session.Run(_run, _names, _inputs, _output);
        return results[0].GetTensorDataAsSpan<double>().Length;
    }

    [Benchmark] public Mat<float> GeneratedFloat() =>
        RnnScans.RnnF(new Mat<float>(_xsF, Steps, Inputs), _h0F, new Mat<float>(_wF, Hidden, Hidden), new Mat<float>(_uF, Hidden, Inputs), _bF);

    [Benchmark] public int OnnxFloat()
    {
        using var results = _sessionF.Run(_run, _names, _inputsF, _outputF);
        return results[0].GetTensorDataAsSpan<float>().Length;
    }
}
