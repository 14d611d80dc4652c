using System;
using Xunit;

namespace SymGen.Tests.Semantics;

public static partial class SuppressedScans
{
    static double Helper(double x) => x;

    // The real compiler honours '#pragma warning disable' for SymGen's diagnostics (SYMG0013 points at the call
    // below); the scan then has SymGen's stub body, which says why it cannot run.
#pragma warning disable SYMG0013
    static double Step(double x) => Helper(x);
#pragma warning restore SYMG0013

    [Symbolic(nameof(Step))]
    public static partial double[] Untranslatable([Sequence] double[] x);
}

public class SuppressedDiagnosticTests
{
    [Fact]
    public void ASuppressedScanBuildsAndThrowsWhenCalled()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SuppressedScans.Untranslatable([1.0]));
        Assert.Contains("SymGen could not generate scan 'Untranslatable'", error.Message);
    }
}
