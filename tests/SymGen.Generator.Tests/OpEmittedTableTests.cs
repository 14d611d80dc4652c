extern alias runtime;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using runtime::SymGen.Graph; // the runtime's op table, not the generator's linked copy
using SymGen.Tests.Graphs;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// The emitted and interpreted layers, walked from the op table: one source with a map scan per (op, operand ranks,
/// axis, element type) the table accepts and C# can spell (an operator, a System.Math call, a Sym function or an
/// indexer, found by reflection), compiled once with the generator. Each scan's loop is compared with its step
/// method called directly (the eager form), and its generated graph, run by the interpreter, with the loop: scalars
/// bit for bit, tensors within the op's tolerance. An op added to the table is tested here with no list to update.
/// </summary>
public class OpEmittedTableTests
{
    /// <summary>One scan: a step applying one op once to its sequences' rows.</summary>
    public sealed record EmittedCase(int Id, OpApplication Application, ElementKind[] Kinds, ElementKind Result, string Expression)
    {
        public string Class => "Case" + Id;
        public override string ToString() =>
            $"{Application} on {string.Join(", ", Kinds.Select(ElementKinds.Keyword))}: {Expression}";
    }

    private sealed record Compiled(Assembly Assembly, List<EmittedCase> Cases, List<string> Rejected);

    private static readonly Lazy<Compiled> Built = new(Build);

    /// <summary>The scans this layer compares with their step methods (every spelled case the generator accepted).</summary>
    public static IReadOnlyList<EmittedCase> Cases => Built.Value.Cases;

    /// <summary>The scans whose graphs this layer runs through the interpreter: the same ones.</summary>
    public static IReadOnlyList<EmittedCase> InterpretedCases => Built.Value.Cases;

    /// <summary>The cases C# accepts but the generator does not (its diagnostics, or errors in the code it wrote), for the completeness test.</summary>
    public static IReadOnlyList<string> Rejected => Built.Value.Rejected;

    [Fact]
    public void EveryEmittedScanMatchesItsStepMethodCalledDirectly() => CheckAll(interpreted: false);

    [Fact]
    public void EveryInterpretedGraphMatchesItsGeneratedLoop() => CheckAll(interpreted: true);

    [Fact]
    public void EveryOpHasAnEmittedAndAnInterpretedCaseAndTheGeneratorAcceptsEverySpelling()
    {
        var emitted = Cases.Select(c => c.Application.Row.Op).ToHashSet();
        var interpreted = InterpretedCases.Select(c => c.Application.Row.Op).ToHashSet();
        var missing = new List<string>(Rejected.Select(r => "rejected by the generator: " + r));
        foreach (var row in OpTableWalk.Computing)
        {
            if (!emitted.Contains(row.Op)) missing.Add($"{row.Name}: no case in the emitted layer (no C# spelling of it compiles in a step method)");
            if (!interpreted.Contains(row.Op)) missing.Add($"{row.Name}: no case in the interpreted layer");
        }
        Assert.True(missing.Count == 0, $"{missing.Count} gap(s) in the emitted and interpreted layers ({Cases.Count} scans compiled):\n" + string.Join("\n", missing));
    }

    private static void CheckAll(bool interpreted)
    {
        var compiled = Built.Value;
        Assert.NotEmpty(compiled.Cases);
        var failures = new List<string>();
        var random = new Random(11);
        foreach (var c in compiled.Cases)
            for (int sample = 0; sample < 4 && failures.Count < 40; sample++)
                if (Check(compiled.Assembly.GetType(c.Class)!, c, random, interpreted) is { } failure) failures.Add(failure);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Check(Type type, EmittedCase c, Random random, bool interpreted)
    {
        int steps = random.Next(5);
        var dims = OpTableWalk.Dimensions(c.Application, random);
        int indexBound = dims[0].Length > 0 ? dims[0][0] : 3;
        var rows = Enumerable.Range(0, steps)
            .Select(_ => c.Kinds.Select((k, i) => OpTableWalk.Value(k, dims[i], random, indexBound)).ToArray()).ToArray();
        var sequences = c.Kinds.Select((k, i) => Sequence(k, dims[i], rows.Select(r => r[i]).ToArray())).ToArray();
        string where = $"{c} ({steps} steps of [{string.Join("; ", dims.Select(d => string.Join(" x ", d)))}])";
        object loop;
        try
        {
            loop = type.GetMethod("Run")!.Invoke(null, sequences)!;
        }
        catch (TargetInvocationException e)
        {
            return $"{where}: the generated loop threw {e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }
        var (loopShape, loopValues) = OpTableWalk.Flatten(loop);
        (int[] Shape, double[] Values) expected;
        string what;
        if (interpreted)
        {
            what = "the interpreter";
            try
            {
                expected = OpTableWalk.Flatten(((Function)type.GetProperty("RunGraph")!.GetValue(null)!).Invoke(sequences)[0]);
            }
            catch (Exception e)
            {
                return $"{where}: the interpreter threw {e.GetType().Name}: {e.Message}";
            }
        }
        else
        {
            what = "the step method";
            var step = type.GetMethod("Step")!;
            var results = rows.Select(r => OpTableWalk.Flatten(step.Invoke(null, r)!)).ToList();
            var rowShape = OpTableWalk.Infer(c.Application.Row.Op, dims, c.Application.Axis)!;
            expected = ([steps, .. rowShape], results.SelectMany(r => r.Values).ToArray());
        }
        if (!loopShape.SequenceEqual(expected.Shape))
            return $"{where}: the loop's trace is ({string.Join(", ", loopShape)}), {what}'s ({string.Join(", ", expected.Shape)})";
        bool scalar = c.Application.ResultRank == 0, single = c.Result == ElementKind.Float32;
        for (int i = 0; i < loopValues.Length; i++)
        {
            bool same = scalar
                ? OpTableWalk.UlpsBetween(expected.Values[i], loopValues[i], single) == 0
                : OpTableWalk.WithinUlps(expected.Values[i], loopValues[i], c.Application.Row.ToleranceUlps, single);
            if (!same)
                return $"{where}: element {i} of the loop's trace is {loopValues[i]:R}, {what}'s {expected.Values[i]:R}";
        }
        return null;
    }

    /// <summary>The sequence of these rows: an array of scalars, a Mat of vectors or a Tensor3 of matrices.</summary>
    private static object Sequence(ElementKind kind, int[] dims, object[] rows)
    {
        var element = OpTableWalk.ElementType(kind);
        if (dims.Length == 0)
        {
            var array = Array.CreateInstance(element, rows.Length);
            for (int t = 0; t < rows.Length; t++) array.SetValue(rows[t], t);
            return array;
        }
        int width = dims.Aggregate(1, (a, b) => a * b);
        var data = Array.CreateInstance(element, rows.Length * width);
        for (int t = 0; t < rows.Length; t++)
        {
            var values = OpTableWalk.Flatten(rows[t]).Values;
            for (int j = 0; j < width; j++) data.SetValue(Convert.ChangeType(values[j], element), t * width + j);
        }
        var generic = dims.Length == 1 ? typeof(Mat<>) : typeof(Tensor3<>);
        object[] arguments = dims.Length == 1 ? [data, rows.Length, dims[0]] : [data, rows.Length, dims[0], dims[1]];
        return Activator.CreateInstance(generic.MakeGenericType(element), arguments)!;
    }

    // ---- The one source ---------------------------------------------------------------------------------------

    /// <summary>Every (op, ranks, axis, element type) the table accepts, in each C# spelling of it that exists.</summary>
    private static List<EmittedCase> Spell()
    {
        var cases = new List<EmittedCase>();
        foreach (var row in OpTableWalk.Computing)
            foreach (var application in OpTableWalk.Applications(row))
                foreach (var floating in new[] { ElementKind.Float64, ElementKind.Float32 })
                    foreach (var kinds in OpTableWalk.OperandKinds(application, floating))
                        foreach (var (expression, result) in Spellings(application, kinds))
                            if (!cases.Any(c => c.Expression == expression && c.Kinds.SequenceEqual(kinds) && c.Application.Ranks.SequenceEqual(application.Ranks)))
                                cases.Add(new EmittedCase(cases.Count, application, kinds, result, expression));
        return cases;
    }

    /// <summary>The step expressions computing <paramref name="application"/> on operands a, b, c, and the result's kind.</summary>
    internal static IEnumerable<(string Expression, ElementKind Result)> Spellings(OpApplication application, ElementKind[] kinds)
    {
        var row = application.Row;
        string[] x = ["a", "b", "c"];
        var operands = x.Take(row.Arity).ToArray();
        var types = kinds.Select((k, i) => OpTableWalk.ClrType(k, application.Ranks[i])).ToArray();
        bool scalars = application.Ranks.All(r => r == 0);
        if (row.Emit == OpEmit.Cast)
        {
            foreach (var target in new[] { ElementKind.Int32, ElementKind.Int64, ElementKind.Float32, ElementKind.Float64 }.Where(t => t != kinds[0]))
                yield return ($"({ElementKinds.Keyword(target)})a", target);
            yield break;
        }
        var kind = TypeRules.Infer(row.Op, kinds, application.ResultRank, out _);
        if (kind is null) yield break;
        var resultType = OpTableWalk.ClrType(kind.Value, application.ResultRank);
        if (row.CSharpToken is { } token)
        {
            // C#'s own operators on scalars; on tensors, Vec's and Mat's when they return the op's result.
            var method = OpTableWalk.OperatorMethod(token, row.Arity);
            bool exists = scalars || method is not null && types.Where(t => t.IsGenericType).Distinct()
                .Any(t => OpTableWalk.FindMethod(t, method, types)?.ReturnType == resultType);
            if (exists) yield return (row.Arity == 1 ? token + "a" : $"a {token} b", kind.Value);
        }
        if (row.Op == Op.Select && scalars)
            yield return ("a ? b : c", kind.Value);
        if (row.MathMethod is { } math && scalars && kinds.All(ElementKinds.IsFloatingPoint))
        {
            string type = kinds.Contains(ElementKind.Float64) ? "Math" : "MathF";
            if (OpTableWalk.FindMethod(type == "Math" ? typeof(Math) : typeof(MathF), math, types) is not null)
                yield return ($"System.{type}.{math}({string.Join(", ", operands)})", kind.Value);
        }
        if (row.SymMethod is { } sym)
        {
            // After the operands: a reduction's axis, or an op's constant text (Print's label).
            string[] extra = application.Axis >= 0 ? [application.Axis.ToString()] : row.HasText ? ["\"p\""] : [];
            Type[] extraTypes = application.Axis >= 0 ? [typeof(int)] : row.HasText ? [typeof(string)] : [];
            if (OpTableWalk.FindMethod(typeof(Sym), sym, [.. types, .. extraTypes])?.ReturnType == resultType)
                yield return ($"Sym.{sym}({string.Join(", ", [.. operands, .. extra])})", kind.Value);
        }
        if (row.Shape == ShapeRule.Index && types[0].GetProperty("Item", [typeof(int)])?.PropertyType == resultType)
            yield return ("a[b]", kind.Value);
    }

    private static string Source(IEnumerable<EmittedCase> cases, Dictionary<int, EmittedCase> lines, HashSet<int> stepLines)
    {
        var source = new StringBuilder("using SymGen;\n");
        int line = 2; // after the using
        foreach (var c in cases)
        {
            var ranks = c.Application.Ranks;
            string Parameter(int i, bool sequence) =>
                $"{(sequence ? "[Sequence] " : "")}{(sequence && ranks[i] == 0 ? ElementKinds.Keyword(c.Kinds[i]) + "[]" : OpTableWalk.CSharpType(c.Kinds[i], ranks[i] + (sequence ? 1 : 0)))} {(char)('a' + i)}";
            int rank = c.Application.ResultRank;
            string trace = rank == 0 ? ElementKinds.Keyword(c.Result) + "[]" : OpTableWalk.CSharpType(c.Result, rank + 1);
            string[] text =
            [
                $"public static partial class {c.Class}",
                "{",
                $"    public static {OpTableWalk.CSharpType(c.Result, rank)} Step({string.Join(", ", ranks.Select((_, i) => Parameter(i, false)))}) => {c.Expression};",
                "    [Symbolic(nameof(Step))]",
                $"    public static partial {trace} Run({string.Join(", ", ranks.Select((_, i) => Parameter(i, true)))});",
                "}",
            ];
            stepLines.Add(line + 2);
            foreach (var t in text)
            {
                source.Append(t).Append('\n');
                lines[line++] = c;
            }
        }
        return source.ToString();
    }

    /// <summary>
    /// Compiles every spelled case at once. A case C# itself rejects (no such operator for these types) is no
    /// spelling and is dropped; one the generator rejects, or whose generated code does not compile, is a gap
    /// (<see cref="Rejected"/>); the rest are compiled again without them.
    /// </summary>
    private static Compiled Build()
    {
        var cases = Spell();
        var rejected = new List<string>();
        for (int attempt = 0; ; attempt++)
        {
            var lines = new Dictionary<int, EmittedCase>();
            var stepLines = new HashSet<int>();
            var run = GeneratorHarness.Run(Source(cases, lines, stepLines));
            var errors = run.AllDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0)
            {
                using var stream = new System.IO.MemoryStream();
                var emit = run.Output.Emit(stream);
                Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
                stream.Position = 0;
                var context = new System.Runtime.Loader.AssemblyLoadContext("OpTable", isCollectible: true);
                context.Resolving += (_, name) => name.Name == "SymGen" ? typeof(SymbolicAttribute).Assembly : null;
                return new Compiled(context.LoadFromStream(stream), cases, rejected);
            }
            Assert.True(attempt < 2, "The op table's scans do not compile:\n" + string.Join("\n", errors.Take(20)));
            var dropped = new HashSet<EmittedCase>();
            var gaps = new HashSet<EmittedCase>();
            foreach (var error in errors)
            {
                var c = CaseOf(error, lines, cases);
                Assert.True(c is not null, "An error outside the op table's cases: " + error);
                dropped.Add(c!);
                // The compiler rejecting the step's expression: C# has no such spelling. Anything else is the generator's.
                bool notCSharp = error.Id.StartsWith("CS", StringComparison.Ordinal) && error.Location.SourceTree?.FilePath == "Source0.cs"
                    && stepLines.Contains(error.Location.GetLineSpan().StartLinePosition.Line + 1);
                if (!notCSharp && gaps.Add(c!))
                    rejected.Add($"{c}: {error.Id} {error.GetMessage()}");
            }
            cases = cases.Where(c => !dropped.Contains(c)).ToList();
        }
    }

    /// <summary>The case an error is in: by line in the source, by class name in the generated code.</summary>
    private static EmittedCase? CaseOf(Diagnostic error, Dictionary<int, EmittedCase> lines, List<EmittedCase> cases)
    {
        var tree = error.Location.SourceTree;
        if (tree?.FilePath == "Source0.cs")
            return lines.GetValueOrDefault(error.Location.GetLineSpan().StartLinePosition.Line + 1);
        var text = tree?.ToString() ?? "";
        var match = Regex.Match(tree?.FilePath ?? "", @"Case(\d+)\b");
        if (!match.Success) match = Regex.Match(text, @"partial class Case(\d+)\b");
        return match.Success ? cases.FirstOrDefault(c => c.Id == int.Parse(match.Groups[1].Value)) : null;
    }
}
