using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace SymGen.Scanning;

/// <summary>
/// The argument checks of generated scans. Generated code calls these once per call, before the first step, so
/// every scan reports bad input with the same wording: the parameter, what was expected and what was given.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScanArguments
{
    /// <summary>Number of steps a sequence of <paramref name="length"/> elements provides for taps spanning <paramref name="tapSpan"/>.</summary>
    public static int StepsProvided(int length, int tapSpan) => (int)Math.Max(0L, (long)length - tapSpan);

    /// <summary>Validates a requested number of steps (Theano's <c>n_steps</c>) and returns it as an <c>int</c>.</summary>
    public static int RequireSteps(long steps, string parameter)
    {
        if (steps < 0)
            throw new ArgumentOutOfRangeException(parameter, steps,
                $"The number of steps '{parameter}' must be zero or more; it was {steps}.");
        if (steps > Array.MaxLength)
            throw new ArgumentOutOfRangeException(parameter, steps,
                $"The number of steps '{parameter}' must be at most {Array.MaxLength} (the largest trace an array can hold); it was {steps}.");
        return (int)steps;
    }

    /// <summary>Throws unless a sequence provides at least <paramref name="steps"/> steps.</summary>
    public static void RequireSequenceSteps(int length, int tapSpan, string taps, int steps, string parameter, string stepsParameter)
    {
        int provided = StepsProvided(length, tapSpan);
        if (provided < steps)
            ThrowSequenceTooShort(length, taps, provided, steps, parameter, stepsParameter);
    }

    /// <summary>Throws unless an initial state holds the <paramref name="rowsRequired"/> rows its taps read.</summary>
    public static void RequireInitialRows(int length, int rowsRequired, string taps, string parameter)
    {
        if (length < rowsRequired)
            throw new ArgumentException(
                $"Initial state '{parameter}' has {length} row(s), but its taps [{taps}] need {rowsRequired}: " +
                $"row 0 is y[-{rowsRequired}] and row {rowsRequired - 1} is y[-1].", parameter);
    }

    /// <summary>Throws unless two sizes the step's shapes tie together are equal.</summary>
    public static void RequireSameSize(int first, int second, string firstText, string secondText, string what, string parameter)
    {
        if (first != second)
            throw new ArgumentException($"{firstText} is {first} but {secondText} is {second}; they must be equal ({what}).", parameter);
    }

    /// <summary>Throws if two [Update] parameters are one shared variable: a step updates each variable once.</summary>
    public static void RequireDistinct(SharedVariable first, SharedVariable second, string firstParameter, string secondParameter)
    {
        if (ReferenceEquals(first, second))
            throw new ArgumentException(
                $"'{firstParameter}' and '{secondParameter}' are the same shared variable '{first.Name}'; each step would update it twice. Pass distinct shared variables.",
                secondParameter);
    }

    [DoesNotReturn]
    private static void ThrowSequenceTooShort(int length, string taps, int provided, int steps, string parameter, string stepsParameter) =>
        throw new ArgumentException(
            $"Sequence '{parameter}' has {length} element(s); with taps [{taps}] it provides {provided} step(s), " +
            $"but '{stepsParameter}' asks for {steps}.", parameter);
}
