using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Names a user may choose freely: members named like the generated ones, scans named like other scans' generated
/// names or files, types and scans that differ only in case, keywords. Every scan still compiles and runs.
/// </summary>
public class NameCollisionTests
{
    private const string Add = "static double Add(double x, double h) => h + x;";

    private static double[] Call(Type type, string method, params object[] arguments) =>
        (double[])type.GetMethods().Single(m => m.Name == method && m.GetParameters().Length == arguments.Length).Invoke(null, arguments)!;

    private static string Graph(Type type, string property, params object[] arguments) =>
        ((SymGen.Graph.Function)type.GetProperty(property)!.GetValue(null)!).Invoke(arguments)[0].ToString()!;

    [Fact]
    public void MembersNamedLikeTheGraphsPrivateMembersInAnotherPartialDeclaration()
    {
        var assembly = GeneratorHarness.Load($$"""
            using SymGen;
            public static partial class S
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
            }
            public static partial class S
            {
                public static int s_RunGraph = 1;
                public static int s_RunGraph_ => 2;
                public static int BuildRunGraph() => 3;
            }
            """);
        var type = assembly.GetType("S")!;
        Assert.Equal([1.0, 3.0], Call(type, "Run", new double[] { 1, 2 }, 0.0));
        Assert.Equal("[1, 3]", Graph(type, "RunGraph", new double[] { 1, 2 }, 0.0));
        Assert.Equal(1, type.GetField("s_RunGraph")!.GetValue(null));
        Assert.Equal(3, type.GetMethod("BuildRunGraph")!.Invoke(null, null));
    }

    [Fact]
    public void AMemberNamedLikeTheGraphPropertyKeepsItsNameAndTheScanStillRuns()
    {
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
            }
            public static partial class S
            {
                public static int RunGraph => 7;
            }
            """;
        var run = GeneratorHarness.Run(source);
        var warning = Assert.Single(run.AllDiagnostics);
        Assert.Equal(("SYMG0030", DiagnosticSeverity.Warning, "RunGraph"),
            (warning.Id, warning.Severity, warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan)));
        var type = GeneratorHarness.Load(source).GetType("S")!;
        Assert.Equal([1.0, 3.0], Call(type, "Run", new double[] { 1, 2 }, 0.0));
        Assert.Equal(7, type.GetProperty("RunGraph")!.GetValue(null));
    }

    [Fact]
    public void AMemberNamedLikeAGradientMethodsGraphPropertyKeepsItsNameAndTheGradientItsLoops()
    {
        // A routing gradient method gets a private graph property; a user member of that name keeps it, and the method
        // then keeps its generated loops under every mode.
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Gradient(nameof(Run))]
                public static partial void RunGradient(double[] x, double h0, double[] dh, out double[] dx);
                public static int RunGradientGraph => 7;
                public static double[] GradientUnderAMode(double[] x, double[] dh)
                {
                    using (ScanMode.Use(ScanMode.NanGuard())) { RunGradient(x, 0, dh, out var dx); return dx; }
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.AllDiagnostics);
        var type = GeneratorHarness.Load(source).GetType("S")!;
        // d(sum of dh·h)/dx[t] is the sum of dh from t on (cumulative sum's gradient).
        Assert.Equal([6.0, 5.0, 3.0], Call(type, "GradientUnderAMode", new double[] { 1, 2, 4 }, new double[] { 1, 2, 3 }));
        Assert.Equal(7, type.GetProperty("RunGradientGraph")!.GetValue(null));
    }

    [Fact]
    public void AScanOrATypeNamedLikeAGraphProperty()
    {
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Add))]
                public static partial double[] RunGraph([Sequence] double[] x, [Initial] double h0);
            }
            public static partial class TotalGraph
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Total([Sequence] double[] x, [Initial] double h0);
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Equal(["SYMG0030 RunGraph", "SYMG0030 TotalGraph"], run.AllDiagnostics
            .Select(d => d.Id + " " + d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)).Order());
        var assembly = GeneratorHarness.Load(source);
        var s = assembly.GetType("S")!;
        Assert.Equal([1.0, 3.0], Call(s, "Run", new double[] { 1, 2 }, 0.0));
        Assert.Equal([1.0, 3.0], Call(s, "RunGraph", new double[] { 1, 2 }, 0.0));
        Assert.Equal("[1, 3]", Graph(s, "RunGraphGraph", new double[] { 1, 2 }, 0.0));
        Assert.Equal([1.0, 3.0], Call(assembly.GetType("TotalGraph")!, "Total", new double[] { 1, 2 }, 0.0));
    }

    [Fact]
    public void InheritedMembersAreNotHidden()
    {
        var source = $$"""
            using SymGen;
            public class Base
            {
                public static int RunGraph => 7;
                protected static int s_TotalGraph = 1;
            }
            public partial class S : Base
            {
                {{Add}}
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Add))]
                public static partial double[] Total([Sequence] double[] x, [Initial] double h0);
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Equal(["SYMG0030"], run.GeneratorDiagnostics.Select(d => d.Id));
        // Hiding would be warning CS0108, in generated code.
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var type = GeneratorHarness.Load(source).GetType("S")!;
        Assert.Equal([1.0, 3.0], Call(type, "Run", new double[] { 1, 2 }, 0.0));
        Assert.Equal("[1, 3]", Graph(type, "TotalGraph", new double[] { 1, 2 }, 0.0));
    }

    /// <summary>
    /// Overloads are told apart by a suffix: 'Run`1', 'Run`2' in file names, 'RunGraph_1', 'RunGraph_2' for the
    /// graphs. A scan really named 'Run_1', and a member named like an overload's graph, clash with nothing.
    /// </summary>
    [Fact]
    public void OverloadsBesideScansAndMembersNamedLikeTheirSuffixedNames()
    {
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                {{Add}}
                static double Twice(double x) => 2 * x;
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Twice))]
                public static partial double[] Run([Sequence] double[] x);
                [Symbolic(nameof(Twice))]
                public static partial double[] Run_1([Sequence] double[] x);
                [Symbolic(nameof(Twice))]
                public static partial double[] Run_2([Sequence] double[] x);
                public static int RunGraph_2 => 2;
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Equal(["SYMG0030"], run.AllDiagnostics.Select(d => d.Id));
        Assert.Equal(4, run.GeneratedSources.Count);
        var type = GeneratorHarness.Load(source).GetType("S")!;
        Assert.Equal([1.0, 3.0], Call(type, "Run", new double[] { 1, 2 }, 0.0));
        Assert.Equal([2.0, 4.0], Call(type, "Run", new double[] { 1, 2 }));
        Assert.Equal([2.0, 4.0], Call(type, "Run_1", new double[] { 1, 2 }));
        Assert.Equal([2.0, 4.0], Call(type, "Run_2", new double[] { 1, 2 }));
        Assert.Equal("[2, 4]", Graph(type, "RunGraph_1", new double[] { 1, 2 }));
        Assert.Equal("[2, 4]", Graph(type, "Run_1Graph", new double[] { 1, 2 }));
        Assert.Equal("[2, 4]", Graph(type, "Run_2Graph", new double[] { 1, 2 }));
        Assert.Equal(2, type.GetProperty("RunGraph_2")!.GetValue(null));
    }

    /// <summary>File names are compared ignoring case and cannot hold every character of a type's name.</summary>
    [Fact]
    public void NamesThatDifferOnlyInCaseOrInCharactersAFileNameCannotHold()
    {
        var source = $$"""
            using SymGen;
            namespace @class
            {
                public static partial class S
                {
                    {{Add}}
                    [Symbolic(nameof(Add))]
                    public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                    [Symbolic(nameof(Add))]
                    public static partial double[] run([Sequence] double[] x, [Initial] double h0);
                }
                public static partial class s
                {
                    {{Add}}
                    [Symbolic(nameof(Add))]
                    public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                }
                public static partial class Outer<T>
                {
                    {{Add}}
                    [Symbolic(nameof(Add))]
                    public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                }
                public static partial class Outer_T_
                {
                    {{Add}}
                    [Symbolic(nameof(Add))]
                    public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                }
                public static partial class @event
                {
                    {{Add}}
                    [Symbolic(nameof(Add))]
                    public static partial double[] @in([Sequence] double[] x, [Initial] double h0);
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.AllDiagnostics);
        Assert.Equal(6, run.GeneratedSources.Keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var assembly = GeneratorHarness.Load(source);
        foreach (var (type, method) in new[] { ("class.S", "Run"), ("class.S", "run"), ("class.s", "Run"), ("class.Outer`1", "Run"), ("class.Outer_T_", "Run"), ("class.event", "in") })
        {
            var t = assembly.GetType(type)!;
            if (t.IsGenericTypeDefinition) t = t.MakeGenericType(typeof(int));
            Assert.Equal([1.0, 3.0], Call(t, method, new double[] { 1, 2 }, 0.0));
        }
    }
}
