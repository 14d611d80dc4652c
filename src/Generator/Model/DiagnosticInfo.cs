using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SymGen.Generator.Model;

/// <summary>A diagnostic as a value: its descriptor ID, where it points and its message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments) =>
        new(descriptor.Id, LocationInfo.From(location),
            System.Linq.Enumerable.Select(arguments, a => a?.ToString() ?? "").ToEquatableArray());
}

/// <summary>A source location as a value (a <see cref="Location"/> holds its syntax tree).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || !location.IsInSource ? null
            : new LocationInfo(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
