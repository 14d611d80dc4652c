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
        var source = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "samples", "Seed", "Scans.cs"));
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.AllDiagnostics);
        return run.GeneratedSources;
    }

    [Theory]
    [MemberData(nameof(SampleScans))]
    public void GeneratedCodeMatchesApprovedSnapshot(string hintName)
    {
        var actual = GenerateSamples()[hintName].ReplaceLineEndings("\n");
        var baseName = Path.Combine(SnapshotDirectory, Path.GetFileNameWithoutExtension(hintName).Replace(".g", ""));
        var verified = baseName + ".verified.cs";
        var received = baseName + ".received.cs";
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : "";
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"Generated code for {hintName} differs from {Path.GetFileName(verified)}:\n{Diff(expected, actual)}\n" +
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
