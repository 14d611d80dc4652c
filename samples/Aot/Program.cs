using System;
using Seed;
using SymGen;

// A NativeAOT build of generated scans and of the interpreter: no reflection, no run-time code generation.
var cumsum = Scans.CumSum([1, 2, 3], 1);
Console.WriteLine($"CumSum([1, 2, 3], 1) = [{string.Join(", ", cumsum)}]");

var W = Mat<double>.FromRows([0.5, -0.2], [0.1, 0.3]);
var U = Mat<double>.FromRows([1.0, 0.0, 0.5], [-0.5, 1.0, 0.0]);
Vec<double> b = new double[] { 0.1, -0.1 };
var xs = Mat<double>.FromRows([1, 0, 0], [0, 1, 0], [0, 0, 1]);
var generated = Scans.Rnn(xs, Vec<double>.Zeros(2), W, U, b);
var interpreted = (Mat<double>)Scans.RnnGraph.Invoke(xs, Vec<double>.Zeros(2), W, U, b)[0];
Console.WriteLine($"Rnn = {generated}");
double difference = 0;
for (int i = 0; i < generated.Rows; i++)
    for (int j = 0; j < generated.Columns; j++)
        difference = Math.Max(difference, Math.Abs(generated[i, j] - interpreted[i, j]));
Console.WriteLine($"Interpreter agrees: {difference <= 1e-12}");
return cumsum[2] == 7 && difference <= 1e-12 ? 0 : 1;
