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
    /// <summary>
    /// Number of steps a sequence provides: its length less the span of its taps. A sequence shorter than the span
    /// cannot be read by a single step and throws; one exactly as long provides zero steps (as in the reference).
    /// </summary>
    public static int StepsProvided(int length, int tapSpan, string taps, string parameter)
    {
        if (length < tapSpan)
            throw new ArgumentException(
                $"Sequence '{parameter}' has {length} element(s), but its taps [{taps}] span {tapSpan}: it needs at least {tapSpan} " +
                $"element(s) ({tapSpan} + n for n steps).", parameter);
        return length - tapSpan;
    }

    /// <summary>
    /// A gradient's cotangent of an output (dLoss/dTrace): empty (zero), or one row of <paramref name="width"/>
    /// elements per executed step, as the trace has.
    /// </summary>
    public static void RequireCotangent(int length, int steps, int width, string parameter, string output)
    {
        if (length != 0 && (long)steps * width != length)
            throw new ArgumentException(
                $"Cotangent '{parameter}' of output '{output}' has {length} element(s), but the trace has {steps} row(s) of {width}: " +
                $"pass {(long)steps * width} element(s) (one row per executed step), or an empty value for a zero cotangent.", parameter);
    }

    /// <summary>
    /// A [Forward] trace given to a gradient: <paramref name="required"/> rows of <paramref name="width"/> elements
    /// (for a while loop, -1 for the first trace: any number of rows up to <paramref name="steps"/>). Returns its rows.
    /// </summary>
    public static int RequireForwardTrace(int length, int steps, int width, int required, string parameter, string output)
    {
        int rows = width == 0 ? required : length / width;
        if (width != 0 && length % width != 0 || required >= 0 && rows != required || rows > steps)
            throw new ArgumentException(
                $"Forward trace '{parameter}' of output '{output}' has {length} element(s); it must be the trace an earlier call of the scan " +
                $"returned for these arguments: {(required >= 0 ? $"{required}" : $"at most {steps}")} row(s) of {width}.", parameter);
        return rows;
    }

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

    /// <summary>
    /// Throws unless a trace of <paramref name="steps"/> rows of <paramref name="rowLength"/> elements fits an array;
    /// <paramref name="parameter"/> is what decides the number of steps (the [Steps] parameter, else a sequence).
    /// </summary>
    public static void RequireTraceFits(int steps, long rowLength, string parameter)
    {
        if (steps * rowLength > Array.MaxLength)
            throw new ArgumentOutOfRangeException(parameter, steps,
                $"A trace of {steps} step(s) of {rowLength} element(s) each does not fit an array (at most {Array.MaxLength} elements); " +
                $"'{parameter}' asks for too many steps.");
    }

    /// <summary>Throws unless a sequence provides at least <paramref name="steps"/> steps.</summary>
    public static void RequireSequenceSteps(int length, int tapSpan, string taps, int steps, string parameter, string stepsParameter)
    {
        int provided = StepsProvided(length, tapSpan, taps, parameter);
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

    /// <summary>
    /// Throws unless two sizes the step's shapes tie together are equal. The error names the established size first
    /// and blames the compared one's parameter, unless the established one is empty and the other not: an empty or
    /// default tensor is far more likely the mistake than a size that fits the rest of the step.
    /// </summary>
    public static void RequireSameSize(int established, int compared, string establishedText, string comparedText, string what,
        string establishedParameter, string comparedParameter)
    {
        if (established != compared)
            throw new ArgumentException(
                $"{establishedText} is {established} but {comparedText} is {compared}; they must be equal ({what}).",
                established == 0 ? establishedParameter : comparedParameter);
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
    /// <summary>
    /// A result of a scan's graph run under a debugging mode, as the generated method returns it: a vector trace of
    /// scalars (the interpreter's <see cref="Vec{T}"/>) as the method's array, any other trace as it is.
    /// </summary>
    public static TTrace ModeResult<TTrace>(object result) => result switch
    {
        TTrace trace => trace,
        Vec<double> v when typeof(TTrace) == typeof(double[]) => (TTrace)(object)v.ToArray(),
        Vec<float> v when typeof(TTrace) == typeof(float[]) => (TTrace)(object)v.ToArray(),
        _ => throw new InvalidOperationException($"The scan's graph gave a {result?.GetType().Name ?? "null"} where the method returns a {typeof(TTrace).Name}."),
    };
}
