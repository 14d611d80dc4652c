using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGen.Generator;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;

namespace SymGen.Generator.Tests;

/// <summary>The outcome of running the generator on some sources.</summary>
public sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    GeneratorDriver Driver,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>SymGen's diagnostics and the errors of the compilation with the generated code.</summary>
    public IReadOnlyList<Diagnostic> AllDiagnostics =>
        GeneratorDiagnostics.Concat(Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();

    public IReadOnlyDictionary<string, string> GeneratedSources =>
        Driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
}

/// <summary>Runs SymGen's generator in memory, the way the compiler does, and loads what it produced.</summary>
public static class GeneratorHarness
{
    /// <summary>
    /// A generated file without its scans' observed twins (Debug mode's copy of the loop, every node kept, written after
    /// the fast method): what tests of the fast loop's shape read.
    /// </summary>
    public static string FastPath(string generated)
    {
        int twin = generated.IndexOf("global::SymGen.Scanning.GeneratedValues observer)", System.StringComparison.Ordinal);
        return twin < 0 ? generated : generated[..generated.LastIndexOf('\n', twin)];
    }

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static readonly MetadataReference[] References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(SymbolicAttribute).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("SymGenTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() => Driver(new ScanGenerator());

    /// <summary>A driver running <paramref name="generator"/> (e.g. one made with test-only options).</summary>
    public static GeneratorDriver Driver(ScanGenerator generator) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(Compilation(sources));

    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? Driver()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(compilation, output, driver, diagnostics);
    }

    /// <summary>
    /// The scans of <paramref name="source"/> as planned with <paramref name="options"/>, by method name, and the
    /// generated sources; the source must generate without a diagnostic.
    /// </summary>
    internal static (IReadOnlyDictionary<string, ScanSpec> Scans, GeneratorRun Run) Plan(string source, LoopOptions options)
    {
        var scans = new System.Collections.Concurrent.ConcurrentDictionary<string, ScanSpec>();
        var run = Run(Compilation(source), Driver(new ScanGenerator(options, model => scans[model.Signature.Name] = model.Scan!)));
        Xunit.Assert.Empty(run.AllDiagnostics);
        return (scans, run);
    }

    /// <summary>Compiles sources with the generated code into a collectible context and returns the assembly.</summary>
    public static Assembly Load(params string[] sources) => Load(Driver(), sources);

    /// <summary>As <see cref="Load(string[])"/>, with the generator of <paramref name="driver"/>.</summary>
    public static Assembly Load(GeneratorDriver driver, params string[] sources)
    {
        var run = Run(Compilation(sources), driver);
        var errors = run.AllDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("The sources do not compile:\n" + string.Join("\n", errors));
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        if (!emit.Success)
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("SymGenTest", isCollectible: true);
        context.Resolving += (_, name) => name.Name == "SymGen" ? typeof(SymbolicAttribute).Assembly : null;
        return context.LoadFromStream(stream);
    }

    /// <summary>The repository's root (where SymGen.sln is), to read the samples.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SymGen.sln")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("SymGen.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
