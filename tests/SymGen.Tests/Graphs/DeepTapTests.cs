namespace SymGen.Tests.Graphs;

public static partial class DeepTapScans
{
    static double Mix(double xm20, double xp5, double y1, double y30) => xm20 - 0.5 * xp5 + 0.5 * y1 + 0.25 * y30;

    /// <summary>
    /// A shallow tap kept in a local beside a deep one read from the trace: the engines agree on it in the
    /// conformance suite (TestScans: DeepTapScans.Mixed).
    /// </summary>
    [Symbolic(nameof(Mix))]
    public static partial double[] Mixed([Sequence(-20, 5)] double[] x, [Initial(-1, -30)] double[] y0);
}
