using System;
using System.Threading;

namespace SymGen;

/// <summary>A hook called before or after a node runs (see <see cref="ScanMode.Monitor"/>); throwing stops the run.</summary>
public delegate void NodeHook(in NodeEvent e);

/// <summary>
/// How a scan or a function runs while debugging it (Theano's modes): with hooks around every node
/// (<see cref="Monitor"/>), checked against an independent evaluation (<see cref="Debug"/>), stopped at the first
/// NaN or infinity (<see cref="NanGuard"/>), or timed (<see cref="Profile()"/>). Every mode runs the compiled
/// interpreter with hooks; with no mode (<c>null</c>, the default) a call takes the fast path, which the modes
/// leave untouched. Combine modes with <c>|</c>. Choose one per call (<see cref="Graph.Function.Invoke(ScanMode, object[])"/>,
/// a <c>[Symbolic]</c> method's last <c>ScanMode</c> parameter) or for a scope (<see cref="Use"/>).
/// </summary>
public sealed class ScanMode
{
    private static readonly AsyncLocal<ScanMode?> Ambient = new();
    private readonly object _profiling = new();
    private SymGen.Profile? _profile;

    private ScanMode(NodeHook? before, NodeHook? after, bool debug, bool nanGuard, bool profiles)
    {
        Before = before;
        After = after;
        ChecksAgainstReference = debug;
        GuardsNaN = nanGuard;
        Profiles = profiles;
    }

    internal NodeHook? Before { get; }
    internal NodeHook? After { get; }
    internal bool ChecksAgainstReference { get; }
    internal bool GuardsNaN { get; }
    internal bool Profiles { get; }
    /// <summary>For Debug beside a generated loop: the generated code's values of this call (see <see cref="Beside"/>).</summary>
    internal Scanning.GeneratedValues? Generated { get; private init; }
    // The mode a call's derived mode stands for: its profiles are recorded there.
    private ScanMode? _owner;

    /// <summary>This mode for one call of a generated scan, comparing the interpreter's nodes with <paramref name="generated"/>.</summary>
    internal ScanMode Beside(Scanning.GeneratedValues generated) =>
        new(Before, After, ChecksAgainstReference, GuardsNaN, Profiles) { Generated = generated, _owner = _owner ?? this };

    /// <summary>
    /// Theano's <c>MonitorMode(pre_func, post_func)</c>: <paramref name="before"/> is called before every node of the
    /// graph and of every scan step runs (its inputs computed), <paramref name="after"/> once it has run (its output
    /// too), in graph order, once per node per step.
    /// </summary>
    public static ScanMode Monitor(NodeHook? before = null, NodeHook? after = null) => new(before, after, false, false, false);

    /// <summary>
    /// Theano's <c>DebugMode</c> (slow). A <c>[Symbolic]</c> scan runs its generated loop (a copy that keeps every
    /// node's value) and the interpreter beside it: each interpreter node's value at each step is compared with the
    /// generated code's value of the same node (within the op's <see cref="Graph.OpInfo.ToleranceUlps"/>; scalars bit
    /// for bit). In every graph (also one built at run time, which has no generated loop) each node's value is also
    /// checked against an independent evaluation of its op on the node's own input values, its shape against the
    /// op's shape rule, and (unless <paramref name="checkFinite"/> is false, Theano's <c>check_isfinite</c>) for NaN and
    /// infinity; the first step and node that fail throw a <see cref="ScanModeException"/>.
    /// </summary>
    public static ScanMode Debug(bool checkFinite = true) => new(null, null, true, checkFinite, false);

    /// <summary>Theano's <c>NanGuardMode</c>: the first node and step that produce NaN or infinity throw a <see cref="ScanModeException"/> naming the input values.</summary>
    public static ScanMode NanGuard() => new(null, null, false, true, false);

    /// <summary>Theano's <c>profile=True</c>: time and count per node and per scan, accumulated in <see cref="ProfileReport"/>.</summary>
    public static ScanMode Profile() => new(null, null, false, false, true);

    /// <summary>Both modes at once (hooks of both, in order: this one's first).</summary>
    public ScanMode With(ScanMode other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ScanMode((NodeHook?)Delegate.Combine(Before, other.Before), (NodeHook?)Delegate.Combine(After, other.After),
            ChecksAgainstReference || other.ChecksAgainstReference, GuardsNaN || other.GuardsNaN, Profiles || other.Profiles);
    }

    /// <summary>Both modes at once (see <see cref="With"/>).</summary>
    public static ScanMode operator |(ScanMode a, ScanMode b) => (a ?? throw new ArgumentNullException(nameof(a))).With(b);

    /// <summary>
    /// What the profiled runs of this mode measured (all of them, accumulated), or null before the first (or for a
    /// mode that does not profile).
    /// </summary>
    public SymGen.Profile? ProfileReport
    {
        get
        {
            if (_owner is not null) return _owner.ProfileReport;
            lock (_profiling) return _profile;
        }
    }

    internal void Record(SymGen.Profile run)
    {
        if (_owner is not null)
        {
            _owner.Record(run);
            return;
        }
        lock (_profiling) _profile = _profile is null ? run : _profile.Plus(run);
    }

    /// <summary>The mode of the current scope (<see cref="Use"/>), or null: the fast path.</summary>
    public static ScanMode? Current => Ambient.Value;

    /// <summary>
    /// Runs every scan and function called in the scope (this thread and the async flows it starts) in
    /// <paramref name="mode"/>, until the scope is disposed: <c>using (ScanMode.Use(ScanMode.NanGuard())) { ... }</c>.
    /// A mode given to a call itself wins over the scope's.
    /// </summary>
    public static IDisposable Use(ScanMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var scope = new Scope(Ambient.Value);
        Ambient.Value = mode;
        return scope;
    }

    private sealed class Scope(ScanMode? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Ambient.Value = previous;
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new System.Collections.Generic.List<string>();
        if (Before is not null || After is not null) parts.Add("Monitor");
        if (ChecksAgainstReference) parts.Add("Debug");
        else if (GuardsNaN) parts.Add("NanGuard");
        if (Profiles) parts.Add("Profile");
        return parts.Count == 0 ? "ScanMode(none)" : string.Join(" | ", parts);
    }
}

/// <summary>
/// What a <see cref="ScanMode.Debug"/> or <see cref="ScanMode.NanGuard"/> run found: the node and step where a value
/// was wrong, and the values involved. The call that threw wrote no shared variable back.
/// </summary>
public sealed class ScanModeException : Exception
{
    internal ScanModeException(string message, NodeInfo node, int step, string value, string? expected, string inputs)
        : base(message)
    {
        Node = node;
        Step = step;
        Value = value;
        Expected = expected;
        Inputs = inputs;
    }

    /// <summary>The node whose value was wrong.</summary>
    public NodeInfo Node { get; }
    /// <summary>The step of its scan's loop, or -1 outside any loop.</summary>
    public int Step { get; }
    /// <summary>The value the interpreter computed, printed.</summary>
    public string Value { get; }
    /// <summary>
    /// Debug's value for the node, printed: the generated loop's (a <c>[Symbolic]</c> scan's node where the two engines
    /// differ), else the independent evaluation's; null for a NaN or infinity.
    /// </summary>
    public string? Expected { get; }
    /// <summary>The node's input values, printed (<c>x = -1, y = 2</c>).</summary>
    public string Inputs { get; }
}
