using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGen.Graph;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Emitting;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;

namespace SymGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[Symbolic]</c> method into a <see cref="ScanModel"/>: validates the signature, binds initial states
/// to outputs, checks the step method against Theano's argument order, and translates the step body.
/// Every problem becomes a diagnostic at its source; parsing goes on so the user sees all of them at once.
/// </summary>
internal sealed partial class ScanParser
{
    private const string SequenceAttributeName = "SymGen.SequenceAttribute";
    private const string InitialAttributeName = "SymGen.InitialAttribute";
    private const string StepsAttributeName = "SymGen.StepsAttribute";
    private const string UpdateAttributeName = "SymGen.UpdateAttribute";
    private const string DestinationAttributeName = "SymGen.DestinationAttribute";

    private readonly IMethodSymbol _method;
    private readonly MethodDeclarationSyntax _syntax;
    private readonly AttributeData _attribute;
    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private MethodSignature? _signature;

    private readonly LoopOptions _loopOptions;

    private ScanParser(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, LoopOptions loopOptions)
        : this((IMethodSymbol)context.TargetSymbol, (MethodDeclarationSyntax)context.TargetNode, context.Attributes[0],
            context.SemanticModel.Compilation, cancellation, loopOptions)
    {
    }

    internal ScanParser(IMethodSymbol method, MethodDeclarationSyntax syntax, AttributeData attribute, Compilation compilation,
        CancellationToken cancellation, LoopOptions loopOptions)
    {
        _loopOptions = loopOptions;
        _method = method;
        _syntax = syntax;
        _attribute = attribute;
        _compilation = compilation;
        _cancellation = cancellation;
    }

    /// <summary>The diagnostics reported so far.</summary>
    internal IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    /// <summary>
    /// The scan of another <c>[Symbolic]</c> method (a gradient's), parsed as its own pipeline parses it; its
    /// diagnostics are that method's to report. Null when it has errors.
    /// </summary>
    internal static ScanSpec? ParseReferencedScan(IMethodSymbol method, AttributeData attribute, Compilation compilation,
        CancellationToken cancellation, LoopOptions loopOptions)
    {
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null)
            return null;
        var parser = new ScanParser(method, syntax, attribute, compilation, cancellation, loopOptions);
        var model = parser.ParseMethod();
        return parser.ErrorCount == 0 ? model?.Scan : null;
    }

    /// <summary>A gradient method's declaration: as a scan's, but its gradients are <c>out</c> parameters.</summary>
    internal MethodSignature? ParseGradientSignature() => _signature = ParseSignature(allowOut: true);

    private string ScanName => _method.Name;

    /// <summary>Names the method in a compilation without a location, so that moving code changes no model.</summary>
    private string DeclarationId => DocumentationCommentId.CreateDeclarationId(_method) ?? _method.Name;

    /// <summary>The pipeline's transform. Never throws (but for cancellation): a failure becomes SYMG0022.</summary>
    /// <param name="loopOptions">What the scan's loop plan may optimise (<see cref="LoopOptions.Default"/> but in tests).</param>
    public static ScanParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, LoopOptions loopOptions)
    {
        var parser = new ScanParser(context, cancellation, loopOptions);
        ScanModel? model;
        try
        {
            model = parser.ParseMethod();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            parser.Report(DiagnosticDescriptors.InternalError, context.TargetNode.GetLocation(),
                context.TargetSymbol.Name, $"{exception.GetType().Name}: {exception.Message}");
            // With the signature known, a stub body still keeps the compiler from adding CS8795.
            model = parser._signature is { } signature ? new ScanModel(signature, null, EquatableArray<string>.Empty, parser.DeclarationId) : null;
        }
        return new ScanParseResult(model, parser._diagnostics.ToEquatableArray());
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    private int ErrorCount => _diagnostics.Count(d => DiagnosticDescriptors.ById[d.Id].DefaultSeverity == DiagnosticSeverity.Error);

    private ScanModel? ParseMethod()
    {
        var signature = _signature = ParseSignature();
        if (signature is null)
            return null;
        int errorsBefore = ErrorCount;
        var scan = ParseScan();
        CheckTruncateGradient();
        return new ScanModel(signature, ErrorCount == errorsBefore ? scan : null, TakenMemberNames(signature), DeclarationId);
    }

    /// <summary>
    /// The names in the containing type (its members across all partial declarations, the members it inherits, which
    /// a generated member would hide, its type parameters, its own name) that begin like a generated member's name;
    /// a name taken by the graph property itself is SYMG0030 (for a scan; a gradient method's private graph property is
    /// then not written, and the method does not route to modes).
    /// </summary>
    internal EquatableArray<string> TakenMemberNames(MethodSignature signature, bool reportClash = true)
    {
        var type = _method.ContainingType;
        var generated = GraphWriter.MemberNames(signature).Append(Emitting.ScanWriter.ObservedName(signature)).ToArray();
        var inherited = new List<ISymbol>();
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            inherited.AddRange(baseType.GetMembers().Where(m => m.DeclaredAccessibility != Accessibility.Private));
        var taken = type.GetMembers().Concat(inherited).Concat(type.TypeParameters).Append(type)
            .Where(s => generated.Any(g => s.Name.StartsWith(g, StringComparison.Ordinal)))
            .ToList();
        if (reportClash && taken.FirstOrDefault(s => s.Name == generated[0]) is { } clash)
            Report(DiagnosticDescriptors.GraphPropertyNameTaken, clash.Locations.FirstOrDefault(l => l.IsInSource) ?? _syntax.Identifier.GetLocation(),
                ScanName, generated[0], type.Name);
        return taken.Select(s => s.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray();
    }

    // ---- The partial method's declaration -------------------------------------------------------------------

    /// <param name="allowOut">A gradient's declaration: its gradients are out parameters, and messages call it one.</param>
    private MethodSignature? ParseSignature(bool allowOut = false)
    {
        var location = _syntax.Identifier.GetLocation();
        string kind = allowOut ? "Gradient method" : "Scan method";
        string? problem =
            !_syntax.Modifiers.Any(SyntaxKind.PartialKeyword) ? "is not 'partial'"
            : !_method.IsStatic ? "is not 'static'"
            : _syntax.Body is not null || _syntax.ExpressionBody is not null || _method.PartialImplementationPart is not null ? "already has a body"
            : NonPartialContainingType() is { } outer ? $"is declared in '{outer}', which is not 'partial'"
            : FileLocalContainingType() is { } local ? $"is declared in '{local}', a 'file' type, which generated code in another file cannot extend"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.ScanMethodNotStaticPartial, location, kind, ScanName, problem);
            return null;
        }
        if (HiddenNamespace() is { } hidden)
        {
            Report(DiagnosticDescriptors.NamespaceHiddenByType, location, kind, ScanName, hidden);
            return null;
        }
        if (_method.IsGenericMethod)
        {
            Report(DiagnosticDescriptors.UnsupportedScanMethodShape, location, kind, ScanName,
                "is generic; a scan's element types must be known when it is generated");
            return null;
        }
        if (_method.RefKind != RefKind.None)
        {
            Report(DiagnosticDescriptors.UnsupportedScanMethodShape, _syntax.ReturnType.GetLocation(), kind, ScanName,
                "returns by reference; a scan returns new arrays by value");
            return null;
        }
        foreach (var parameter in _method.Parameters)
            if (parameter.RefKind != RefKind.None && !(allowOut && parameter.RefKind == RefKind.Out))
            {
                Report(DiagnosticDescriptors.UnsupportedScanMethodShape, parameter.Locations.FirstOrDefault(), kind, ScanName,
                    $"takes parameter '{parameter.Name}' by reference; " + (allowOut ? "a gradient's inputs are passed by value, its gradients as 'out'" : "scan parameters are passed by value"));
                return null;
            }

        var types = new List<ContainingType>();
        for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
            types.Insert(0, new ContainingType(TypeKeyword(type), type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        var ns = _method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        // The implementation repeats every modifier the compiler requires partial declarations to agree on.
        var parameters = _method.Parameters.Select(p => new SignatureParameter(
            (_method.IsExtensionMethod && p.Ordinal == 0 ? "this " : "") + (p.IsParams ? "params " : "") + (p.RefKind == RefKind.Out ? "out " : "")
                + (p.ScopedKind == ScopedKind.ScopedValue ? "scoped " : ""),
            p.Type.ToDisplayString(TypeMapping.FullyQualified),
            EscapeIdentifier(p.Name)));
        // Overloaded scans need distinct file names: the parameter count tells them apart, else their position.
        var overloads = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>().ToList();
        string fileSuffix = overloads.Count == 1 ? ""
            : overloads.Count(m => m.Parameters.Length == _method.Parameters.Length) == 1 ? "`" + _method.Parameters.Length
            : "`" + _method.Parameters.Length + "_" + overloads.IndexOf(_method);
        return new MethodSignature(ns, types.ToEquatableArray(), string.Join(" ", _syntax.Modifiers.Select(m => m.Text)),
            _method.ReturnType.ToDisplayString(TypeMapping.FullyQualified), EscapeIdentifier(_method.Name),
            parameters.ToEquatableArray(), fileSuffix);
    }

    private string? NonPartialContainingType()
    {
        for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
        {
            bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax(_cancellation) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
                return type.Name;
        }
        return null;
    }

    /// <summary>A namespace the generated code names as <c>global::N</c> that a type in the global namespace hides.</summary>
    private string? HiddenNamespace() =>
        new[] { "System", "SymGen" }.FirstOrDefault(n => _compilation.GlobalNamespace.GetTypeMembers(n).Length > 0);

    private string? FileLocalContainingType()
    {
        for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
            if (type.IsFileLocal)
                return type.Name;
        return null;
    }

    private static string TypeKeyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (_, TypeKind.Struct) => "struct",
        (_, TypeKind.Interface) => "interface",
        _ => "class",
    };

    /// <summary>A parameter or method name as C# source: keywords get an '@'.</summary>
    internal static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    // ---- The scan: parameters, outputs, step method ---------------------------------------------------------

    private ScanSpec? ParseScan()
    {
        string stepName = _attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        bool goBackwards = NamedArgument("GoBackwards") is bool b && b;
        int truncateGradient = NamedArgument("TruncateGradient") is int k ? k : -1;
        string name = NamedArgument("Name") as string ?? ScanName;

        var outputs = ParseOutputs();
        var sequences = new List<SequenceInput>();
        var nonSequences = new List<NonSequenceInput>();
        // Shared variables the step updates: they become recurrent states of their own (not returned).
        var updates = new List<ScanOutput>();
        // After the output taps the step receives, in declaration order, non-sequences and updated shared values.
        var trailing = new List<(bool IsUpdate, int Index)>();
        string? cancellation = null;
        string? mode = null;
        var initials = new List<(IParameterSymbol Parameter, AttributeData Attribute, ImmutableArray<int> Taps)>();
        StepsInput? steps = null;
        IParameterSymbol? stepsParameter = null;

        foreach (var parameter in _method.Parameters)
        {
            _cancellation.ThrowIfCancellationRequested();
            var roles = parameter.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() is SequenceAttributeName or InitialAttributeName or StepsAttributeName or UpdateAttributeName or DestinationAttributeName)
                .ToList();
            if (roles.Count > 1)
            {
                Report(DiagnosticDescriptors.ConflictingParameterRoles, parameter.Locations.FirstOrDefault(), parameter.Name,
                    ShortName(roles[0]), ShortName(roles[1]));
                continue;
            }
            var role = roles.FirstOrDefault();
            switch (role?.AttributeClass?.ToDisplayString())
            {
                case SequenceAttributeName:
                    if (ParseTaps(parameter, role!, defaultTap: 0) is { } seqTaps && ParseRows(parameter, "a sequence") is var (container, element))
                        sequences.Add(new SequenceInput(parameter.Name, container, element, seqTaps.ToEquatableArray()));
                    break;
                case InitialAttributeName:
                    if (ParseTaps(parameter, role!, defaultTap: -1) is { } outTaps && CheckOutputTaps(parameter, role!, outTaps))
                        initials.Add((parameter, role!, outTaps));
                    break;
                case StepsAttributeName:
                    if (stepsParameter is not null)
                        Report(DiagnosticDescriptors.MultipleStepsParameters, parameter.Locations.FirstOrDefault(), ScanName, stepsParameter.Name, parameter.Name);
                    else if (TypeMapping.Scalar(parameter.Type) is { Element: ElementKind.Int32 or ElementKind.Int64 } stepsType)
                        (steps, stepsParameter) = (new StepsInput(parameter.Name, stepsType), parameter);
                    else
                    {
                        Report(DiagnosticDescriptors.StepsParameterNotInteger, TypeLocation(parameter), parameter.Name, TypeMapping.Display(parameter.Type));
                        stepsParameter = parameter;
                    }
                    break;
                case UpdateAttributeName:
                    if (TypeMapping.SharedValue(parameter.Type) is { } updated)
                    {
                        var local = ValueLocal(parameter.Name);
                        trailing.Add((true, updates.Count));
                        updates.Add(new ScanOutput(parameter.Name, updated, new[] { -1 }.ToEquatableArray(), local, ContainerKind.Single,
                            RowShape(local, ContainerKind.Single, updated), parameter.Name));
                    }
                    else
                        Report(DiagnosticDescriptors.UpdateOfNonShared, TypeLocation(parameter), parameter.Name, ScanName, TypeMapping.Display(parameter.Type));
                    break;
                case DestinationAttributeName:
                    break; // an output's trace: read with the outputs (ParseDestinationOutputs)
                default:
                    if (TypeMapping.IsCancellationToken(parameter.Type))
                        cancellation = parameter.Name;
                    else if (TypeMapping.IsScanMode(parameter.Type) && SymbolEqualityComparer.Default.Equals(parameter, _method.Parameters.Last()))
                        mode = parameter.Name;
                    else if (TypeMapping.SharedValue(parameter.Type) is { } shared)
                    {
                        trailing.Add((false, nonSequences.Count));
                        nonSequences.Add(new NonSequenceInput(ValueLocal(parameter.Name), shared, parameter.Name));
                    }
                    else if (TypeMapping.Value(parameter.Type) is { Rank: <= 2 } value)
                    {
                        trailing.Add((false, nonSequences.Count));
                        nonSequences.Add(new NonSequenceInput(parameter.Name, value));
                    }
                    else
                        Report(DiagnosticDescriptors.UnsupportedParameterType, TypeLocation(parameter), parameter.Name, ScanName,
                            "a non-sequence", TypeMapping.Display(parameter.Type),
                            TypeMapping.IsScanMode(parameter.Type) ? "a ScanMode parameter, which comes last"
                            : "a scalar ('double', 'float', 'int', 'long' or 'bool'), a 'Vec<T>' or 'Mat<T>' of float or double, a 'Shared<T>' of one of those, a CancellationToken, or marked [Sequence], [Initial] or [Steps]");
                    break;
            }
        }

        // Counted by attribute, valid or not, so that a rejected [Sequence] does not also report SYMG0012.
        bool stepCountDeclared = _method.Parameters.Any(p => p.GetAttributes().Any(a =>
            a.AttributeClass?.ToDisplayString() is SequenceAttributeName or StepsAttributeName));
        if (!stepCountDeclared)
            Report(DiagnosticDescriptors.NoStepCount, _syntax.Identifier.GetLocation(), ScanName);

        // Initial states are bound, and the step checked, only for a scan without errors so far: a rejected
        // [Initial] would shift the others to the wrong outputs, and a bad tap list would make every step
        // parameter look wrong too.
        if (outputs is null || _diagnostics.Any(d => d.Id != DiagnosticDescriptors.NoStepCount.Id))
            return null;
        var boundOutputs = BindInitialStates(outputs.Value.Outputs, initials);
        if (boundOutputs is null)
            return null;
        int firstUpdate = boundOutputs.Count;
        boundOutputs.AddRange(updates);
        var trailingArguments = trailing.Select(x => (x.IsUpdate, x.IsUpdate ? firstUpdate + x.Index : x.Index)).ToList();

        var arguments = StepArguments(sequences, boundOutputs, nonSequences, trailingArguments);
        var translated = ParseStep(stepName, arguments, boundOutputs);
        if (translated is not var (step, sizeChecks))
            return null;

        // A recurrent output's step value must have its initial state's shape; a map output's shape is its value's.
        for (int o = 0; o < boundOutputs.Count; o++)
        {
            var resultShape = step.Nodes[step.Results[o]].Shape;
            if (!boundOutputs[o].IsRecurrent)
                boundOutputs[o] = boundOutputs[o] with { Shape = resultShape };
            else
                for (int d = 0; d < resultShape.Count; d++)
                    if (resultShape[d] != boundOutputs[o].Shape[d])
                        sizeChecks.Add(new SizeCheck(boundOutputs[o].Shape[d], resultShape[d],
                            $"output '{boundOutputs[o].Name}' of step {step.MethodName} must keep the shape of its initial state '{boundOutputs[o].SharedParameter ?? boundOutputs[o].InitialParameter}'"));
        }

        return new ScanSpec(name, goBackwards, truncateGradient, sequences.ToEquatableArray(), boundOutputs.ToEquatableArray(),
            nonSequences.ToEquatableArray(), steps, step, outputs.Value.IsTuple, sizeChecks.Distinct().ToEquatableArray(), cancellation,
            LoopPlanner.Plan(step, boundOutputs, _loopOptions), mode, _compilation.GetTypeByMetadataName(TypeMapping.ScanModeName) is not null,
            _destinations.ToEquatableArray(), _returnsSteps);
    }

    private object? NamedArgument(string name) =>
        _attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

    private Location NamedArgumentLocation(string name) =>
        (_attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
        ?? _syntax.Identifier.GetLocation();

    /// <summary>Theano's truncate_gradient: -1 for every step, or a positive number of steps; 0 or -5 mean nothing.</summary>
    private void CheckTruncateGradient()
    {
        if (NamedArgument("TruncateGradient") is int k && k != -1 && k < 1)
            Report(DiagnosticDescriptors.TruncateGradientInvalid, NamedArgumentLocation("TruncateGradient"), ScanName, k);
    }

    private static string ShortName(AttributeData attribute)
    {
        var name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static Location? TypeLocation(IParameterSymbol parameter) =>
        parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ParameterSyntax { Type: { } type }
            ? type.GetLocation()
            : parameter.Locations.FirstOrDefault();

    private static Location? AttributeLocation(AttributeData attribute, IParameterSymbol parameter) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault();

    /// <summary>The taps of a [Sequence]/[Initial]: the default when written without arguments.</summary>
    private ImmutableArray<int>? ParseTaps(IParameterSymbol parameter, AttributeData attribute, int defaultTap)
    {
        if (attribute.ConstructorArguments.Length == 0)
            return ImmutableArray.Create(defaultTap);
        var values = attribute.ConstructorArguments[0];
        if (values.Kind != TypedConstantKind.Array || (values.Values.IsDefault && !values.IsNull))
            return null; // the attribute itself does not compile; the C# compiler reports it
        // [Sequence(null)] compiles (a null params array) and lists no tap, as an empty array does.
        if (values.IsNull || values.Values.Length == 0)
        {
            Report(DiagnosticDescriptors.EmptyTapList, AttributeLocation(attribute, parameter), ShortName(attribute), parameter.Name, defaultTap);
            return null;
        }
        var taps = values.Values.Select(v => v.Value is int i ? i : 0).ToImmutableArray();
        return CheckTapSpan(parameter, attribute, taps) ? taps : null;
    }

    /// <summary>The most elements an array holds (.NET's Array.MaxLength, not in netstandard2.0).</summary>
    internal const int MaxArrayLength = 0x7FFFFFC7;

    /// <summary>
    /// A tap list's span, max(0, highest) - min(0, lowest), is the number of rows beyond the steps that the taps
    /// read (a sequence's extra elements, an initial state's rows). Rows live in one array, so a span above
    /// Array.MaxLength can never be satisfied; bounding it keeps every tap offset, row index and span of generated
    /// code within int (t + offset &lt; length, depth - j + t &lt; depth).
    /// </summary>
    private bool CheckTapSpan(IParameterSymbol parameter, AttributeData attribute, ImmutableArray<int> taps)
    {
        long lowest = Math.Min(0L, taps.Min()), highest = Math.Max(0L, taps.Max());
        if (highest - lowest <= MaxArrayLength)
            return true;
        // At the argument of the tap farthest from 0, when the taps are written one argument each.
        int farthest = Enumerable.Range(0, taps.Length).OrderByDescending(i => Math.Abs((long)taps[i])).First();
        var arguments = (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments
            .Where(a => a.NameEquals is null).ToList();
        var location = arguments is not null && arguments.Count == taps.Length ? arguments[farthest].GetLocation() : AttributeLocation(attribute, parameter);
        Report(DiagnosticDescriptors.TapSpanTooLarge, location, ShortName(attribute), parameter.Name, string.Join(", ", taps),
            highest - lowest, lowest, highest, MaxArrayLength);
        return false;
    }

    private bool CheckOutputTaps(IParameterSymbol parameter, AttributeData attribute, ImmutableArray<int> taps)
    {
        bool ok = true;
        foreach (var tap in taps.Where(t => t >= 0).Distinct())
        {
            Report(DiagnosticDescriptors.OutputTapNotNegative, AttributeLocation(attribute, parameter), parameter.Name, tap);
            ok = false;
        }
        foreach (var tap in taps.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            Report(DiagnosticDescriptors.DuplicateOutputTap, AttributeLocation(attribute, parameter), parameter.Name, tap);
            ok = false;
        }
        return ok;
    }

    /// <summary>A parameter holding rows (a sequence, a multi-row initial state).</summary>
    private (ContainerKind, TypeRef)? ParseRows(IParameterSymbol parameter, string role)
    {
        if (TypeMapping.TryGetRows(parameter.Type, out var container, out var row) && row is not null)
            return (container, row);
        Report(DiagnosticDescriptors.UnsupportedParameterType, TypeLocation(parameter), parameter.Name, ScanName, role,
            TypeMapping.Display(parameter.Type),
            "rows: an array, span or memory of a scalar type (e.g. 'double[]', 'ReadOnlySpan<double>'), a 'Vec<T>', a 'Mat<T>' whose rows are vectors, or a 'Tensor3<T>' whose rows are matrices");
        return null;
    }

    /// <summary>The local generated code reads a shared variable's value into, clashing with no parameter.</summary>
    private string ValueLocal(string parameter)
    {
        var name = parameter + "Value";
        while (_method.Parameters.Any(p => p.Name == name)) name += "_";
        return name;
    }

    /// <summary>The dimensions of one row of a rows parameter, or of a single value.</summary>
    private static EquatableArray<Dim> RowShape(string parameter, ContainerKind container, TypeRef value)
    {
        var p = EscapeIdentifier(parameter);
        Dim D(string member) => new($"{p}.{member}", parameter);
        return (container, value.Rank) switch
        {
            (ContainerKind.Mat, _) => new[] { D("Columns") }.ToEquatableArray(),
            (ContainerKind.Tensor3, _) => new[] { D("Rows"), D("Columns") }.ToEquatableArray(),
            (ContainerKind.Single, 1) => new[] { D("Length") }.ToEquatableArray(),
            (ContainerKind.Single, 2) => new[] { D("Rows"), D("Columns") }.ToEquatableArray(),
            _ => EquatableArray<Dim>.Empty,
        };
    }

    private sealed record DeclaredOutput(string Name, TypeRef Element);

    /// <summary>The outputs, from the return type: <c>T[]</c> or a tuple of arrays.</summary>
    private (List<DeclaredOutput> Outputs, bool IsTuple)? ParseOutputs()
    {
        if (_method.Parameters.Any(IsDestination))
            return ParseDestinationOutputs();
        var returnType = _method.ReturnType;
        if (returnType.SpecialType == SpecialType.System_Void)
            return (new List<DeclaredOutput>(), false); // a scan that only updates shared variables
        if (Trace(returnType) is { } single)
            return (new List<DeclaredOutput> { new(_method.Name, single) }, false);

        if (returnType is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            var outputs = new List<DeclaredOutput>();
            foreach (var field in tuple.TupleElements)
            {
                if (Trace(field.Type) is not { } type)
                {
                    outputs = null;
                    break;
                }
                outputs.Add(new DeclaredOutput(field.Name, type));
            }
            if (outputs is not null)
                return (outputs, true);
        }
        Report(DiagnosticDescriptors.UnsupportedReturnType, _syntax.ReturnType.GetLocation(), ScanName, TypeMapping.Display(returnType));
        return null;
    }

    /// <summary>The type of one step of a trace: <c>T[]</c> holds scalars, <c>Mat&lt;T&gt;</c> vectors, <c>Tensor3&lt;T&gt;</c> matrices.</summary>
    private static TypeRef? Trace(ITypeSymbol type) =>
        TypeMapping.TryGetRows(type, out var container, out var row) && container is ContainerKind.Array or ContainerKind.Mat or ContainerKind.Tensor3 ? row : null;

    /// <summary>
    /// Pairs each [Initial] with its output: by <c>Output = "name"</c>, else the n-th initial feeds the n-th output.
    /// Outputs left without an initial state are map outputs (Theano's <c>outputs_info=None</c>).
    /// </summary>
    private List<ScanOutput>? BindInitialStates(
        List<DeclaredOutput> outputs,
        List<(IParameterSymbol Parameter, AttributeData Attribute, ImmutableArray<int> Taps)> initials)
    {
        var bound = new (IParameterSymbol Parameter, AttributeData Attribute, ImmutableArray<int> Taps)?[outputs.Count];
        bool ok = true;
        for (int i = 0; i < initials.Count; i++)
        {
            var initial = initials[i];
            var location = AttributeLocation(initial.Attribute, initial.Parameter);
            string? outputName = initial.Attribute.NamedArguments.FirstOrDefault(a => a.Key == "Output").Value.Value as string;
            int index;
            if (outputName is not null)
            {
                index = outputs.FindIndex(o => o.Name == outputName);
                if (index < 0)
                {
                    Report(DiagnosticDescriptors.InitialOutputBinding, location, initial.Parameter.Name,
                        $"names output '{outputName}', but scan '{ScanName}' has outputs {string.Join(", ", outputs.Select(o => $"'{o.Name}'"))}");
                    ok = false;
                    continue;
                }
            }
            else if (i < outputs.Count)
                index = i;
            else
            {
                Report(DiagnosticDescriptors.InitialOutputBinding, location, initial.Parameter.Name,
                    $"is initial state number {i + 1}, but scan '{ScanName}' has {outputs.Count} output(s); remove it or add an output");
                ok = false;
                continue;
            }
            if (bound[index] is { } previous)
            {
                Report(DiagnosticDescriptors.InitialOutputBinding, location, initial.Parameter.Name,
                    $"feeds output '{outputs[index].Name}', which '{previous.Parameter.Name}' already feeds; set Output = \"name\" on each [Initial] of a tuple-returning scan");
                ok = false;
                continue;
            }
            bound[index] = initial;
        }

        var result = new List<ScanOutput>();
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            if (bound[i] is not { } initial)
            {
                result.Add(new ScanOutput(output.Name, output.Element, EquatableArray<int>.Empty, null, ContainerKind.Single, EquatableArray<Dim>.Empty));
                continue;
            }
            var (parameter, attribute, taps) = initial;
            int depth = -taps.Min();
            // One step's value (of the output's rank), or rows of them (one rank more).
            ContainerKind container;
            TypeRef? element;
            var value = TypeMapping.Value(parameter.Type);
            if (value is not null && value.Rank == output.Element.Rank)
            {
                (container, element) = (ContainerKind.Single, value);
                if (depth > 1)
                {
                    Report(DiagnosticDescriptors.InitialTooShallow, AttributeLocation(attribute, parameter), parameter.Name,
                        string.Join(", ", taps), depth);
                    ok = false;
                }
            }
            else if (TypeMapping.TryGetRows(parameter.Type, out var c, out var row) && row is not null && row.Rank == output.Element.Rank)
                (container, element) = (c, row);
            else if ((value ?? row) is { } other && other.Element == output.Element.Element)
            {
                Report(DiagnosticDescriptors.RankMismatch, TypeLocation(parameter), parameter.Name, TypeMapping.Display(parameter.Type),
                    value is not null ? $"a {value.RankName}" : $"rows of {row!.RankName}s", output.Name, output.Element, output.Element.RankName);
                ok = false;
                continue;
            }
            else if (ParseRows(parameter, "an initial state") is null)
            {
                ok = false;
                continue;
            }
            else
                (container, element) = (c, row!);
            if (element != output.Element)
            {
                Report(DiagnosticDescriptors.InitialTypeMismatch, TypeLocation(parameter), parameter.Name,
                    element.ElementKeyword, output.Name, output.Element.ElementKeyword);
                ok = false;
            }
            result.Add(new ScanOutput(output.Name, output.Element, taps.ToEquatableArray(), parameter.Name, container,
                RowShape(parameter.Name, container, element)));
        }
        return ok ? result : null;
    }

    /// <summary>Theano's argument order: sequence taps, then output taps (output order), then non-sequences.</summary>
    private static List<(string Description, TypeRef Type, StepArgumentSource Source, int Index, int Tap, EquatableArray<Dim> Shape, string From)> StepArguments(
        List<SequenceInput> sequences, List<ScanOutput> outputs, List<NonSequenceInput> nonSequences, List<(bool IsUpdate, int Index)> trailing)
    {
        var arguments = new List<(string, TypeRef, StepArgumentSource, int, int, EquatableArray<Dim>, string)>();
        for (int s = 0; s < sequences.Count; s++)
        {
            var shape = RowShape(sequences[s].Parameter, sequences[s].Container, sequences[s].ElementType);
            foreach (var tap in sequences[s].Taps)
                arguments.Add(($"{sequences[s].Parameter}[{TapText("t", tap)}]", sequences[s].ElementType, StepArgumentSource.SequenceTap, s, tap, shape, sequences[s].Parameter));
        }
        for (int o = 0; o < outputs.Count; o++)
            if (outputs[o].SharedParameter is null)
                foreach (var tap in outputs[o].Taps)
                    arguments.Add(($"{outputs[o].Name}[{TapText("t", tap)}]", outputs[o].ElementType, StepArgumentSource.OutputTap, o, tap, outputs[o].Shape, outputs[o].InitialParameter!));
        foreach (var (isUpdate, index) in trailing)
        {
            if (isUpdate)
            {
                var update = outputs[index];
                arguments.Add(($"shared {update.SharedParameter} after t updates", update.ElementType, StepArgumentSource.OutputTap, index, -1, update.Shape, update.SharedParameter!));
                continue;
            }
            var n = nonSequences[index];
            arguments.Add((n.SharedParameter is null ? n.Parameter : $"shared {n.SharedParameter}", n.Type, StepArgumentSource.NonSequence, index, 0,
                RowShape(n.Parameter, ContainerKind.Single, n.Type), n.SharedParameter ?? n.Parameter));
        }
        return arguments;
    }

    internal static string TapText(string index, int tap) => tap switch
    {
        0 => index,
        > 0 => $"{index}+{tap}",
        _ => $"{index}{tap}",
    };

    // ---- The step method -------------------------------------------------------------------------------------

    private (StepGraph, List<SizeCheck>)? ParseStep(
        string stepName,
        List<(string Description, TypeRef Type, StepArgumentSource Source, int Index, int Tap, EquatableArray<Dim> Shape, string From)> expected,
        List<ScanOutput> outputs)
    {
        var attributeLocation = _attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } a
            ? a.ArgumentList.Arguments[0].GetLocation()
            : _syntax.Identifier.GetLocation();
        var candidates = _method.ContainingType.GetMembers(stepName).OfType<IMethodSymbol>().ToList();
        if (candidates.Count == 0)
        {
            Report(DiagnosticDescriptors.StepMethodNotFound, attributeLocation, ScanName, stepName, _method.ContainingType.Name);
            return null;
        }
        if (candidates.Count > 1)
        {
            Report(DiagnosticDescriptors.StepMethodAmbiguous, attributeLocation, ScanName, stepName, candidates.Count);
            return null;
        }
        var step = candidates[0];
        var declaration = step.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellation)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        var stepLocation = step.Locations.FirstOrDefault();
        string? unsupported =
            !step.IsStatic ? "is not static; a step method must be 'static' so that it depends only on its arguments"
            : step.IsGenericMethod ? "is generic; a step method's types must be known when the scan is generated"
            : step.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None) is { } byRef ? $"takes '{byRef.Name}' by reference; step parameters are passed by value"
            : declaration is null ? "has no body in this compilation; the step method must be declared in source with a body"
            : null;
        if (unsupported is not null)
        {
            Report(DiagnosticDescriptors.StepMethodUnsupported, stepLocation, step.Name, unsupported);
            return null;
        }

        bool ok = true;
        if (step.Parameters.Length != expected.Count)
        {
            Report(DiagnosticDescriptors.StepParameterCount, declaration!.ParameterList.GetLocation(), step.Name, step.Parameters.Length,
                ScanName, expected.Count, expected.Count == 0 ? "(nothing)" : string.Join(", ", expected.Select(e => $"{e.Description} ({e.Type})")));
            // A step with one parameter too many, where a map output's past value would go: the scan lacks an
            // [Initial] for that output (a code fix adds one).
            int sequenceTaps = expected.Count(e => e.Source == StepArgumentSource.SequenceTap);
            if (step.Parameters.Length == expected.Count + 1 && outputs.Count(o => o.SharedParameter is null) == 1 && !outputs[0].IsRecurrent
                && TypeMapping.Value(step.Parameters[sequenceTaps].Type) == outputs[0].ElementType)
                _diagnostics[_diagnostics.Count - 1] = _diagnostics[_diagnostics.Count - 1]
                    .With("Scan", ScanName)
                    .With("InitialType", outputs[0].ElementType.CSharpName)
                    .With("InitialName", step.Parameters[sequenceTaps].Name + "0")
                    .With("After", _method.Parameters.LastOrDefault(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SequenceAttributeName))?.Name ?? "");
            ok = false;
        }
        else
        {
            for (int i = 0; i < expected.Count; i++)
            {
                var parameter = step.Parameters[i];
                if (TypeMapping.Value(parameter.Type) != expected[i].Type)
                {
                    Report(DiagnosticDescriptors.StepParameterType, TypeLocation(parameter), parameter.Name, step.Name,
                        expected[i].Description, expected[i].Type, TypeMapping.Display(parameter.Type));
                    // What a code fix needs: the type expected here, and the whole expected order (to reorder).
                    _diagnostics[_diagnostics.Count - 1] = _diagnostics[_diagnostics.Count - 1]
                        .With("Expected", expected[i].Type.CSharpName)
                        .With("ExpectedOrder", string.Join(";", expected.Select(e => e.Type.CSharpName)));
                    ok = false;
                }
            }
        }

        // Theano's order: the outputs, then the shared variables' next values, then the stop condition.
        var returned = step.ReturnType is INamedTypeSymbol { IsTupleType: true } stepTuple
            ? stepTuple.TupleElements.Select(f => f.Type).ToList()
            : new List<ITypeSymbol> { step.ReturnType };
        int untilAt = returned.FindIndex(TypeMapping.IsUntil);
        bool hasCondition = untilAt >= 0 && untilAt == returned.Count - 1;
        if (untilAt >= 0 && !hasCondition)
        {
            Report(DiagnosticDescriptors.ConditionNotLast, declaration!.ReturnType.GetLocation(), step.Name, untilAt + 1, returned.Count);
            return null;
        }
        var values = hasCondition ? returned.Take(returned.Count - 1).ToList() : returned;
        if (values.Count != outputs.Count || values.Where((type, i) => TypeMapping.Value(type) != outputs[i].ElementType).Any())
        {
            var needed = outputs.Select(o => o.ElementType.ToString()).Concat(hasCondition ? new[] { "Until" } : new string[0]).ToList();
            var wanted = outputs.Select(o => o.SharedParameter is null ? $"output '{o.Name}'" : $"the next value of shared variable '{o.SharedParameter}'")
                .Concat(hasCondition ? new[] { "the stop condition" } : new string[0]).ToList();
            Report(DiagnosticDescriptors.StepReturnType, declaration!.ReturnType.GetLocation(), step.Name,
                TypeMapping.Display(step.ReturnType), returned.Count == 1 ? "1 value" : $"{returned.Count} values", ScanName,
                needed.Count == 1 ? needed[0] : "(" + string.Join(", ", needed) + ")",
                wanted.Count == 0 ? "nothing, as it has no outputs"
                : wanted.Count == 1 ? "one value, for " + wanted[0]
                : $"{wanted.Count} values, for {string.Join(", ", wanted.Take(wanted.Count - 1))} and {wanted[wanted.Count - 1]}, in this order");
            ok = false;
        }
        if (!ok)
            return null;
        WarnOfParametersNamedLikeOthers(step, expected);

        // The graph's order: the step method lists updated shared values among the non-sequences, where declared.
        int returnedOutputs = outputs.Count(o => o.SharedParameter is null);
        var arguments = expected.Select((e, i) => new StepArgument(step.Parameters[i].Name, e.Type, e.Source, e.Index, e.Tap, e.Shape, i))
            .OrderBy(a => a.Source switch
            {
                StepArgumentSource.SequenceTap => 0,
                StepArgumentSource.OutputTap when a.Index < returnedOutputs => 1,
                StepArgumentSource.OutputTap => 2,
                _ => 3,
            }).ToList();
        var semanticModel = _compilation.GetSemanticModel(declaration!.SyntaxTree);
        return StepBodyTranslator.Translate(step, declaration!, semanticModel, arguments, outputs, hasCondition, _diagnostics, _cancellation);
    }

    /// <summary>
    /// The step receives its values by position; only their count and types are checked. A step parameter named
    /// like a scan parameter whose values it does not receive (the scan passes that parameter elsewhere) is most
    /// likely a mix-up of the order, and cheap to point out.
    /// </summary>
    private void WarnOfParametersNamedLikeOthers(IMethodSymbol step,
        List<(string Description, TypeRef Type, StepArgumentSource Source, int Index, int Tap, EquatableArray<Dim> Shape, string From)> expected)
    {
        for (int i = 0; i < expected.Count; i++)
        {
            var name = step.Parameters[i].Name;
            if (expected[i].From == name || _method.Parameters.All(p => p.Name != name))
                continue;
            int elsewhere = expected.FindIndex(e => e.From == name);
            if (elsewhere >= 0)
                Report(DiagnosticDescriptors.StepParameterNamedLikeOtherRole, step.Parameters[i].Locations.FirstOrDefault(), name, step.Name,
                    expected[i].Description, ScanName, elsewhere + 1, step.Parameters[elsewhere].Name);
        }
    }
}
