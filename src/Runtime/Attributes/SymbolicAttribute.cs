using System;

namespace SymGen;

/// <summary>
/// Declares a scan (Theano's <c>scan</c>): the generator writes the body of this <c>static partial</c> method as a
/// specialised loop that calls the step method's computation once per step.
/// </summary>
/// <remarks>
/// The step method receives, in order: each <see cref="SequenceAttribute"/> parameter's taps (listed order), each
/// recurrent output's taps (output order, listed order), then every other parameter (the non-sequences).
/// The scan method returns one trace array per output, or a tuple of them.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SymbolicAttribute : Attribute
{
    /// <summary>Declares a scan whose step is the static method <paramref name="stepMethod"/> of the same type.</summary>
    public SymbolicAttribute(string stepMethod) => StepMethod = stepMethod;

    /// <summary>The name of the step method (use <c>nameof</c>).</summary>
    public string StepMethod { get; }

    /// <summary>Visit the sequences from their end (Theano's <c>go_backwards</c>); traces stay in iteration order.</summary>
    public bool GoBackwards { get; set; }

    /// <summary>Differentiate only the last <c>k</c> iterations (Theano's <c>truncate_gradient</c>); -1 means all.</summary>
    public int TruncateGradient { get; set; } = -1;

    /// <summary>A name for the scan in printed graphs and error messages; the method name by default.</summary>
    public string? Name { get; set; }
}
