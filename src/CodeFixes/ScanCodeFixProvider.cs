using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace SymGen.CodeFixes;

/// <summary>
/// The mechanical fixes of SymGen's diagnostics: make a scan method static partial (SYMG0001), add the initial
/// state a step's past-value parameter needs (SYMG0005), change a step parameter's type or put the step's parameters
/// in Theano's order (SYMG0006); for a gradient, name the scan whose name is a typo away (SYMG0033), change a parameter to
/// the type its scan input or output needs (SYMG0034), remove the out parameter of an integer input's gradient (SYMG0036)
/// and a negative Checkpoint (SYMG0037). The generator's diagnostics carry what each fix needs as properties.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ScanCodeFixProvider))]
public sealed class ScanCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("SYMG0001", "SYMG0005", "SYMG0006", "SYMG0033", "SYMG0034", "SYMG0036", "SYMG0037");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, findInsideTrivia: false, getInnermostNodeForTie: true);
            switch (diagnostic.Id)
            {
                case "SYMG0001" when node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { Body: null, ExpressionBody: null } method:
                    context.RegisterCodeFix(CodeAction.Create($"Make '{method.Identifier.Text}' static partial in partial types",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(MakeStaticPartial(root, method))), "SYMG0001"), diagnostic);
                    break;
                case "SYMG0005" when diagnostic.Properties.TryGetValue("Scan", out var scan) && scan is not null:
                    var type = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
                    var scanMethod = type?.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == scan && m.Body is null && m.ExpressionBody is null);
                    if (scanMethod is not null)
                        context.RegisterCodeFix(CodeAction.Create($"Add the initial state '{diagnostic.Properties["InitialName"]}' to '{scan}'",
                            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(scanMethod, AddInitial(scanMethod, diagnostic.Properties)))), "SYMG0005"), diagnostic);
                    break;
                case "SYMG0006" when node.FirstAncestorOrSelf<ParameterSyntax>() is { Type: not null } parameter && diagnostic.Properties.TryGetValue("Expected", out var expected) && expected is not null:
                    context.RegisterCodeFix(CodeAction.Create($"Change '{parameter.Identifier.Text}' to '{Simple(expected)}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(parameter.Type!, TypeSyntax(expected).WithTriviaFrom(parameter.Type!)))), "SYMG0006.Type"), diagnostic);
                    if (parameter.Parent is ParameterListSyntax list && diagnostic.Properties.TryGetValue("ExpectedOrder", out var order) && order is not null
                        && await Reordered(context.Document, list, order.Split(';'), context.CancellationToken).ConfigureAwait(false) is { } reordered)
                        context.RegisterCodeFix(CodeAction.Create("Put the step's parameters in the scan's order",
                            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(list, reordered))), "SYMG0006.Order"), diagnostic);
                    break;
                case "SYMG0033" when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument && diagnostic.Properties.TryGetValue("Scan", out var closeScan) && closeScan is not null:
                    context.RegisterCodeFix(CodeAction.Create($"Use scan '{closeScan}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression,
                            SyntaxFactory.ParseExpression($"nameof({closeScan})").WithTriviaFrom(argument.Expression)))), "SYMG0033"), diagnostic);
                    break;
                case "SYMG0034" when node.FirstAncestorOrSelf<ParameterSyntax>() is { Type: not null } parameter && diagnostic.Properties.TryGetValue("Expected", out var expected) && expected is not null:
                    context.RegisterCodeFix(CodeAction.Create($"Change '{parameter.Identifier.Text}' to '{Simple(expected)}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(parameter.Type!, TypeSyntax(expected).WithTriviaFrom(parameter.Type!)))), "SYMG0034"), diagnostic);
                    break;
                case "SYMG0036" when node.FirstAncestorOrSelf<ParameterSyntax>() is { Parent: ParameterListSyntax } parameter:
                    context.RegisterCodeFix(CodeAction.Create($"Remove '{parameter.Identifier.Text}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(parameter, SyntaxRemoveOptions.KeepNoTrivia)!)), "SYMG0036"), diagnostic);
                    break;
                case "SYMG0037" when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null } checkpoint:
                    context.RegisterCodeFix(CodeAction.Create("Remove the Checkpoint argument (store every state)",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(checkpoint, SyntaxRemoveOptions.KeepNoTrivia)!)), "SYMG0037"), diagnostic);
                    break;
            }
        }
    }

    private static SyntaxNode MakeStaticPartial(SyntaxNode root, MethodDeclarationSyntax method)
    {
        var types = method.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
        return root.ReplaceNodes(types.Cast<SyntaxNode>().Append(method), (original, rewritten) => rewritten switch
        {
            MethodDeclarationSyntax m => KeepLeadingTrivia(m, m.WithoutLeadingTrivia() is var sm ? WithModifiers(sm, sm.Modifiers, SyntaxKind.StaticKeyword, SyntaxKind.PartialKeyword) : m),
            TypeDeclarationSyntax t => KeepLeadingTrivia(t, t.WithoutLeadingTrivia() is var st ? st.WithModifiers(Add(st.Modifiers, SyntaxKind.PartialKeyword)) : t),
            _ => rewritten,
        });
    }

    /// <summary>Puts a declaration's comments and indentation back before its (possibly new) first token.</summary>
    private static T KeepLeadingTrivia<T>(T original, T rewritten) where T : SyntaxNode =>
        rewritten.WithLeadingTrivia(original.GetLeadingTrivia());

    private static MethodDeclarationSyntax WithModifiers(MethodDeclarationSyntax method, SyntaxTokenList modifiers, params SyntaxKind[] kinds)
    {
        // A partial method that returns a value must say its accessibility (CS8796): private, as the default was.
        if (!modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword)))
            modifiers = modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.PrivateKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        foreach (var kind in kinds)
            modifiers = Add(modifiers, kind);
        return method.WithModifiers(modifiers);
    }

    /// <summary>Adds a modifier where C# puts it: 'static' before 'partial', 'partial' last.</summary>
    private static SyntaxTokenList Add(SyntaxTokenList modifiers, SyntaxKind kind)
    {
        if (modifiers.Any(kind)) return modifiers;
        var token = SyntaxFactory.Token(kind).WithTrailingTrivia(SyntaxFactory.Space);
        int partialAt = modifiers.IndexOf(SyntaxKind.PartialKeyword);
        return kind == SyntaxKind.StaticKeyword && partialAt >= 0 ? modifiers.Insert(partialAt, token) : modifiers.Add(token);
    }

    private static MethodDeclarationSyntax AddInitial(MethodDeclarationSyntax method, ImmutableDictionary<string, string?> properties)
    {
        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(properties["InitialName"]!))
            .WithType(TypeSyntax(properties["InitialType"]!).WithTrailingTrivia(SyntaxFactory.Space))
            .WithAttributeLists(SyntaxFactory.SingletonList(SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::SymGen.Initial").WithAdditionalAnnotations(Simplifier.Annotation)))).WithTrailingTrivia(SyntaxFactory.Space)));
        var parameters = method.ParameterList.Parameters;
        int after = parameters.IndexOf(p => p.Identifier.Text == properties["After"]);
        return method.WithParameterList(method.ParameterList.WithParameters(parameters.Insert(after + 1, parameter)));
    }

    /// <summary>The parameter list in the expected order of types, if its types are the expected ones in another order.</summary>
    private static async Task<ParameterListSyntax?> Reordered(Document document, ParameterListSyntax list, string[] expected, CancellationToken cancellation)
    {
        var model = await document.GetSemanticModelAsync(cancellation).ConfigureAwait(false);
        if (model is null || list.Parameters.Count != expected.Length) return null;
        var types = list.Parameters.Select(p => model.GetDeclaredSymbol(p, cancellation)?.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToList();
        var unused = Enumerable.Range(0, types.Count).ToList();
        var order = new List<int>();
        foreach (var type in expected)
        {
            int match = unused.FirstOrDefault(i => types[i] == type);
            if (!unused.Contains(match) || types[match] != type) return null;
            order.Add(match);
            unused.Remove(match);
        }
        if (order.SequenceEqual(Enumerable.Range(0, order.Count))) return null;
        return list.WithParameters(SyntaxFactory.SeparatedList(order.Select((source, position) =>
            list.Parameters[source].WithLeadingTrivia(list.Parameters[position].GetLeadingTrivia()).WithTrailingTrivia(list.Parameters[position].GetTrailingTrivia())),
            list.Parameters.GetSeparators()));
    }

    private static TypeSyntax TypeSyntax(string type) => SyntaxFactory.ParseTypeName(type).WithAdditionalAnnotations(Simplifier.Annotation);

    private static string Simple(string type) => type.Replace("global::SymGen.", "");
}
