using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SymGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic SymGen reports. IDs are never reused; each has a help page under docs/diagnostics and a line in
/// AnalyzerReleases.*.md. Messages name the symbol, say what was expected and what was found.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Usage = "SymGen.Usage";
    private const string StepBody = "SymGen.StepBody";

    private static DiagnosticDescriptor Error(string id, string title, string message, string category = Usage) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: $"https://github.com/symgen/symgen/blob/main/docs/diagnostics/{id}.md");

    public static readonly DiagnosticDescriptor ScanMethodNotStaticPartial = Error("SYMG0001",
        "A scan or gradient method must be static partial in a partial type",
        "{0} '{1}' {2}; declare it 'static partial' (without a body) inside partial types");

    public static readonly DiagnosticDescriptor StepMethodNotFound = Error("SYMG0002",
        "Step method not found",
        "Scan '{0}' names step method '{1}', but type '{2}' has no method of that name; declare a static step method in the same type");

    public static readonly DiagnosticDescriptor StepMethodAmbiguous = Error("SYMG0003",
        "Step method is ambiguous",
        "Scan '{0}' names step method '{1}', which has {2} overloads; give the step method a name of its own");

    public static readonly DiagnosticDescriptor StepMethodUnsupported = Error("SYMG0004",
        "Step method cannot be translated",
        "Step method '{0}' {1}");

    public static readonly DiagnosticDescriptor StepParameterCount = Error("SYMG0005",
        "Step parameter count does not match the scan",
        "Step method '{0}' takes {1} parameter(s), but scan '{2}' passes {3}, in this order: {4}");

    public static readonly DiagnosticDescriptor StepParameterType = Error("SYMG0006",
        "Step parameter type does not match the scan",
        "Parameter '{0}' of step method '{1}' receives {2} of type '{3}', but is declared '{4}'");

    public static readonly DiagnosticDescriptor StepReturnType = Error("SYMG0007",
        "Step return type does not match the scan's outputs",
        "Step method '{0}' returns '{1}' ({2}), but scan '{3}' needs '{4}': {5}");

    public static readonly DiagnosticDescriptor InitialTooShallow = Error("SYMG0008",
        "Initial state cannot satisfy its taps",
        "Initial state '{0}' is a single value, but its taps [{1}] read {2} past values; pass {2} rows (row 0 is y[-{2}]): a span or array of scalars, a Mat<T> of vectors or a Tensor3<T> of matrices");

    public static readonly DiagnosticDescriptor OutputTapNotNegative = Error("SYMG0009",
        "Output taps must be negative",
        "Initial state '{0}' lists tap {1}; an output can only read earlier steps, so its taps must be negative (e.g. -1)");

    public static readonly DiagnosticDescriptor DuplicateOutputTap = Error("SYMG0010",
        "Output taps must be different",
        "Initial state '{0}' lists tap {1} more than once; list each tap once");

    public static readonly DiagnosticDescriptor EmptyTapList = Error("SYMG0011",
        "Empty tap list",
        "[{0}] on '{1}' has an empty tap list; remove the empty array for the default tap ({2}) or list at least one tap");

    public static readonly DiagnosticDescriptor NoStepCount = Error("SYMG0012",
        "The number of steps is unknown",
        "Scan '{0}' has no [Sequence] parameter and no [Steps] parameter, so its number of steps is unknown; add an 'int' parameter marked [Steps]");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("SYMG0013",
        "Unsupported construct in a step method",
        "Step method '{0}' uses {1} '{2}', which SymGen cannot translate into a scan graph; {3}", StepBody);

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error("SYMG0014",
        "Unsupported scan parameter type",
        "Parameter '{0}' of scan '{1}' is {2} of type '{3}'; it must be {4}");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("SYMG0015",
        "Unsupported scan return type",
        "Scan '{0}' returns '{1}'; a scan returns one trace ('double[]' for scalar steps, 'Mat<double>' for vectors, 'Tensor3<double>' for matrices), a tuple of traces (e.g. '(double[] h, double[] y)'), or void when it only updates shared variables");

    public static readonly DiagnosticDescriptor StepsParameterNotInteger = Error("SYMG0016",
        "The number of steps must be an integer",
        "[Steps] parameter '{0}' has type '{1}'; the number of steps must be 'int' or 'long'");

    public static readonly DiagnosticDescriptor MultipleStepsParameters = Error("SYMG0017",
        "More than one [Steps] parameter",
        "Scan '{0}' marks both '{1}' and '{2}' with [Steps]; a scan has one number of steps");

    public static readonly DiagnosticDescriptor InitialOutputBinding = Error("SYMG0018",
        "Initial state does not match an output",
        "Initial state '{0}' {1}");

    public static readonly DiagnosticDescriptor ConflictingParameterRoles = Error("SYMG0019",
        "A parameter has more than one role",
        "Parameter '{0}' is marked both [{1}] and [{2}]; a scan parameter is a sequence, an initial state, the number of steps, an updated shared variable or a non-sequence");

    public static readonly DiagnosticDescriptor UnsupportedScanMethodShape = Error("SYMG0020",
        "Unsupported scan or gradient method",
        "{0} '{1}' {2}");

    public static readonly DiagnosticDescriptor InitialTypeMismatch = Error("SYMG0021",
        "Initial state type does not match its output",
        "Initial state '{0}' holds '{1}', but output '{2}' holds '{3}'; a recurrent output keeps one element type (convert the initial state)");

    public static readonly DiagnosticDescriptor RankMismatch = Error("SYMG0023",
        "Initial state rank does not match its output",
        "Initial state '{0}' is a '{1}' ({2}), but output '{3}' holds '{4}' values (a {5} each step); pass one step's value, or rows of them for taps deeper than -1");

    public static readonly DiagnosticDescriptor ConditionNotLast = Error("SYMG0024",
        "The stop condition must come last",
        "Step method '{0}' returns an Until as element {1} of {2}; the stop condition goes last, after the outputs and the updates (Theano's order)");

    public static readonly DiagnosticDescriptor UpdateOfNonShared = Error("SYMG0025",
        "Only a shared variable can be updated",
        "Parameter '{0}' of scan '{1}' is marked [Update] but is a '{2}'; only a 'Shared<T>' can be updated (pass state that changes from step to step as an [Initial])");

    public static readonly DiagnosticDescriptor TapSpanTooLarge = Error("SYMG0026",
        "Taps span more steps than an array can hold",
        "[{0}] on '{1}' has taps [{2}], which span {3} steps (from {4} to {5}, tap 0 included); the span can be at most {6} (Array.MaxLength), as the rows the taps read must fit in one array");

    public static readonly DiagnosticDescriptor NamespaceHiddenByType = Error("SYMG0027",
        "A type hides a namespace the generated code uses",
        "{0} '{1}' cannot be generated: a type named '{2}' in the global namespace hides the namespace 'global::{2}', which generated code uses; rename that type or move it into a namespace");

    public static readonly DiagnosticDescriptor GraphPropertyNameTaken = Warning("SYMG0030",
        "The graph property's name is taken",
        "Scan '{0}' gets no graph property '{1}', because type '{2}' already has a member of that name; rename that member to get the scan's graph");

    public static readonly DiagnosticDescriptor TruncateGradientInvalid = Error("SYMG0031",
        "TruncateGradient must be -1 or positive",
        "Scan '{0}' sets TruncateGradient = {1}; it must be -1 (differentiate through every step) or a number of steps k >= 1 (only the last k)");

    public static readonly DiagnosticDescriptor StepParameterNamedLikeOtherRole = Warning("SYMG0032",
        "A step parameter is named like a scan parameter it does not receive",
        "Parameter '{0}' of step method '{1}' receives {2}, but scan '{3}' passes its parameter '{0}' as step parameter {4} ('{5}'); the step receives values by position, not by name: reorder the step's parameters or rename one");

    public static readonly DiagnosticDescriptor GradientScanNotFound = Error("SYMG0033",
        "Gradient of a scan that does not exist",
        "Gradient '{0}' names scan method '{1}', but type '{2}' {3}; name a [Symbolic] method of the same type (use nameof)");

    public static readonly DiagnosticDescriptor GradientParameterMismatch = Error("SYMG0034",
        "Gradient parameter does not match its scan",
        "Gradient '{0}' {1}: expected {2}, found {3}");

    public static readonly DiagnosticDescriptor GradientTargetUnknown = Error("SYMG0035",
        "Gradient asked for something that is not a differentiable input",
        "Out parameter '{0}' of gradient '{1}' {2}; gradients are out parameters named d<Input>, one of: {3}");

    public static readonly DiagnosticDescriptor GradientOfInteger = Error("SYMG0036",
        "Gradient of an integer input",
        "Gradient '{0}' asks for '{1}', the gradient of '{2}', which holds '{3}'; gradients may never be integers: remove the parameter, or make the input floating-point");

    public static readonly DiagnosticDescriptor CheckpointInvalid = Error("SYMG0037",
        "Checkpoint must be 0 or positive",
        "Gradient '{0}' sets Checkpoint = {1}; it must be 0 (store every state) or a number of steps k >= 1 (store every k-th state, recompute the rest)");

    public static readonly DiagnosticDescriptor NonDifferentiableOp = Error("SYMG0038",
        "A non-differentiable op is on the gradient's path",
        "Gradient '{0}' must differentiate '{1}' ({2}) in step method '{3}', but {2} has no derivative; compute the value another way, or do not ask for the gradients that flow through it");

    public static readonly DiagnosticDescriptor GradientThroughInteger = Warning("SYMG0039",
        "A gradient path goes through an integer value",
        "Gradient '{0}': '{1}' in step method '{2}' is an integer value between '{3}' and the outputs; no gradient flows through an integer, so that path contributes 0 to 'd{3}'");

    public static readonly DiagnosticDescriptor UnusedPrint = Error("SYMG0040",
        "A print's value reaches no result",
        "Step method '{0}' prints '{1}', but no output or stop condition uses the value it returns, so it would never print; use the returned value in place of the printed one (Print returns it unchanged), as in Theano");

    public static readonly DiagnosticDescriptor DestinationTypeInvalid = Error("SYMG0041",
        "A destination cannot hold its output's trace",
        "Destination '{0}' of scan '{1}' is a '{2}'; {3}");

    public static readonly DiagnosticDescriptor DestinationReturnType = Error("SYMG0042",
        "A scan writing into destinations returns void or int",
        "Scan '{0}' writes its traces into [Destination] parameters, so it returns 'void' or 'int' (the number of steps run), not '{1}'");

    public static readonly DiagnosticDescriptor GradientOfDestinationScan = Error("SYMG0043",
        "A gradient names a scan that writes into destinations",
        "Gradient '{0}' names scan '{1}', which writes into [Destination] parameters; a gradient needs the traces the scan returns: declare the overload that returns them (without [Destination]) and the gradient uses it");

    public static readonly DiagnosticDescriptor InternalError = Error("SYMG0022",
        "SymGen failed unexpectedly",
        "SymGen failed on '{0}': {1}; please report this with the code that causes it");

    private static DiagnosticDescriptor Warning(string id, string title, string message, string category = Usage) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            helpLinkUri: $"https://github.com/symgen/symgen/blob/main/docs/diagnostics/{id}.md");

    /// <summary>All descriptors, by ID.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById =
        typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToDictionary(d => d.Id);
}
