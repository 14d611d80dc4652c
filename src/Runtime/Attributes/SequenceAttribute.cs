using System;

namespace SymGen;

/// <summary>
/// Marks a scan parameter as a sequence, iterated over its first axis. Without arguments the step receives element
/// <c>t</c> (tap 0); with taps it receives one argument per tap, in the listed order: tap <c>k</c> is <c>s[t + k]</c>
/// relative to the earliest step the taps allow (Theano's <c>dict(input=s, taps=[...])</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class SequenceAttribute : Attribute
{
    /// <summary>A sequence read at tap 0.</summary>
    public SequenceAttribute() => Taps = [0];

    /// <summary>A sequence read at each of <paramref name="taps"/>, in this order.</summary>
    public SequenceAttribute(params int[] taps) => Taps = taps;

    /// <summary>The taps, in the order the step receives them.</summary>
    public int[] Taps { get; }
}
