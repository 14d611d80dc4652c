// The element types of graph values and C#'s rules for them, written once for the generator (linked, internal) and
// the runtime (public): the one element-type enum and the one conversion table of both.
using System;
using System.Globalization;

namespace SymGen.Graph;

/// <summary>The element types of graph values, in C#'s order of numeric promotion (after bool).</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum ElementKind
{
    /// <summary><c>bool</c>.</summary>
    Bool,
    /// <summary><c>int</c>.</summary>
    Int32,
    /// <summary><c>long</c>.</summary>
    Int64,
    /// <summary><c>float</c>.</summary>
    Float32,
    /// <summary><c>double</c>.</summary>
    Float64,
}

/// <summary>C#'s rules for the element kinds: keywords, promotion, implicit conversions, casts and literals.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
static class ElementKinds
{
    /// <summary>The C# keyword: <c>bool</c>, <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>.</summary>
    public static string Keyword(ElementKind kind) => kind switch
    {
        ElementKind.Bool => "bool",
        ElementKind.Int32 => "int",
        ElementKind.Int64 => "long",
        ElementKind.Float32 => "float",
        ElementKind.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether values of the kind are integers.</summary>
    public static bool IsInteger(ElementKind kind) => kind is ElementKind.Int32 or ElementKind.Int64;

    /// <summary>Whether values of the kind are floating point.</summary>
    public static bool IsFloatingPoint(ElementKind kind) => kind is ElementKind.Float32 or ElementKind.Float64;

    /// <summary>C#'s binary numeric promotion of two numeric kinds: the wider in the order int, long, float, double.</summary>
    public static ElementKind Promote(ElementKind a, ElementKind b) => (ElementKind)Math.Max((int)a, (int)b);

    /// <summary>C#'s implicit numeric conversions between the kinds (identity included).</summary>
    public static bool ConvertsImplicitly(ElementKind from, ElementKind to) => from == to || (from, to) switch
    {
        (ElementKind.Int32, ElementKind.Int64 or ElementKind.Float32 or ElementKind.Float64) => true,
        (ElementKind.Int64, ElementKind.Float32 or ElementKind.Float64) => true,
        (ElementKind.Float32, ElementKind.Float64) => true,
        _ => false,
    };

    /// <summary>The kind of a boxed scalar, or null for anything else.</summary>
    public static ElementKind? Of(object? value) => value switch
    {
        bool => ElementKind.Bool,
        int => ElementKind.Int32,
        long => ElementKind.Int64,
        float => ElementKind.Float32,
        double => ElementKind.Float64,
        _ => null,
    };

    /// <summary>
    /// A C# cast of a boxed scalar to <paramref name="kind"/>, unchecked: integers wrap, floating point truncates
    /// toward zero, long to double rounds to nearest. A bool converts to 0 or 1, and a number to bool as non-zero
    /// (SymGen's reading of a condition; C# has no such cast).
    /// </summary>
    public static object Cast(object value, ElementKind kind) => (value, kind) switch
    {
        (bool b, ElementKind.Bool) => b,
        (bool b, _) => Cast(b ? 1 : 0, kind),
        (_, ElementKind.Bool) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        (double d, ElementKind.Int32) => unchecked((int)d),
        (double d, ElementKind.Int64) => unchecked((long)d),
        (double d, ElementKind.Float32) => (float)d,
        (float f, ElementKind.Int32) => unchecked((int)f),
        (float f, ElementKind.Int64) => unchecked((long)f),
        (float f, ElementKind.Float64) => (double)f,
        (long l, ElementKind.Int32) => unchecked((int)l),
        (long l, ElementKind.Float32) => (float)l,
        (long l, ElementKind.Float64) => (double)l,
        (int i, ElementKind.Int64) => (long)i,
        (int i, ElementKind.Float32) => (float)i,
        (int i, ElementKind.Float64) => (double)i,
        _ => value,
    };

    /// <summary>A culture-invariant C# literal of a boxed scalar of <paramref name="kind"/> that reads back exactly (after <see cref="Cast"/>).</summary>
    public static string Literal(object value, ElementKind kind) => Cast(value, kind) switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
            : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
            : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "d",
        var other => throw new ArgumentException($"{other.GetType().Name} is not a scalar of a graph.", nameof(value)),
    };

    /// <summary>The value of a literal written by <see cref="Literal"/>.</summary>
    public static object ParseLiteral(string literal, ElementKind kind)
    {
        string text = literal.TrimEnd('d', 'f', 'L');
        return kind switch
        {
            ElementKind.Bool => literal == "true",
            ElementKind.Int32 => int.Parse(text, CultureInfo.InvariantCulture),
            ElementKind.Int64 => long.Parse(text, CultureInfo.InvariantCulture),
            ElementKind.Float32 => literal switch { "float.NaN" => float.NaN, "float.PositiveInfinity" => float.PositiveInfinity, "float.NegativeInfinity" => float.NegativeInfinity, _ => float.Parse(text, CultureInfo.InvariantCulture) },
            _ => literal switch { "double.NaN" => double.NaN, "double.PositiveInfinity" => double.PositiveInfinity, "double.NegativeInfinity" => double.NegativeInfinity, _ => double.Parse(text, CultureInfo.InvariantCulture) },
        };
    }
}
