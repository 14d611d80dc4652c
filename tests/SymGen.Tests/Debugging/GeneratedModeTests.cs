using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Debugging;

/// <summary>[Symbolic] scans run under a mode: the generated method routes itself to the interpreter on its graph.</summary>
public static partial class ModeScans
{
    private static double Smooth(double x, double h, double a) => a * x + (1 - a) * h;

    /// <summary>h[t] = a x[t] + (1 - a) h[t-1].</summary>
    [Symbolic(nameof(Smooth))]
    public static partial double[] Ema([Sequence] double[] x, [Initial] double h0, double a);

    /// <summary>The same scan with a per-call mode (null: the scope's, else the fast path).</summary>
    [Symbolic(nameof(Smooth))]
    public static partial double[] EmaIn([Sequence] ReadOnlySpan<double> x, [Initial] double h0, double a, ScanMode? mode);

    private static double LogSum(double x, double s) => s + Math.Log(x);

    /// <summary>s[t] = s[t-1] + log x[t].</summary>
    [Symbolic(nameof(LogSum))]
    public static partial double[] LogSums([Sequence] double[] x, [Initial] double s0);

    private static double Add(double x, double total) => total + x;

    /// <summary>Adds the sequence to a shared total (no trace returned).</summary>
    [Symbolic(nameof(Add))]
    public static partial void Accumulate([Sequence] double[] x, [Update] Shared<double> total);

    private static double Printed(double x) => Sym.Print(x, "x") * 5;

    /// <summary>Theano's tutorial scan: prints each element, returns it times 5.</summary>
    [Symbolic(nameof(Printed))]
    public static partial double[] PrintTimesFive([Sequence] double[] x);
}

public sealed class GeneratedModeTests
{
    private static readonly double[] X = [0.5, -1, 2, 0.25];

    /// <summary>The recurrence computed by hand.</summary>
    private static double[] Ema(double[] x, double h, double a) => x.Select(v => h = a * v + (1 - a) * h).ToArray();

    [Fact]
    public void AGeneratedScanUnderMonitorFiresTheHooksWithTheStepMethodsValues()
    {
        var seen = new List<(int Step, string? Label, double Output)>();
        var mode = ScanMode.Monitor(after: (in NodeEvent e) => seen.Add((e.Step, e.Node.Label, e.Output.AsDouble())));
        double[] result;
        using (ScanMode.Use(mode)) result = ModeScans.Ema(X, 1.0, 0.25);

        var expected = Ema(X, 1.0, 0.25);
        Assert.Equal(expected, result);
        // The step's last node is its result: a * x + (1 - a) * h, once per step, with the step's value.
        var results = seen.Where(s => s.Label == "a * x + (1 - a) * h").ToList();
        Assert.Equal(Enumerable.Range(0, X.Length), results.Select(r => r.Step));
        Assert.Equal(expected, results.Select(r => r.Output));
        // a * x at each step, from the sequence's element.
        Assert.Equal(X.Select(v => 0.25 * v), seen.Where(s => s.Label == "a * x").Select(s => s.Output));
    }

    [Fact]
    public void WithoutAModeTheGeneratedLoopRunsAndNoHookFires()
    {
        int fired = 0;
        var mode = ScanMode.Monitor(after: (in NodeEvent _) => fired++);
        Assert.Equal(Ema(X, 1.0, 0.25), ModeScans.Ema(X, 1.0, 0.25));
        Assert.Equal(Ema(X, 1.0, 0.25), ModeScans.EmaIn(X, 1.0, 0.25, null));
        Assert.Equal(0, fired);
        Assert.Null(ScanMode.Current);
        _ = mode;
    }

    [Fact]
    public void TheModeParameterRunsThatCallInItsModeAndWinsOverTheScopes()
    {
        var calls = new List<string>();
        var mine = ScanMode.Monitor(after: (in NodeEvent _) => calls.Add("mine"));
        var scoped = ScanMode.Monitor(after: (in NodeEvent _) => calls.Add("scope"));
        Assert.Equal(Ema(X, 1.0, 0.25), ModeScans.EmaIn(X, 1.0, 0.25, mine));
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Equal("mine", c));
        calls.Clear();
        using (ScanMode.Use(scoped))
        {
            ModeScans.EmaIn(X, 1.0, 0.25, mine);
            Assert.All(calls, c => Assert.Equal("mine", c));
            calls.Clear();
            ModeScans.EmaIn(X, 1.0, 0.25, null); // null: the scope's mode
            Assert.NotEmpty(calls);
            Assert.All(calls, c => Assert.Equal("scope", c));
        }
    }

    [Fact]
    public void TheNanGuardNamesTheLogOfANegativeElementOfAGeneratedScan()
    {
        double[] x = [1, 2, 3, -1, 5];
        Assert.True(double.IsNaN(ModeScans.LogSums(x, 0)[3])); // the fast path computes NaN on
        var thrown = Assert.Throws<ScanModeException>(() => { using (ScanMode.Use(ScanMode.NanGuard())) ModeScans.LogSums(x, 0); });
        Assert.Equal(3, thrown.Step);
        Assert.Equal(Op.Log, thrown.Node.Op);
        Assert.Equal("Math.Log(x)", thrown.Node.Label);
        Assert.Contains("x = -1", thrown.Message);
    }

    [Fact]
    public void DebugAndProfileRunAGeneratedScanWithTheFastPathsResults()
    {
        var fast = ModeScans.Ema(X, 1.0, 0.25);
        var profile = ScanMode.Profile();
        using (ScanMode.Use(ScanMode.Debug())) Assert.Equal(fast, ModeScans.Ema(X, 1.0, 0.25));
        using (ScanMode.Use(profile)) Assert.Equal(fast, ModeScans.Ema(X, 1.0, 0.25));
        var report = profile.ProfileReport!;
        var scan = Assert.Single(report.Scans);
        Assert.Equal((1L, (long)X.Length), (scan.Calls, scan.Steps));
        Assert.Contains(report.Nodes, n => n.Node.Label == "a * x + (1 - a) * h" && n.Calls == X.Length);
    }

    [Fact]
    public void SharedUpdatesUnderAModeAreTheFastPathsAndAThrowingHookLeavesThemUntouched()
    {
        var fast = new Shared<double>("total", 10);
        var monitored = new Shared<double>("total", 10);
        ModeScans.Accumulate(X, fast);
        using (ScanMode.Use(ScanMode.Monitor())) ModeScans.Accumulate(X, monitored);
        Assert.Equal(10 + X.Sum(), fast.Value);
        Assert.Equal(fast.Value, monitored.Value);

        var stopped = new Shared<double>("total", 10);
        var stop = ScanMode.Monitor(after: (in NodeEvent e) => { if (e.Step == 2) throw new InvalidOperationException("stop"); });
        var thrown = Assert.Throws<InvalidOperationException>(() => { using (ScanMode.Use(stop)) ModeScans.Accumulate(X, stopped); });
        Assert.Equal("stop", thrown.Message);
        Assert.Equal(10, stopped.Value);
    }

    [Fact]
    public void ErrorsUnderAModeAreTheFastPaths()
    {
        var fast = Assert.Throws<ArgumentNullException>(() => ModeScans.Ema(null!, 1.0, 0.25));
        var monitored = Assert.Throws<ArgumentNullException>(() => { using (ScanMode.Use(ScanMode.Monitor())) ModeScans.Ema(null!, 1.0, 0.25); });
        Assert.Equal(fast.ParamName, monitored.ParamName);
    }

    [Fact]
    public void PrintPrintsOncePerStepInEveryMode()
    {
        foreach (var mode in new[] { null, ScanMode.Monitor(), ScanMode.Debug(), ScanMode.NanGuard(), ScanMode.Profile() })
        {
            var writer = new StringWriter();
            double[] result;
            using (Printing.To(writer))
            using (mode is null ? null : ScanMode.Use(mode))
                result = ModeScans.PrintTimesFive([1.0, 2, 3]);
            Assert.Equal(new[] { 5.0, 10, 15 }, result);
            Assert.Equal($"x = 1{writer.NewLine}x = 2{writer.NewLine}x = 3{writer.NewLine}", writer.ToString());
        }
    }
}
