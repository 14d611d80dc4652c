using System;

namespace SymGen;

/// <summary>
/// Declares the gradient of a scan (a vector-Jacobian product): the generator writes the body of this
/// <c>static partial</c> method as the scan's forward loop followed by a reverse loop (back-propagation through time).
/// </summary>
/// <remarks>
/// Parameters, in order: the scan's parameters (same names and types); one cotangent per returned floating-point
/// output (dLoss/dTrace, the trace's type; a default or empty value means zero); then <c>out</c> parameters named
/// <c>d&lt;Input&gt;</c> for the gradients wanted (sequences, initial states, non-sequences, shared variables read by
/// the step; each of its input's type, for a <c>Shared&lt;T&gt;</c> the <c>T</c>). Returns <c>void</c>, or the scan's
/// return type (then also the forward traces). Shared-variable updates are not applied. See docs/gradients.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GradientAttribute : Attribute
{
    /// <summary>Declares the gradient of the <c>[Symbolic]</c> method <paramref name="scanMethod"/> of the same type.</summary>
    public GradientAttribute(string scanMethod) => ScanMethod = scanMethod;

    /// <summary>The name of the scan method (use <c>nameof</c>).</summary>
    public string ScanMethod { get; }

    /// <summary>
    /// 0 (the default): the forward pass stores every state. Reserved for checkpointing (k &gt;= 1: store every k-th
    /// state and recompute the rest); see docs/gradients.md for what is implemented.
    /// </summary>
    public int Checkpoint { get; set; }
}
