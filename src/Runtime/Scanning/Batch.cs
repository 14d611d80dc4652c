using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace SymGen;

/// <summary>
/// Runs one scan over many independent inputs, spread across cores. Each input is a separate call, so the results
/// are exactly those of calling the scan one input at a time, in input order.
/// </summary>
public static class Batch
{
    /// <summary>
    /// <paramref name="scan"/> applied to every input, on up to <paramref name="maxDegreeOfParallelism"/> threads
    /// (-1: all cores). Inputs are handed out in contiguous ranges, so each thread walks its own part of memory.
    /// </summary>
    public static TResult[] Run<TInput, TResult>(IReadOnlyList<TInput> inputs, Func<TInput, TResult> scan, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(scan);
        if (maxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for all cores, or a positive number of threads.");
        var results = new TResult[inputs.Count];
        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        int chunk = Math.Max(1, (inputs.Count + threads * 4 - 1) / (threads * 4));
        Parallel.For(0, (inputs.Count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, block =>
        {
            int end = Math.Min(inputs.Count, (block + 1) * chunk);
            for (int i = block * chunk; i < end; i++)
                results[i] = scan(inputs[i]);
        });
        return results;
    }
}
