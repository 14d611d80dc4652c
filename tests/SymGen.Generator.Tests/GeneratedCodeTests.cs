using System;
using System.Linq;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>Generated code compiled in memory, loaded in a collectible context and run.</summary>
public class GeneratedCodeTests
{
    private static object? Call(System.Reflection.Assembly assembly, string method, Type[] types, params object?[] arguments) =>
        assembly.GetType("S")!.GetMethod(method, types)!.Invoke(null, arguments);

    [Fact]
    public void OverloadedScansGetFilesOfTheirOwn()
    {
        const string source = """
            using SymGen;
            public static partial class S
            {
                static double Add(double x, double h) => h + x;
                static double Scale(double x) => 2 * x;
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Scale))]
                public static partial double[] Run([Sequence] double[] x);
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Equal(2, run.GeneratedSources.Count);
        var assembly = GeneratorHarness.Load(source);
        Assert.Equal([1.0, 3.0], (double[])Call(assembly, "Run", [typeof(double[]), typeof(double)], new double[] { 1, 2 }, 0.0)!);
        Assert.Equal([2.0, 4.0], (double[])Call(assembly, "Run", [typeof(double[])], new double[] { 1, 2 })!);
    }

    [Fact]
    public void LocalsDeclaredWithoutAValueAndKeywordNames()
    {
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            public static partial class S
            {
                static double Step(double @in, double @out)
                {
                    double y;
                    y = @in * 3;
                    return y + @out;
                }
                [Symbolic(nameof(Step))]
                public static partial double[] Run([Sequence] double[] @in, [Initial] double @out);
            }
            """);
        Assert.Equal([3.0, 9.0], (double[])Call(assembly, "Run", [typeof(double[]), typeof(double)], new double[] { 1, 2 }, 0.0)!);
    }

    [Fact]
    public void ParametersNamedLikeTheGraphBuildersLocals()
    {
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            public static partial class S
            {
                static double Step(double outputs, double step) => outputs + step;
                [Symbolic(nameof(Step))]
                public static partial double[] Run([Sequence] double[] outputs, [Initial] double step);
            }
            """);
        Assert.Equal([1.0, 3.0], (double[])Call(assembly, "Run", [typeof(double[]), typeof(double)], new double[] { 1, 2 }, 0.0)!);
        var graph = (SymGen.Graph.Function)assembly.GetType("S")!.GetProperty("RunGraph")!.GetValue(null)!;
        Assert.Equal("[1, 3]", graph.Invoke(new double[] { 1, 2 }, 0.0)[0].ToString());
    }

    [Fact]
    public void NestedAndGenericContainingTypesInANamespace()
    {
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            namespace A.B
            {
                public static partial class Outer<T>
                {
                    public partial struct Inner
                    {
                        static int Step(int x, int h) => h * 2 + x;
                        [Symbolic(nameof(Step))]
                        public static partial int[] Run([Sequence] int[] x, [Initial] int h0);
                    }
                }
            }
            """);
        var inner = assembly.GetType("A.B.Outer`1+Inner")!.MakeGenericType(typeof(string));
        Assert.Equal([1, 3, 7], (int[])inner.GetMethod("Run")!.Invoke(null, [new[] { 1, 1, 1 }, 0])!);
    }

    [Fact]
    public void AnUpdatedSharedVectorThatChangesShapeIsNamedAsTheUserWroteIt()
    {
        // The message named the generated local 'stateValue'; the interpreter's names 'state', as the user wrote it.
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            public static partial class S
            {
                static (Vec<double>, Vec<double>) Step(Vec<double> x, Vec<double> state, Mat<double> W) => (Sym.Dot(W, state) + x, Sym.Dot(W, state) + x);
                [Symbolic(nameof(Step))]
                public static partial Mat<double> Run([Sequence] Mat<double> xs, [Update] Shared<Vec<double>> state, Mat<double> W);
            }
            """);
        var state = new Shared<Vec<double>>("state", new Vec<double>(new double[] { 1, 2 }));
        var error = Assert.IsType<ArgumentException>(Assert.Throws<System.Reflection.TargetInvocationException>(() =>
            Call(assembly, "Run", [typeof(Mat<double>), typeof(Shared<Vec<double>>), typeof(Mat<double>)], Mat<double>.Zeros(2, 3), state, Mat<double>.Zeros(3, 2))).InnerException);
        Assert.Equal("state.Value.Length is 2 but W.Rows is 3; they must be equal (output 'state' of step Step must keep the shape of its initial state 'state'). (Parameter 'W')", error.Message);
        Assert.Equal([1.0, 2.0], state.Value.ToArray());
    }

    [Fact]
    public void ExtensionAndScopedParametersAreRepeatedInTheImplementation()
    {
        // Found by MutationTests: without 'this' and 'scoped' the implementation gave CS0755 and CS8988.
        var assembly = GeneratorHarness.Load("""
            using System;
            using SymGen;
            public static partial class S
            {
                static double Add(double x, double h) => h + x;
                [Symbolic(nameof(Add))]
                public static partial double[] CumSum([Sequence] this double[] x, [Initial] double h0);
                [Symbolic(nameof(Add))]
                public static partial double[] ScopedSum([Sequence] scoped ReadOnlySpan<double> x, [Initial] double h0);
                public static double[] Both(double[] x) => [.. x.CumSum(0), .. ScopedSum(x, 10)];
            }
            """);
        Assert.Equal([1.0, 3.0, 11.0, 13.0], (double[])Call(assembly, "Both", [typeof(double[])], new double[] { 1, 2 })!);
    }

    [Fact]
    public void ScansWhoseFileNamesOnceCollidedEachGetAFile()
    {
        // Found by MutationTests: 'Outer<T>' and 'Outer_T_' (or types in the global namespace and in namespace 'global',
        // or overloads 'Run(x)', 'Run(x, y)' and a scan 'Run_1') gave equal file names, so the generator threw (CS8785)
        // and every scan of the project lost its body.
        const string scan = """
            static double Twice(double x) => 2 * x;
            [Symbolic(nameof(Twice))] public static partial double[] Run([Sequence] double[] x);
            """;
        var source = "using SymGen;\n"
            + $"public static partial class Outer<T> {{ public static partial class S {{ {scan} }} }}\n"
            + $"public static partial class Outer_T_ {{ public static partial class S {{ {scan} }} }}\n"
            + $"public static partial class O {{ {scan} static double Plus(double x, double y) => x + y;"
            + " [Symbolic(nameof(Plus))] public static partial double[] Run([Sequence] double[] x, double y);"
            + " [Symbolic(nameof(Twice))] public static partial double[] Run_1([Sequence] double[] x); }\n"
            + $"namespace global {{ public static partial class S {{ {scan} }} }}\n"
            + $"public static partial class S {{ {scan} }}\n";
        Assert.Equal(7, GeneratorHarness.Run(source).GeneratedSources.Count);
        var assembly = GeneratorHarness.Load(source);
        foreach (var type in new[] { "Outer`1+S", "Outer_T_+S", "global.S", "S" })
        {
            var run = (type == "Outer`1+S" ? assembly.GetType(type)!.MakeGenericType(typeof(int)) : assembly.GetType(type)!).GetMethod("Run")!;
            Assert.Equal([2.0, 4.0], (double[])run.Invoke(null, [new double[] { 1, 2 }])!);
        }
        Assert.Equal([2.0, 4.0], (double[])assembly.GetType("O")!.GetMethod("Run_1")!.Invoke(null, [new double[] { 1, 2 }])!);
    }
}
