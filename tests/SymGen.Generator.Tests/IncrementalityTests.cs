using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// The pipeline's named steps stay cached when nothing a scan depends on changed: typing a comment, or editing
/// another file, regenerates nothing. Editing a step body does regenerate (so these tests can fail).
/// </summary>
public class IncrementalityTests
{
    private const string Scans = """
        using System;
        using SymGen;
        public static partial class S
        {
            static double Add(double x, double h) => h + x;
            [Symbolic(nameof(Add))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        }
        """;

    private const string Other = "public static class Other { public static int Value => 1; }";

    private static GeneratorDriverRunResult RunTwice(System.Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = GeneratorHarness.Compilation(Scans, Other);
        var driver = GeneratorHarness.Run(compilation).Driver;
        return GeneratorHarness.Run(edit(compilation), driver).Driver.GetRunResult();
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, int tree, System.Func<string, string> change)
    {
        var old = compilation.SyntaxTrees.ElementAt(tree);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(SourceText.From(change(old.ToString()))));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static void AssertNothingRegenerated(GeneratorDriverRunResult result)
    {
        Assert.All(Reasons(result, ScanGenerator.Steps.Parsed), r => Assert.True(r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, r.ToString()));
        Assert.All(Reasons(result, ScanGenerator.Steps.Models), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.NotEmpty(Reasons(result, ScanGenerator.Steps.Models));
        // The emitter runs only for a new or modified model; the diagnostics output re-runs (it depends on the
        // compilation to tie locations to trees) but reports the same diagnostics.
        Assert.All(result.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void EditingACommentRegeneratesNothing() =>
        AssertNothingRegenerated(RunTwice(c => Edit(c, 0, s => s.Replace("public static partial class S", "// a comment\npublic static partial class S"))));

    [Fact]
    public void EditingAnotherFileRegeneratesNothing() =>
        AssertNothingRegenerated(RunTwice(c => Edit(c, 1, s => s.Replace("=> 1", "=> 2"))));

    [Fact]
    public void AddingAFileRegeneratesNothing() =>
        AssertNothingRegenerated(RunTwice(c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class New { }", GeneratorHarness.ParseOptions, path: "New.cs"))));

    /// <summary>The model keeps only the type's member names a generated member could clash with.</summary>
    [Fact]
    public void AddingAnUnrelatedMemberToTheScansTypeRegeneratesNothing() =>
        AssertNothingRegenerated(RunTwice(c => Edit(c, 0, s => s.Replace("public static partial class S\n{", "public static partial class S\n{\n    static int Unrelated;"))));

    [Fact]
    public void AddingAMemberNamedLikeTheGraphsFieldRegeneratesTheScan()
    {
        var result = RunTwice(c => Edit(c, 0, s => s.Replace("public static partial class S\n{", "public static partial class S\n{\n    static int s_CumSumGraph;")));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, ScanGenerator.Steps.Models));
    }

    [Fact]
    public void EditingTheStepBodyRegeneratesTheScan()
    {
        var result = RunTwice(c => Edit(c, 0, s => s.Replace("h + x", "h - x")));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, ScanGenerator.Steps.Models));
    }

    /// <summary>A file of 50 scans, as the build-cost measurement (benchmarks/BuildCost) generates.</summary>
    internal static string FiftyScans(int changed = -1) =>
        "using System;\nusing SymGen;\npublic static partial class Many\n{\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $$"""
            static double Step{{i}}(double x, double h) => h * {{(i == changed ? "0.5" : "1.5")}} + x + {{i}};
            [Symbolic(nameof(Step{{i}}))]
            public static partial double[] Scan{{i}}([Sequence] ReadOnlySpan<double> x, [Initial] double h0);

        """)) + "}\n";

    [Fact]
    public void EditingOneOfFiftyStepBodiesRegeneratesOnlyThatScan()
    {
        var compilation = GeneratorHarness.Compilation(FiftyScans());
        var driver = GeneratorHarness.Run(compilation).Driver;
        var result = GeneratorHarness.Run(Edit(compilation, 0, _ => FiftyScans(changed: 17)), driver).Driver.GetRunResult();
        var reasons = Reasons(result, ScanGenerator.Steps.Models);
        Assert.Equal(50, reasons.Length);
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(49, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var emitted = result.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.True(emitted <= 2, $"{emitted} outputs were produced again; one scan's source (and its diagnostics output) at most");
    }
}
