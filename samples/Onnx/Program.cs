// The Elman RNN of the README, exported to ONNX and run in ONNX Runtime; its hidden states are compared with the
// generated loop's. Usage: dotnet run --project samples/Onnx [-- model.onnx] (writes the model there, for Netron).
using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SymGen;
using SymGen.Onnx;

const int steps = 200, inputs = 8, hidden = 16;
var random = new Random(7);
double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
var (xs, h0, W, U, b) = (Values(steps * inputs, 2), Values(hidden, 1), Values(hidden * hidden, 0.5), Values(hidden * inputs, 0.7), Values(hidden, 0.2));

// The generated loop.
var expected = Elman.Rnn(new Mat<double>(xs, steps, inputs), h0, new Mat<double>(W, hidden, hidden), new Mat<double>(U, hidden, inputs), b);

// The same scan as an ONNX model: its inputs are the method's parameters, its output the trace.
byte[] model = OnnxExport.ToBytes(Elman.RnnGraph);
string path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "elman-rnn.onnx");
File.WriteAllBytes(path, model);
Console.WriteLine($"Wrote {path} ({model.Length} bytes).");

using var options = new SessionOptions { IntraOpNumThreads = 1 };
using var session = new InferenceSession(model, options);
foreach (var (name, meta) in session.InputMetadata)
    Console.WriteLine($"  input  {name}: {meta.ElementDataType} [{string.Join(", ", meta.SymbolicDimensions.Select((d, i) => d != "" ? d : meta.Dimensions[i].ToString()))}]");
foreach (var (name, meta) in session.OutputMetadata)
    Console.WriteLine($"  output {name}: {meta.ElementDataType} [{string.Join(", ", meta.SymbolicDimensions)}]");

NamedOnnxValue Input(string name, double[] values, params int[] shape) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(values, shape));
using var results = session.Run([
    Input("xs", xs, steps, inputs), Input("h0", h0, hidden), Input("W", W, hidden, hidden), Input("U", U, hidden, inputs), Input("b", b, hidden)]);
var trace = results.Single(r => r.Name == "Rnn").AsTensor<double>();

double worst = 0;
for (int t = 0; t < steps; t++)
    for (int i = 0; i < hidden; i++)
        worst = Math.Max(worst, Math.Abs(trace[t, i] - expected[t, i]));
Console.WriteLine($"ONNX Runtime's trace: [{string.Join(", ", trace.Dimensions.ToArray())}], h[{steps - 1}][0..3] = {string.Join(", ", Enumerable.Range(0, 3).Select(i => trace[steps - 1, i].ToString("F6")))}");
Console.WriteLine($"Generated loop:       [{expected.Rows}, {expected.Columns}], h[{steps - 1}][0..3] = {string.Join(", ", Enumerable.Range(0, 3).Select(i => expected[steps - 1, i].ToString("F6")))}");
bool agrees = trace.Dimensions.SequenceEqual([steps, hidden]) && worst <= 1e-12;
Console.WriteLine($"Largest difference: {worst:E2}. ONNX Runtime agrees: {agrees}");
return agrees ? 0 : 1;

public static partial class Elman
{
    // h_t = tanh(W h_{t-1} + U x_t + b)
    static Vec<double> Step(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
        Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);

    [Symbolic(nameof(Step))]
    public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);
}
