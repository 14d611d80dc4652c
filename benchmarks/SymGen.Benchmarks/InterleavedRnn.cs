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
            for (int k = 0, reps = hidden == 512 ? 30 : 200; k < reps; k++)
            {
                hd = Math.Min(hd, Time(() => b.HandDouble()));
                gd = Math.Min(gd, Time(() => b.GeneratedDouble()));
                hf = Math.Min(hf, Time(() => b.HandFloat()));
                gf = Math.Min(gf, Time(() => b.GeneratedFloat()));
            }
            Console.WriteLine($"H={hidden}: double hand {hd:F3} ms, generated {gd:F3} ms, ratio {gd / hd:F2} | float hand {hf:F3} ms, generated {gf:F3} ms, ratio {gf / hf:F2}");
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
