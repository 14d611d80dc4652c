using System;
using System.Diagnostics;
using System.Linq;
using SymGen;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Inputs at the limits: step bodies of thousands of terms and taps thousands of steps deep generate code of
/// bounded size, in time linear in the body, that compiles and computes what a plain C# loop computes.
/// </summary>
public class LimitsTests
{
    private static object? Call(System.Reflection.Assembly assembly, string method, params object?[] arguments) =>
        assembly.GetType("S")!.GetMethod(method)!.Invoke(null, arguments);

    /// <summary><c>a + a + ... + a + b</c>: <paramref name="terms"/> terms, the scan's output is the last.</summary>
    internal static string LongScalarStep(int terms) => $$"""
        using SymGen;
        public static partial class S
        {
            static double Step(double a, double b) => {{string.Concat(Enumerable.Repeat("a + ", terms - 1))}}b;
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] a, [Initial] double b);
        }
        """;

    [Fact]
    public void StepOfTenThousandTermsCompilesAndRuns()
    {
        // Translated recursively, this overflowed the compiler's stack.
        var assembly = GeneratorHarness.Load(LongScalarStep(10_000));
        var y = (double[])Call(assembly, "Run", new double[] { 1, 2, 0.5 }, 0.25)!;
        double expected = 0.25;
        Assert.Equal(new double[] { 1, 2, 0.5 }.Select(a => expected += 9_999 * a).ToArray(), y);
    }

    [Fact]
    public void LongVectorChainCompilesAndRuns()
    {
        // One fused loop over the elements: written as one expression it would nest 5,000 parentheses.
        const int terms = 5_000;
        var assembly = GeneratorHarness.Load($$"""
            using SymGen;
            public static partial class S
            {
                static Vec<double> Step(Vec<double> x, Vec<double> h) => h * 0.5 + {{string.Join(" + ", Enumerable.Repeat("x", terms))}};
                [Symbolic(nameof(Step))]
                public static partial Mat<double> Run([Sequence] Mat<double> x, [Initial] Vec<double> h0);
            }
            """);
        var x = new Mat<double>(new double[] { 1, 2, 3, -1, 0.5, 4 }, 2, 3);
        var h = new double[] { 8, 0, -2 };
        var trace = (Mat<double>)Call(assembly, "Run", x, new Vec<double>(h))!;
        for (int t = 0; t < 2; t++)
            for (int i = 0; i < 3; i++)
            {
                h[i] = h[i] * 0.5 + terms * x[t, i];
                Assert.Equal(h[i], trace[t, i], 9);
            }
    }

    /// <summary>A scan reading y[t-depth] (and y[t-1] when <paramref name="withLag1"/>) and x[t].</summary>
    private static string DeepTapScan(int depth) => $$"""
        using System;
        using SymGen;
        public static partial class S
        {
            static double Step(double x, double yd) => x + 0.5 * yd;
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [Initial({{-depth}})] double[] y0);
        }
        """;

    [Fact]
    public void DeepTapGeneratesCodeOfBoundedSizeAndReadsTheRightRows()
    {
        // Each past value was a local shifted every step: 2.5 MB of code for -30000.
        int Size(int depth) => GeneratorHarness.Run(DeepTapScan(depth)).GeneratedSources.Single().Value.Length;
        Assert.True(Size(30_000) < Size(3) + 2_000, $"{Size(30_000)} characters for tap -30000, {Size(3)} for tap -3");

        const int depth = 30_000, steps = 70_000;
        var random = new Random(10);
        var x = Enumerable.Range(0, steps).Select(_ => random.NextDouble()).ToArray();
        var y0 = Enumerable.Range(0, depth).Select(_ => random.NextDouble()).ToArray();
        var y = (double[])Call(GeneratorHarness.Load(DeepTapScan(depth)), "Run", x, y0)!;
        // The plain loop: y holds the initial rows, then the steps; step t reads y[t - depth].
        var all = y0.Concat(new double[steps]).ToArray();
        for (int t = 0; t < steps; t++)
            all[depth + t] = x[t] + 0.5 * all[depth + t - depth];
        Assert.Equal(all.Skip(depth).ToArray(), y);
    }

    [Fact]
    public void ShallowAndDeepTapsMixed()
    {
        var assembly = GeneratorHarness.Load("""
            using System;
            using SymGen;
            public static partial class S
            {
                static double Step(double xm20, double xp5, double y1, double y20) => xm20 - 0.5 * xp5 + 0.5 * y1 + 0.25 * y20;
                [Symbolic(nameof(Step))]
                public static partial double[] Run([Sequence(-20, 5)] double[] x, [Initial(-1, -20)] double[] y0);
            }
            """);
        var random = new Random(20);
        var x = Enumerable.Range(0, 100).Select(_ => random.NextDouble()).ToArray();
        var y0 = Enumerable.Range(0, 20).Select(_ => random.NextDouble()).ToArray();
        var y = (double[])Call(assembly, "Run", x, y0)!;
        // Sequence taps -20 and 5 span 25 elements: step t reads x[t] and x[t + 25] (Theano's anchors).
        int steps = x.Length - 25;
        var all = y0.Concat(new double[steps]).ToArray();
        for (int t = 0; t < steps; t++)
            all[20 + t] = x[t] - 0.5 * x[t + 25] + 0.5 * all[20 + t - 1] + 0.25 * all[20 + t - 20];
        Assert.Equal(all.Skip(20).ToArray(), y);
    }

    [Theory]
    [InlineData("[Initial(int.MinValue)] double[] y0")]
    [InlineData("[Initial(-2, int.MinValue)] double[] y0")]
    [InlineData("[Initial(-int.MaxValue)] double[] y0")]
    [InlineData("[Initial(-1)] double y0, [Sequence(int.MinValue, int.MaxValue)] double[] x")]
    public void ExtremeTapsBreakNoOtherScan(string parameters)
    {
        // The extreme scan gets its diagnostic and its stub; the other scan of the compilation is generated.
        var steps = parameters.Contains("Sequence") ? "" : ", [Steps] int n";
        var stepParameters = parameters.Contains("Sequence") ? "double xa, double xb, double y" : "double y";
        var source = $$"""
            using SymGen;
            public static partial class S
            {
                static double Extreme({{stepParameters}}) => y;
                [Symbolic(nameof(Extreme))]
                public static partial double[] Broken({{parameters}}{{steps}});

                static double Add(double x, double h) => h + x;
                [Symbolic(nameof(Add))]
                public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
            }
            """;
        var run = GeneratorHarness.Run(source);
        var all = run.AllDiagnostics;
        Assert.Equal("SYMG0026", Assert.Single(all).Id);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "SYMG0022");
        Assert.Equal(2, run.GeneratedSources.Count);
    }

    [Fact]
    public void ScansWhoseFileNamesLookAlikeAreAllGenerated()
    {
        // Overload Run(x, h) was file "Run_2", as was scan Run_2; C<T> was "C_T_", as was C_T_: AddSource threw
        // and every scan of the compilation lost its code (CS8785, CS8795).
        var assembly = GeneratorHarness.Load("""
            using SymGen;
            public static partial class S
            {
                static double Add(double x, double h) => h + x;
                static double Twice(double x) => 2 * x;
                [Symbolic(nameof(Add))]
                public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Twice))]
                public static partial double[] Run([Sequence] double[] x);
                [Symbolic(nameof(Add))]
                public static partial double[] Run_2([Sequence] double[] x, [Initial] double h0);
            }
            public static partial class C<T>
            {
                static double Twice(double x) => 2 * x;
                [Symbolic(nameof(Twice))]
                public static partial double[] Map([Sequence] double[] x);
            }
            public static partial class C_T_
            {
                static double Twice(double x) => 2 * x;
                [Symbolic(nameof(Twice))]
                public static partial double[] Map([Sequence] double[] x);
            }
            """);
        var x = new double[] { 1, 2 };
        Assert.Equal([1.0, 3.0], (double[])assembly.GetType("S")!.GetMethod("Run_2")!.Invoke(null, [x, 0.0])!);
        Assert.Equal([2.0, 4.0], (double[])assembly.GetType("S")!.GetMethod("Run", [typeof(double[])])!.Invoke(null, [x])!);
        Assert.Equal([2.0, 4.0], (double[])assembly.GetType("C_T_")!.GetMethod("Map")!.Invoke(null, [x])!);
        Assert.Equal([2.0, 4.0], (double[])assembly.GetType("C`1")!.MakeGenericType(typeof(int)).GetMethod("Map")!.Invoke(null, [x])!);
    }

    [Fact]
    public void AFailureWhileWritingOneScanStaysInThatScan()
    {
        // A failure of the emitter (a bug: no input known makes it throw) once failed the whole generator.
        const string source = """
            using SymGen;
            public static partial class S
            {
                static double Add(double x, double h) => h + x;
                [Symbolic(nameof(Add))]
                public static partial double[] Faulty([Sequence] double[] x, [Initial] double h0);
                [Symbolic(nameof(Add))]
                public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
            }
            """;
        var generator = new ScanGenerator(model =>
        {
            if (model.Signature.Name == "Faulty") throw new InvalidOperationException("injected");
        });
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create([Microsoft.CodeAnalysis.GeneratorExtensions.AsSourceGenerator(generator)], parseOptions: GeneratorHarness.ParseOptions);
        var compilation = GeneratorHarness.Compilation(source);
        var run = GeneratorHarness.Run(compilation, driver);
        var failure = Assert.Single(run.AllDiagnostics);
        Assert.Equal("SYMG0022", failure.Id);
        Assert.Contains("'Faulty'", failure.GetMessage());
        Assert.Contains("InvalidOperationException: injected", failure.GetMessage());
        var declaration = compilation.SyntaxTrees.Single().GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Faulty");
        Assert.Equal(declaration.Span, failure.Location.SourceSpan);
        // The faulty scan got its throwing stub (no CS8795), the other its loop, which runs.
        Assert.Equal(2, run.GeneratedSources.Count);
        using var stream = new System.IO.MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var assembly = System.Reflection.Assembly.Load(stream.ToArray());
        Assert.Equal([1.0, 3.0], (double[])assembly.GetType("S")!.GetMethod("CumSum")!.Invoke(null, [new double[] { 1, 2 }, 0.0])!);
        var stub = Assert.Throws<System.Reflection.TargetInvocationException>(() => assembly.GetType("S")!.GetMethod("Faulty")!.Invoke(null, [new double[] { 1 }, 0.0]));
        Assert.IsType<InvalidOperationException>(stub.InnerException);
    }
}

/// <summary>Timing runs alone, after the parallel tests, so that other tests' work does not skew the ratio.</summary>
[CollectionDefinition(nameof(GeneratorTimeTests), DisableParallelization = true)]
public class GeneratorTimeCollection;

[Collection(nameof(GeneratorTimeTests))]
public class GeneratorTimeTests
{
    [Fact]
    public void GeneratorTimeIsLinearInTheBody()
    {
        static TimeSpan Generate(int terms)
        {
            // Without nullable analysis: Roslyn's own, run when the generator binds the step body, grows faster than
            // linearly on a chain this deep (about 12x from 1,000 to 8,000 terms), which no generator can avoid.
            var compilation = GeneratorHarness.Compilation(LimitsTests.LongScalarStep(terms))
                .WithOptions(GeneratorHarness.Compilation().Options.WithNullableContextOptions(Microsoft.CodeAnalysis.NullableContextOptions.Disable));
            GC.Collect(); // no collection of earlier garbage inside the measurement
            var clock = Stopwatch.StartNew();
            var run = GeneratorHarness.Run(compilation);
            clock.Stop();
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id == "CS8785");
            Assert.Single(run.GeneratedSources);
            return clock.Elapsed;
        }
        // Warm-up of both sizes: the JIT's tiers and Roslyn's caches.
        Generate(1_000);
        Generate(8_000);
        // The best of a few runs of each size, taken in turn, so that a busy moment of the machine does not decide the ratio.
        var small = TimeSpan.MaxValue;
        var large = TimeSpan.MaxValue;
        for (int i = 0; i < 4; i++)
        {
            small = TimeSpan.FromTicks(Math.Min(small.Ticks, Generate(1_000).Ticks));
            large = TimeSpan.FromTicks(Math.Min(large.Ticks, Generate(8_000).Ticks));
        }
        double ratio = large.TotalMilliseconds / Math.Max(1, small.TotalMilliseconds);
        Assert.True(ratio < 12, $"8,000 terms took {large.TotalMilliseconds:F0} ms, 1,000 terms {small.TotalMilliseconds:F0} ms: {ratio:F1}x (linear is 8x)");
    }
}
