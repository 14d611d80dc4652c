using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGen.Generator.Emitting;

/// <summary>
/// The only ways a user's text (a scan's <c>Name</c>, output and parameter names, the source of step expressions,
/// messages built from them) enters generated code: as a string literal, in a <c>//</c> comment, or in XML doc
/// text. Nothing a user writes can then end a literal or a comment and become code.
/// </summary>
internal static class CSharpText
{
    /// <summary>A quoted C# string literal whose value is exactly <paramref name="text"/>.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>
    /// Text for a <c>//</c> comment, shown as written except for the characters that would end the comment (every
    /// kind of line break) or that do not show as themselves (controls, bidirectional and other format characters,
    /// unpaired surrogates): those are spelled <c>\uXXXX</c>.
    /// </summary>
    public static string Comment(string text)
    {
        StringBuilder? escaped = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (!Hidden(c))
            {
                escaped?.Append(c);
                continue;
            }
            escaped ??= new StringBuilder(text, 0, i, text.Length + 16);
            escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return escaped?.ToString() ?? text;
    }

    /// <summary>Text for an XML doc comment (<c>///</c>): a <see cref="Comment"/> with XML's markup characters escaped.</summary>
    public static string XmlDoc(string text) =>
        Comment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static bool Hidden(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
}
