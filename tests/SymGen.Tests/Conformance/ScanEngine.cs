using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Conformance;

/// <summary>
/// A scan as every engine can run it: its <c>[Symbolic]</c> method, called with the arguments unpacked, and the
/// <c>&lt;Scan&gt;Graph</c> property generated beside it. Both take the same arguments, in the method's order.
/// </summary>
public sealed record ScanUnderTest(string Name, Func<object[], object?> Method, Func<Function> GraphOf)
{
    /// <summary>The generated graph, built when first used (a graph that fails to build fails only its own cases).</summary>
    public Function Graph => GraphOf();

    /// <summary>A scan named after its graph property: <c>() =&gt; ConformanceScans.CumSumGraph</c> is "ConformanceScans.CumSum".</summary>
    public static ScanUnderTest Of(Func<object[], object?> method, Func<Function> graph, [CallerArgumentExpression(nameof(graph))] string name = "")
    {
        var parts = name.Replace("() =>", "").Trim().Split('.');
        return new($"{parts[^2]}.{parts[^1][..^"Graph".Length]}", method, graph);
    }

    public override string ToString() => Name;
}

/// <summary>
/// An engine that runs a scan (as System.Text.RegularExpressions' tests run one suite against each RegexEngine):
/// the generated loop, the interpreter, and later the monitored and debug engines (issue 13). Each returns the
/// scan's outputs, one per trace, in order.
/// </summary>
public sealed record ScanEngine(string Name, Func<ScanUnderTest, object[], object?[]> Run)
{
    /// <summary>
    /// Whether the engine rejects bad arguments as the generated loop does (the same exception and message). ONNX
    /// Runtime checks only what its own ops check: where the generated loop throws, the Onnx engine is not compared
    /// (docs/onnx.md, "What ONNX Runtime does not check").
    /// </summary>
    public bool ChecksArguments { get; init; } = true;

    /// <summary>How far the engine may differ from the generated loop at least, for a graph (0: as <see cref="Tolerance.Of"/> says).</summary>
    public Func<Function, double> TolerancePerGraph { get; init; } = _ => 0;

    /// <summary>The tolerance of this engine against the generated loop on <paramref name="graph"/>.</summary>
    public double ToleranceOf(Function graph) => Math.Max(Tolerance.Of(graph), TolerancePerGraph(graph));

    /// <summary>The generated loop: the <c>[Symbolic]</c> method itself.</summary>
    public static readonly ScanEngine Generated = new("Generated", (scan, arguments) => Outputs(scan.Method(arguments)));

    /// <summary>The interpreter, on the scan's generated graph.</summary>
    public static readonly ScanEngine Interpreted = new("Interpreted", (scan, arguments) => scan.Graph.Invoke(arguments));

    /// <summary>The interpreter with a hook before and after every node (Monitor mode), hooks that read every value.</summary>
    public static readonly ScanEngine Monitored = new("Monitored", (scan, arguments) => scan.Graph.Invoke(MonitorReadingEverything, arguments));

    private static readonly ScanMode DebugAllowingNaN = ScanMode.Debug(checkFinite: false);

    /// <summary>Debug mode: every node checked against an independent evaluation (and its shape); NaN and infinity
    /// allowed, as the random cases produce them (overflow, division by zero) and every engine must give them.</summary>
    public static readonly ScanEngine Debug = new("Debug", (scan, arguments) => scan.Graph.Invoke(DebugAllowingNaN, arguments));

    /// <summary>Debug mode on the <c>[Symbolic]</c> method: its observed generated loop and the interpreter beside it,
    /// every node compared (and checked as <see cref="Debug"/> checks it); NaN allowed, as there.</summary>
    public static readonly ScanEngine GeneratedDebug = new("GeneratedDebug", (scan, arguments) =>
    {
        using (ScanMode.Use(DebugAllowingNaN)) return Outputs(scan.Method(arguments));
    });

    /// <summary>The scan's graph exported to ONNX (SymGen.Onnx) and run in ONNX Runtime, one thread.</summary>
    /// <remarks>Its kernels are ONNX Runtime's (MLAS, Eigen), not SymGen's: the issue's bound, 1e-12 for double, 1e-5 for float.</remarks>
    public static readonly ScanEngine Onnx = new("Onnx", (scan, arguments) => SymGen.Tests.Onnx.OnnxRunner.Run(scan.Graph, arguments))
    {
        ChecksArguments = false,
        TolerancePerGraph = SymGen.Tests.Onnx.OnnxRunner.Tolerance,
    };

    private static readonly ScanMode MonitorReadingEverything = ScanMode.Monitor(
        before: (in NodeEvent e) => { for (int i = 0; i < e.InputCount; i++) _ = e.Input(i).Length; },
        after: (in NodeEvent e) => _ = e.Output.Length);

    /// <summary>Every engine the conformance suite runs each case on: a new engine joins by one entry here.</summary>
    public static readonly IReadOnlyList<ScanEngine> All = [Generated, Interpreted, Monitored, Debug, GeneratedDebug, Onnx];

    public static ScanEngine Named(string name) => All.Single(e => e.Name == name);

    /// <summary>A method's result as a list of outputs: a tuple's items, one trace, or none for a void scan.</summary>
    public static object?[] Outputs(object? result) => result switch
    {
        null => [],
        ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(),
        _ => [result],
    };

    public override string ToString() => Name;
}

/// <summary>One output flattened: its shape and its elements (double, float, long, int or bool) in row-major order.</summary>
public sealed record Output(int[] Shape, Array Values)
{
    public static Output Of(object? value) => value switch
    {
        double or float or long or int or bool => new([], Scalar(value)),
        Array { Rank: 1 } a => new([a.Length], (Array)a.Clone()),
        Vec<double> v => new([v.Length], v.ToArray()),
        Vec<float> v => new([v.Length], v.ToArray()),
        Mat<double> m => new([m.Rows, m.Columns], m.Span.ToArray()),
        Mat<float> m => new([m.Rows, m.Columns], m.Span.ToArray()),
        Tensor3<double> t => new([t.Length, t.Rows, t.Columns], t.Span.ToArray()),
        Tensor3<float> t => new([t.Length, t.Rows, t.Columns], t.Span.ToArray()),
        _ => throw new ArgumentException($"Cannot compare a {value?.GetType().Name ?? "null"}."),
    };

    private static Array Scalar(object value)
    {
        var array = Array.CreateInstance(value.GetType(), 1);
        array.SetValue(value, 0);
        return array;
    }

    /// <summary>Element <paramref name="i"/> as a double (for comparing with the reference file's float64 values).</summary>
    public double this[int i] => Convert.ToDouble(Values.GetValue(i));

    public override string ToString() => $"{Values.GetType().GetElementType()!.Name}({string.Join(", ", Shape)})";
}

/// <summary>What a run gave: the outputs and the shared variables' values after the call, or the exception it threw.</summary>
public sealed record Outcome(IReadOnlyList<Output> Outputs, IReadOnlyList<Output> Shared, Exception? Error)
{
    /// <summary>
    /// Runs <paramref name="run"/> on its own copy of <paramref name="arguments"/>: arrays are cloned and shared
    /// variables copied (the same variable passed twice stays one variable), so every engine starts from the same
    /// state. A failed call must leave the shared variables as they were.
    /// </summary>
    public static Outcome Of(Func<object[], object?[]> run, object[] arguments)
    {
        var copies = new Dictionary<SharedVariable, SharedVariable>(ReferenceEqualityComparer.Instance);
        var copy = arguments.Select(a => a switch
        {
            SharedVariable s => copies.TryGetValue(s, out var c) ? c : copies[s] = CopyOf(s),
            Array array => array.Clone(),
            _ => a,
        }).ToArray();
        var before = copies.Values.Select(SharedValue).ToList();
        object?[] results;
        try
        {
            results = run(copy);
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            var after = copies.Values.Select(SharedValue).ToList();
            for (int i = 0; i < before.Count; i++)
                Assert.True(Agreement.Equal(before[i], after[i], 0), $"'{copies.Values.ElementAt(i).Name}' changed by a call that threw {error.GetType().Name}");
            return new([], before, error);
        }
        return new(results.Select(Output.Of).ToList(), copies.Values.Select(SharedValue).ToList(), null);
    }

    private static SharedVariable CopyOf(SharedVariable s) =>
        (SharedVariable)Activator.CreateInstance(s.GetType(), s.Name, s.GetType().GetProperty("Value")!.GetValue(s))!;

    private static Output SharedValue(SharedVariable s) => Output.Of(s.GetType().GetProperty("Value")!.GetValue(s));
}

/// <summary>Whether two outcomes agree: the same error, or the same outputs and shared values within a tolerance.</summary>
public static class Agreement
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> agrees with <paramref name="expected"/>: the same exception type (and
    /// for an <see cref="ArgumentException"/> the same ParamName, and with <paramref name="sameMessage"/> the same
    /// message), or the same outputs and shared values: shapes and element types equal, values within
    /// <paramref name="tolerance"/> (<see cref="Tolerance"/>; 0 is bit for bit).
    /// </summary>
    public static void Assert(Outcome expected, Outcome actual, double tolerance, string what, bool sameMessage = true)
    {
        if (expected.Error is { } error)
        {
            Xunit.Assert.True(actual.Error is not null, $"{what}: returned, expected {error.GetType().Name}: {error.Message}");
            Xunit.Assert.True(error.GetType() == actual.Error!.GetType(), $"{what}: threw {actual.Error}, expected {error.GetType().Name}: {error.Message}");
            if (sameMessage)
                Xunit.Assert.Equal(error.Message, actual.Error.Message);
            if (error is ArgumentException argument)
                Xunit.Assert.Equal(argument.ParamName, ((ArgumentException)actual.Error).ParamName);
            return;
        }
        if (actual.Error is not null)
            throw new Xunit.Sdk.XunitException($"{what}: threw {actual.Error}, expected a result");
        Same(expected.Outputs, actual.Outputs, tolerance, what + " output");
        Same(expected.Shared, actual.Shared, tolerance, what + " shared variable");
    }

    private static void Same(IReadOnlyList<Output> expected, IReadOnlyList<Output> actual, double tolerance, string what)
    {
        Xunit.Assert.True(expected.Count == actual.Count, $"{what}s: {actual.Count}, expected {expected.Count}");
        for (int o = 0; o < expected.Count; o++)
        {
            var (e, a) = (expected[o], actual[o]);
            Xunit.Assert.True(e.Values.GetType() == a.Values.GetType() && e.Shape.SequenceEqual(a.Shape), $"{what} {o}: {a}, expected {e}");
            for (int i = 0; i < e.Values.Length; i++)
                Xunit.Assert.True(Equal(e.Values.GetValue(i)!, a.Values.GetValue(i)!, tolerance),
                    $"{what} {o}[{i}] = {Format(a.Values.GetValue(i))}, expected {Format(e.Values.GetValue(i))} (tolerance {tolerance})");
        }
    }

    /// <summary>Whole outputs equal within a tolerance (0: bit for bit).</summary>
    public static bool Equal(Output expected, Output actual, double tolerance) =>
        expected.Values.GetType() == actual.Values.GetType() && expected.Shape.SequenceEqual(actual.Shape)
        && Enumerable.Range(0, expected.Values.Length).All(i => Equal(expected.Values.GetValue(i)!, actual.Values.GetValue(i)!, tolerance));

    /// <summary>
    /// Two elements equal within <paramref name="tolerance"/>, relative to the expected magnitude (absolute below 1).
    /// At 0: bit for bit (NaN equals NaN; 0 and -0 differ).
    /// </summary>
    public static bool Equal(object expected, object actual, double tolerance) => (expected, actual) switch
    {
        (double e, double a) => Close(e, a, tolerance),
        (float e, float a) => Close(e, a, tolerance),
        _ => expected.Equals(actual),
    };

    private static bool Close(double e, double a, double tolerance) =>
        BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a) || (double.IsNaN(e) && double.IsNaN(a))
        || (tolerance > 0 && Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)));

    private static string Format(object? value) => value is IFormattable f ? f.ToString("R", null) : value?.ToString() ?? "null";
}
