using System;
using System.Globalization;
using System.Linq;
using Seed;
using SymGen;

static string Show<T>(ReadOnlySpan<T> values) where T : IFormattable =>
    "[" + string.Join(", ", values.ToArray().Select(v => v.ToString(null, CultureInfo.InvariantCulture))) + "]";

// 'dotnet run --project samples/Seed -- --dot' prints the Elman RNN's graph as Graphviz DOT, to render with 'dot -Tpng'.
if (args is ["--dot"])
{
    Console.Write(Scans.RnnGraph.ToDot());
    return;
}

Console.WriteLine("SymGen seed examples (Theano scan tutorial)");
Console.WriteLine();

double[] input = [1, 2, 3];
Console.WriteLine($"CumSum(input: {Show<double>(input)}, start: 1)");
Console.WriteLine($"  = {Show<double>(Scans.CumSum(input, 1))}");

double[] coefficients = [1, 0, 2];
int[] powers = Enumerable.Range(0, 10).ToArray();
double x = 3;
var components = Scans.Components(coefficients, powers, x);
Console.WriteLine($"Components(coefficients: {Show<double>(coefficients)}, powers: 0..9, x: {x})");
Console.WriteLine($"  = {Show<double>(components)}; polynomial value = {components.Sum().ToString(CultureInfo.InvariantCulture)}");

double[] signal = [1, 2, 3, 4, 5, 6, 7, 8];
double[] y0 = [0, 0, 0, 0, 1];
Console.WriteLine($"Iir(x: {Show<double>(signal)}, y0: {Show<double>(y0)}, w: 0.5)   taps x: [-3, 2, -1], y: [-3, -5]");
Console.WriteLine($"  = {Show<double>(Scans.Iir(signal, y0, 0.5))}");

long[] first = [0, 1];
Console.WriteLine($"Fibonacci(first: {Show<long>(first)}, count: 10)");
Console.WriteLine($"  = {Show<long>(Scans.Fibonacci(first, 10))}");

var (smoothed, peak) = Scans.Ema([4, 8, 2, 6], start: 0, alpha: 0.5);
Console.WriteLine("Ema(signal: [4, 8, 2, 6], start: 0, alpha: 0.5)");
Console.WriteLine($"  = Smoothed {Show<double>(smoothed)}, Peak {Show<double>(peak)}");

var rows = Mat<double>.FromRows([1, 2, 3], [4, 5, 6]);
Console.WriteLine($"RowSums(rows: {rows}, start: [0, 0, 0])");
Console.WriteLine($"  = {Scans.RowSums(rows, new double[3])}");

var W = Mat<double>.FromRows([0.5, -0.2], [0.1, 0.3]);
var U = Mat<double>.FromRows([1.0, 0.0, 0.5], [-0.5, 1.0, 0.0]);
Vec<double> b = new double[] { 0.1, -0.1 };
var xs = Mat<double>.FromRows([1, 0, 0], [0, 1, 0], [0, 0, 1]);
Console.WriteLine($"Rnn(xs: {xs}, h0: [0, 0], W: {W}, U: {U}, b: {b})   h_t = tanh(W h_t-1 + U x_t + b)");
Console.WriteLine($"  = {Scans.Rnn(xs, new double[2], W, U, b)}");

var total = new Shared<double>("total", 0);
var count = new Shared<long>("count", 0);
foreach (double[] batch in new[] { new double[] { 1, 2, 3 }, [10, 20], [100] })
{
    var running = Scans.AddToTotal(batch, total, count);
    Console.WriteLine($"AddToTotal({Show<double>(batch)}) = {Show<double>(running)}; shared total = {total.Value}, count = {count.Value}");
}
Console.WriteLine($"DoubleUntil(start: 1, limit: 50, maxSteps: 20) = {Show<double>(Scans.DoubleUntil(1, 50, 20))}");

Console.WriteLine();
Console.WriteLine("The Elman RNN's graph (Scans.RnnGraph.DebugPrint()):");
Console.WriteLine(Scans.RnnGraph.DebugPrint());
var interpreted = (Mat<double>)Scans.RnnGraph.Invoke(xs, new Vec<double>(new double[2]), W, U, b)[0];
Console.WriteLine($"The interpreter gives {interpreted}");
