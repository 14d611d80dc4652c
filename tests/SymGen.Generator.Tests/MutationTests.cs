using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;
using Xunit.Abstractions;

namespace SymGen.Generator.Tests;

/// <summary>
/// The generator on thousands of seeded mutants of the real scan sources (the sample, the runtime tests' scans, the
/// sources embedded in these tests): it never throws, never falls into its catch-all (SYMG0022), takes at most
/// <see cref="GeneratorTimeBound"/> per mutant, and whenever the user's own code compiles, so does the generated code.
/// SYMGEN_MUTANTS sets the number of mutants (a long local run: SYMGEN_MUTANTS=20000), SYMGEN_MUTATION_SEED the seed,
/// SYMGEN_MUTANT one mutant alone, SYMGEN_MUTATION_FLAGS the mutations kept off for known bugs (see
/// <see cref="MutationOptions"/>).
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int DefaultMutants = 2000;
    // The default run stops taking new mutants after this long, so that a loaded machine cannot stretch it (a run
    // with SYMGEN_MUTANTS set takes all of them).
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(50);
    private const int DefaultSeed = 20261201;
    private static readonly TimeSpan GeneratorTimeBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The errors a user's code has only because the generator has not run: a partial method with an accessibility
    /// modifier and no implementation (CS8795). Asserted on the unmutated sources below.
    /// </summary>
    private static readonly HashSet<string> MissingBodyErrors = ["CS8795"];

    private static readonly string[] ScanFiles =
    [
        "samples/SeedScans/Scans.cs",
        "tests/SymGen.Tests/Conformance/ConformanceScans.cs",
        "tests/SymGen.Tests/Conformance/TensorConformanceScans.cs",
        "tests/SymGen.Tests/Semantics/SemanticsScans.cs",
        "tests/SymGen.Tests/SharedState/SharedScans.cs",
        "tests/SymGen.Tests/Tensors/OpScans.cs",
        "tests/SymGen.Tests/Gradients/GradientScans.cs",
    ];

    private static readonly Lazy<(IReadOnlyList<string> Files, IReadOnlyList<string> Embedded)> Seeds = new(LoadSeeds);

    private static (IReadOnlyList<string>, IReadOnlyList<string>) LoadSeeds()
    {
        var root = GeneratorHarness.RepositoryRoot;
        var files = ScanFiles.Select(f => File.ReadAllText(Path.Combine(root, f))).ToList();
        // Every string literal of these tests that declares a scan, without DiagnosticTests' [| |] markers.
        var embedded = Directory.GetFiles(Path.Combine(root, "tests/SymGen.Generator.Tests"), "*.cs")
            .Where(f => Path.GetFileName(f) is not (nameof(MutationTests) + ".cs" or nameof(Mutator) + ".cs"))
            .SelectMany(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot().DescendantTokens())
            .Where(t => t.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.SingleLineRawStringLiteralToken
                && t.ValueText.Contains("[Symbolic"))
            .Select(t => t.ValueText.Replace("[|", "").Replace("|]", ""))
            .Select(s => s.Contains("using SymGen;") ? s : "using System;\nusing SymGen;\n" + s)
            .Distinct()
            .ToList();
        return (files, embedded);
    }

    /// <summary>An empty compilation whose references are bound once: every mutant's compilation reuses them.</summary>
    private static readonly Lazy<CSharpCompilation> Empty = new(() =>
    {
        var empty = GeneratorHarness.Compilation();
        empty.GetDiagnostics();
        return empty;
    });

    private static CSharpCompilation Compilation(string source) =>
        Empty.Value.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Source0.cs"));

    private static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create([new ScanGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);

    [Fact]
    public void TheSeedsHaveNoErrorsButTheMissingBodies()
    {
        var (files, embedded) = Seeds.Value;
        Assert.Equal(ScanFiles.Length, files.Count);
        Assert.True(embedded.Count >= 50, $"Only {embedded.Count} scan sources found in the generator tests.");
        foreach (var source in files)
        {
            var errors = GeneratorHarness.Compilation(source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains(e.Id, MissingBodyErrors));
            Assert.Empty(GeneratorHarness.Run(source).Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    [Fact]
    public void MutantsNeverCrashTheGeneratorAndCompileWhenTheUserCodeDoes()
    {
        bool countGiven = int.TryParse(Environment.GetEnvironmentVariable("SYMGEN_MUTANTS"), out var n);
        int count = countGiven ? n : DefaultMutants;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SYMGEN_MUTATION_SEED"), out var s) ? s : DefaultSeed;
        // SYMGEN_MUTANT=index reruns one mutant of a failed run alone.
        int first = 0;
        if (int.TryParse(Environment.GetEnvironmentVariable("SYMGEN_MUTANT"), out var single))
            (first, count) = (single, 1);
        var options = MutationOptions.FromEnvironment();
        var report = Run(seed, first, count, options, countGiven ? TimeSpan.MaxValue : DefaultBudget);
        output.WriteLine($"Seed {seed}, {options}: {report.Summary}");
        Assert.True(report.Failures.IsEmpty,
            $"{report.Failures.Count} mutants failed ({report.Summary}; seed {seed}, {options}; rerun one with "
            + "SYMGEN_MUTATION_SEED=seed SYMGEN_MUTANT=index):\n"
            + string.Join("\n", report.Failures.OrderBy(f => f.Index).Take(40).Select(f => $"Mutant {f.Index}: {Shorten(f.Problem)}"))
            + "\n\nThe first ones in full:\n\n" + string.Join("\n\n", report.Failures.OrderBy(f => f.Index).Take(3)));
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";

    private sealed record Failure(int Index, string Problem, string Description, string Source)
    {
        public override string ToString() => $"Mutant {Index}: {Problem}\nMutations: {Description}\nSource:\n{Source}";
    }

    private sealed record Report(ConcurrentBag<Failure> Failures, string Summary);

    /// <summary>The mutant <paramref name="index"/> of a run with <paramref name="seed"/>: its own generator, so any one can be rebuilt alone.</summary>
    internal static (string Source, string Description)? Mutant(int seed, int index, MutationOptions options)
    {
        // Not HashCode.Combine: it is salted per process, and a mutant must be the same in every run.
        var random = new Random(unchecked(seed * 1_000_003 + index));
        var (files, embedded) = Seeds.Value;
        var source = random.Next(2) == 0 ? files[random.Next(files.Count)] : embedded[random.Next(embedded.Count)];
        return new Mutator(random, options).Mutate(source);
    }

    private static Report Run(int seed, int first, int count, MutationOptions options, TimeSpan budget)
    {
        var failures = new ConcurrentBag<Failure>();
        int checkedGenerated = 0, skipped = 0, run = 0;
        var clock = Stopwatch.StartNew();
        var drivers = new ThreadLocal<GeneratorDriver>(Driver);
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index =>
        {
            if (clock.Elapsed > budget)
                return;
            Interlocked.Increment(ref run);
            if (Mutant(seed, index, options) is not { } mutant)
            {
                Interlocked.Increment(ref skipped);
                return;
            }
            string? problem;
            bool compiledGenerated;
            try
            {
                (problem, compiledGenerated) = Check(mutant.Source, drivers);
            }
            catch (Exception exception)
            {
                (problem, compiledGenerated) = ($"checking it threw {exception}", false);
            }
            if (compiledGenerated)
                Interlocked.Increment(ref checkedGenerated);
            if (problem is not null)
                failures.Add(new Failure(index, problem, mutant.Description, mutant.Source));
        });
        var seconds = clock.Elapsed.TotalSeconds;
        return new Report(failures,
            $"{run} of {count} mutants in {seconds:F1} s ({run / seconds:F0}/s), {checkedGenerated} with error-free user code whose generated code was compiled, {skipped} without an applicable mutation");
    }

    /// <summary>What is wrong with the generator's handling of <paramref name="source"/>, if anything.</summary>
    private static (string? Problem, bool CompiledGenerated) Check(string source, ThreadLocal<GeneratorDriver> drivers)
    {
        var compilation = Compilation(source);
        var clock = Stopwatch.StartNew();
        var driver = drivers.Value!.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out var diagnostics);
        var elapsed = clock.Elapsed;
        drivers.Value = driver;
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } exception)
            return ($"the generator threw {exception}", false);
        if (diagnostics.FirstOrDefault(d => d.Id is "CS8785" or "SYMG0022") is { } crash)
            return ($"the generator reported {crash}", false);
        if (elapsed > GeneratorTimeBound)
        {
            // Measured again before blaming the generator: a busy machine can stall one run.
            clock.Restart();
            Driver().RunGenerators(compilation);
            if (clock.Elapsed > GeneratorTimeBound)
                return ($"the generator took {elapsed.TotalSeconds:F1} s and {clock.Elapsed.TotalSeconds:F1} s (bound {GeneratorTimeBound.TotalSeconds} s)", false);
        }
        var userErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (userErrors.Any(d => !MissingBodyErrors.Contains(d.Id)))
            return (null, false);
        var errors = withGenerated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Where(d => !IsUnavoidableMissingBody(d, diagnostics)).ToList();
        return (errors.Count == 0 ? null : "the user's code compiles, but not with the generated code: " + string.Join("; ", errors.Take(5)), true);
    }

    /// <summary>
    /// A scan that SymGen rejects because no implementation can be written for it keeps its CS8795: one in a type that
    /// is not partial (SYMG0001), a generic one or one with by-reference parameters (SYMG0020), or one whose generated code
    /// could not name the System namespace (SYMG0027).
    /// </summary>
    private static bool IsUnavoidableMissingBody(Diagnostic error, IEnumerable<Diagnostic> generatorDiagnostics)
    {
        if (error.Id != "CS8795" || error.Location.SourceTree?.GetRoot().FindNode(error.Location.SourceSpan)
                .FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            return false;
        return generatorDiagnostics.Any(d => d.Id is "SYMG0001" or "SYMG0020" or "SYMG0027" && d.Location.SourceTree == error.Location.SourceTree
            && method.FullSpan.Contains(d.Location.SourceSpan));
    }
}
