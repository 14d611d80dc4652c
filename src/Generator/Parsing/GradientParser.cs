using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Gradients;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;
using SymGen.Graph;

namespace SymGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[Gradient]</c> method into a <see cref="GradientModel"/>: finds and parses its scan, checks the
/// request (the scan's parameters, one cotangent per returned output, <c>out d&lt;Input&gt;</c> parameters), and builds
/// the backward step (<see cref="BackwardStep"/>) and its loop plan. Every problem is a diagnostic at its source.
/// </summary>
internal sealed class GradientParser
{
    private const string SymbolicAttributeName = "SymGen.SymbolicAttribute";

    private readonly IMethodSymbol _method;
    private readonly MethodDeclarationSyntax _syntax;
    private readonly AttributeData _attribute;
    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellation;
    private readonly LoopOptions _loopOptions;
    private readonly List<DiagnosticInfo> _diagnostics = new();

    private GradientParser(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, LoopOptions loopOptions)
    {
        _method = (IMethodSymbol)context.TargetSymbol;
        _syntax = (MethodDeclarationSyntax)context.TargetNode;
        _attribute = context.Attributes[0];
        _compilation = context.SemanticModel.Compilation;
        _cancellation = cancellation;
        _loopOptions = loopOptions;
    }

    private string Name => _method.Name;

    private string DeclarationId => DocumentationCommentId.CreateDeclarationId(_method) ?? _method.Name;

    /// <summary>The pipeline's transform. Never throws (but for cancellation): a failure becomes SYMG0022.</summary>
    public static GradientParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, LoopOptions loopOptions)
    {
        var parser = new GradientParser(context, cancellation, loopOptions);
        var signatureParser = new ScanParser(parser._method, parser._syntax, parser._attribute, parser._compilation, cancellation, loopOptions);
        MethodSignature? signature = null;
        GradientModel? model = null;
        try
        {
            signature = signatureParser.ParseGradientSignature();
            parser._diagnostics.AddRange(signatureParser.Diagnostics);
            if (signature is not null)
                model = new GradientModel(signature, parser.ParseGradient(), parser.DeclarationId,
                    signatureParser.TakenMemberNames(signature, reportClash: false));
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            parser.Report(DiagnosticDescriptors.InternalError, context.TargetNode.GetLocation(), context.TargetSymbol.Name,
                $"{exception.GetType().Name}: {exception.Message}");
            model = signature is not null ? new GradientModel(signature, null, parser.DeclarationId) : null;
        }
        return new GradientParseResult(model, parser._diagnostics.ToEquatableArray());
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    /// <summary>Tells a code fix what the last diagnostic's fix needs (see ScanCodeFixProvider).</summary>
    private void ForTheFix(string key, string value) =>
        _diagnostics[_diagnostics.Count - 1] = _diagnostics[_diagnostics.Count - 1].With(key, value);

    private Location AttributeArgumentLocation(string? named = null)
    {
        var arguments = (_attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments;
        var argument = named is null ? arguments?.FirstOrDefault(a => a.NameEquals is null) : arguments?.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named);
        return argument?.GetLocation() ?? _syntax.Identifier.GetLocation();
    }

    private static Location? Where(IParameterSymbol parameter) => parameter.Locations.FirstOrDefault();

    private static string TypeText(ITypeSymbol type) => type.ToDisplayString(TypeMapping.FullyQualified);

    private GradientSpec? ParseGradient()
    {
        int checkpoint = _attribute.NamedArguments.FirstOrDefault(a => a.Key == "Checkpoint").Value.Value is int k ? k : 0;
        bool ok = true;
        if (checkpoint < 0)
        {
            Report(DiagnosticDescriptors.CheckpointInvalid, AttributeArgumentLocation("Checkpoint"), Name, checkpoint);
            ok = false;
        }

        // The scan: a [Symbolic] method of the same type.
        string scanName = _attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        var candidates = _method.ContainingType.GetMembers(scanName).OfType<IMethodSymbol>()
            .Select(m => (Method: m, Attribute: m.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SymbolicAttributeName)))
            .Where(c => c.Attribute is not null).ToList();
        // A scan's destination overload ([Destination]) returns no traces: the gradient is the returning overload's.
        bool WritesDestinations(IMethodSymbol m) => m.Parameters.Any(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "SymGen.DestinationAttribute"));
        if (candidates.Count > 0 && candidates.All(c => WritesDestinations(c.Method)))
        {
            Report(DiagnosticDescriptors.GradientOfDestinationScan, AttributeArgumentLocation(), Name, scanName);
            return null;
        }
        candidates = candidates.Where(c => !WritesDestinations(c.Method)).ToList();
        if (candidates.Count != 1)
        {
            bool named = _method.ContainingType.GetMembers(scanName).OfType<IMethodSymbol>().Any();
            Report(DiagnosticDescriptors.GradientScanNotFound, AttributeArgumentLocation(), Name, scanName, _method.ContainingType.Name,
                candidates.Count > 1 ? $"has {candidates.Count} [Symbolic] overloads of that name"
                : named ? "has no [Symbolic] method of that name (a method of that name is not marked [Symbolic])"
                : "has no method of that name");
            if (candidates.Count == 0 && CloseScanName(scanName) is { } closeName)
                ForTheFix("Scan", closeName);
            return null;
        }
        var (scanMethod, scanAttribute) = candidates[0];
        var scan = ScanParser.ParseReferencedScan(scanMethod, scanAttribute!, _compilation, _cancellation, _loopOptions);

        // The scan's parameters, repeated.
        var parameters = _method.Parameters;
        int inputs = scanMethod.Parameters.Length;
        for (int i = 0; i < inputs; i++)
        {
            var expected = scanMethod.Parameters[i];
            string expectedText = $"'{TypeMapping.Display(expected.Type)} {expected.Name}' (parameter {i + 1} of scan '{scanName}')";
            if (i >= parameters.Length)
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, _syntax.ParameterList.GetLocation(), Name,
                    $"must repeat the parameters of scan '{scanName}', in order", expectedText, $"{parameters.Length} parameter(s)");
                return null;
            }
            var actual = parameters[i];
            if (actual.Name != expected.Name || TypeText(actual.Type) != TypeText(expected.Type) || actual.RefKind != RefKind.None)
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, Where(actual), Name, $"parameter {i + 1} must repeat the scan's parameter",
                    expectedText, $"'{(actual.RefKind == RefKind.Out ? "out " : "")}{TypeMapping.Display(actual.Type)} {actual.Name}'");
                // Only the type is wrong: the fix is the scan's type.
                if (actual.Name == expected.Name && actual.RefKind == RefKind.None)
                    ForTheFix("Expected", TypeText(expected.Type));
                ok = false;
            }
        }
        // The return type: nothing, or the scan's traces.
        bool returnsForward = _method.ReturnType.SpecialType != SpecialType.System_Void;
        if (returnsForward && TypeText(_method.ReturnType) != TypeText(scanMethod.ReturnType))
        {
            Report(DiagnosticDescriptors.GradientParameterMismatch, _syntax.ReturnType.GetLocation(), Name, "returns the wrong type",
                $"'void', or the scan's return type '{TypeMapping.Display(scanMethod.ReturnType)}' (the forward traces too)", $"'{TypeMapping.Display(_method.ReturnType)}'");
            ok = false;
        }
        if (scan is null)
            return null; // the scan's own diagnostics say why

        // [Forward]: the traces of an earlier forward call, one per returned output; the backward loop runs alone.
        int next = inputs;
        var forwardTraces = new List<string>();
        if (next < parameters.Length && IsForward(parameters[next]))
        {
            if (scan.Outputs.Any(o => o.SharedParameter is not null))
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, Where(parameters[next]), Name, $"takes [Forward] traces, but scan '{scanName}' updates shared variables",
                    "no [Forward] parameters (the backward pass needs the shared variables' value at each step, which only its own forward loop has)", $"'{parameters[next].Name}'");
                return null;
            }
            foreach (var output in scan.ReturnedOutputs)
            {
                string expectedText = $"the [Forward] trace of output '{output.Name}', a '{TraceDisplay(output.ElementType)}'";
                if (next >= parameters.Length || !IsForward(parameters[next]) || parameters[next].RefKind != RefKind.None)
                {
                    Report(DiagnosticDescriptors.GradientParameterMismatch, next < parameters.Length ? Where(parameters[next]) : _syntax.ParameterList.GetLocation(), Name,
                        "needs one [Forward] trace per returned output, in output order", expectedText,
                        next < parameters.Length ? $"'{TypeMapping.Display(parameters[next].Type)} {parameters[next].Name}'" : "no more parameters");
                    return null;
                }
                var parameter = parameters[next++];
                if (TypeText(parameter.Type) != TraceType(output.ElementType))
                {
                    Report(DiagnosticDescriptors.GradientParameterMismatch, Where(parameter), Name, $"parameter '{parameter.Name}' has the wrong type",
                        expectedText, $"'{TypeMapping.Display(parameter.Type)}'");
                    ok = false;
                }
                forwardTraces.Add(parameter.Name);
            }
        }
        foreach (var parameter in parameters.Skip(next).Where(IsForward))
        {
            Report(DiagnosticDescriptors.GradientParameterMismatch, Where(parameter), Name, $"marks '{parameter.Name}' [Forward]",
                "the [Forward] traces right after the scan's parameters, one per returned output", $"'{parameter.Name}' after them");
            ok = false;
        }

        // One cotangent per returned floating-point output.
        var cotangents = new List<CotangentInput>();
        for (int o = 0; o < scan.Outputs.Count; o++)
        {
            var output = scan.Outputs[o];
            if (output.SharedParameter is not null) continue;
            if (!Backpropagation.IsDifferentiable(output.ElementType.Element))
            {
                cotangents.Add(new CotangentInput("", false)); // an integer output has no gradient (the reference's rule)
                continue;
            }
            string expected = TraceType(output.ElementType);
            string expectedText = $"the cotangent of output '{output.Name}' (dLoss/d{output.Name}), a '{TraceDisplay(output.ElementType)}'";
            if (next >= parameters.Length || parameters[next].RefKind != RefKind.None)
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, next < parameters.Length ? Where(parameters[next]) : _syntax.ParameterList.GetLocation(), Name,
                    $"needs a parameter after the scan's for each output it returns", expectedText,
                    next < parameters.Length ? $"'out {TypeMapping.Display(parameters[next].Type)} {parameters[next].Name}'" : "no more parameters");
                return null;
            }
            var parameter = parameters[next++];
            // Or a function of the trace, called between the passes, when the loss depends on the outputs.
            bool isFunction = TypeText(parameter.Type) == $"global::System.Func<{expected}, {expected}>";
            if (TypeText(parameter.Type) != expected && !isFunction)
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, Where(parameter), Name, $"parameter '{parameter.Name}' has the wrong type",
                    expectedText + $" or a 'Func<{TraceDisplay(output.ElementType)}, {TraceDisplay(output.ElementType)}>' of the trace", $"'{TypeMapping.Display(parameter.Type)}'");
                ForTheFix("Expected", expected);
                ok = false;
            }
            cotangents.Add(new CotangentInput(parameter.Name, isFunction));
        }

        // What can be asked for, by out-parameter name.
        var available = new List<(string Name, GradientTargetKind Kind, int Index, string Type, ContainerKind Container, TypeRef Element, string Input)>();
        for (int s = 0; s < scan.Sequences.Count; s++)
        {
            var sequence = scan.Sequences[s];
            available.Add(("d" + sequence.Parameter, GradientTargetKind.Sequence, s, TypeText(ParameterType(scanMethod, sequence.Parameter)), sequence.Container, sequence.ElementType, sequence.Parameter));
        }
        for (int o = 0; o < scan.Outputs.Count; o++)
        {
            var output = scan.Outputs[o];
            if (output.SharedParameter is not null || !output.IsRecurrent) continue;
            available.Add(("d" + output.InitialParameter, GradientTargetKind.Initial, o, TypeText(ParameterType(scanMethod, output.InitialParameter!)), output.InitialContainer, output.ElementType, output.InitialParameter!));
        }
        for (int n = 0; n < scan.NonSequences.Count; n++)
        {
            var nonSequence = scan.NonSequences[n];
            string input = nonSequence.SharedParameter ?? nonSequence.Parameter;
            string type = nonSequence.SharedParameter is null ? TypeText(ParameterType(scanMethod, input)) : nonSequence.Type.CSharpName;
            available.Add(("d" + input, GradientTargetKind.NonSequence, n, type, ContainerKind.Single, nonSequence.Type, input));
        }

        var targets = new List<GradientTarget>();
        for (int i = next; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var choices = string.Join(", ", available.Where(a => Backpropagation.IsDifferentiable(a.Element.Element)).Select(a => a.Name));
            if (choices.Length == 0) choices = "(none: the scan has no floating-point input)";
            if (parameter.RefKind != RefKind.Out)
            {
                Report(DiagnosticDescriptors.GradientTargetUnknown, Where(parameter), parameter.Name, Name,
                    "is not an 'out' parameter, and the scan's parameters and one cotangent per returned output come before the gradients", choices);
                ok = false;
                continue;
            }
            var match = available.FindIndex(a => a.Name == parameter.Name);
            if (match < 0)
            {
                Report(DiagnosticDescriptors.GradientTargetUnknown, Where(parameter), parameter.Name, Name,
                    $"names no sequence, initial state or non-sequence of scan '{scanName}'", choices);
                ok = false;
                continue;
            }
            var target = available[match];
            if (!Backpropagation.IsDifferentiable(target.Element.Element))
            {
                Report(DiagnosticDescriptors.GradientOfInteger, Where(parameter), Name, parameter.Name, target.Input, target.Element);
                ok = false;
                continue;
            }
            if (TypeText(parameter.Type) != target.Type)
            {
                Report(DiagnosticDescriptors.GradientParameterMismatch, Where(parameter), Name, $"gradient '{parameter.Name}' has the wrong type",
                    $"the type of '{target.Input}', '{target.Type.Replace("global::", "").Replace("SymGen.", "").Replace("System.", "")}'", $"'{TypeMapping.Display(parameter.Type)}'");
                ForTheFix("Expected", target.Type);
                ok = false;
                continue;
            }
            if (targets.Any(t => t.Parameter == parameter.Name)) continue; // C# reports the duplicate name
            targets.Add(new GradientTarget(target.Kind, target.Index, parameter.Name, target.Type, target.Container, target.Element));
        }
        if (!ok)
            return null;

        // Which step arguments are differentiated: the sequences and non-sequences asked for, and the taps of every
        // returned floating-point recurrent output (the carry from step to step).
        var step = scan.Step;
        var differentiated = step.Arguments.Select(a => Backpropagation.IsDifferentiable(a.Type.Element) && a.Source switch
        {
            StepArgumentSource.SequenceTap => targets.Any(t => t.Kind == GradientTargetKind.Sequence && t.Index == a.Index),
            StepArgumentSource.NonSequence => targets.Any(t => t.Kind == GradientTargetKind.NonSequence && t.Index == a.Index),
            StepArgumentSource.OutputTap => scan.Outputs[a.Index].SharedParameter is null,
            _ => false,
        }).ToArray();
        var backward = BackwardStep.Build(scan, differentiated);

        foreach (var node in backward.NonDifferentiable.Select(n => step.Nodes[n]).GroupBy(n => n.Op).Select(g => g.First()))
        {
            Report(DiagnosticDescriptors.NonDifferentiableOp, _syntax.Identifier.GetLocation(), Name, CSharpLabel(node.Label), OpTable.Get(node.Op).Name, step.MethodName);
            ok = false;
        }
        foreach (var (node, argument) in backward.IntegerCuts)
            Report(DiagnosticDescriptors.GradientThroughInteger, _syntax.Identifier.GetLocation(), Name, CSharpLabel(step.Nodes[node].Label), step.MethodName,
                InputName(scan, step.Arguments[argument]));
        if (!ok)
            return null;

        // The backward loop reads every past value from the traces: no output keeps registers. It and a checkpointed
        // forward (which recomputes segments) compute every product per step: nothing is precomputed before them.
        var plan = LoopPlanner.Plan(backward.Step, scan.Outputs.Select(o => o with { Taps = EquatableArray<int>.Empty }).ToList(), _loopOptions with { Precompute = false, PackWeights = false });
        // Checkpointing saves memory only where the traces are not returned; a while loop's length is not known ahead.
        var checkpointPlan = checkpoint >= 1 && !returnsForward && step.Condition < 0 && forwardTraces.Count == 0
            ? LoopPlanner.Plan(step, scan.Outputs.Select(o => o with { Taps = EquatableArray<int>.Empty }).ToList(), _loopOptions with { Precompute = false, PackWeights = false })
            : null;
        return new GradientSpec(scan, returnsForward, cotangents.ToEquatableArray(), targets.ToEquatableArray(), backward.Step,
            backward.Results.ToEquatableArray(), plan, checkpoint, checkpointPlan, forwardTraces.ToEquatableArray());
    }

    /// <summary>
    /// The one [Symbolic] method of the type whose name is a typo away from <paramref name="name"/> (case, or at most
    /// two edits), or null when none or several are: only an unambiguous name is offered as a fix.
    /// </summary>
    private string? CloseScanName(string name)
    {
        var close = _method.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SymbolicAttributeName))
            .Select(m => m.Name).Distinct()
            .Where(n => EditDistance(n.ToLowerInvariant(), name.ToLowerInvariant()) <= Math.Min(2, Math.Max(n.Length, name.Length) / 3)
                || string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return close.Count == 1 ? close[0] : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static bool IsForward(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "SymGen.ForwardAttribute");

    private static string CSharpLabel(string label) => label.Length <= 60 ? label : label.Substring(0, 57) + "...";

    private static string InputName(ScanSpec scan, StepArgument argument) => argument.Source switch
    {
        StepArgumentSource.SequenceTap => scan.Sequences[argument.Index].Parameter,
        StepArgumentSource.NonSequence => scan.NonSequences[argument.Index].SharedParameter ?? scan.NonSequences[argument.Index].Parameter,
        _ => scan.Outputs[argument.Index].InitialParameter ?? scan.Outputs[argument.Index].Name,
    };

    private static ITypeSymbol ParameterType(IMethodSymbol method, string name) => method.Parameters.First(p => p.Name == name).Type;

    /// <summary>The type of an output's trace: <c>T[]</c>, <c>Mat&lt;T&gt;</c> or <c>Tensor3&lt;T&gt;</c>.</summary>
    internal static string TraceType(TypeRef element) => element.Rank switch
    {
        0 => element.ElementKeyword + "[]",
        _ => (element with { Rank = element.Rank + 1 }).CSharpName,
    };

    private static string TraceDisplay(TypeRef element) => element.Rank == 0 ? element.ElementKeyword + "[]" : (element with { Rank = element.Rank + 1 }).ToString();
}
