using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Every error case of the reference file (PyTensor's run-time errors) and what replaces it in SymGen: a
/// compile-time diagnostic, an argument exception before the first step, or a reason it cannot arise.
/// docs/reference-errors.md is the same table for readers.
/// </summary>
public class ErrorTableTests
{
    private const string Usings = "using System;\nusing SymGen;\n";

    private abstract record Replacement;
    /// <summary>The code that raised in PyTensor, written with SymGen, gets this diagnostic.</summary>
    private sealed record Diagnostic(string Id, string Source) : Replacement;
    /// <summary>The call that raised in PyTensor throws this before the first step.</summary>
    private sealed record Argument(Type Exception, string Source, string Call, object?[] Arguments) : Replacement;
    /// <summary>The C# compiler itself rejects the equivalent code.</summary>
    private sealed record CompilerError(string Id, string Source) : Replacement;
    /// <summary>SymGen accepts it (with a reason), or the construct has no SymGen spelling.</summary>
    private sealed record NotAnError(string Why) : Replacement;
    /// <summary>The construct belongs to a capability not built yet.</summary>
    private sealed record Deferred(string Capability) : Replacement;

    private static string Scan(string step, string declaration) =>
        Usings + "public static partial class S\n{\n    " + step + "\n    " + declaration + "\n}\n";

    private const string Accumulate = "static double Step(double x, double h) => h + x;";

    private static readonly Dictionary<string, Replacement> Table = new()
    {
        ["taps_without_initial"] = new NotAnError("output taps are arguments of [Initial], so an output with taps always has its initial state"),
        ["output_tap_not_negative"] = new Diagnostic("SYMG0009", Scan("static double Step(double y) => y;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial(0)] double[] y0, [Steps] int n);")),
        ["duplicate_output_taps"] = new Diagnostic("SYMG0010", Scan("static double Step(double a, double b) => a + b;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial(-1, -1)] double[] y0, [Steps] int n);")),
        ["unexpected_outputs_info_key"] = new CompilerError("CS0246", Scan("static double Step(double y) => y;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial(Foo = 1)] double y0, [Steps] int n);")),
        ["no_n_steps_no_sequences"] = new Diagnostic("SYMG0012", Scan("static double Step(double y) => y;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial] double y0);")),
        ["n_steps_float_dtype"] = new Diagnostic("SYMG0016", Scan("static double Step(double y) => y;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial] double y0, [Steps] double n);")),
        ["dtype_mismatch_int_initial_float_fn_output"] = new Diagnostic("SYMG0007", Scan("static double Step(long x, long h) => h + x;",
            "[Symbolic(nameof(Step))] public static partial long[] F([Sequence] long[] x, [Initial] long h0);")),
        ["python_float_initial_is_float32"] = new Diagnostic("SYMG0021", Scan(Accumulate,
            "[Symbolic(nameof(Step))] public static partial double[] F([Sequence] double[] x, [Initial] float h0);")),
        ["ndim_mismatch_vector_output_scalar_initial"] = new Diagnostic("SYMG0023", Scan("static Vec<double> Step(Vec<double> x, Vec<double> h) => h + x;",
            "[Symbolic(nameof(Step))] public static partial Mat<double> F([Sequence] Mat<double> x, [Initial] double h0);")),
        ["fn_returns_more_outputs_than_outputs_info"] = new Diagnostic("SYMG0007", Scan("static (double, double) Step(double x, double h) => (h + x, x);",
            "[Symbolic(nameof(Step))] public static partial double[] F([Sequence] double[] x, [Initial] double h0);")),
        ["fn_returns_python_constant"] = new NotAnError("a constant output is a constant node; SemanticsTests.ConstantAndBoolOutputs runs one"),
        ["updates_before_outputs"] = new NotAnError("the step's tuple order is fixed by the scan's signature: outputs, then one value per [Update] parameter, then the Until; values of other types than expected are SYMG0007"),
        ["until_returned_alone"] = new Diagnostic("SYMG0007", Scan("static Until Step(double h) => Until.When(h > 50);",
            "[Symbolic(nameof(Step))] public static partial double[] F([Initial] double h0, [Steps] int n);")),
        ["empty_sequence_taps_list"] = new Diagnostic("SYMG0011", Scan("static double Step(double x) => x;",
            "[Symbolic(nameof(Step))] public static partial double[] F([Sequence(new int[0])] double[] x);")),
        ["runtime_n_steps_larger_than_sequence"] = new Argument(typeof(ArgumentException), Scan(Accumulate,
            "[Symbolic(nameof(Step))] public static partial double[] F([Sequence] double[] x, [Initial] double h0, [Steps] int n);"),
            "F", [new double[3], 0.0, 5]),
        ["runtime_negative_n_steps"] = new Argument(typeof(ArgumentOutOfRangeException), Scan(Accumulate,
            "[Symbolic(nameof(Step))] public static partial double[] F([Sequence] double[] x, [Initial] double h0, [Steps] int n);"),
            "F", [new double[3], 0.0, -1]),
    };

    private static IEnumerable<string> ReferenceErrorNames()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "scan-cases.json")));
        return document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>"runtime_negative_n_steps[py_noopt]" is the same error as without its mode.</summary>
    private static string Key(string name) => name.Split('[')[0];

    public static TheoryData<string> ReferenceErrors()
    {
        var data = new TheoryData<string>();
        foreach (var name in ReferenceErrorNames()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceErrors))]
    public void ReferenceErrorIsReplaced(string name)
    {
        Assert.True(Table.TryGetValue(Key(name), out var replacement), $"No SymGen replacement listed for reference error '{name}'.");
        switch (replacement)
        {
            case Diagnostic d:
                var ids = GeneratorHarness.Run(d.Source).GeneratorDiagnostics.Select(x => x.Id).ToList();
                Assert.Equal([d.Id], ids);
                break;
            case CompilerError c:
                var run = GeneratorHarness.Run(c.Source);
                Assert.Contains(run.Output.GetDiagnostics(), x => x.Id == c.Id && x.Severity == DiagnosticSeverity.Error);
                break;
            case Argument a:
                var method = GeneratorHarness.Load(a.Source).GetType("S")!.GetMethod(a.Call)!;
                var thrown = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, a.Arguments)).InnerException;
                Assert.IsType(a.Exception, thrown);
                Assert.Contains(((ArgumentException)thrown!).ParamName!, new[] { "x", "n" });
                break;
            case NotAnError or Deferred:
                break;
        }
    }

    [Fact]
    public void TheDocumentedTableListsEveryReferenceError()
    {
        var doc = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "docs", "reference-errors.md"));
        var rows = doc.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        foreach (var key in ReferenceErrorNames().Select(Key).Distinct())
        {
            var row = Assert.Single(rows, r => r.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            if (Table[key] is Diagnostic d) Assert.Contains(d.Id, row.Split('|')[3]);
        }
    }
}
