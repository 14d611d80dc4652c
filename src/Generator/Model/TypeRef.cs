using System;

namespace SymGen.Generator.Model;

/// <summary>The element types a scan computes with.</summary>
internal enum ElementType { Bool, Int32, Int64, Float32, Float64 }

/// <summary>
/// The static type of a value in a scan: its element type and rank (0 = scalar). Ranks are part of the type so
/// that rank errors are compile-time errors.
/// </summary>
internal sealed record TypeRef(ElementType Element, int Rank = 0)
{
    /// <summary>The C# keyword of the element type.</summary>
    public string ElementKeyword => Element switch
    {
        ElementType.Bool => "bool",
        ElementType.Int32 => "int",
        ElementType.Int64 => "long",
        ElementType.Float32 => "float",
        ElementType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(Element), Element, null),
    };

    /// <summary>The C# spelling of a value of this type.</summary>
    public string CSharpName => Rank == 0 ? ElementKeyword : throw new NotSupportedException("Tensor types are not emitted yet.");

    /// <summary>For messages and comments; never throws, whatever the rank.</summary>
    public override string ToString() => Rank == 0 ? ElementKeyword : $"{ElementKeyword} (rank {Rank})";
}
