using System;
using SymGen.Graph;

namespace SymGen.Generator.Model;

/// <summary>
/// The static type of a value in a scan: its element type and rank (0 = scalar). Ranks are part of the type so
/// that rank errors are compile-time errors.
/// </summary>
internal sealed record TypeRef(ElementKind Element, int Rank = 0)
{
    /// <summary>The C# keyword of the element type.</summary>
    public string ElementKeyword => ElementKinds.Keyword(Element);

    /// <summary>The C# spelling of a value of this type.</summary>
    public string CSharpName => Rank switch
    {
        0 => ElementKeyword,
        1 => $"global::SymGen.Vec<{ElementKeyword}>",
        2 => $"global::SymGen.Mat<{ElementKeyword}>",
        3 => $"global::SymGen.Tensor3<{ElementKeyword}>",
        _ => throw new NotSupportedException($"No C# type has rank {Rank}."),
    };

    /// <summary>The type of one row: a matrix's rows are vectors, a vector's are scalars.</summary>
    public TypeRef Row => this with { Rank = Rank - 1 };

    /// <summary>For messages and comments, as the user writes it.</summary>
    public override string ToString() => Rank switch
    {
        0 => ElementKeyword,
        1 => $"Vec<{ElementKeyword}>",
        2 => $"Mat<{ElementKeyword}>",
        3 => $"Tensor3<{ElementKeyword}>",
        _ => $"{ElementKeyword} (rank {Rank})",
    };

    /// <summary>"scalar", "vector" or "matrix".</summary>
    public string RankName => Rank switch { 0 => "scalar", 1 => "vector", 2 => "matrix", _ => $"rank-{Rank} tensor" };
}
