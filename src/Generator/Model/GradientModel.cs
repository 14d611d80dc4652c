using SymGen.Generator.Planning;

namespace SymGen.Generator.Model;

// The value model of a [Gradient] method: like ScanModel, records and equatable arrays only.

/// <summary>What the gradient parser hands on: a model to emit (if the signature allows one) and the diagnostics.</summary>
internal sealed record GradientParseResult(GradientModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A <c>[Gradient]</c> method: its signature, and its gradient when the request and its scan are valid.</summary>
/// <param name="Gradient">Null when the request or the scan has errors: the emitter writes a body that throws.</param>
/// <param name="TakenMemberNames">Names in the containing type a generated member could clash with (see ScanParser).</param>
internal sealed record GradientModel(MethodSignature Signature, GradientSpec? Gradient, string DeclarationId, EquatableArray<string> TakenMemberNames = default);

/// <summary>
/// A valid gradient request: the forward scan (its loop runs first, storing its traces), the reverse loop's step graph
/// (built from the forward step by the derivative rules) and its plan, and where each backward result is accumulated.
/// </summary>
/// <param name="Scan">The forward scan, as its own method generates it.</param>
/// <param name="ReturnsForward">The gradient method returns the scan's traces too.</param>
/// <param name="Cotangents">The cotangent parameter of each returned output, by output index ("": an integer
/// output, which takes none).</param>
/// <param name="Targets">The gradients asked for (the out parameters), in declaration order.</param>
/// <param name="Backward">The backward step: its arguments are the forward step's arguments (same order), then
/// <see cref="StepArgumentSource.StoredOutput"/> and <see cref="StepArgumentSource.Cotangent"/> arguments; its results
/// are the gradients of forward step arguments (<see cref="Results"/> says which).</param>
/// <param name="Results">Per gradient the backward step computes: what it is added into.</param>
/// <param name="Plan">The backward loop's plan (<see cref="LoopPlanner"/>, as the forward loop's).</param>
/// <param name="Checkpoint">The attribute's Checkpoint (0: store every state).</param>
/// <param name="CheckpointPlan">For a checkpointed gradient (Checkpoint = k >= 1, a void gradient of a scan without
/// until): the forward loop's plan without registers (every past value read from the segment buffers); else null, and
/// every state is stored.</param>
/// <param name="ForwardTraces">The [Forward] parameters, one per returned output (the traces of an earlier call: the
/// forward loop is not run); empty when the gradient runs the forward loop itself.</param>
internal sealed record GradientSpec(
    ScanSpec Scan,
    bool ReturnsForward,
    EquatableArray<CotangentInput> Cotangents,
    EquatableArray<GradientTarget> Targets,
    StepGraph Backward,
    EquatableArray<BackwardResult> Results,
    LoopPlan Plan,
    int Checkpoint,
    LoopPlan? CheckpointPlan,
    EquatableArray<string> ForwardTraces);

/// <summary>
/// The cotangent of a returned output: its parameter (empty for an integer output, which takes none), and whether it
/// is a function called with the forward trace between the passes (a loss that depends on the outputs).
/// </summary>
internal sealed record CotangentInput(string Parameter, bool IsFunction);

/// <summary>What a gradient is taken with respect to.</summary>
internal enum GradientTargetKind { Sequence, Initial, NonSequence }

/// <summary>An out parameter <c>d&lt;Input&gt;</c>: the input (a sequence, an output's initial state, a non-sequence) and how it is passed.</summary>
/// <param name="Index">Into the scan's sequences, outputs or non-sequences.</param>
/// <param name="Type">The out parameter's type, fully qualified.</param>
/// <param name="Container">How the value is held (for a non-sequence: Single).</param>
/// <param name="Element">The element type of one row (sequences, initial states with rows) or of the value.</param>
internal sealed record GradientTarget(GradientTargetKind Kind, int Index, string Parameter, string Type, ContainerKind Container, TypeRef Element);

/// <summary>
/// One gradient the backward step computes per step, and where it goes: a sequence tap's row of dSequence, an output
/// tap's cotangent of an earlier step (the recurrent carry), or a non-sequence's sum over steps.
/// </summary>
/// <param name="Result">Index into the backward step's results.</param>
/// <param name="Source">The forward step argument's source.</param>
/// <param name="Index">Its sequence, output or non-sequence.</param>
/// <param name="Tap">Its tap (sequences and outputs).</param>
/// <param name="SecondResult">A non-sequence's matrix gradient that is an outer product of two per-step vectors
/// (<see cref="Result"/> and this result): both are stored as rows and summed over all steps as one matrix product
/// after the loop; else -1.</param>
internal sealed record BackwardResult(int Result, StepArgumentSource Source, int Index, int Tap, int SecondResult = -1);
