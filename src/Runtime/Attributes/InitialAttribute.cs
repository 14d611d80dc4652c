using System;

namespace SymGen;

/// <summary>
/// Marks a scan parameter as the initial state of a recurrent output (Theano's <c>outputs_info</c> entry).
/// Without taps the output is fed back at tap -1 and the parameter is one step's value. With taps (all negative,
/// distinct) the parameter holds <c>m = -min(taps)</c> rows: row 0 is <c>y[-m]</c>, row <c>m-1</c> is <c>y[-1]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class InitialAttribute : Attribute
{
    /// <summary>An initial state fed back at tap -1.</summary>
    public InitialAttribute() => Taps = [-1];

    /// <summary>An initial state fed back at each of <paramref name="taps"/>, in this order.</summary>
    public InitialAttribute(params int[] taps) => Taps = taps;

    /// <summary>The taps, in the order the step receives them.</summary>
    public int[] Taps { get; }

    /// <summary>
    /// The tuple element name of the output this state feeds. Without it, the n-th <c>[Initial]</c> parameter feeds
    /// the n-th output. A scan with a single (non-tuple) output names it after the scan method.
    /// </summary>
    public string? Output { get; set; }
}
