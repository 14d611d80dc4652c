using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Emitting;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Generator.Planning;

namespace SymGen.Generator;

/// <summary>
/// The pipeline: find <c>[Symbolic]</c> methods, parse each into a value model, then emit sources and report
/// diagnostics from two separate outputs.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ScanGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
    public static class Steps
    {
        /// <summary>Parser output: model and diagnostics of one method.</summary>
        public const string Parsed = "SymGen.Parsed";
        /// <summary>The model alone, without diagnostics: unchanged when only locations move.</summary>
        public const string Models = "SymGen.Models";
        /// <summary>The diagnostics alone.</summary>
        public const string Diagnostics = "SymGen.Diagnostics";
        /// <summary>The generated files, made from the models.</summary>
        public const string Emitted = "SymGen.Emitted";
        /// <summary>Parser output of one [Gradient] method.</summary>
        public const string GradientParsed = "SymGen.GradientParsed";
    }

    private readonly System.Action<ScanModel>? _beforeEmit;
    private readonly LoopOptions _loopOptions = LoopOptions.Default;

    /// <summary>The generator the compiler loads.</summary>
    public ScanGenerator() { }

    /// <summary>
    /// For tests only: <paramref name="beforeEmit"/> runs before each scan's code is written, so a test can make one
    /// scan fail there (no input known today does) and see that the failure stays inside that scan.
    /// </summary>
    internal ScanGenerator(System.Action<ScanModel> beforeEmit) => _beforeEmit = beforeEmit;

    /// <summary>
    /// For tests only: every scan's loop is planned with <paramref name="loopOptions"/> (the monitoring and debug
    /// modes will choose them per scan); <paramref name="beforeEmit"/> as above.
    /// </summary>
    internal ScanGenerator(LoopOptions loopOptions, System.Action<ScanModel>? beforeEmit = null) =>
        (_loopOptions, _beforeEmit) = (loopOptions, beforeEmit);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // All symbol work happens in this transform; what leaves it is a value model, so unrelated edits
        // (a comment, another file) produce equal results and every later step stays cached.
        var loopOptions = _loopOptions;
        var parsed = context.SyntaxProvider.ForAttributeWithMetadataName(
                "SymGen.SymbolicAttribute",
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: (target, cancellation) => ScanParser.Parse(target, cancellation, loopOptions))
            .WithTrackingName(Steps.Parsed);

        // Sources depend on the model only: moving code changes diagnostic locations but regenerates nothing.
        var models = parsed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(Steps.Models);
        // File names must differ (ignoring case) across all scans, so each sees every scan's name; a scan's source is
        // still produced again only when its own model or its file name changes.
        var gradientsParsed = context.SyntaxProvider.ForAttributeWithMetadataName(
                "SymGen.GradientAttribute",
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: (target, cancellation) => GradientParser.Parse(target, cancellation, loopOptions))
            .WithTrackingName(Steps.GradientParsed);
        var gradientModels = gradientsParsed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!);
        var identities = models.Select(static (m, _) => ScanEmitter.Identity(m.Signature)).Collect()
            .Combine(gradientModels.Select(static (m, _) => ScanEmitter.Identity(m.Signature)).Collect())
            .Select(static (pair, _) => pair.Left.AddRange(pair.Right).ToEquatableArray());
        var beforeEmit = _beforeEmit;
        var sources = models.Combine(identities)
            .Select((pair, _) => ScanEmitter.EmitSafely(pair.Left, ScanEmitter.HintName(pair.Left, pair.Right), beforeEmit))
            .WithTrackingName(Steps.Emitted);
        var gradientSources = gradientModels.Combine(identities)
            .Select(static (pair, _) => ScanEmitter.EmitGradientSafely(pair.Left, ScanEmitter.HintName(pair.Left.Signature, pair.Right)));
        context.RegisterSourceOutput(sources, static (spc, source) => spc.AddSource(source.HintName, source.Text));
        context.RegisterSourceOutput(gradientSources, static (spc, source) => spc.AddSource(source.HintName, source.Text));

        // Diagnostics must point into the user's syntax trees, so that '#pragma warning disable' and IDE navigation
        // work; the model holds locations as values, so they are tied back to their trees here. Only this cheap
        // reporting step depends on the compilation; the sources above do not.
        var diagnostics = parsed
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(Steps.Diagnostics)
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(diagnostics, static (spc, pair) => Report(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(gradientsParsed.Select(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider),
            static (spc, pair) => Report(spc, pair.Left, pair.Right));

        // A scan whose code could not be written got its stub above; SYMG0022 goes to its declaration.
        var failures = sources
            .Where(static s => s.Failure is not null)
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(failures, static (spc, pair) => ReportFailure(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(gradientSources.Where(static s => s.Failure is not null).Combine(context.CompilationProvider),
            static (spc, pair) => ReportFailure(spc, pair.Left, pair.Right));
    }

    private static void Report(SourceProductionContext spc, EquatableArray<DiagnosticInfo> infos, Compilation compilation)
    {
        foreach (var info in infos)
            spc.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ById[info.Id], ToLocation(info.Location, compilation), info.PropertyDictionary(), info.Arguments.ToArray<object>()));
    }

    private static void ReportFailure(SourceProductionContext spc, EmittedSource source, Compilation compilation)
    {
        var method = DocumentationCommentId.GetFirstSymbolForDeclarationId(source.DeclarationId, compilation);
        var location = method?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(spc.CancellationToken).GetLocation();
        spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, location, method?.Name ?? source.DeclarationId, source.Failure));
    }

    private static Location? ToLocation(LocationInfo? info, Compilation compilation)
    {
        if (info is null)
            return null;
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == info.FilePath);
        return tree is not null && info.Span.End <= tree.Length ? Location.Create(tree, info.Span) : info.ToLocation();
    }
}
