using System.IO;
using System.Linq;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>The generator never throws: every prefix of a real source file gets diagnostics, not a crash.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("samples/SeedScans/Scans.cs")]
    [InlineData("tests/SymGen.Tests/Conformance/ConformanceScans.cs")]
    [InlineData("tests/SymGen.Tests/Semantics/SemanticsScans.cs")]
    public void EveryPrefixOfASourceFileIsHandled(string path)
    {
        var source = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, path));
        var driver = GeneratorHarness.Driver();
        for (int length = 0; length <= source.Length; length++)
        {
            var run = GeneratorHarness.Run(GeneratorHarness.Compilation(source.Substring(0, length)), driver);
            driver = run.Driver;
            // CS8785: the generator threw; SYMG0022: the parser caught an exception of its own.
            var crash = run.GeneratorDiagnostics.FirstOrDefault(d => d.Id is "CS8785" or "SYMG0022");
            Assert.True(crash is null, $"Prefix of {length} characters: {crash}");
            Assert.Null(driver.GetRunResult().Results.Single().Exception);
        }
    }
}
