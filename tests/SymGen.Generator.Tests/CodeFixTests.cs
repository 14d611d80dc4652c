using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SymGen.CodeFixes;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>Each code fix, before and after, in an in-memory workspace; the fixed code builds without SymGen errors.</summary>
public class CodeFixTests
{
    private static async Task<string> Fix(string source, string id, string? title = null)
    {
        using var workspace = new AdhocWorkspace();
        var (document, actions) = await Actions(workspace, source, id);
        var action = title is null ? Assert.Single(actions) : actions.Single(a => a.Title == title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        var text = (await changed.GetTextAsync()).ToString();
        var after = GeneratorHarness.Run(text);
        Assert.Empty(after.GeneratorDiagnostics);
        Assert.Empty(after.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return text.ReplaceLineEndings("\n");
    }

    /// <summary>The fixes offered for the first diagnostic <paramref name="id"/> of the source.</summary>
    private static async Task<(Document Document, List<CodeAction> Actions)> Actions(AdhocWorkspace workspace, string source, string id)
    {
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "Test", "Test", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: GeneratorHarness.ParseOptions, metadataReferences: GeneratorHarness.References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));
        var compilation = (CSharpCompilation)(await document.Project.GetCompilationAsync())!;
        var diagnostic = GeneratorHarness.Run(compilation).GeneratorDiagnostics.First(d => d.Id == id);
        var actions = new List<CodeAction>();
        await new ScanCodeFixProvider().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        return (document, actions);
    }

    private static async Task<List<CodeAction>> Actions(string source, string id)
    {
        using var workspace = new AdhocWorkspace();
        return (await Actions(workspace, source, id)).Actions;
    }

    [Fact]
    public async Task SYMG0001_MakesTheMethodStaticPartialAndItsTypePartial() => Assert.Equal("""
        using SymGen;
        public static partial class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public static partial double[] Map([Sequence] double[] x);
        }
        """, await Fix("""
        using SymGen;
        public static class S
        {
            static double Step(double x) => x;
            [Symbolic(nameof(Step))]
            public partial double[] Map([Sequence] double[] x);
        }
        """, "SYMG0001"));

    [Fact]
    public async Task SYMG0001_KeepsCommentsAndIndentationWhereModifiersAreAdded() => Assert.Equal("""
        using SymGen;
        namespace N
        {
            /// <summary>Scans.</summary>
            partial class S
            {
                static double Step(double x) => x;
                /// <summary>A map.</summary>
                [Symbolic(nameof(Step))]
                private static partial double[] Map([Sequence] double[] x);
            }
        }
        """, await Fix("""
        using SymGen;
        namespace N
        {
            /// <summary>Scans.</summary>
            class S
            {
                static double Step(double x) => x;
                /// <summary>A map.</summary>
                [Symbolic(nameof(Step))]
                double[] Map([Sequence] double[] x);
            }
        }
        """, "SYMG0001"));

    [Fact]
    public async Task SYMG0005_AddsTheMissingInitialState() => Assert.Equal("""
        using SymGen;
        public static partial class S
        {
            static double Add(double x, double h) => h + x;
            [Symbolic(nameof(Add))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        }
        """, await Fix("""
        using SymGen;
        public static partial class S
        {
            static double Add(double x, double h) => h + x;
            [Symbolic(nameof(Add))]
            public static partial double[] CumSum([Sequence] double[] x);
        }
        """, "SYMG0005"));

    [Fact]
    public async Task SYMG0006_ReordersTheStepParametersToTheScansOrder() => Assert.Equal("""
        using SymGen;
        public static partial class S
        {
            static double Term(double c, long p, double x) => c * System.Math.Pow(x, p);
            [Symbolic(nameof(Term))]
            public static partial double[] Poly([Sequence] double[] c, [Sequence] long[] p, double x);
        }
        """, await Fix("""
        using SymGen;
        public static partial class S
        {
            static double Term(long p, double c, double x) => c * System.Math.Pow(x, p);
            [Symbolic(nameof(Term))]
            public static partial double[] Poly([Sequence] double[] c, [Sequence] long[] p, double x);
        }
        """, "SYMG0006", "Put the step's parameters in the scan's order"));

    [Fact]
    public async Task SYMG0006_ChangesAStepParameterType() => Assert.Equal("""
        using SymGen;
        public static partial class S
        {
            static Vec<double> Step(Vec<double> x, Vec<double> h) => x;
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Acc([Sequence] Mat<double> x, [Initial] Vec<double> h0);
        }
        """, await Fix("""
        using SymGen;
        public static partial class S
        {
            static Vec<double> Step(Vec<double> x, Mat<double> h) => x;
            [Symbolic(nameof(Step))]
            public static partial Mat<double> Acc([Sequence] Mat<double> x, [Initial] Vec<double> h0);
        }
        """, "SYMG0006", "Change 'h' to 'Vec<double>'"));

    private const string CumSum = """
            static double Add(double x, double h) => h + x;
            [Symbolic(nameof(Add))]
            public static partial double[] CumSum([Sequence] double[] x, [Initial] double h0);
        """;

    [Fact]
    public async Task SYMG0001_MakesAGradientMethodStaticPartial() => Assert.Equal($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, await Fix($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0001"));

    [Theory]
    [InlineData("cumsum")] // another case
    [InlineData("CumSun")] // one edit
    [InlineData("CmSu")]   // two edits
    public async Task SYMG0033_NamesTheScanWhoseNameIsATypoAway(string typo) => Assert.Equal($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, await Fix($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient("{{typo}}")]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0033"));

    [Fact]
    public async Task SYMG0033_OffersNoScanWhenTheNameIsThreeEditsAway() => Assert.Empty(await Actions($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient("CumMax")]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0033"));

    [Fact]
    public async Task SYMG0033_OffersNoScanWhenTwoNamesAreEquallyClose() => Assert.Empty(await Actions($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Symbolic(nameof(Add))]
            public static partial double[] CumSam([Sequence] double[] x, [Initial] double h0);
            [Gradient("CumSem")]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0033"));

    [Fact]
    public async Task SYMG0033_OffersNoScanWhenNoNameIsClose() => Assert.Empty(await Actions($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient("Add")]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0033"));

    [Theory]
    [InlineData("float h0", "double h0")]          // a repeated scan parameter
    [InlineData("float[] dh", "double[] dh")]      // the cotangent of the returned output
    [InlineData("out float[] dx", "out double[] dx")] // a gradient: its input's type
    public async Task SYMG0034_ChangesTheParameterToTheTypeItsScanNeeds(string wrong, string right)
    {
        const string Right = "double[] x, double h0, double[] dh, out double[] dx";
        Assert.Equal($$"""
            using SymGen;
            public static partial class S
            {
            {{CumSum}}
                [Gradient(nameof(CumSum))]
                public static partial void CumSumGradient({{Right}});
            }
            """, await Fix($$"""
            using SymGen;
            public static partial class S
            {
            {{CumSum}}
                [Gradient(nameof(CumSum))]
                public static partial void CumSumGradient({{Right.Replace(right, wrong)}});
            }
            """, "SYMG0034"));
    }

    [Fact]
    public async Task SYMG0034_OffersNoTypeWhenTheParameterHasAnotherName() => Assert.Empty(await Actions($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void CumSumGradient(double[] x, float h, double[] dh, out double[] dx);
        }
        """, "SYMG0034"));

    [Fact]
    public async Task SYMG0036_RemovesTheGradientOfAnIntegerInput() => Assert.Equal("""
        using SymGen;
        public static partial class S
        {
            static double Scale(double x, double h, int k) => h + k * x;
            [Symbolic(nameof(Scale))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0, int k);
            [Gradient(nameof(Run))]
            public static partial void RunGradient(double[] x, double h0, int k, double[] dh, out double[] dx);
        }
        """, await Fix("""
        using SymGen;
        public static partial class S
        {
            static double Scale(double x, double h, int k) => h + k * x;
            [Symbolic(nameof(Scale))]
            public static partial double[] Run([Sequence] double[] x, [Initial] double h0, int k);
            [Gradient(nameof(Run))]
            public static partial void RunGradient(double[] x, double h0, int k, double[] dh, out double[] dx, out int dk);
        }
        """, "SYMG0036"));

    [Fact]
    public async Task SYMG0037_RemovesANegativeCheckpoint() => Assert.Equal($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum))]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, await Fix($$"""
        using SymGen;
        public static partial class S
        {
        {{CumSum}}
            [Gradient(nameof(CumSum), Checkpoint = -1)]
            public static partial void CumSumGradient(double[] x, double h0, double[] dh, out double[] dx);
        }
        """, "SYMG0037"));
}
