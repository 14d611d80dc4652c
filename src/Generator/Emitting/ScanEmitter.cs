using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Graph;

namespace SymGen.Generator.Emitting;

/// <summary>
/// Writes the generated file of a <c>[Symbolic]</c> method: the enclosing types, the declaration, and the body
/// (<see cref="ScanWriter"/>), or a stub that throws when the scan has errors.
/// </summary>
internal static class ScanEmitter
{
    /// <summary>
    /// The scan's full name, distinct for distinct scans (overloads by their suffix); '@' is no part of a name, and the
    /// global namespace is the empty one (so that it differs from a namespace named 'global').
    /// </summary>
    public static string Identity(MethodSignature signature) =>
        string.Join(".", signature.ContainingTypes.Select(t => t.NameWithTypeParameters)
            .Prepend(signature.Namespace ?? "")
            .Append(signature.Name + signature.FileSuffix)).Replace("@", "");

    /// <summary>
    /// The file name: the identity with what a file name cannot hold made '_'. That can make two names one
    /// ('Outer&lt;T&gt;' and 'Outer_T_', overload 'Run`1' and scan 'Run_1'), and hint names are compared ignoring
    /// case ('a' and 'A'): the rare clash among <paramref name="identities"/> (every scan's) is numbered after a '-',
    /// which no sanitized name contains, in the order of the exact names.
    /// </summary>
    public static string HintName(ScanModel model, IEnumerable<string> identities) => HintName(model.Signature, identities);

    /// <summary>The file name of a scan's or a gradient's method.</summary>
    public static string HintName(MethodSignature signature, IEnumerable<string> identities)
    {
        var identity = Identity(signature);
        var name = FileName(identity);
        var clashes = identities.Distinct().Where(i => string.Equals(FileName(i), name, System.StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i, System.StringComparer.Ordinal).ToList();
        int index = clashes.IndexOf(identity);
        return (index > 0 ? name + "-" + index : name) + ".g.cs";
    }

    private static string FileName(string identity) => Sanitize(identity.StartsWith(".", System.StringComparison.Ordinal) ? "global" + identity : identity);

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '.' ? c : '_').ToArray());

    /// <summary>
    /// The generated file of a scan. An unexpected exception while writing it gives the scan's throwing stub and the
    /// exception's text (reported as SYMG0022 at the scan): one scan's failure costs no other scan its code.
    /// </summary>
    public static EmittedSource EmitSafely(ScanModel model, string hintName, System.Action<ScanModel>? beforeEmit = null)
    {
        try
        {
            beforeEmit?.Invoke(model);
            return new EmittedSource(hintName, Emit(model), null, model.DeclarationId);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            return new EmittedSource(hintName, Emit(model with { Scan = null }), $"{exception.GetType().Name}: {exception.Message}", model.DeclarationId);
        }
    }

    /// <summary>A gradient method's file, made as safely as a scan's (a failure gives its throwing stub and SYMG0022).</summary>
    public static EmittedSource EmitGradientSafely(GradientModel model, string hintName)
    {
        try
        {
            return new EmittedSource(hintName, EmitGradient(model), null, model.DeclarationId);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            return new EmittedSource(hintName, EmitGradient(model with { Gradient = null }), $"{exception.GetType().Name}: {exception.Message}", model.DeclarationId);
        }
    }

    public static string EmitGradient(GradientModel model) =>
        EmitIn(model.Signature, w =>
        {
            if (model.Gradient is { } gradient)
            {
                // Under a mode the gradient runs in the interpreter on the scan's graph: a private graph property of its own.
                // A user member already named like that property: the method keeps its loops under every mode.
                bool routes = ScanWriter.RoutesGradientModes(gradient) && GraphWriter.HasProperty(model.Signature, model.TakenMemberNames);
                new ScanWriter(w, model.Signature, gradient.Scan, gradient) { RoutesGradientMode = routes }.WriteGradient();
                if (routes)
                    GraphWriter.Write(w, model.Signature with { Modifiers = "private static" }, gradient.Scan, model.TakenMemberNames);
            }
            else
                EmitStub(w, model.Signature, "gradient");
        });

    public static string Emit(ScanModel model) =>
        EmitIn(model.Signature, w =>
        {
            if (model.Scan is { } scan)
                EmitScan(w, model.Signature, scan, model.TakenMemberNames);
            else
                EmitStub(w, model.Signature);
        });

    /// <summary>A generated file: its namespace and enclosing types around what <paramref name="body"/> writes.</summary>
    private static string EmitIn(MethodSignature signature, System.Action<IndentedTextWriter> body)
    {
        var text = new StringWriter();
        var w = new IndentedTextWriter(text, "    ");
        w.WriteLine("// <auto-generated/>");
        w.WriteLine("#nullable enable");
        w.WriteLineNoTabs("");
        if (signature.Namespace is not null)
        {
            w.WriteLine($"namespace {signature.Namespace};");
            w.WriteLineNoTabs("");
        }
        foreach (var type in signature.ContainingTypes)
        {
            w.WriteLine($"partial {type.Keyword} {type.NameWithTypeParameters}");
            w.WriteLine("{");
            w.Indent++;
        }
        body(w);
        foreach (var _ in signature.ContainingTypes)
        {
            w.Indent--;
            w.WriteLine("}");
        }
        return text.ToString();
    }

    internal static void WriteDeclaration(IndentedTextWriter w, MethodSignature signature)
    {
        w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"SymGen.Generator\", \"" + typeof(ScanEmitter).Assembly.GetName().Version + "\")]");
        var parameters = string.Join(", ", signature.Parameters.Select(p => $"{p.Modifiers}{p.Type} {p.Name}"));
        w.WriteLine($"{signature.Modifiers} {signature.ReturnType} {signature.Name}({parameters})");
    }

    /// <summary>A scan with errors still gets a body, so the build shows SymGen's diagnostics, not CS8795.</summary>
    private static void EmitStub(IndentedTextWriter w, MethodSignature signature, string what = "scan")
    {
        w.WriteLine($"// SymGen reported errors for this {what} (SYMG diagnostics); fix them to generate its loop.");
        WriteDeclaration(w, signature);
        w.Indent++;
        w.WriteLine($"=> throw new global::System.InvalidOperationException({CSharpText.Literal($"SymGen could not generate {what} '{signature.Name.TrimStart('@')}': see the SYMG errors reported for it.")});");
        w.Indent--;
    }

    private static void EmitScan(IndentedTextWriter w, MethodSignature signature, ScanSpec scan, EquatableArray<string> takenMembers)
    {
        // A scan whose graph property a member's name takes (SYMG0030) has no graph to run a mode on: the loop alone.
        bool routes = scan.RoutesModes && GraphWriter.HasProperty(signature, takenMembers);
        // Debug runs the observed twin of the loop beside the interpreter (unless a user member takes its name).
        bool observed = routes && !takenMembers.Contains(ScanWriter.ObservedName(signature));
        new ScanWriter(w, signature, scan) { RoutesModes = routes, RunsObserved = observed }.Write();
        if (observed)
            new ScanWriter(w, signature, ScanWriter.ObservedScan(scan)) { Observed = true }.WriteObserved();
        GraphWriter.Write(w, signature, scan, takenMembers);
    }
}

/// <summary>A scan's generated file, and what went wrong if its loop could not be written (then the file is the stub).</summary>
internal sealed record EmittedSource(string HintName, string Text, string? Failure, string DeclarationId);

/// <summary>Hands out identifiers that clash neither with the user's parameters nor with each other.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;

    public NameScope(IEnumerable<string> taken) => _taken = new HashSet<string>(taken);

    public string Fresh(string preferred)
    {
        var name = new string(preferred.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        if (name.Length == 0 || char.IsDigit(name[0])) name = "_" + name;
        if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None) name += "_";
        while (!_taken.Add(name)) name += "_";
        return name;
    }
}
