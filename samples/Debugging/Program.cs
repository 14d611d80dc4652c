// The README's "Debugging a scan": Theano's debugging tutorial in SymGen, each example with the output it prints.
using System;
using System.Linq;
using SymGen;
using SymGen.Graph;

// 1. MonitorMode: each node's inputs and outputs, for 5 * x at x = 3.
var x = Tensor.Scalar("x");
var f = Tensor.Function([x], [5.0 * x]);
f.Invoke(ScanMode.Monitor(
    before: (in NodeEvent e) =>
    {
        Console.Write($"{e.Node} input(s) value(s): [");
        for (int i = 0; i < e.InputCount; i++) Console.Write((i > 0 ? ", " : "") + e.Input(i));
        Console.Write("]");
    },
    after: (in NodeEvent e) => Console.WriteLine($" output(s) value(s): [{e.Output}]")), 3.0);

// 2. Print: the value flows through unchanged and is printed.
var v = Tensor.Vector("x");
var timesFive = Tensor.Function([v], [Tensor.Print(v, "this is a very important value") * 5]);
Console.WriteLine(timesFive.Invoke(new[] { 1.0, 2, 3 })[0]);

// 3. Print in a step method: at every step, in the generated loop.
Console.WriteLine(string.Join(", ", Scans.PrintedRnn([0.5, -1, 2], 0.0, 0.9)));

// 4. A scan under a monitor: the generated method runs through the interpreter, hooks see each node at each step.
using (ScanMode.Use(ScanMode.Monitor(after: (in NodeEvent e) => Console.WriteLine($"step {e.Step}: {e.Node} = {e.Output}"))))
    Scans.Rnn([0.5, -1], 0.0, 0.9);

// 5. Debug: the generated loop and the interpreter beside it, every node compared at every step; shapes and finiteness too.
using (ScanMode.Use(ScanMode.Debug()))
    Console.WriteLine("Debug: " + string.Join(", ", Scans.Rnn([0.5, -1, 2], 0.0, 0.9)));

// 6. NaN guard: the first node and step that produced NaN, with the inputs that led to it.
try
{
    using (ScanMode.Use(ScanMode.NanGuard())) Scans.LogSums([1, 2, 3, -1, 5], 0);
}
catch (ScanModeException e)
{
    Console.WriteLine(e.Message);
}

// 7. Profile: time and count per node and per scan.
var profile = ScanMode.Profile();
using (ScanMode.Use(profile))
    Scans.Rnn(Enumerable.Range(0, 10_000).Select(i => Math.Sin(i * 0.01)).ToArray(), 0.0, 0.9);
Console.WriteLine(profile.ProfileReport);

public static partial class Scans
{
    private static double Step(double x, double h, double w) => Math.Tanh(w * h + x);

    /// <summary>h[t] = tanh(w h[t-1] + x[t]).</summary>
    [Symbolic(nameof(Step))]
    public static partial double[] Rnn([Sequence] double[] x, [Initial] double h0, double w);

    private static double PrintedStep(double x, double h, double w) => Math.Tanh(w * Sym.Print(h, "h") + x);

    /// <summary>The same, printing the state it reads at each step.</summary>
    [Symbolic(nameof(PrintedStep))]
    public static partial double[] PrintedRnn([Sequence] double[] x, [Initial] double h0, double w);

    private static double LogStep(double x, double s) => s + Math.Log(x);

    /// <summary>s[t] = s[t-1] + log x[t].</summary>
    [Symbolic(nameof(LogStep))]
    public static partial double[] LogSums([Sequence] double[] x, [Initial] double s0);
}
