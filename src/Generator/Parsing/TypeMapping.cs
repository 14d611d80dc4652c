using Microsoft.CodeAnalysis;
using SymGen.Generator.Model;

namespace SymGen.Generator.Parsing;

/// <summary>Maps Roslyn types to the scan's element types and containers.</summary>
internal static class TypeMapping
{
    public static readonly SymbolDisplayFormat FullyQualified =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
            SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The scalar type of <paramref name="type"/>, if it is one a scan computes with.</summary>
    public static TypeRef? Scalar(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Boolean => new TypeRef(ElementType.Bool),
        SpecialType.System_Int32 => new TypeRef(ElementType.Int32),
        SpecialType.System_Int64 => new TypeRef(ElementType.Int64),
        SpecialType.System_Single => new TypeRef(ElementType.Float32),
        SpecialType.System_Double => new TypeRef(ElementType.Float64),
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="type"/> holds rows (<c>T[]</c>, <c>Span&lt;T&gt;</c>, <c>ReadOnlySpan&lt;T&gt;</c>,
    /// <c>Memory&lt;T&gt;</c>, <c>ReadOnlyMemory&lt;T&gt;</c>), and of what element.
    /// </summary>
    public static bool TryGetRows(ITypeSymbol type, out ContainerKind container, out ITypeSymbol? element)
    {
        container = ContainerKind.Scalar;
        element = null;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            container = ContainerKind.Array;
            element = array.ElementType;
            return true;
        }
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System")
        {
            container = named.Name switch
            {
                "Span" => ContainerKind.Span,
                "ReadOnlySpan" => ContainerKind.ReadOnlySpan,
                "Memory" => ContainerKind.Memory,
                "ReadOnlyMemory" => ContainerKind.ReadOnlyMemory,
                _ => ContainerKind.Scalar,
            };
            element = named.TypeArguments[0];
            return container != ContainerKind.Scalar;
        }
        return false;
    }

    /// <summary>How a value of this type is described in messages.</summary>
    public static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}
