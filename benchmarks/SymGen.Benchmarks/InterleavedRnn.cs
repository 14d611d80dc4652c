using System;
using System.Diagnostics;

namespace SymGen.Benchmarks;

/// <summary>
/// A cross-check for a shared, noisy machine (not a replacement for BenchmarkDotNet): the RnnBenchmarks methods called
/// in turn, hand loop then generated scan on the same data, each call timed, the minimum of many kept (other jobs only
/// ever add time). Run with <c>dotnet run -c Release --project benchmarks/SymGen.Benchmarks -- --interleaved-rnn</c>.
/// </summary>
public static class InterleavedRnn
{
    public static void Run()
    {
        foreach (int hidden in new[] { 32, 128, 512 })
        {
            var b = new RnnBenchmarks { Hidden = hidden };
            b.Setup();
            double hd = double.MaxValue, gd = double.MaxValue, hf = double.MaxValue, gf = double.MaxValue;
            double h5d = double.MaxValue, h5f = double.MaxValue, id = double.MaxValue, @if = double.MaxValue;
            for (int k = 0, reps = hidden == 512 ? 30 : 200; k < reps; k++)
            {
                hd = Math.Min(hd, Time(() => b.HandDouble()));
                h5d = Math.Min(h5d, Time(() => b.Hand512Double()));
                gd = Math.Min(gd, Time(() => b.GeneratedDouble()));
                id = Math.Min(id, Time(() => b.GeneratedIntoDouble()));
                hf = Math.Min(hf, Time(() => b.HandFloat()));
                h5f = Math.Min(h5f, Time(() => b.Hand512Float()));
                gf = Math.Min(gf, Time(() => b.GeneratedFloat()));
                @if = Math.Min(@if, Time(() => b.GeneratedIntoFloat()));
            }
            // The baseline is the faster hand loop (Vector<T> or Vector512 mat-vec).
            double bd = Math.Min(hd, h5d), bf = Math.Min(hf, h5f);
            Console.WriteLine($"H={hidden}: double hand {hd:F3} / {h5d:F3} (512-bit) ms, generated {gd:F3}, into a destination {id:F3} ms, ratios {gd / bd:F2} / {id / bd:F2}" +
                              $" | float hand {hf:F3} / {h5f:F3} ms, generated {gf:F3}, into {@if:F3} ms, ratios {gf / bf:F2} / {@if / bf:F2}");
        }
    }

    /// <summary>The same for GradientBenchmarks' generated forward pass and gradient (<c>--interleaved-gradient</c>).</summary>
    public static void RunGradient()
    {
        foreach (int hidden in new[] { 32, 128 })
        {
            var g = new GradientBenchmarks { Hidden = hidden };
            g.Setup();
            double fd = double.MaxValue, gd = double.MaxValue, ff = double.MaxValue, gf = double.MaxValue;
            for (int k = 0; k < 60; k++)
            {
                fd = Math.Min(fd, Time(() => g.ForwardDouble()));
                gd = Math.Min(gd, Time(() => g.GeneratedGradientDouble()));
                ff = Math.Min(ff, Time(() => g.ForwardFloat()));
                gf = Math.Min(gf, Time(() => g.GeneratedGradientFloat()));
            }
            Console.WriteLine($"H={hidden}: forward double {fd:F3} ms, gradient double {gd:F3} ms | forward float {ff:F3} ms, gradient float {gf:F3} ms");
        }
    }

    private static double Time(Func<object> call)
    {
        long start = Stopwatch.GetTimestamp();
        GC.KeepAlive(call());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
