using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Whatever a user writes reaches generated code only as data: hostile text in every place a user string lands
/// (the scan's Name, the source of step expressions copied into comments and messages, verbatim and escaped
/// identifiers, output names) compiles, runs, and comes back exactly as written.
/// </summary>
public class HostileInputTests
{
    /// <summary>Text that would end a literal or a comment, or become code, if pasted as it is.</summary>
    public static readonly string[] Hostile =
    [
        "x\" + Evil.Run() + \"",
        "\"*/ } class X { //",
        "line one\nclass Injected { }",
        "a\r\nb", "a\rb", "a\u2028b", "a\u2029b", "a\u0085b", "a\fb\vb",
        @"C:\temp\new",
        "trailing backslash\\",
        "\\\"", "\\u0022", "*/", "/*", "/* a comment */", "// a comment",
        "{ } {{ }} {0}", "\t tab", "<summary> & </summary> ]]> &amp;", "'single' \"double\"",
        "nul\0char", "\ud800 lone high, lone low \udc00", "\u202e reversed", "emoji \ud83d\ude00", "#if false",
        "", " ", new string('n', 10_000) + "\"" + new string('\n', 100),
    ];

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static Type Load(string source, out IReadOnlyDictionary<string, string> generated)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.AllDiagnostics);
        generated = run.GeneratedSources;
        // Doc comments are well-formed XML (the compiler checks them only when it writes documentation).
        foreach (var (hint, text) in generated)
            Assert.Empty(CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose), path: hint).GetDiagnostics());
        return GeneratorHarness.Load(source).GetType("S")!;
    }

    private static SymGen.Graph.Function Graph(Type type, string property) => (SymGen.Graph.Function)type.GetProperty(property)!.GetValue(null)!;

    private static string ScanName(SymGen.Graph.Function graph) => ((SymGen.Graph.ScanOutputVariable)graph.Outputs[0]).Scan.Name;

    [Fact]
    public void HostileScanNamesCompileRunAndRoundTrip()
    {
        var scans = string.Concat(Hostile.Select((name, i) => $"""
                [Symbolic(nameof(Add), Name = {Literal(name)})]
                public static partial double[] Run{i}([Sequence] double[] x, [Initial] double h0);

            """));
        var source = $$"""
            using SymGen;
            // What the first name tries to call: were it pasted as code, it would compile, and run.
            public static class Evil
            {
                public static int Runs;
                public static string Run() { Runs++; return "evil"; }
            }
            public static partial class S
            {
                static double Add(double x, double h) => h + x;
            {{scans}}
                [Symbolic(nameof(Add), Name = @"C:\temp\new ""quoted""
            second line")]
                public static partial double[] Verbatim([Sequence] double[] x, [Initial] double h0);
            }
            """;
        var type = Load(source, out _);
        for (int i = 0; i < Hostile.Length; i++)
        {
            var result = (double[])type.GetMethod("Run" + i)!.Invoke(null, [new double[] { 1, 2 }, 0.0])!;
            Assert.Equal([1.0, 3.0], result);
            var graph = Graph(type, $"Run{i}Graph");
            Assert.Equal(Hostile[i], ScanName(graph));
            Assert.Equal("[1, 3]", graph.Invoke(new double[] { 1, 2 }, 0.0)[0].ToString());
        }
        Assert.Equal("C:\\temp\\new \"quoted\"\nsecond line".ReplaceLineEndings("\n"), ScanName(Graph(type, "VerbatimGraph")).ReplaceLineEndings("\n"));
        Assert.Equal(0, (int)type.Assembly.GetType("Evil")!.GetField("Runs")!.GetValue(null)!);
    }

    /// <summary>Raw line breaks, comment delimiters, quotes and invisible characters inside a step expression's comments.</summary>
    private const string HostileComment = "\"quoted\" \\ {braces} <xml> & */ /* \u2028LS \u2029PS \u0085NEL \u0000NUL \u202eRLO \ud800";

    [Fact]
    public void HostileStepExpressionsAndVerbatimIdentifiersCompileAndRun()
    {
        // Comments inside the expressions land, as the expressions' source text, in generated comments and in the
        // message of a size check (a string literal).
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                static double Add(double @in, double \u0068) => h /* {{HostileComment.Replace("*/", "* /")}} */ + // {{HostileComment.Replace("\u2028", "").Replace("\u2029", "").Replace("\u0085", "")}}
                    @in;

                static Vec<double> Sum(Vec<double> @class, Vec<double> données) => données /* "q" \ {{HostileComment.Replace("*/", "")}} */
                    + @class;

                [Symbolic(nameof(Add), Name = {{Literal(HostileComment)}})]
                public static partial double[] Scalar([Sequence] double[] @in, [Initial] double h);

                [Symbolic(nameof(Sum))]
                public static partial Mat<double> Vector([Sequence] Mat<double> @class, [Initial] Vec<double> données);
            }
            """;
        var type = Load(source, out var generated);
        Assert.Equal([1.0, 3.0], (double[])type.GetMethod("Scalar")!.Invoke(null, [new double[] { 1, 2 }, 0.0])!);
        Assert.Equal(HostileComment, ScanName(Graph(type, "ScalarGraph")));
        Assert.Equal(["in", "h"], Graph(type, "ScalarGraph").Inputs.Select(i => i.Name));

        var rows = Mat<double>.FromRows([[1.0, 2.0], [3.0, 4.0]]);
        Assert.Equal("[[1, 2], [4, 6]]", type.GetMethod("Vector")!.Invoke(null, [rows, Vec<double>.Zeros(2)])!.ToString());
        // The size check's message quotes the expression, comment and all, exactly.
        var error = Assert.IsType<ArgumentException>(Assert.Throws<TargetInvocationException>(() =>
            type.GetMethod("Vector")!.Invoke(null, [rows, Vec<double>.Zeros(3)])).InnerException);
        Assert.Contains("données /* \"q\" \\ \"quoted\" \\ {braces} <xml> & ", error.Message);
        Assert.Equal("données", error.ParamName);
        Assert.Contains(generated.Values, text => text.Contains("\\u2028LS \\u2029PS \\u0085NEL \\u0000NUL \\u202ERLO \\uD800"));
    }

    [Fact]
    public void HostileOutputNamesAreReportedNotPasted()
    {
        foreach (var name in Hostile)
        {
            var run = GeneratorHarness.Run($$"""
                using SymGen;
                public static partial class S
                {
                    static (double, double) Step(double x, double h, double g) => (h + x, g - x);
                    [Symbolic(nameof(Step))]
                    public static partial (double[] h, double[] g) Run([Sequence] double[] x, [Initial(Output = "h")] double h0, [Initial(Output = {{Literal(name)}})] double g0);
                }
                """);
            var diagnostic = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal("SYMG0018", diagnostic.Id);
            Assert.Contains($"names output '{name}'", diagnostic.GetMessage());
            Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    [Fact]
    public void EscapedAndUnicodeOutputNamesRoundTrip()
    {
        var type = Load("""
            using SymGen;
            public static partial class S
            {
                static (double, double) Step(double x, double h, double g) => (h + x, g - x);
                [Symbolic(nameof(Step))]
                public static partial (double[] @class, double[] \u00e9t\u00e9) Run([Sequence] double[] x, [Initial(Output = "class")] double h0, [Initial(Output = "été")] double g0);
            }
            """, out _);
        Assert.Equal(["class", "été"], Graph(type, "RunGraph").Outputs.Select(o => o.Name));
    }
}
