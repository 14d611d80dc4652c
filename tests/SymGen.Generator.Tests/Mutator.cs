using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SymGen.Generator.Tests;

/// <summary>
/// Which kinds of mutation may be generated; all are on. A kind can be turned off for a local run while a bug it hits
/// is being fixed (SYMGEN_MUTATION_OFF=ExtremeTaps,HostileStrings,NameCollisions), so the rest keeps being explored.
/// </summary>
public sealed record MutationOptions(
    // Taps far from 0 (int.MinValue, -int.MaxValue, -30000): issue 10, item 2.
    bool ExtremeTaps = true,
    // Quotes, backslashes, newlines and "*/" in Name/Output strings: issue 10, item 3.
    bool HostileStrings = true,
    // Members named <Scan>Graph, s_<Scan>Graph, Build<Scan>Graph: issue 10, item 4.
    bool NameCollisions = true,
    // Longest chain of binary operators a mutation may build: long bodies have tests of their own (LimitsTests).
    int MaxExpressionTerms = 200)
{
    public static MutationOptions FromEnvironment()
    {
        var off = (Environment.GetEnvironmentVariable("SYMGEN_MUTATION_OFF") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool On(string name) => !off.Contains(name, StringComparer.OrdinalIgnoreCase);
        return new MutationOptions(On(nameof(ExtremeTaps)), On(nameof(HostileStrings)), On(nameof(NameCollisions)));
    }
}

/// <summary>
/// Mutates a C# source, token by token or node by node, to feed the generator what a user might write while typing
/// or by mistake. Each mutation is a text edit at a token's or node's span, so the result is any text, valid or not.
/// </summary>
public sealed class Mutator
{
    private static readonly CSharpParseOptions Parse = GeneratorHarness.ParseOptions;

    private static readonly string[] ExtremeLiterals =
        ["0", "-1", "int.MinValue", "int.MaxValue", "1e308", "double.NaN", "long.MaxValue", "-0.0", "double.PositiveInfinity",
         "double.Epsilon", "float.MaxValue", "4294967296", "0x7FFFFFFF", "1e-320", "-int.MaxValue", "uint.MaxValue", "2.5f", "1L", "'a'", "true", "null"];

    private static readonly string[] SmallTaps = ["0", "-1", "1", "-2", "2", "-3", "3", "-5", "7", "-100", "100"];

    private static readonly string[] ExtremeTapValues = ["int.MinValue", "int.MaxValue", "-int.MaxValue", "-30000", "-1001", "1001", "int.MinValue + 1"];

    private static readonly string[] SafeStrings = ["", " ", "x", "Smoothed", "Peak", "Item1", "Item2", "Out", "a b", "Ünïcödé", "_", "Name.With.Dots", "x-y"];

    private static readonly string[] HostileStringLiterals =
        ["\"x\\\" + Evil.Run() + \\\"\"", "\"\\\"*/ } class X { //\"", "\"line\\nbreak\"", "@\"C:\\temp\\new\"", "\"/* open\"", "\"*/\"", "\"\\u2028\"", "\"\\0\"", "\"{0}{{\"", "\"\\\\\""];

    // Names the generated code uses itself, contextual keywords and names of SymGen's and System's types.
    private static readonly string[] TrickyNames =
        ["steps", "t", "x", "step", "outputs", "n1", "n3", "SmoothedTrace", "Smoothed_1", "signalRows", "xRows", "startSpan", "Trace", "global",
         "var", "value", "_", "@class", "@int", "nameof", "await", "async", "record", "field", "scoped", "file", "dynamic", "args", "Math",
         "System", "SymGen", "Sym", "Vec", "Mat", "Until", "Shared", "Tensor", "Op", "Scan", "Graph", "Function", "ScanArguments", "i", "e",
         "result", "SequenceAttribute", "InitialAttribute", "SymbolicAttribute", "Symbolic", "Sequence", "Initial", "Steps", "Update",
         "\\u0061", "a\\u0062", "Ünïcödé", "_1", "__arglist", "Item1", "Rest", "Length", "Rows", "Value", "ThrowIfNull", "ArgumentException"];

    private static readonly string[] KnownTypes =
        ["double", "float", "int", "long", "bool", "double[]", "float[]", "int[]", "long[]", "bool[]",
         "ReadOnlySpan<double>", "Span<float>", "Memory<double>", "ReadOnlyMemory<long>", "ReadOnlySpan<int>",
         "Vec<double>", "Vec<float>", "Mat<double>", "Mat<float>", "Tensor3<double>",
         "Shared<double>", "Shared<long>", "Shared<Vec<double>>", "Shared<Mat<float>>", "System.Threading.CancellationToken", "Until",
         "(double, double)", "(double A, double B)", "(double, Until)", "(double[], double[])", "(double[] Smoothed, double[] Peak)", "void"];

    private static readonly string[] UnknownTypes =
        ["string", "decimal", "object", "dynamic", "byte", "char", "nint", "uint", "ulong", "short", "int?", "double?", "double[]?",
         "double[,]", "double[][]", "int[,,]", "System.Collections.Generic.List<double>", "Vec<int>", "Vec<Vec<double>>", "Mat<long>",
         "Shared<string>", "Shared<double[]>", "Shared<Shared<double>>", "Span<Vec<double>>", "ReadOnlySpan<string>", "System.Func<double>",
         "T", "S", "System.Numerics.Complex", "System.Half", "System.Int128", "(double, (double, double))", "(int, long, float, bool)",
         "System.Threading.Tasks.Task<double[]>", "System.Collections.Generic.IEnumerable<double>", "Until?", "ref double", "scoped Span<double>",
         "Vec<double>[]", "Mat<double>[]", "Shared<double>[]", "Vec<double>?", "Sym", "Unknown", "var"];

    private static readonly string[] ParameterAttributes =
        ["[Sequence] ", "[Initial] ", "[Steps] ", "[Update] ", "[Sequence(-1)] ", "[Initial(-2, -1)] ", "[Sequence, Initial] ",
         "[Steps, Update] ", "[Initial(Output = \"Peak\")] ", "[Sequence(0, 0)] ", "[Initial()] ", "[Sequence()] ", "[Symbolic(\"x\")] "];

    private static readonly string[] Modifiers =
        ["static", "partial", "public", "private", "internal", "protected", "async", "extern", "new", "unsafe", "readonly", "virtual",
         "abstract", "sealed", "override", "file", "ref", "required", "volatile", "const"];

    private static readonly string[] ParameterModifiers = ["ref ", "in ", "out ", "params ", "scoped ", "ref readonly ", "this ", "scoped ref "];

    private static readonly string[] Wrappers =
        ["((System.Func<double>)(() => #))()", "# switch { _ => # }", "# switch { > 0 => #, _ => -# }", "(#, #).Item1", "(#, 0).Item2",
         "checked(#)", "unchecked(#)", "default(double)", "default", "(#)", "(double)(#)", "(float)(#)", "(int)(#)", "(long)(#)",
         "# is var v ? v : #", "-#", "!#", "~#", "+#", "Math.Abs(#)", "Math.Max(#, #)", "Sym.Tanh(#)", "new[] { # }[0]", "#!",
         "throw new System.Exception()", "(# > 0 ? # : #)", "nameof(#)", "#.ToString()", "sizeof(double)", "(dynamic)#", "# as object",
         "stackalloc double[1]", "#++", "--#", "# = #", "# += #", "(#, #)", "(#, Until.When(# > 0))", "Until.When(#)", "# ?? #",
         "(Vec<double>)#", "Sym.Dot(#, #)", "# * # * #", "#[0]", "#.Length", "new Vec<double>(#)", "Math.Pow(#, #)", "await #",
         "$\"{#}\"", "\"#\"", "typeof(#)", "# with { }", "ref #", "#..#", "^#", "# is > 0 and < 1", "# switch { }", "(#) => #"];

    private static readonly string[] Statements =
        ["var tmp = #;", "if (# > 0) return #;", "for (int i = 0; i < 3; i++) { }", "while (true) { }", "goto L; L:;", "checked { }",
         "lock (typeof(object)) { }", "try { } finally { }", "static double Local(double q) => q;", "throw null;", "return default;",
         "return #;", "# = #;", "double q = 0;", "yield return #;", "unsafe { }", "using (null) { }", "foreach (var q in new int[0]) { }",
         "do { } while (false);", "switch (0) { default: break; }", ";", "{ }", "System.Console.WriteLine(#);", "int tmp; tmp = 1;"];

    private static readonly (SyntaxKind Kind, string Text)[] Operators =
        new[] { "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", ">>>", "&&", "||", "==", "!=", "<", ">", "<=", ">=", "!", "~", "++", "--",
                "=", "+=", "-=", "*=", "/=", "??", "?", ":", "=>", "." }
            .Select(t => (SyntaxFactory.ParseToken(t).Kind(), t)).ToArray();

    private readonly Random _random;
    private readonly MutationOptions _options;

    public Mutator(Random random, MutationOptions options)
    {
        _random = random;
        _options = options;
    }

    /// <summary>One to three mutations of <paramref name="source"/>, with a description of each; null if none applied.</summary>
    public (string Source, string Description)? Mutate(string source)
    {
        int count = _random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
        var descriptions = new List<string>();
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var root = CSharpSyntaxTree.ParseText(source, Parse).GetRoot();
                var edit = _random.Next(2) == 0 ? TokenMutation(root) : SyntaxMutation(root);
                if (edit is not { } e)
                    continue;
                var mutant = source.Substring(0, e.Span.Start) + e.Text + source.Substring(e.Span.End);
                if (!IsAllowed(mutant))
                    continue;
                source = mutant;
                descriptions.Add(e.Description);
                break;
            }
        }
        return descriptions.Count == 0 ? null : (source, string.Join("; ", descriptions));
    }

    private readonly record struct Edit(TextSpan Span, string Text, string Description);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private T? PickOrDefault<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? default : Pick(list);
    }

    // ---- token-level ----

    private Edit? TokenMutation(SyntaxNode root)
    {
        var tokens = root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();
        if (tokens.Count < 2)
            return null;
        int index = _random.Next(tokens.Count);
        var token = tokens[index];
        switch (_random.Next(7))
        {
            case 6:
            {
                // Trivia a user may put anywhere: line breaks and comments inside an expression, directives.
                var trivia = Pick(new[] { "\n", "\n    ", " /* note */ ", "// note\n", "/** doc */", "\n#nullable disable\n", "\n#pragma warning disable\n",
                    "\n#if false\nx\n#endif\n", "\n#region r\n", "\n#line 1 \"other.cs\"\n", "\t", "\r\n", "\u00A0" });
                return new Edit(new TextSpan(token.SpanStart, 0), trivia, $"trivia '{trivia.Replace("\n", "\\n")}' inserted before '{token.Text}' at {token.SpanStart}");
            }
            case 0:
                return new Edit(token.Span, "", $"delete token '{token.Text}' at {token.SpanStart}");
            case 1:
                return new Edit(new TextSpan(token.Span.End, 0), " " + token.Text, $"duplicate token '{token.Text}' at {token.SpanStart}");
            case 2:
            {
                if (index + 1 >= tokens.Count)
                    return null;
                var next = tokens[index + 1];
                var between = root.ToFullString().Substring(token.Span.End, next.SpanStart - token.Span.End);
                return new Edit(TextSpan.FromBounds(token.SpanStart, next.Span.End), next.Text + between + token.Text,
                    $"swap tokens '{token.Text}' and '{next.Text}' at {token.SpanStart}");
            }
            case 3:
            {
                var literal = PickOrDefault(tokens.Where(t => t.IsKind(SyntaxKind.NumericLiteralToken)));
                if (literal == default)
                    return null;
                bool inTaps = literal.Parent?.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute && IsTapAttribute(attribute);
                var value = inTaps && !_options.ExtremeTaps ? Pick(SmallTaps) : Pick(ExtremeLiterals);
                return new Edit(literal.Span, value, $"replace literal '{literal.Text}' at {literal.SpanStart} with '{value}'");
            }
            case 4:
            {
                var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                if (identifiers.Count == 0)
                    return null;
                var target = Pick(identifiers);
                var replacement = _random.Next(3) == 0 ? Pick(TrickyNames) : Pick(identifiers.Select(t => t.Text).Distinct().ToList());
                return new Edit(target.Span, replacement, $"replace identifier '{target.Text}' at {target.SpanStart} with '{replacement}'");
            }
            default:
            {
                var operators = tokens.Where(t => Operators.Any(o => o.Kind == t.Kind())).ToList();
                if (operators.Count == 0)
                    return null;
                var target = Pick(operators);
                var replacement = Pick(Operators).Text;
                return new Edit(target.Span, replacement, $"flip operator '{target.Text}' at {target.SpanStart} to '{replacement}'");
            }
        }
    }

    // ---- syntax-aware ----

    private Edit? SyntaxMutation(SyntaxNode root) => _random.Next(15) switch
    {
        14 => AttributeName(root),
        0 => TapList(root),
        1 => SymbolicArguments(root),
        2 => ParameterType(root),
        3 => ReorderParameters(root),
        4 => ParameterAttribute(root),
        5 => ToggleModifier(root),
        6 => ParameterModifier(root),
        7 => NestType(root),
        8 => ReturnType(root),
        9 or 10 => WrapExpression(root),
        11 => InsertStatement(root),
        12 => MemberEdit(root),
        _ => ChangeStepMethod(root),
    };

    private static bool IsTapAttribute(AttributeSyntax attribute) =>
        attribute.Name.ToString() is var name && (name.Contains("Sequence") || name.Contains("Initial"));

    private string Taps()
    {
        var taps = Enumerable.Range(0, _random.Next(5))
            .Select(_ => _options.ExtremeTaps && _random.Next(4) == 0 ? Pick(ExtremeTapValues) : Pick(SmallTaps));
        return string.Join(", ", taps);
    }

    private string AnyString() =>
        _options.HostileStrings && _random.Next(2) == 0 ? Pick(HostileStringLiterals) : "\"" + Pick(SafeStrings) + "\"";

    private string OutputName(SyntaxNode root)
    {
        if (_random.Next(3) == 0)
            return AnyString();
        var names = root.DescendantNodes().OfType<TupleElementSyntax>().Select(e => e.Identifier.Text)
            .Concat(root.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier.Text))
            .Where(n => n.Length > 0).Distinct().ToList();
        return names.Count == 0 ? AnyString() : "\"" + Pick(names) + "\"";
    }

    private Edit? TapList(SyntaxNode root)
    {
        var attribute = PickOrDefault(root.DescendantNodes().OfType<AttributeSyntax>().Where(IsTapAttribute));
        if (attribute is null)
            return null;
        var arguments = Taps();
        if (attribute.Name.ToString().Contains("Initial") && _random.Next(3) == 0)
            arguments += (arguments.Length > 0 ? ", " : "") + "Output = " + OutputName(root);
        var text = attribute.Name + (_random.Next(6) == 0 && arguments.Length == 0 ? "" : "(" + arguments + ")");
        return new Edit(attribute.Span, text, $"taps of '{attribute}' at {attribute.SpanStart} become '{text}'");
    }

    private Edit? AttributeName(SyntaxNode root)
    {
        var attribute = PickOrDefault(root.DescendantNodes().OfType<AttributeSyntax>());
        if (attribute is null)
            return null;
        var name = attribute.Name.ToString().Split('.', ':').Last().Replace("Attribute", "");
        var text = Pick(new[] { name + "Attribute", "SymGen." + name, "global::SymGen." + name + "Attribute", "@" + name, "System." + name, "Sequence", "Initial", "Steps", "Update", "Symbolic" });
        return new Edit(attribute.Name.Span, text, $"attribute '{attribute.Name}' at {attribute.SpanStart} renamed '{text}'");
    }

    private Edit? SymbolicArguments(SyntaxNode root)
    {
        var attribute = PickOrDefault(root.DescendantNodes().OfType<AttributeSyntax>().Where(a => a.Name.ToString().Contains("Symbolic")));
        if (attribute?.ArgumentList is not { } list)
            return null;
        string named = _random.Next(4) switch
        {
            0 => "Name = " + AnyString(),
            1 => "GoBackwards = " + Pick(new[] { "true", "false", "!false", "1 > 0" }),
            2 => "TruncateGradient = " + Pick(new[] { "-1", "1", "5", "int.MaxValue", "100" }),
            _ => "Name = null",
        };
        var arguments = list.Arguments.Select(a => a.ToString()).ToList();
        if (_random.Next(3) == 0 && arguments.Count > 1)
            arguments.RemoveAt(1 + _random.Next(arguments.Count - 1));
        else
            arguments.Add(named);
        var text = "(" + string.Join(", ", arguments) + ")";
        return new Edit(list.Span, text, $"[Symbolic] arguments at {list.SpanStart} become '{text}'");
    }

    private Edit? ChangeStepMethod(SyntaxNode root)
    {
        var attribute = PickOrDefault(root.DescendantNodes().OfType<AttributeSyntax>().Where(a => a.Name.ToString().Contains("Symbolic")));
        if (attribute?.ArgumentList?.Arguments.FirstOrDefault() is not { } first)
            return null;
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.Text).Distinct().ToList();
        if (methods.Count == 0)
            return null;
        var text = _random.Next(5) switch
        {
            0 => "\"" + Pick(methods) + "\"",
            1 => Pick(new[] { "\"\"", "null", "42", "nameof(Math.Max)", "\"Step \"", "nameof(System)" }),
            _ => "nameof(" + Pick(methods) + ")",
        };
        return new Edit(first.Span, text, $"step method at {first.SpanStart} becomes {text}");
    }

    private string AnyType() => _random.Next(3) == 0 ? Pick(UnknownTypes) : Pick(KnownTypes);

    private Edit? ParameterType(SyntaxNode root)
    {
        var parameter = PickOrDefault(root.DescendantNodes().OfType<ParameterSyntax>().Where(p => p.Type is not null));
        if (parameter?.Type is not { } type)
            return null;
        var text = AnyType();
        return new Edit(type.Span, text, $"type of parameter '{parameter.Identifier.Text}' at {type.SpanStart} becomes '{text}'");
    }

    private Edit? ReorderParameters(SyntaxNode root)
    {
        var list = PickOrDefault(root.DescendantNodes().OfType<ParameterListSyntax>().Where(l => l.Parameters.Count > 0));
        if (list is null)
            return null;
        var parameters = list.Parameters.Select(p => p.ToString()).ToList();
        string what;
        switch (_random.Next(3))
        {
            case 0:
                parameters = parameters.OrderBy(_ => _random.Next()).ToList();
                what = "shuffled";
                break;
            case 1:
                parameters.RemoveAt(_random.Next(parameters.Count));
                what = "one removed";
                break;
            default:
                int i = _random.Next(parameters.Count);
                var copy = _random.Next(2) == 0 ? parameters[i] : parameters[i] + "2";
                parameters.Insert(_random.Next(parameters.Count + 1), copy);
                what = "one duplicated";
                break;
        }
        var text = "(" + string.Join(", ", parameters) + ")";
        return new Edit(list.Span, text, $"parameters at {list.SpanStart} {what}: '{text}'");
    }

    private Edit? ParameterAttribute(SyntaxNode root)
    {
        var parameter = PickOrDefault(root.DescendantNodes().OfType<ParameterSyntax>());
        if (parameter is null)
            return null;
        if (parameter.AttributeLists.Count > 0 && _random.Next(2) == 0)
        {
            var span = TextSpan.FromBounds(parameter.AttributeLists.First().SpanStart, parameter.AttributeLists.Last().Span.End);
            return new Edit(span, "", $"attributes of parameter '{parameter.Identifier.Text}' removed");
        }
        var attribute = Pick(ParameterAttributes);
        return new Edit(new TextSpan(parameter.SpanStart, 0), attribute, $"'{attribute}' added to parameter '{parameter.Identifier.Text}'");
    }

    private Edit? ToggleModifier(SyntaxNode root)
    {
        var member = PickOrDefault(root.DescendantNodes().OfType<MemberDeclarationSyntax>()
            .Where(m => m is MethodDeclarationSyntax or TypeDeclarationSyntax));
        if (member is null)
            return null;
        var existing = member.Modifiers;
        if (existing.Count > 0 && _random.Next(2) == 0)
        {
            var modifier = Pick(existing.ToList());
            return new Edit(modifier.Span, "", $"modifier '{modifier.Text}' removed at {modifier.SpanStart}");
        }
        var added = Pick(Modifiers);
        int position = existing.Count > 0 ? existing[_random.Next(existing.Count)].SpanStart : member.Modifiers.FullSpan.Start;
        if (existing.Count == 0)
            position = member switch
            {
                MethodDeclarationSyntax m => m.ReturnType.SpanStart,
                TypeDeclarationSyntax t => t.Keyword.SpanStart,
                _ => member.SpanStart,
            };
        return new Edit(new TextSpan(position, 0), added + " ", $"modifier '{added}' added at {position}");
    }

    private Edit? ParameterModifier(SyntaxNode root)
    {
        var parameter = PickOrDefault(root.DescendantNodes().OfType<ParameterSyntax>().Where(p => p.Type is not null));
        if (parameter?.Type is not { } type)
            return null;
        var modifier = Pick(ParameterModifiers);
        return new Edit(new TextSpan(type.SpanStart, 0), modifier, $"modifier '{modifier.Trim()}' added to parameter '{parameter.Identifier.Text}'");
    }

    private Edit? NestType(SyntaxNode root)
    {
        var type = PickOrDefault(root.DescendantNodes().OfType<TypeDeclarationSyntax>());
        if (type is null)
            return null;
        var outer = Pick(new[]
        {
            "public static partial class Outer<T>", "public static partial class Outer<T> where T : struct", "partial struct Outer<T>",
            "public partial record Outer<T, U>", "static class Outer<T>", "partial interface IOuter<T>", "public partial class Outer",
            "internal static partial class Outer<T> where T : class, new()", "public static partial class Outer<Outer>",
            "public readonly partial struct Outer<T>", "public ref partial struct Outer", "file static partial class Outer",
            "public unsafe partial class Outer<T>", "partial record struct Outer<T>", "public abstract partial class Outer<T>",
            "public static partial class Outer<T> where T : unmanaged, System.IComparable<T>", "public sealed partial class @class",
        });
        var text = outer + "\n{\n" + type.ToFullString() + "\n}\n";
        return new Edit(type.FullSpan, text, $"type '{type.Identifier.Text}' nested in '{outer}'");
    }

    private Edit? ReturnType(SyntaxNode root)
    {
        var method = PickOrDefault(root.DescendantNodes().OfType<MethodDeclarationSyntax>());
        if (method is null)
            return null;
        var text = AnyType();
        return new Edit(method.ReturnType.Span, text, $"return type of '{method.Identifier.Text}' becomes '{text}'");
    }

    /// <summary>Expressions in the bodies of methods that are not scans: the step methods' code.</summary>
    private static IEnumerable<ExpressionSyntax> StepExpressions(SyntaxNode root) =>
        root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => !m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Contains("Symbolic")))
            .SelectMany(m => (m.Body ?? (SyntaxNode?)m.ExpressionBody)?.DescendantNodes().OfType<ExpressionSyntax>() ?? [])
            .Where(e => !SyntaxFacts.IsInTypeOnlyContext(e));

    private static int Terms(string expression) =>
        CSharpSyntaxTree.ParseText(expression, Parse).GetRoot().DescendantNodes().Count(n => n is BinaryExpressionSyntax) + 1;

    private Edit? WrapExpression(SyntaxNode root)
    {
        var expression = PickOrDefault(StepExpressions(root));
        if (expression is null)
            return null;
        var e = expression.ToString();
        var text = _random.Next(8) == 0
            ? string.Join(" + ", Enumerable.Repeat("(" + e + ")", 2 + _random.Next(30)))
            : Pick(Wrappers).Replace("#", "(" + e + ")");
        if (Terms(text) > _options.MaxExpressionTerms)
            return null;
        return new Edit(expression.Span, text, $"expression '{e}' at {expression.SpanStart} becomes '{text}'");
    }

    private Edit? InsertStatement(SyntaxNode root)
    {
        var method = PickOrDefault(root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null || m.ExpressionBody is not null));
        if (method is null)
            return null;
        var e = PickOrDefault(StepExpressions(method))?.ToString() ?? "0";
        var statement = Pick(Statements).Replace("#", "(" + e + ")");
        if (method.ExpressionBody is { } arrow)
        {
            var text = "{ " + statement + " return " + arrow.Expression + "; }";
            var span = TextSpan.FromBounds(arrow.SpanStart, method.SemicolonToken.IsMissing ? arrow.Span.End : method.SemicolonToken.Span.End);
            return new Edit(span, text, $"body of '{method.Identifier.Text}' becomes '{text}'");
        }
        var body = method.Body!;
        return new Edit(new TextSpan(body.OpenBraceToken.Span.End, 0), " " + statement, $"'{statement}' inserted in '{method.Identifier.Text}'");
    }

    private Edit? MemberEdit(SyntaxNode root)
    {
        var member = PickOrDefault(root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m is not BaseNamespaceDeclarationSyntax));
        if (member is null)
            return null;
        return _random.Next(3) switch
        {
            0 => new Edit(member.FullSpan, "", $"member at {member.SpanStart} removed"),
            1 => new Edit(new TextSpan(member.FullSpan.End, 0), member.ToFullString(), $"member at {member.SpanStart} duplicated"),
            _ => member is MethodDeclarationSyntax method
                ? new Edit(method.Identifier.Span, method.Identifier.Text + "<T>", $"type parameter added to '{method.Identifier.Text}'")
                : null,
        };
    }

    // ---- what the known, separately fixed bugs must not see ----

    /// <summary>Whether a mutant avoids the inputs of the known bugs whose flags are off.</summary>
    public bool IsAllowed(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Parse).GetRoot();
        var attributes = root.DescendantNodes().OfType<AttributeSyntax>().ToList();
        if (!_options.ExtremeTaps && attributes.Where(IsTapAttribute).Any(a => a.ArgumentList?.Arguments.Any(x => x.NameEquals is null && !IsSmallTap(x.Expression)) == true))
            return false;
        if (!_options.HostileStrings && attributes.Any(a => a.DescendantTokens().Any(IsHostileString)))
            return false;
        if (!_options.NameCollisions && HasNameCollision(root))
            return false;
        return !HasLongExpression(root);
    }

    private static bool IsSmallTap(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax { Token.Value: int v } => Math.Abs(v) <= 100,
        PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax { Token.Value: int v } } => Math.Abs(v) <= 100,
        LiteralExpressionSyntax => true, // not an int: a type error, not a deep tap
        _ => false,
    };

    private static bool IsHostileString(SyntaxToken token) =>
        token.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.SingleLineRawStringLiteralToken
            or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken or SyntaxKind.CharacterLiteralToken
        && (token.ValueText.Any(c => c is '"' or '\\' or '{' or '}' || char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
            || token.ValueText.Contains("*/") || token.ValueText.Contains("/*"));

    private static bool HasNameCollision(SyntaxNode root)
    {
        var scans = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Contains("Symbolic")))
            .Select(m => m.Identifier.ValueText).ToHashSet();
        var declared = root.DescendantNodes().SelectMany(DeclaredNames).ToList();
        return scans.Any(scan => declared.Any(name => name.Contains(scan + "Graph")));
    }

    private static IEnumerable<string> DeclaredNames(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => [m.Identifier.ValueText],
        PropertyDeclarationSyntax p => [p.Identifier.ValueText],
        BaseTypeDeclarationSyntax t => [t.Identifier.ValueText],
        DelegateDeclarationSyntax d => [d.Identifier.ValueText],
        VariableDeclaratorSyntax v when v.Parent?.Parent is BaseFieldDeclarationSyntax => [v.Identifier.ValueText],
        EnumMemberDeclarationSyntax e => [e.Identifier.ValueText],
        _ => [],
    };

    private bool HasLongExpression(SyntaxNode root) =>
        root.DescendantNodes().OfType<BinaryExpressionSyntax>().Any(b => b.Parent is not BinaryExpressionSyntax
            && b.DescendantNodesAndSelf().Count(n => n is BinaryExpressionSyntax) >= _options.MaxExpressionTerms);
}
