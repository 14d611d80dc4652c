using System;
using System.ComponentModel;
using System.Numerics;

namespace SymGen.Scanning;

/// <summary>
/// The traces of while-loop scans (generated code and the interpreter use it): the number of steps is only a
/// maximum, so a trace starts small and doubles as the steps run, then is cut to the steps executed. Memory follows
/// the steps executed, not the maximum; the copies add up to less than twice the final trace.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScanTraces
{
    private const int FirstRows = 16;

    /// <summary>The rows a while loop's traces start with.</summary>
    public static int FirstCapacity(int maxSteps) => Math.Min(maxSteps, FirstRows);

    /// <summary>The rows after <paramref name="capacity"/> is full: twice as many, at most <paramref name="maxSteps"/>.</summary>
    public static int Grow(int capacity, int maxSteps) => (int)Math.Min(2L * Math.Max(capacity, 1), maxSteps);

    /// <summary><paramref name="trace"/> with <paramref name="rows"/> rows, the first ones kept.</summary>
    public static void Resize<T>(ref T[] trace, int rows) => Array.Resize(ref trace, rows);

    /// <inheritdoc cref="Resize{T}(ref T[], int)"/>
    public static void Resize<T>(ref Mat<T> trace, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var resized = Mat<T>.Zeros(rows, trace.Columns);
        trace.Take(Math.Min(rows, trace.Rows)).Span.CopyTo(resized.Span);
        trace = resized;
    }

    /// <inheritdoc cref="Resize{T}(ref T[], int)"/>
    public static void Resize<T>(ref Tensor3<T> trace, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var resized = Tensor3<T>.Zeros(rows, trace.Rows, trace.Columns);
        trace.Take(Math.Min(rows, trace.Length)).Span.CopyTo(resized.Span);
        trace = resized;
    }
}
