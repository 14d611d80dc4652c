extern alias Generator;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// One test per diagnostic: the source marks the expected location with [| and |]; the test asserts the ID, that
/// location, and that SymGen's stub keeps the compiler from adding errors of its own (e.g. CS8795).
/// </summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing SymGen;\n";

    internal static void AssertDiagnostic(string id, string markup, string? messageFragment = null,
        DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        int start = markup.IndexOf("[|", System.StringComparison.Ordinal);
        int end = markup.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        Assert.True(start >= 0 && end >= start, "The test source must mark the expected location with [| |].");
        string source = markup.Replace("[|", "").Replace("|]", "");
        var run = GeneratorHarness.Run(source);
        var symgen = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("SYMG")).ToList();
        var diagnostic = Assert.Single(symgen);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(new TextSpan(start, end - start), diagnostic.Location.SourceSpan);
        Assert.True(diagnostic.Location.IsInSource);
        if (messageFragment is not null)
            Assert.Contains(messageFragment, diagnostic.GetMessage());
        var compilerErrors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compilerErrors.All(d => id is "SYMG0001" or "SYMG0020" or "SYMG0027" || d.Id == "CS0000"),
            "The compiler reported errors besides SymGen's: " + string.Join("; ", compilerErrors));
    }

    [Fact]
    public void SYMG0001_ScanMethodNotPartial() => AssertDiagnostic("SYMG0001", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static double[] [|Map|]([Sequence] double[] x) => x;
        }
        """, "Scan method 'Map' is not 'partial'");

    [Fact]
    public void SYMG0001_ContainingTypeNotPartial() => AssertDiagnostic("SYMG0001", Usings + """
        public static class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] [|Map|]([Sequence] double[] x);
        }
        """, "is declared in 'S', which is not 'partial'");

    [Fact]
    public void SYMG0001_ContainingTypeIsFileLocal() => AssertDiagnostic("SYMG0001", Usings + """
        file static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] [|Map|]([Sequence] double[] x);
        }
        """, "is declared in 'S', a 'file' type");

    [Fact]
    public void SYMG0002_StepMethodNotFound() => AssertDiagnostic("SYMG0002", Usings + """
        public static partial class S
        {
            [Symbolic([|"Missing"|])]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "names step method 'Missing'");

    [Fact]
    public void SYMG0003_StepMethodAmbiguous() => AssertDiagnostic("SYMG0003", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            static float Step(float x) => x;
            [Symbolic([|nameof(Step)|])]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "2 overloads");

    [Fact]
    public void SYMG0004_StepMethodNotStatic() => AssertDiagnostic("SYMG0004", Usings + """
        public partial class S
        {
            double [|Step|](double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "is not static");

    [Fact]
    public void SYMG0005_StepParameterCount() => AssertDiagnostic("SYMG0005", Usings + """
        public static partial class S
        {
            static double Step[|(double x)|] => x;
            [Symbolic(nameof(Step))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        }
        """, "takes 1 parameter(s), but scan 'CumSum' passes 2, in this order: x[t] (double), CumSum[t-1] (double)");

    [Fact]
    public void SYMG0006_StepParameterType() => AssertDiagnostic("SYMG0006", Usings + """
        public static partial class S
        {
            static double Step(double x, [|float|] h) => x + h;
            [Symbolic(nameof(Step))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        }
        """, "receives CumSum[t-1] of type 'double', but is declared 'float'");

    [Fact]
    public void SYMG0007_StepReturnType() => AssertDiagnostic("SYMG0007", Usings + """
        public static partial class S
        {
            static [|(double, double)|] Step(double x) => (x, x);
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "returns '(double, double)' (2 values), but scan 'Map' needs 'double': one value, for output 'Map'");

    [Fact]
    public void SYMG0008_InitialTooShallow() => AssertDiagnostic("SYMG0008", Usings + """
        public static partial class S
        {
            static double Step(double a) => a;
            [Symbolic(nameof(Step))]
            public static partial double[] Lag([[|Initial(-3)|]] double y0, [Steps] int n);
        }
        """, "read 3 past values");

    [Fact]
    public void SYMG0009_OutputTapNotNegative() => AssertDiagnostic("SYMG0009", Usings + """
        public static partial class S
        {
            static double Step(double a) => a;
            [Symbolic(nameof(Step))]
            public static partial double[] Lag([[|Initial(0)|]] double[] y0, [Steps] int n);
        }
        """, "lists tap 0");

    [Fact]
    public void SYMG0010_DuplicateOutputTap() => AssertDiagnostic("SYMG0010", Usings + """
        public static partial class S
        {
            static double Step(double a, double b) => a + b;
            [Symbolic(nameof(Step))]
            public static partial double[] Lag([[|Initial(-1, -1)|]] double[] y0, [Steps] int n);
        }
        """, "lists tap -1 more than once");

    [Fact]
    public void SYMG0011_EmptyTapList() => AssertDiagnostic("SYMG0011", Usings + """
        public static partial class S
        {
            static double Step(double a) => a;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([[|Sequence(new int[0])|]] double[] x);
        }
        """, "empty tap list");

    [Theory]
    [InlineData("Sequence(null)", "[Initial] double h0")]
    [InlineData("Sequence((int[])null)", "[Initial] double h0")]
    [InlineData("Sequence", "[[|Initial(null)|]] double[] h0")]
    public void SYMG0011_NullTapList(string sequence, string initial)
    {
        // A null array compiles and lists no tap: the parameter was dropped without a word, and the generated
        // code did not compile (CS0103).
        var markedSequence = initial.Contains("[|") ? $"[{sequence}]" : $"[[|{sequence}|]]";
        AssertDiagnostic("SYMG0011", Usings + $$"""
            public static partial class S
            {
                static double Step(double h) => h + 1;
                [Symbolic(nameof(Step))]
                public static partial double[] Run({{markedSequence}} double[] x, {{initial}});
            }
            """, "empty tap list");
    }

    [Fact]
    public void SYMG0012_NoStepCount() => AssertDiagnostic("SYMG0012", Usings + """
        public static partial class S
        {
            static double Step(double h) => h * 2;
            [Symbolic(nameof(Step))]
            public static partial double[] [|Doubling|]([Initial] double h0);
        }
        """, "no [Sequence] parameter and no [Steps] parameter");

    [Fact]
    public void SYMG0013_UnsupportedExpression() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Helper(double x) => x;
            static double Step(double x) => 1 + [|Helper(x)|];
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "uses the call 'Helper(x)'");

    [Fact]
    public void SYMG0013_UnsupportedStatement() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Step(double x)
            {
                [|if (x > 0) x = 0;|]
                return x;
            }
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, "uses the statement");

    [Fact]
    public void SYMG0013_AnIndexFromTheEndIsNotAnInteger() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Step(Vec<double> x) => x[[|^1|]];
            [Symbolic(nameof(Step))]
            public static partial double[] Last([Sequence] Mat<double> x);
        }
        """, "uses the index '^1', which SymGen cannot translate into a scan graph; an index is an int or a long");

    [Fact]
    public void SYMG0013_ElementAccessOnAnythingButAVectorOrAMatrix() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            const string Letters = "ab";
            static double Step(int i) => [|Letters[i]|];
            [Symbolic(nameof(Step))]
            public static partial double[] Codes([Sequence] int[] i);
        }
        """, "uses the element access 'Letters[i]', which SymGen cannot translate into a scan graph; only a Vec<T> (x[i]: an element) or a Mat<T> (m[i]: a row) can be indexed");

    [Fact]
    public void SYMG0013_AMatrixIsIndexedByOneIntegerAtATime() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Step(int i, Mat<double> m) => [|m[i, 0]|];
            [Symbolic(nameof(Step))]
            public static partial double[] Firsts([Sequence] int[] i, Mat<double> m);
        }
        """, "for an element of a matrix write m[i][j]");

    [Fact]
    public void SYMG0014_UnsupportedParameterType() => AssertDiagnostic("SYMG0014", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] [|System.Collections.Generic.List<double>|] x);
        }
        """, "is a sequence of type 'List<double>'");

    [Fact]
    public void SYMG0015_UnsupportedReturnType() => AssertDiagnostic("SYMG0015", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial [|double|] Map([Sequence] double[] x);
        }
        """, "returns 'double'");

    [Fact]
    public void SYMG0016_StepsNotInteger() => AssertDiagnostic("SYMG0016", Usings + """
        public static partial class S
        {
            static double Step(double h) => h;
            [Symbolic(nameof(Step))]
            public static partial double[] Hold([Initial] double h0, [Steps] [|double|] n);
        }
        """, "has type 'double'");

    [Fact]
    public void SYMG0017_MultipleSteps() => AssertDiagnostic("SYMG0017", Usings + """
        public static partial class S
        {
            static double Step(double h) => h;
            [Symbolic(nameof(Step))]
            public static partial double[] Hold([Initial] double h0, [Steps] int n, [Steps] int [|m|]);
        }
        """, "marks both 'n' and 'm'");

    [Fact]
    public void SYMG0018_InitialNamesNoOutput() => AssertDiagnostic("SYMG0018", Usings + """
        public static partial class S
        {
            static (double, double) Step(double x, double h) => (x, h);
            [Symbolic(nameof(Step))]
            public static partial (double[] A, double[] B) Two([Sequence] double[] x, [[|Initial(Output = "C")|]] double h0);
        }
        """, "names output 'C', but scan 'Two' has outputs 'A', 'B'");

    [Fact]
    public void SYMG0019_ConflictingRoles() => AssertDiagnostic("SYMG0019", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence, Steps] int[] [|x|]);
        }
        """, "marked both [Sequence] and [Steps]");

    [Fact]
    public void SYMG0020_GenericScanMethod() => AssertDiagnostic("SYMG0020", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] [|Map|]<T>([Sequence] double[] x);
        }
        """, "is generic");

    [Fact]
    public void SYMG0020_ScanReturnsByReference() => AssertDiagnostic("SYMG0020", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial [|ref double[]|] Map([Sequence] double[] x);
        }
        """, "returns by reference");

    [Fact]
    public void SYMG0021_InitialTypeMismatch() => AssertDiagnostic("SYMG0021", Usings + """
        public static partial class S
        {
            static double Step(double x, double h) => x + h;
            [Symbolic(nameof(Step))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] [|float|] h0);
        }
        """, "holds 'float', but output 'CumSum' holds 'double'");

    [Fact]
    public void SYMG0023_ScalarInitialStateForAVectorOutput() => AssertDiagnostic("SYMG0023", Usings + """
        public static partial class S
        {
            static Vec<double> Step(Vec<double> x, Vec<double> h) => h + x;
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Acc([Sequence] Mat<double> x, [Initial] [|double|] h0);
        }
        """, "is a 'double' (a scalar), but output 'Acc' holds 'Vec<double>' values (a vector each step)");

    [Fact]
    public void SYMG0007_VectorStepOutputForAScalarTrace() => AssertDiagnostic("SYMG0007", Usings + """
        public static partial class S
        {
            static [|Vec<double>|] Step(Vec<double> x, double h) => x * h;
            [Symbolic(nameof(Step))]
            public static partial double[] Acc([Sequence] Mat<double> x, [Initial] double h0);
        }
        """, "returns 'Vec<double>' (1 value), but scan 'Acc' needs 'double'");

    [Fact]
    public void SYMG0006_MatrixWhereTheStepTakesAVector() => AssertDiagnostic("SYMG0006", Usings + """
        public static partial class S
        {
            static Vec<double> Step(Vec<double> x, [|Vec<double>|] W) => x;
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Map([Sequence] Mat<double> x, Mat<double> W);
        }
        """, "receives W of type 'Mat<double>', but is declared 'Vec<double>'");

    [Fact]
    public void DotOfTwoMatricesWhereAVectorIsNeededIsTheCompilersErrorAtTheExpression()
    {
        // Ranks are C# types, so the compiler itself reports the rank error where it is; SymGen adds nothing.
        const string markup = Usings + """
            public static partial class S
            {
                static Vec<double> Step(Vec<double> x, Mat<double> W) => [|Sym.Dot(W, W)|];
                [Symbolic(nameof(Step))]
                public static partial Mat<double> Map([Sequence] Mat<double> x, Mat<double> W);
            }
            """;
        int start = markup.IndexOf("[|", System.StringComparison.Ordinal);
        var run = GeneratorHarness.Run(markup.Replace("[|", "").Replace("|]", ""));
        Assert.Empty(run.GeneratorDiagnostics);
        var error = Assert.Single(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS0029", error.Id);
        Assert.Equal(start, error.Location.SourceSpan.Start);
    }

    [Fact]
    public void SYMG0024_ConditionNotLast() => AssertDiagnostic("SYMG0024", Usings + """
        public static partial class S
        {
            static [|(Until, double)|] Step(double h) => (Until.When(h > 50), 2 * h);
            [Symbolic(nameof(Step))]
            public static partial double[] Doubling([Initial] double h0, [Steps] int n);
        }
        """, "returns an Until as element 1 of 2; the stop condition goes last");

    [Fact]
    public void SYMG0025_UpdateOfNonShared() => AssertDiagnostic("SYMG0025", Usings + """
        public static partial class S
        {
            static (double, double) Step(double c) => (c, c + 1);
            [Symbolic(nameof(Step))]
            public static partial double[] Count([Steps] int n, [Update] [|double|] c);
        }
        """, "is marked [Update] but is a 'double'; only a 'Shared<T>' can be updated");

    [Theory]
    [InlineData("[|int.MinValue|]", "spans 2147483648 steps")]
    [InlineData("-2, [|int.MinValue|]", "[-2, -2147483648]")]
    [InlineData("[|-int.MaxValue|]", "spans 2147483647 steps (from -2147483647 to 0")]
    public void SYMG0026_OutputTapTooDeep(string taps, string message) => AssertDiagnostic("SYMG0026", Usings + $$"""
        public static partial class S
        {
            static double Step(double y) => y;
            [Symbolic(nameof(Step))]
            public static partial double[] Lag([Initial({{taps}})] double[] y0, [Steps] int n);
        }
        """, message.Replace("spans", "which span"));

    // (A global type named SymGen also hides the attributes, so no scan can be declared beside it.)
    [Fact]
    public void SYMG0027_AGlobalTypeHidesANamespaceTheGeneratedCodeUses() => AssertDiagnostic("SYMG0027", """
        public static partial class System
        {
            static double Add(double x, double h) => h + x;
            [SymGen.Symbolic(nameof(Add))]
            public static partial double[] [|CumSum|]([SymGen.Sequence] double[] x, [SymGen.Initial] double h);
        }
        """, "a type named 'System' in the global namespace hides the namespace 'global::System'");

    [Fact]
    public void SYMG0026_SequenceTapsSpanTooFar() => AssertDiagnostic("SYMG0026", Usings + """
        public static partial class S
        {
            static double Step(double a, double b) => a + b;
            [Symbolic(nameof(Step))]
            public static partial double[] Pairs([Sequence([|int.MinValue|], int.MaxValue)] double[] x);
        }
        """, "[Sequence] on 'x' has taps [-2147483648, 2147483647], which span 4294967295 steps (from -2147483648 to 2147483647, tap 0 included); the span can be at most 2147483591");

    [Fact]
    public void SYMG0007_UntilAloneForAScanWithAnOutput() => AssertDiagnostic("SYMG0007", Usings + """
        public static partial class S
        {
            static [|Until|] Step(double h) => Until.When(h > 50);
            [Symbolic(nameof(Step))]
            public static partial double[] Doubling([Initial] double h0, [Steps] int n);
        }
        """, "needs '(double, Until)'");

    [Fact]
    public void SYMG0007_SaysWhatEachValueIsFor() => AssertDiagnostic("SYMG0007", Usings + """
        public static partial class S
        {
            static [|double|] Step(double x, double total) => total + x;
            [Symbolic(nameof(Step))]
            public static partial double[] Add([Sequence] double[] x, [Update] Shared<double> total);
        }
        """, "returns 'double' (1 value), but scan 'Add' needs '(double, double)': 2 values, for output 'Add' and the next value of shared variable 'total', in this order");

    [Fact]
    public void SYMG0013_ASharedVariableReadByTheStepSaysHowToPassIt() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static readonly Shared<double> w = new("w", 2.0);
            static double Step(double x) => x * [|w.Value|];
            [Symbolic(nameof(Step))]
            public static partial double[] Scale([Sequence] double[] x);
        }
        """, "a step reads only its parameters, so it cannot read shared variable 'w' itself: give the scan a 'Shared<double>' parameter (pass 'w' to it), and the step a 'double' parameter in its place");

    [Fact]
    public void SYMG0013_AFieldReadByTheStepSaysHowToPassIt() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Rate = 0.5;
            static double Step(double x) => x * [|Rate|];
            [Symbolic(nameof(Step))]
            public static partial double[] Scale([Sequence] double[] x);
        }
        """, "make 'Rate' a 'const', or give the scan a parameter (a non-sequence) to pass it to");

    [Fact]
    public void SYMG0030_AMemberNamedLikeTheGraphProperty() => AssertDiagnostic("SYMG0030", Usings + """
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
            public static int [|MapGraph|] => 1;
        }
        """, "Scan 'Map' gets no graph property 'MapGraph', because type 'S' already has a member of that name", DiagnosticSeverity.Warning);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("int.MinValue")]
    public void SYMG0031_TruncateGradientNeitherMinusOneNorPositive(string k) => AssertDiagnostic("SYMG0031", Usings + $$"""
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step), [|TruncateGradient = {{k}}|])]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, $"sets TruncateGradient = {(k == "int.MinValue" ? int.MinValue.ToString() : k)}; it must be -1");

    // ---- Gradients ([Gradient]) ---------------------------------------------------------------------------------

    private const string CumSum = """
            static double Add(double x, double h) => h + x;
            [Symbolic(nameof(Add))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        """;

    [Fact]
    public void SYMG0033_GradientOfAScanThatDoesNotExist() => AssertDiagnostic("SYMG0033", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient([|"CumSun"|])]
            public static partial void G(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "names scan method 'CumSun', but type 'S' has no method of that name");

    [Fact]
    public void SYMG0033_GradientOfAMethodThatIsNotAScan() => AssertDiagnostic("SYMG0033", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            public static double[] Plain(double[] x) => x;
            [Gradient([|nameof(Plain)|])]
            public static partial void G(double[] x, double[] dh, out double[] dx);
        }
        """, "is not marked [Symbolic]");

    // The declaration checks a gradient shares with a scan name it a gradient method.
    [Fact]
    public void SYMG0001_GradientMethodNotPartial() => AssertDiagnostic("SYMG0001", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static void [|G|](double[] x, double h0, double[] dh, out double[] dx) => dx = x;
        }
        """, "Gradient method 'G' is not 'partial'");

    [Fact]
    public void SYMG0020_GradientTakesAnInputByReference() => AssertDiagnostic("SYMG0020", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void G(double[] x, ref double [|h0|], double[] dh, out double[] dx);
        }
        """, "Gradient method 'G' takes parameter 'h0' by reference; a gradient's inputs are passed by value, its gradients as 'out'");

    [Fact]
    public void SYMG0034_GradientParameterDoesNotRepeatTheScans() => AssertDiagnostic("SYMG0034", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void G(double[] x, float [|h0|], double[] dh, out double[] dx);
        }
        """, "expected 'double h0' (parameter 2 of scan 'CumSum')");

    [Fact]
    public void SYMG0034_CotangentOfTheWrongType() => AssertDiagnostic("SYMG0034", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void G(double[] x, double h0, float[] [|dh|], out double[] dx);
        }
        """, "the cotangent of output 'CumSum' (dLoss/dCumSum), a 'double[]'");

    [Fact]
    public void SYMG0034_GradientOfTheWrongType() => AssertDiagnostic("SYMG0034", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void G(double[] x, double h0, double[] dh, out float[] [|dx|]);
        }
        """, "gradient 'dx' has the wrong type");

    [Fact]
    public void SYMG0034_ForwardTracesOfAScanThatUpdatesSharedVariables() => AssertDiagnostic("SYMG0034", Usings + """
        public static partial class S
        {
            static (double, double) Step(double x, double h, double total) => (h + x, total + h);
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0, [Update] Shared<double> total);
            [Gradient(nameof(Run))]
            public static partial void G(double[] x, double h0, Shared<double> total, [Forward] double[] [|h|], double[] dh, out double[] dx);
        }
        """, "takes [Forward] traces, but scan 'Run' updates shared variables");

    [Fact]
    public void SYMG0035_GradientOfNoInput() => AssertDiagnostic("SYMG0035", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void G(double[] x, double h0, double[] dh, out double[] [|dy|]);
        }
        """, "one of: dx, dh0");

    [Fact]
    public void SYMG0036_GradientOfAnIntegerInput() => AssertDiagnostic("SYMG0036", Usings + """
        public static partial class S
        {
            static double Scale(double x, double h, int k) => h + k * x;
            [Symbolic(nameof(Scale))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0, int k);
            [Gradient(nameof(Run))]
            public static partial void G(double[] x, double h0, int k, double[] dh, out int [|dk|]);
        }
        """, "gradients may never be integers");

    [Theory]
    [InlineData("-1")]
    [InlineData("int.MinValue")]
    public void SYMG0037_CheckpointNegative(string k) => AssertDiagnostic("SYMG0037", Usings + $$"""
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum), [|Checkpoint = {{k}}|])]
            public static partial void G(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "it must be 0 (store every state)");

    [Fact]
    public void SYMG0038_NonDifferentiableOpOnThePath()
    {
        // Every op may come to have a derivative: the test takes Max's away while the generator runs (no other test
        // of this project differentiates through Max).
        var row = Generator::SymGen.Graph.OpTable.Get(Generator::SymGen.Graph.Op.Max);
        var rule = row.Derivative;
        row.Derivative = null;
        try
        {
            NonDifferentiableMax();
        }
        finally
        {
            row.Derivative = rule;
        }
    }

    private static void NonDifferentiableMax() => AssertDiagnostic("SYMG0038", Usings + """
        public static partial class S
        {
            static double Step(Vec<double> x, double h) => h + Sym.Max(x);
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] Mat<double> x, [Initial] double h0);
            [Gradient(nameof(Run))]
            public static partial void [|G|](Mat<double> x, double h0, double[] dh, out Mat<double> dx);
        }
        """, "but Max has no derivative");

    [Fact]
    public void SYMG0039_GradientPathThroughAnInteger() => AssertDiagnostic("SYMG0039", Usings + """
        public static partial class S
        {
            static double Step(double x, double h) => h + (int)(x * 10);
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
            [Gradient(nameof(Run))]
            public static partial void [|G|](double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "no gradient flows through an integer", DiagnosticSeverity.Warning);

    [Fact]
    public void SYMG0040_APrintWhoseValueNoResultUses() => AssertDiagnostic("SYMG0040", Usings + """
        public static partial class S
        {
            static double Step(double x)
            {
                var shown = [|Sym.Print(x, "x")|];
                return x * 5;
            }
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x);
        }
        """, "no output or stop condition uses the value it returns");

    [Fact]
    public void APrintsLabelMustBeAConstantString() => AssertDiagnostic("SYMG0013", Usings + """
        public static partial class S
        {
            static double Step(double x, double h) => Sym.Print(h, [|x.ToString()|]) + x;
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0);
        }
        """, "must be a constant string");

    [Fact]
    public void AScanModeParameterThatIsNotLastIsReported() => AssertDiagnostic("SYMG0014", Usings + """
        public static partial class S
        {
            static double Step(double x, double h) => h + x;
            [Symbolic(nameof(Step))]
            public static partial double[] Run([Sequence] double[] x, [|ScanMode?|] mode, [Initial] double h0);
        }
        """, "a ScanMode parameter, which comes last");

    [Fact]
    public void AValidGradientHasNoDiagnostics()
    {
        var run = GeneratorHarness.Run(Usings + $$"""
            public static partial class S
            {
            {{CumSum}}
                [Gradient(nameof(CumSum), Checkpoint = 0)]
                public static partial double[] G(double[] x, double h0, double[] dh, out double[] dx, out double dh0);
            }
            """);
        Assert.Empty(run.AllDiagnostics);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1")]
    [InlineData("int.MaxValue")]
    public void TruncateGradientMinusOneOrPositiveIsAccepted(string k)
    {
        var run = GeneratorHarness.Run(Usings + $$"""
            public static partial class S
            {
                static double Step(double x) => x;
                [Symbolic(nameof(Step), TruncateGradient = {{k}})]
                public static partial double[] Map([Sequence] double[] x);
            }
            """);
        Assert.Empty(run.AllDiagnostics);
    }

    [Fact]
    public void SYMG0032_AStepParameterNamedLikeAScanParameterItDoesNotReceive() => AssertDiagnostic("SYMG0032", Usings + """
        public static partial class S
        {
            static double Step(double x, double [|w|], double h) => h * w + x;
            [Symbolic(nameof(Step))]
            public static partial double[] Decay([Sequence] double[] x, [Initial] double h0, double w);
        }
        """, "Parameter 'w' of step method 'Step' receives Decay[t-1], but scan 'Decay' passes its parameter 'w' as step parameter 3 ('h')",
        DiagnosticSeverity.Warning);

    [Fact]
    public void SYMG0032_NotForParametersInTheirPlaceOrNamedLikeNoScanParameter()
    {
        var run = GeneratorHarness.Run(Usings + """
            public static partial class S
            {
                // 'steps' is the scan's [Steps] parameter, which the step does not receive: nothing to mix up.
                static double Step(double xPrev, double x, double h, double steps, double w) => h * w + x - xPrev + steps;
                [Symbolic(nameof(Step))]
                public static partial double[] Decay([Sequence(-1, 0)] double[] x, [Initial] double h, double n, double w, [Steps] int steps);
            }
            """);
        Assert.Empty(run.AllDiagnostics);
    }

    [Fact]
    public void EveryDescriptorHasAHelpPageAndAReleaseEntry()
    {
        var root = GeneratorHarness.RepositoryRoot;
        var releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "src/Generator/AnalyzerReleases.Unshipped.md"));
        foreach (var id in Enumerable.Range(1, 25).Concat(Enumerable.Range(30, 3)).Select(i => $"SYMG{i:D4}"))
        {
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, "docs/diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
            Assert.Contains(id + " |", releases);
        }
    }

    [Fact]
    public void DiagnosticsPointIntoTheUsersSyntaxTree()
    {
        // A location in the user's own tree is what lets '#pragma warning disable' and the IDE find it; the
        // end-to-end proof is SuppressedDiagnosticTests in SymGen.Tests, built by the real compiler.
        var run = GeneratorHarness.Run(Usings + """
            public static partial class S
            {
                static double Step(double h) => h * 2;
                [Symbolic(nameof(Step))]
                public static partial double[] Doubling([Initial] double h0);
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Same(run.Input.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
    }
}

public class DiagnosticEdgeTests
{
    [Fact]
    public void SYMG0001_TheUserWroteTheImplementation()
    {
        var run = GeneratorHarness.Run("""
            using SymGen;
            public static partial class S
            {
                static double Step(double x) => x;
                [Symbolic(nameof(Step))]
                public static partial double[] Map([Sequence] double[] x);
                public static partial double[] Map(double[] x) => x;
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SYMG0001", diagnostic.Id);
        Assert.Contains("already has a body", diagnostic.GetMessage());
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void ARejectedInitialStateDoesNotShiftTheOthers()
    {
        // Only the bad tap is reported: no SYMG0018/SYMG0021 from binding 'z0' to the wrong output.
        var run = GeneratorHarness.Run("""
            using SymGen;
            public static partial class S
            {
                static (double, double) Step(double x, double h, double z) => (h + x, z);
                [Symbolic(nameof(Step))]
                public static partial (double[] h, double[] z) Two([Sequence] double[] x, [Initial(0)] double[] h0, [Initial] double z0);
            }
            """);
        Assert.Equal(["SYMG0009"], run.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public void EveryErrorOfAStepBodyIsReportedAtOnce()
    {
        var run = GeneratorHarness.Run("""
            using SymGen;
            public static partial class S
            {
                static double F(double x) => x;
                static double Step(double x)
                {
                    while (x > 1) x = x / 2;
                    return F(x);
                }
                [Symbolic(nameof(Step))]
                public static partial double[] Map([Sequence] double[] x);
            }
            """);
        Assert.Equal(["SYMG0013", "SYMG0013"], run.GeneratorDiagnostics.Select(d => d.Id));
    }
}
