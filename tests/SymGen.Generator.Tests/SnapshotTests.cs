using System;
using System.IO;
using System.Linq;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// The generated code of the sample scans, compared exactly with approved files (Snapshots/*.verified.cs).
/// On a difference the test writes *.received.cs beside it and fails with a diff; review it, then accept with
/// the command in the message.
/// </summary>
public class SnapshotTests
{
    private static string SnapshotDirectory => Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "SymGen.Generator.Tests", "Snapshots");

    public static TheoryData<string> SampleScans()
    {
        var data = new TheoryData<string>();
        foreach (var name in GenerateSamples().Select(s => s.Key).Order()) data.Add(name);
        return data;
    }

    private static System.Collections.Generic.IReadOnlyDictionary<string, string> GenerateSamples()
    {
        var source = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "samples", "SeedScans", "Scans.cs"));
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.AllDiagnostics);
        return run.GeneratedSources;
    }

    [Theory]
    [MemberData(nameof(SampleScans))]
    public void GeneratedCodeMatchesApprovedSnapshot(string hintName)
    {
        var baseName = Path.Combine(SnapshotDirectory, Path.GetFileNameWithoutExtension(hintName).Replace(".g", ""));
        AssertApproved(GenerateSamples()[hintName], baseName, ".cs");
    }

    /// <summary>
    /// The sample scans' graphs, built by the generated code (compiled and run in memory), printed as a tree and as
    /// Graphviz DOT, compared with approved files.
    /// </summary>
    [Theory]
    [InlineData("CumSum")]
    [InlineData("Components")]
    [InlineData("Iir")]
    [InlineData("RowSums")]
    [InlineData("Rnn")]
    public void GraphPrintAndDotMatchApprovedSnapshots(string scan)
    {
        var source = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "samples", "SeedScans", "Scans.cs"));
        var graph = (SymGen.Graph.Function)GeneratorHarness.Load(source).GetType("Seed.Scans")!.GetProperty(scan + "Graph")!.GetValue(null)!;
        AssertApproved(graph.DebugPrint(), Path.Combine(SnapshotDirectory, "Graphs", scan), ".txt");
        AssertApproved(graph.ToDot(), Path.Combine(SnapshotDirectory, "Graphs", scan), ".dot");
    }

    /// <summary>Compares with baseName.verified{extension}; on a difference writes .received and fails with a diff.</summary>
    /// <summary>Generated gradients (an Elman RNN's, with truncation), compared with approved files.</summary>
    [Fact]
    public void GeneratedGradientMatchesApprovedSnapshot()
    {
        var run = GeneratorHarness.Run("""
            using SymGen;

            namespace Gradients;

            public static partial class Rnns
            {
                static (Vec<double> h, Vec<double> y) Step(Vec<double> x, Vec<double> h, Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V)
                {
                    var next = Sym.Tanh(Sym.Dot(Wx, x) + Sym.Dot(Wh, h) + b);
                    return (next, Sym.Dot(V, next));
                }

                [Symbolic(nameof(Step), TruncateGradient = 20)]
                public static partial (Mat<double> h, Mat<double> y) Elman([Sequence] Mat<double> X, [Initial(Output = "h")] Vec<double> h0,
                    Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V);

                [Gradient(nameof(Elman))]
                public static partial void ElmanGradient(Mat<double> X, Vec<double> h0, Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V,
                    Mat<double> dh, Mat<double> dy, out Mat<double> dWx, out Mat<double> dWh, out Vec<double> db, out Mat<double> dV, out Vec<double> dh0);
            }
            """);
        Assert.Empty(run.AllDiagnostics);
        AssertApproved(run.GeneratedSources["Gradients.Rnns.ElmanGradient.g.cs"], Path.Combine(SnapshotDirectory, "Gradients", "Gradients.Rnns.ElmanGradient"), ".cs");
    }

    private static void AssertApproved(string actualText, string baseName, string extension)
    {
        var actual = actualText.ReplaceLineEndings("\n");
        var verified = baseName + ".verified" + extension;
        var received = baseName + ".received" + extension;
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : "";
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual);
        Assert.Fail($"{Path.GetFileName(baseName)}{extension} differs from {Path.GetFileName(verified)}:\n{Diff(expected, actual)}\n" +
                    $"If the change is right, accept it: mv \"{received}\" \"{verified}\"");
    }

    private static string Diff(string expected, string actual)
    {
        var diff = InlineDiffBuilder.Diff(expected, actual);
        var text = new StringBuilder();
        foreach (var line in diff.Lines.Where(l => l.Type != ChangeType.Unchanged).Take(60))
            text.AppendLine((line.Type == ChangeType.Inserted ? "+ " : "- ") + line.Text);
        return text.ToString();
    }
}
