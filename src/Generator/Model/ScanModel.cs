using System.Linq;
using SymGen.Generator.Planning;
using SymGen.Graph;

namespace SymGen.Generator.Model;

// The value model that leaves the parser: records, strings, enums and equatable arrays only, never an ISymbol,
// SyntaxNode or Compilation, so that an unrelated edit yields an equal model and the emitter stays cached.

/// <summary>What the parser hands on: a model to emit (if the signature allows one) and the diagnostics.</summary>
internal sealed record ScanParseResult(ScanModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A <c>[Symbolic]</c> method: its signature, and its scan when the scan is valid.</summary>
/// <param name="Scan">Null when the scan has errors: the emitter then writes a body that throws, so the user sees
/// SymGen's diagnostics rather than a missing-implementation error.</param>
/// <param name="TakenMemberNames">The names in the containing type that a generated member could clash with (see
/// <see cref="Emitting.GraphWriter.MemberNames"/>): only those, so that adding an unrelated member changes nothing.</param>
/// <param name="DeclarationId">The method's documentation ID, to find it where a failure to write its code is reported.</param>
internal sealed record ScanModel(MethodSignature Signature, ScanSpec? Scan, EquatableArray<string> TakenMemberNames, string DeclarationId);

/// <summary>Everything needed to repeat the partial method's declaration in generated code.</summary>
internal sealed record MethodSignature(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Modifiers,
    string ReturnType,
    string Name,
    EquatableArray<SignatureParameter> Parameters,
    string FileSuffix);

/// <summary>A type enclosing the method, outermost first, e.g. <c>partial class Outer&lt;T&gt;</c>.</summary>
internal sealed record ContainingType(string Keyword, string NameWithTypeParameters);

/// <summary>A parameter as declared: modifiers (<c>params</c>, <c>scoped</c>), fully qualified type and name.</summary>
internal sealed record SignatureParameter(string Modifiers, string Type, string Name);

/// <summary>
/// How a sequence or initial state is passed: one value (<see cref="Single"/>, an initial state of one step), or
/// rows: an array, span or memory of scalars, a <c>Vec</c> (rows are scalars), a <c>Mat</c> (rows are vectors) or a
/// <c>Tensor3</c> (rows are matrices).
/// </summary>
internal enum ContainerKind { Single, Array, Span, ReadOnlySpan, Memory, ReadOnlyMemory, Vec, Mat, Tensor3 }

/// <summary>A scan, fully checked, and the plan of its loop.</summary>
/// <param name="Plan">How the loop computes the step (<see cref="LoopPlanner"/>), made with the generator's <see cref="LoopOptions"/>.</param>
/// <param name="ModeParameter">The method's last parameter of type <c>SymGen.ScanMode</c>, if it declares one.</param>
/// <param name="RoutesModes">Whether the runtime has debugging modes (<c>SymGen.ScanMode</c>): the method then runs
/// through the interpreter on its graph when a mode is on (checked once per call, before the loop).</param>
/// <param name="Destinations">The caller-provided destination of each returned output (<c>[Destination]</c>), in
/// output order, or none: then the scan returns new traces.</param>
/// <param name="ReturnsSteps">A destination scan returning <c>int</c>: the number of steps it ran.</param>
internal sealed record ScanSpec(
    string Name,
    bool GoBackwards,
    int TruncateGradient,
    EquatableArray<SequenceInput> Sequences,
    EquatableArray<ScanOutput> Outputs,
    EquatableArray<NonSequenceInput> NonSequences,
    StepsInput? Steps,
    StepGraph Step,
    bool ReturnsTuple,
    EquatableArray<SizeCheck> SizeChecks,
    string? Cancellation,
    LoopPlan Plan,
    string? ModeParameter = null,
    bool RoutesModes = false,
    EquatableArray<DestinationOutput> Destinations = default,
    bool ReturnsSteps = false)
{
    /// <summary>The outputs the scan returns (the others are shared-variable updates).</summary>
    public System.Collections.Generic.IEnumerable<ScanOutput> ReturnedOutputs => System.Linq.Enumerable.Where(Outputs, o => o.SharedParameter is null);
}

/// <summary>
/// A dimension known only when the scan is called: a C# expression over the scan's parameters (e.g. <c>W.Rows</c>),
/// evaluated once per call, and the parameter it is read from (named by the error when sizes disagree).
/// </summary>
internal sealed record Dim(string Expression, string Parameter)
{
    public override string ToString() => Expression;
}

/// <summary>Two dimensions that must be equal, checked before the first step; <see cref="What"/> says why.</summary>
internal sealed record SizeCheck(Dim First, Dim Second, string What);

/// <summary>A <c>[Sequence]</c> parameter and its taps (listed order).</summary>
internal sealed record SequenceInput(string Parameter, ContainerKind Container, TypeRef ElementType, EquatableArray<int> Taps)
{
    /// <summary>Theano's <c>mintap_proxy</c>: tap 0 is always an anchor.</summary>
    public int LowestTap => System.Math.Min(0, Taps.Min());

    /// <summary>Theano's <c>maxtap_proxy</c>.</summary>
    public int HighestTap => System.Math.Max(0, Taps.Max());

    /// <summary>Elements a sequence has beyond the steps it provides.</summary>
    public int TapSpan => HighestTap - LowestTap;
}

/// <summary>
/// One output of the scan. A map output (Theano's nit_sot) has no taps and no initial state; a recurrent output
/// (sit_sot / mit_sot) reads its own past values at <see cref="Taps"/>, seeded from <see cref="InitialParameter"/>.
/// </summary>
/// <param name="Shape">The dimensions of one step's value (empty for scalars).</param>
/// <param name="SharedParameter">For the update of a shared variable (Theano turns those into recurrent states too):
/// the <c>Shared&lt;T&gt;</c> parameter; its value, read when the scan is called, is the local named by
/// <paramref name="InitialParameter"/>. Such an output is not returned: its final value is written back.</param>
internal sealed record ScanOutput(
    string Name,
    TypeRef ElementType,
    EquatableArray<int> Taps,
    string? InitialParameter,
    ContainerKind InitialContainer,
    EquatableArray<Dim> Shape,
    string? SharedParameter = null)
{
    public bool IsRecurrent => InitialParameter is not null;

    /// <summary>How many past values the state keeps: <c>m = -min(taps)</c>.</summary>
    public int Depth => Taps.Count == 0 ? 0 : -Taps.Min();
}

/// <summary>A parameter passed unchanged to every step.</summary>
/// <param name="Parameter">The value's name in generated code: the parameter, or for a shared variable the local
/// holding the value read when the scan is called.</param>
/// <param name="SharedParameter">The <c>Shared&lt;T&gt;</c> parameter read into <paramref name="Parameter"/>, if any.</param>
internal sealed record NonSequenceInput(string Parameter, TypeRef Type, string? SharedParameter = null);

/// <summary>The <c>[Steps]</c> parameter (Theano's <c>n_steps</c>).</summary>
internal sealed record StepsInput(string Parameter, TypeRef Type);

/// <summary>Where a step argument comes from.</summary>
/// <remarks>A backward step (a gradient's reverse loop) also reads <see cref="StoredOutput"/>, the forward value of an
/// output at step t from its trace, and <see cref="Cotangent"/>, the gradient flowing into an output's value at t.</remarks>
internal enum StepArgumentSource { SequenceTap, OutputTap, NonSequence, StoredOutput, Cotangent }

/// <summary>
/// One parameter of the step method and what the scan passes to it. A step graph lists its arguments in the graph's
/// one order (the runtime's <c>Tensor.Scan</c> order): sequence taps, returned outputs' taps, updated shared
/// variables' values, non-sequences; <paramref name="Parameter"/> is where the step method declares it.
/// </summary>
/// <param name="Index">Index into the scan's sequences, outputs or non-sequences.</param>
/// <param name="Parameter">The step method's parameter it is (its position).</param>
internal sealed record StepArgument(string Name, TypeRef Type, StepArgumentSource Source, int Index, int Tap, EquatableArray<Dim> Shape, int Parameter);

/// <summary>
/// The step method's body as a graph (SSA form): each node computes one op of the op table from earlier nodes.
/// <see cref="Results"/> holds the node of each output, in output order.
/// </summary>
/// <param name="Condition">The node of the stop condition (Theano's <c>until</c>), or -1.</param>
internal sealed record StepGraph(
    string MethodName,
    EquatableArray<StepArgument> Arguments,
    EquatableArray<StepNode> Nodes,
    EquatableArray<int> Results,
    int Condition);

/// <summary>A node of the step graph.</summary>
/// <param name="Literal">For <see cref="Op.Constant"/>: the value as a C# literal; for <see cref="Op.Print"/>: its label.</param>
/// <param name="Argument">For <see cref="Op.Input"/>: the index of the step argument.</param>
/// <param name="Label">The C# source it was translated from, for comments and printed graphs.</param>
/// <param name="Axis">For reductions: -1 for all elements, else the axis reduced.</param>
/// <param name="Shape">The node's dimensions, one per rank.</param>
internal sealed record StepNode(int Id, Op Op, TypeRef Type, EquatableArray<int> Inputs, string? Literal, int Argument, string Label,
    int Axis, EquatableArray<Dim> Shape);
