using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SymGen;

/// <summary>One node's measurements: how many times it ran (once per step in a scan) and for how long in all.</summary>
public sealed record NodeProfile(NodeInfo Node, long Calls, TimeSpan Time);

/// <summary>One scan's measurements: how many times it ran, its steps in all, and its time (its loop and checks).</summary>
public sealed record ScanProfile(string Scan, long Calls, long Steps, TimeSpan Time);

/// <summary>
/// What <see cref="ScanMode.Profile()"/> measured (Theano's <c>profile=True</c>): per node and per scan, counts and
/// times (Stopwatch ticks), as data and as a table (<see cref="ToString"/>) sorted by time, longest first.
/// </summary>
public sealed class Profile
{
    internal Profile(long calls, TimeSpan total, IReadOnlyList<NodeProfile> nodes, IReadOnlyList<ScanProfile> scans)
    {
        Calls = calls;
        Total = total;
        Nodes = nodes.OrderByDescending(n => n.Time).ThenBy(n => n.Node.Id).ToList();
        Scans = scans.OrderByDescending(s => s.Time).ThenBy(s => s.Scan, StringComparer.Ordinal).ToList();
    }

    /// <summary>How many calls were profiled.</summary>
    public long Calls { get; }
    /// <summary>The calls' time in all (the interpreter's run, arguments to results).</summary>
    public TimeSpan Total { get; }
    /// <summary>Every node that ran, longest first.</summary>
    public IReadOnlyList<NodeProfile> Nodes { get; }
    /// <summary>Every scan that ran, longest first.</summary>
    public IReadOnlyList<ScanProfile> Scans { get; }

    internal static TimeSpan Time(long ticks) => TimeSpan.FromTicks((long)(ticks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

    /// <summary>This profile and <paramref name="other"/>'s together (the same nodes and scans added up).</summary>
    internal Profile Plus(Profile other)
    {
        var nodes = Nodes.Concat(other.Nodes).GroupBy(n => n.Node.Id)
            .Select(g => new NodeProfile(g.First().Node, g.Sum(n => n.Calls), TimeSpan.FromTicks(g.Sum(n => n.Time.Ticks)))).ToList();
        var scans = Scans.Concat(other.Scans).GroupBy(s => s.Scan)
            .Select(g => new ScanProfile(g.Key, g.Sum(s => s.Calls), g.Sum(s => s.Steps), TimeSpan.FromTicks(g.Sum(s => s.Time.Ticks)))).ToList();
        return new Profile(Calls + other.Calls, Total + other.Total, nodes, scans);
    }

    /// <summary>The measurements as two tables (scans, then nodes), longest first, with each one's share of the total.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);
        string Share(TimeSpan t) => Total.Ticks == 0 ? "-" : (100.0 * t.Ticks / Total.Ticks).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        text.Append(CultureInfo.InvariantCulture, $"Profile: {Calls} call(s), {Ms(Total)} ms").AppendLine();
        text.AppendLine("Scans:").AppendLine($"  {"time (ms)",10}  {"share",6}  {"calls",7}  {"steps",9}  scan");
        foreach (var s in Scans)
            text.Append(CultureInfo.InvariantCulture, $"  {Ms(s.Time),10}  {Share(s.Time),6}  {s.Calls,7}  {s.Steps,9}  {s.Scan}").AppendLine();
        text.AppendLine("Nodes:").AppendLine($"  {"time (ms)",10}  {"share",6}  {"calls",9}  node");
        foreach (var n in Nodes)
            text.Append(CultureInfo.InvariantCulture, $"  {Ms(n.Time),10}  {Share(n.Time),6}  {n.Calls,9}  {n.Node}{(n.Node.Scan is { } scan ? $" (scan '{scan}')" : "")}").AppendLine();
        return text.ToString();
    }
}
