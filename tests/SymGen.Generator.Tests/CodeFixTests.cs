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
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "Test", "Test", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: GeneratorHarness.ParseOptions, metadataReferences: GeneratorHarness.References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));
        var compilation = (CSharpCompilation)(await document.Project.GetCompilationAsync())!;
        var diagnostic = GeneratorHarness.Run(compilation).GeneratorDiagnostics.First(d => d.Id == id);
        var actions = new List<CodeAction>();
        await new ScanCodeFixProvider().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        var action = title is null ? Assert.Single(actions) : actions.Single(a => a.Title == title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        var text = (await changed.GetTextAsync()).ToString();
        var after = GeneratorHarness.Run(text);
        Assert.Empty(after.GeneratorDiagnostics);
        Assert.Empty(after.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return text.ReplaceLineEndings("\n");
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
}
