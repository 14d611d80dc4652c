using System.Linq;
using Xunit;
using static SymGen.Generator.Tests.DiagnosticTests;

namespace SymGen.Generator.Tests;

/// <summary>Bad [Destination] declarations: a diagnostic at the parameter (or the return type), nothing thrown.</summary>
public class DestinationDiagnosticTests
{
    private const string Usings = "using System;\nusing SymGen;\n";

    [Fact]
    public void SYMG0041_AReadOnlyDestination() => AssertDiagnostic("SYMG0041", Usings + """
        public static partial class S
        {
            static double Add(double x, double h) => x + h;
            [Symbolic(nameof(Add))]
            public static partial void Sum([Sequence] double[] x, [Initial] double h0, [Destination] [|ReadOnlySpan<double>|] ys);
        }
        """, "it is read-only, and the scan writes its trace into it; pass a 'Span<double>'");

    [Fact]
    public void SYMG0041_ADestinationThatHoldsNoRows() => AssertDiagnostic("SYMG0041", Usings + """
        public static partial class S
        {
            static double Add(double x, double h) => x + h;
            [Symbolic(nameof(Add))]
            public static partial void Sum([Sequence] double[] x, [Initial] double h0, [Destination] [|System.Collections.Generic.List<double>|] ys);
        }
        """, "Destination 'ys' of scan 'Sum' is a 'List<double>'; it must be rows the trace is written to");

    [Fact]
    public void SYMG0042_ADestinationScanReturningATrace() => AssertDiagnostic("SYMG0042", Usings + """
        public static partial class S
        {
            static double Add(double x, double h) => x + h;
            [Symbolic(nameof(Add))]
            public static partial [|double[]|] Sum([Sequence] double[] x, [Initial] double h0, [Destination] Span<double> ys);
        }
        """, "returns 'void' or 'int' (the number of steps run), not 'double[]'");

    [Fact]
    public void ADestinationOfTheWrongRankIsTheStepsReturnTypeError()
    {
        // A Mat destination makes the output one of vectors: a scalar step then returns the wrong rank (SYMG0007).
        var run = GeneratorHarness.Run(Usings + """
            public static partial class S
            {
                static double Add(double x, double h) => x + h;
                [Symbolic(nameof(Add))]
                public static partial void Sum([Sequence] double[] x, [Initial] double h0, [Destination] Mat<double> ys);
            }
            """);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id is "SYMG0007" or "SYMG0023");
    }

    [Fact]
    public void SYMG0043_AGradientOfAScanThatOnlyWritesDestinations() => AssertDiagnostic("SYMG0043", Usings + """
        public static partial class S
        {
            static double Add(double x, double h) => x + h;
            [Symbolic(nameof(Add))]
            public static partial void Sum([Sequence] double[] x, [Initial] double h0, [Destination] Span<double> ys);
            [Gradient([|nameof(Sum)|])]
            public static partial void SumGradient(double[] x, double h0, double[] dSum, out double[] dx);
        }
        """, "declare the overload that returns them (without [Destination])");

    [Fact]
    public void AGradientUsesTheOverloadThatReturnsTraces()
    {
        var run = GeneratorHarness.Run(Usings + """
            public static partial class S
            {
                static double Add(double x, double h) => x + h;
                [Symbolic(nameof(Add))]
                public static partial double[] Sum([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Add))]
                public static partial void Sum([Sequence] double[] x, [Initial] double h0, [Destination] Span<double> ys);
                [Gradient(nameof(Sum))]
                public static partial void SumGradient(double[] x, double h0, double[] dSum, out double[] dx);
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }
}

public class DestinationDiagnosticPagesTests
{
    [Theory]
    [InlineData("SYMG0041")]
    [InlineData("SYMG0042")]
    [InlineData("SYMG0043")]
    public void EachHasAHelpPageAndAReleaseEntry(string id)
    {
        var root = GeneratorHarness.RepositoryRoot;
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, "docs/diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
        Assert.Contains(id + " |", System.IO.File.ReadAllText(System.IO.Path.Combine(root, "src/Generator/AnalyzerReleases.Unshipped.md")));
        Assert.Contains($"[{id}]({id}.md)", System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs/diagnostics/README.md")));
    }
}
