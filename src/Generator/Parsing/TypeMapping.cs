using Microsoft.CodeAnalysis;
using SymGen.Graph;
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
        SpecialType.System_Boolean => new TypeRef(ElementKind.Bool),
        SpecialType.System_Int32 => new TypeRef(ElementKind.Int32),
        SpecialType.System_Int64 => new TypeRef(ElementKind.Int64),
        SpecialType.System_Single => new TypeRef(ElementKind.Float32),
        SpecialType.System_Double => new TypeRef(ElementKind.Float64),
        _ => null,
    };

    /// <summary>A value a step computes with: a scalar, or a <c>Vec&lt;T&gt;</c>/<c>Mat&lt;T&gt;</c> of float or double.</summary>
    public static TypeRef? Value(ITypeSymbol? type)
    {
        if (Scalar(type) is { } scalar)
            return scalar;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Vec" or "Mat" or "Tensor3" } named
            && named.ContainingNamespace?.ToDisplayString() == "SymGen"
            && Scalar(named.TypeArguments[0]) is { Element: ElementKind.Float32 or ElementKind.Float64 } element)
            return element with { Rank = named.Name switch { "Vec" => 1, "Mat" => 2, _ => 3 } };
        return null;
    }

    /// <summary>The value type of a <c>SymGen.Shared&lt;T&gt;</c>, if <paramref name="type"/> is one of a value type a step computes with.</summary>
    public static TypeRef? SharedValue(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true, Name: "Shared", TypeArguments.Length: 1 } named
        && named.ContainingNamespace?.ToDisplayString() == "SymGen"
            ? Value(named.TypeArguments[0])
            : null;

    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.CancellationToken</c>.</summary>
    /// <summary>The runtime's debugging modes (<c>SymGen.ScanMode</c>).</summary>
    public const string ScanModeName = "SymGen.ScanMode";

    /// <summary>Whether <paramref name="type"/> is <c>SymGen.ScanMode</c>: a scan's per-call debugging mode.</summary>
    public static bool IsScanMode(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() == ScanModeName;

    public static bool IsCancellationToken(ITypeSymbol type) =>
        type.ToDisplayString() == "System.Threading.CancellationToken";

    /// <summary>Whether <paramref name="type"/> is <c>SymGen.Until</c>, a step's stop condition.</summary>
    public static bool IsUntil(ITypeSymbol? type) => type?.ToDisplayString() == "SymGen.Until";

    /// <summary>
    /// Whether <paramref name="type"/> holds rows, and of what: <c>T[]</c>, (ReadOnly)<c>Span&lt;T&gt;</c>,
    /// (ReadOnly)<c>Memory&lt;T&gt;</c> and <c>Vec&lt;T&gt;</c> hold scalars; <c>Mat&lt;T&gt;</c> holds vectors;
    /// <c>Tensor3&lt;T&gt;</c> holds matrices.
    /// <paramref name="row"/> is null when the container's element is not a type a scan computes with.
    /// </summary>
    public static bool TryGetRows(ITypeSymbol type, out ContainerKind container, out TypeRef? row)
    {
        container = ContainerKind.Single;
        row = null;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            container = ContainerKind.Array;
            row = Scalar(array.ElementType);
            return true;
        }
        if (Value(type) is { Rank: > 0 } tensor)
        {
            container = tensor.Rank switch { 1 => ContainerKind.Vec, 2 => ContainerKind.Mat, _ => ContainerKind.Tensor3 };
            row = tensor.Row;
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
                _ => ContainerKind.Single,
            };
            row = Scalar(named.TypeArguments[0]);
            return container != ContainerKind.Single;
        }
        return false;
    }

    /// <summary>How a value of this type is described in messages.</summary>
    public static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}
