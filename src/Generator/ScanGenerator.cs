using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Emitting;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;

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
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // All symbol work happens in this transform; what leaves it is a value model, so unrelated edits
        // (a comment, another file) produce equal results and every later step stays cached.
        var parsed = context.SyntaxProvider.ForAttributeWithMetadataName(
                "SymGen.SymbolicAttribute",
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: ScanParser.Parse)
            .WithTrackingName(Steps.Parsed);

        // Sources depend on the model only: moving code changes diagnostic locations but regenerates nothing.
        var models = parsed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(Steps.Models);
        // File names must differ (ignoring case) across all scans, so each sees every scan's name; a scan's source is
        // still produced again only when its own model or its file name changes.
        var identities = models.Select(static (m, _) => ScanEmitter.Identity(m.Signature)).Collect();
        var named = models.Combine(identities).Select(static (pair, _) => (Model: pair.Left, HintName: ScanEmitter.HintName(pair.Left, pair.Right)));
        context.RegisterSourceOutput(named, static (spc, scan) => spc.AddSource(scan.HintName, ScanEmitter.Emit(scan.Model)));

        // Diagnostics must point into the user's syntax trees, so that '#pragma warning disable' and IDE navigation
        // work; the model holds locations as values, so they are tied back to their trees here. Only this cheap
        // reporting step depends on the compilation; the sources above do not.
        var diagnostics = parsed
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(Steps.Diagnostics)
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(diagnostics, static (spc, pair) =>
        {
            var (infos, compilation) = pair;
            foreach (var info in infos)
                spc.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ById[info.Id], ToLocation(info.Location, compilation), info.PropertyDictionary(), info.Arguments.ToArray<object>()));
        });
    }

    private static Location? ToLocation(LocationInfo? info, Compilation compilation)
    {
        if (info is null)
            return null;
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == info.FilePath);
        return tree is not null && info.Span.End <= tree.Length ? Location.Create(tree, info.Span) : info.ToLocation();
    }
}
