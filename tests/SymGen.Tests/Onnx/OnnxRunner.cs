using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SymGen.Graph;
using SymGen.Onnx;

namespace SymGen.Tests.Onnx;

/// <summary>
/// Runs a SymGen function's exported model in ONNX Runtime (CPU, one thread) with the function's arguments, and
/// gives its results as the function gives them: scalars, arrays, Mat, Tensor3; each updated shared variable is
/// written back after a successful run, as a generated scan writes it.
/// </summary>
public static class OnnxRunner
{
    private static readonly ConcurrentDictionary<Function, Lazy<InferenceSession>> Sessions = new();

    /// <summary>One session per function (the export and ORT's graph preparation happen once).</summary>
    public static InferenceSession SessionOf(Function function) =>
        Sessions.GetOrAdd(function, f => new Lazy<InferenceSession>(() => NewSession(OnnxExport.ToBytes(f)))).Value;

    /// <summary>A session on one intra-op thread, run sequentially: the model's speed alone, as the benchmark measures.</summary>
    public static InferenceSession NewSession(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        return new InferenceSession(model, options);
    }

    /// <summary>The bound on ONNX Runtime against the generated loop: 1e-5 where the graph has float values, else 1e-12 (integers and bools are exact either way).</summary>
    public static double Tolerance(Function function) =>
        function.Inputs.Concat(function.Outputs).Any(v => v.Type.Element == ElementKind.Float32) ? 1e-5 : 1e-12;

    public static object?[] Run(Function function, object[] arguments)
    {
        var session = SessionOf(function);
        var inputs = new List<NamedOnnxValue>();
        var shared = new Dictionary<InputVariable, SharedVariable>();
        for (int i = 0; i < function.Inputs.Count; i++)
        {
            var input = function.Inputs[i];
            var argument = arguments[i];
            if (input.IsShared)
            {
                var variable = argument as SharedVariable ?? throw new ArgumentException($"Argument '{input}' must be a shared variable.", input.ToString());
                shared[input] = variable;
                argument = variable.GetType().GetProperty("Value")!.GetValue(variable)!;
            }
            inputs.Add(ToOnnx(input.ToString(), argument ?? throw new ArgumentNullException(input.ToString()), input.Type));
        }
        var names = OnnxExport.OutputNames(function);
        using var results = session.Run(inputs);
        var byName = results.ToDictionary(r => r.Name);
        var outputs = function.Outputs.Select((o, i) => FromOnnx(byName[names[i]], o.Type)).ToArray();
        int k = function.Outputs.Count;
        foreach (var (input, variable) in shared.Where(s => names.Contains($"{s.Key}.updated")).OrderBy(s => names.ToList().IndexOf($"{s.Key}.updated")))
        {
            var property = variable.GetType().GetProperty("Value")!;
            var value = FromOnnx(byName[$"{input}.updated"], input.Type);
            // A shared vector is a Vec; results of rank 1 come back as arrays.
            if (property.PropertyType == typeof(Vec<double>)) value = new Vec<double>((double[])value);
            if (property.PropertyType == typeof(Vec<float>)) value = new Vec<float>((float[])value);
            property.SetValue(variable, value);
        }
        return outputs;
    }

    private static NamedOnnxValue ToOnnx(string name, object value, TensorType type) => type.Element switch
    {
        ElementKind.Float64 => NamedOnnxValue.CreateFromTensor(name, Tensor<double>(value, type.Rank)),
        ElementKind.Float32 => NamedOnnxValue.CreateFromTensor(name, Tensor<float>(value, type.Rank)),
        ElementKind.Int64 => NamedOnnxValue.CreateFromTensor(name, Tensor<long>(value, type.Rank)),
        ElementKind.Int32 => NamedOnnxValue.CreateFromTensor(name, Tensor<int>(value, type.Rank)),
        _ => NamedOnnxValue.CreateFromTensor(name, Tensor<bool>(value, type.Rank)),
    };

    private static DenseTensor<T> Tensor<T>(object value, int rank) where T : unmanaged
    {
        var kind = ElementKinds.Of(default(T))!.Value;
        switch (value)
        {
            case bool or int or long or float or double:
                return new DenseTensor<T>(new[] { (T)ElementKinds.Cast(value, kind) }, Array.Empty<int>());
            case T[] array:
                return new DenseTensor<T>((T[])array.Clone(), [array.Length]);
            case Vec<double> v: return As<T>(v.ToArray(), [v.Length]);
            case Vec<float> v: return As<T>(v.ToArray(), [v.Length]);
            case Mat<double> m: return As<T>(m.Span.ToArray(), [m.Rows, m.Columns]);
            case Mat<float> m: return As<T>(m.Span.ToArray(), [m.Rows, m.Columns]);
            case Tensor3<double> t: return As<T>(t.Span.ToArray(), [t.Length, t.Rows, t.Columns]);
            case Tensor3<float> t: return As<T>(t.Span.ToArray(), [t.Length, t.Rows, t.Columns]);
            default:
                throw new ArgumentException($"A {value.GetType().Name} is not an argument of a rank-{rank} {typeof(T).Name} input.");
        }
    }

    private static DenseTensor<T> As<T>(Array data, int[] shape) =>
        data is T[] typed ? new DenseTensor<T>(typed, shape) : throw new ArgumentException($"{data.GetType().Name} given for a {typeof(T).Name} input.");

    private static object FromOnnx(NamedOnnxValue value, TensorType type) => type.Element switch
    {
        ElementKind.Float64 => Floating<double>(value.AsTensor<double>()),
        ElementKind.Float32 => Floating<float>(value.AsTensor<float>()),
        ElementKind.Int64 => Plain(value.AsTensor<long>()),
        ElementKind.Int32 => Plain(value.AsTensor<int>()),
        _ => Plain(value.AsTensor<bool>()),
    };

    private static object Floating<T>(Tensor<T> t) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var d = t.Dimensions.ToArray();
        var data = t.ToArray();
        return d.Length switch
        {
            0 => data[0],
            1 => data,
            2 => new Mat<T>(data, d[0], d[1]),
            3 => new Tensor3<T>(data, d[0], d[1], d[2]),
            _ => throw new NotSupportedException($"rank {d.Length}"),
        };
    }

    private static object Plain<T>(Tensor<T> t)
    {
        var d = t.Dimensions.ToArray();
        var data = t.ToArray();
        return d.Length switch
        {
            0 => data[0]!,
            1 => data,
            _ => throw new NotSupportedException($"a rank-{d.Length} {typeof(T).Name} result"),
        };
    }
}
