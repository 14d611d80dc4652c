using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SymGen.Generator.Model;

/// <summary>
/// A diagnostic as a value: its descriptor ID, where it points, its message arguments, and properties ("key=value")
/// that tell a code fix what to change.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments, EquatableArray<string> Properties)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments) =>
        new(descriptor.Id, LocationInfo.From(location),
            System.Linq.Enumerable.Select(arguments, a => a?.ToString() ?? "").ToEquatableArray(), EquatableArray<string>.Empty);

    public DiagnosticInfo With(string key, string value) =>
        this with { Properties = System.Linq.Enumerable.Append(Properties, key + "=" + value).ToEquatableArray() };

    public System.Collections.Immutable.ImmutableDictionary<string, string?> PropertyDictionary() =>
        System.Collections.Immutable.ImmutableDictionary.CreateRange(System.Linq.Enumerable.Select(Properties, p =>
            new System.Collections.Generic.KeyValuePair<string, string?>(p.Substring(0, p.IndexOf('=')), p.Substring(p.IndexOf('=') + 1))));
}

/// <summary>A source location as a value (a <see cref="Location"/> holds its syntax tree).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || !location.IsInSource ? null
            : new LocationInfo(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
