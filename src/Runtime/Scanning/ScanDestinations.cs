using System;
using System.ComponentModel;

namespace SymGen.Scanning;

/// <summary>
/// The checks and copies of scans writing into caller-provided destinations (<see cref="DestinationAttribute"/>).
/// Generated code calls the checks once per call, before the first step, so that a bad destination throws before
/// anything is written: the parameter, what was expected and what was given.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScanDestinations
{
    /// <summary>A destination must hold one row per step (<paramref name="steps"/> is the most a while loop runs).</summary>
    public static void RequireRows(int rows, int steps, string parameter)
    {
        if (rows < steps)
            throw new ArgumentException(
                $"Destination '{parameter}' has {rows} row(s), but the scan runs {steps} step(s): it needs at least {steps} row(s), one per step.", parameter);
    }

    /// <summary>A destination's rows must be the size of one step's value (<paramref name="what"/>: "columns", "rows").</summary>
    public static void RequireRowSize(int given, int expected, string what, string parameter)
    {
        if (given != expected)
            throw new ArgumentException(
                $"Destination '{parameter}' has {given} {what} per step, but the step's value has {expected}: pass a destination with {expected} {what}.", parameter);
    }

    /// <summary>A destination must share no element with an input (it would overwrite it while the scan reads it).</summary>
    public static void RequireNoOverlap<T>(ReadOnlySpan<T> destination, ReadOnlySpan<T> other, string parameter, string otherParameter, bool otherIsDestination)
    {
        if (destination.Overlaps(other))
            throw new ArgumentException(
                $"Destination '{parameter}' overlaps {(otherIsDestination ? "destination" : "input")} '{otherParameter}': the scan would overwrite "
                + (otherIsDestination ? "one trace with another" : "values it still reads") + "; pass memory of its own.", parameter);
    }

    /// <summary>A debugging mode's trace (the interpreter's) checked against its destination; returns its rows.</summary>
    public static int RequireModeTrace<T>(ReadOnlySpan<T> trace, int traceRows, int destinationRows, int rowSize, int destinationRowSize, string what, string parameter)
        where T : struct
    {
        RequireRows(destinationRows, traceRows, parameter);
        if (traceRows > 0)
            RequireRowSize(destinationRowSize, rowSize, what, parameter);
        return traceRows;
    }

    /// <summary>Copies a debugging mode's trace into the first rows of its destination (after every check passed).</summary>
    public static void CopyModeTrace<T>(ReadOnlySpan<T> trace, Span<T> destination) => trace.CopyTo(destination);
}
