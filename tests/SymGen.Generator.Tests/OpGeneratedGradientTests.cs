extern alias Generator;
extern alias runtime;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using runtime::SymGen.Graph; // the runtime's op table, not the generator's linked copy
using SymGen.Tests.Gradients;
using SymGen.Tests.Graphs;
using Xunit;

namespace SymGen.Generator.Tests;

/// <summary>
/// Every op's generated gradient, walked from the op table: for every (op, operand ranks, axis) form with a
/// floating-point operand, one <c>[Symbolic]</c> scan whose step is <c>h * 0.5 + op(a, b, c)</c> (a: a sequence's
/// row; b, c: non-sequences; h: a recurrent state) -- for a unary op <c>h * 0.5 + op(a) + op(w)</c>, w a
/// non-sequence -- and its <c>[Gradient]</c> method, all compiled once with the generator. The loss is Σ R·trace
/// with random R (the trace's cotangent); each generated gradient (sequence, initial state, non-sequences) is compared
/// with central differences of the generated forward scan (float64, relative error at most 1e-6), on inputs where
/// the op is smooth (<see cref="SmoothOperands"/>). A few float32 scans are compared with their float64 twins (the same
/// step in double) on the same float values, within float precision.
/// </summary>
public class OpGeneratedGradientTests
{
    /// <summary>Ops with a derivative rule but no generated-gradient case, each with why.</summary>
    public static readonly IReadOnlyDictionary<Op, string> NotCovered = new Dictionary<Op, string>
    {
        [Op.Not] = "bools and integers only: no floating-point operand to differentiate",
        [Op.And] = "bools and integers only: no floating-point operand to differentiate",
        [Op.Or] = "bools and integers only: no floating-point operand to differentiate",
        [Op.Xor] = "bools and integers only: no floating-point operand to differentiate",
    };

    /// <summary>The ops whose float32 scans are compared with their float64 twins (GradientTableTests' float list, and conversions).</summary>
    private static readonly Op[] SingleOps =
        [Op.Tanh, Op.Sigmoid, Op.Multiply, Op.Divide, Op.Exp, Op.Dot, Op.Sum, Op.Mean, Op.Max, Op.Softmax, Op.LogSoftmax, Op.LogSumExp, Op.Index, Op.Trace, Op.Convert];

    /// <summary>One scan: its op form, operand kinds, the op's result kind, the step's op expression, and (float32) its float64 twin.</summary>
    public sealed record GradientCase(int Id, OpApplication Application, ElementKind[] Kinds, ElementKind Result, string Expression, ElementKind Floating)
    {
        public int Twin { get; set; } = -1;
        public string Class => "Grad" + Id;
        public bool Unary => Application.Row.Arity == 1;

        /// <summary>The state's kind: the op's result, or the case's floating kind when the result is a bool or an integer (converted).</summary>
        public ElementKind State => ElementKinds.IsFloatingPoint(Result) ? Result : Floating;

        public override string ToString() =>
            $"{Application} on {string.Join(", ", Kinds.Select(ElementKinds.Keyword))}: h * {Half} + {Term()}";

        public string Half => State == ElementKind.Float32 ? "0.5f" : "0.5";

        /// <summary>What the step adds to h * 0.5: the op's value (twice for a unary op: of the row a and of the non-sequence w) in the state's kind.</summary>
        public string Term()
        {
            string state = ElementKinds.Keyword(State);
            string Wrap(string e) => Result switch
            {
                ElementKind.Bool => $"(({e}) ? ({state})1 : ({state})0)",
                _ when !ElementKinds.IsFloatingPoint(Result) => $"(({state})({e}))",
                _ => $"({e})",
            };
            return Unary ? Wrap(Expression) + " + " + Wrap(Regex.Replace(Expression, @"\ba\b", "w")) : Wrap(Expression);
        }
    }

    /// <summary>A parameter of the scan: its name, kind and rank (of the value: a sequence's is its row's + 1), and whether its gradient is asked for.</summary>
    private sealed record Parameter(string Name, ElementKind Kind, int Rank, bool Sequence, bool Differentiated, int Operand);

    private sealed record Compiled(Assembly Assembly, List<GradientCase> Cases, List<string> Rejected);

    private static readonly Lazy<Compiled> Built = new(Build);

    /// <summary>Whether the op has a derivative rule in the generator's copy of the table (the rules its gradients use).</summary>
    private static bool HasRule(OpInfo row) => Generator::SymGen.Graph.OpTable.Get((Generator::SymGen.Graph.Op)(int)row.Op).Derivative is not null;

    private const double Tolerance = 1e-6, SingleTolerance = 1e-5, H = 1e-5;

    [Fact]
    public void EveryGeneratedOpGradientMatchesCentralDifferencesOfTheGeneratedForwardInDouble()
    {
        var compiled = Built.Value;
        var cases = compiled.Cases.Where(c => c.Floating == ElementKind.Float64).ToList();
        Assert.NotEmpty(cases);
        var random = new Random(21);
        var failures = new List<string>();
        foreach (var c in cases)
            for (int sample = 0; sample < 2 && failures.Count < 40; sample++)
                failures.AddRange(CheckAgainstDifferences(compiled.Assembly, c, random, minSteps: sample == 0 ? 1 : 0));
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s) of {cases.Count} scans:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// The interpreter's gradient (Tensor.Grad through the scan's generated graph, <c>RunGraph</c>) of the same loss
    /// gives the generated gradient's numbers: relative error at most 1e-9. Scans of matrix states are left out: their
    /// trace has rank 3, and the Tensor API's ops (the loss's Multiply and Sum) take ranks 0 to 2.
    /// </summary>
    [Fact]
    public void EveryGeneratedOpGradientEqualsTheInterpretersGradientOfTheScansGraph()
    {
        var compiled = Built.Value;
        var random = new Random(23);
        var failures = new List<string>();
        var cases = compiled.Cases.Where(c => c.Floating == ElementKind.Float64 && c.Application.ResultRank < 2).ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var failure = CheckAgainstInterpreter(compiled.Assembly, c, random);
            if (InterpreterGap(c) is { } gap)
            {
                // Pinned: when the interpreter learns it, the case leaves the list.
                if (failure is null || !failure.Contains(gap, StringComparison.Ordinal)) failures.Add($"{c}: listed as an interpreter gap ({gap}) but gave: {failure ?? "the generated numbers"}");
            }
            else if (failure is not null && failures.Count < 40) failures.Add(failure);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s) of {cases.Count} scans:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void FloatGeneratedGradientsAgreeWithTheirDoubleTwinsWithinFloatPrecision()
    {
        var compiled = Built.Value;
        var singles = compiled.Cases.Where(c => c.Floating == ElementKind.Float32).ToList();
        Assert.Equal(SingleOps.Length, singles.Select(c => c.Application.Row.Op).Distinct().Count());
        var random = new Random(22);
        var failures = new List<string>();
        foreach (var c in singles)
            failures.AddRange(CheckAgainstTwin(compiled.Assembly, c, compiled.Cases.Single(d => d.Id == c.Twin), random));
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s) of {singles.Count} float scans:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void EveryOpWithADerivativeRuleHasAGeneratedGradientCaseAndTheGeneratorAcceptsEveryOne()
    {
        var compiled = Built.Value;
        var covered = compiled.Cases.Where(c => c.Floating == ElementKind.Float64).Select(c => c.Application.Row.Op).ToHashSet();
        var missing = new List<string>(compiled.Rejected.Select(r => "rejected by the generator: " + r));
        foreach (var row in OpTableWalk.Computing.Where(HasRule))
            if (!covered.Contains(row.Op) && !NotCovered.ContainsKey(row.Op))
                missing.Add($"{row.Name}: no generated-gradient case (no form with a floating-point operand that C# spells in a step)");
        foreach (var op in NotCovered.Keys)
            Assert.False(covered.Contains(op), $"{op} is listed as not covered but has a case");
        Assert.True(missing.Count == 0, $"{missing.Count} gap(s) ({compiled.Cases.Count} scans compiled):\n" + string.Join("\n", missing));
    }

    // ---- One case ---------------------------------------------------------------------------------------------------

    private static Parameter[] Parameters(GradientCase c)
    {
        var ranks = c.Application.Ranks;
        // A tensor Select's mask is not differentiated: a step of h would change the branch taken.
        bool Differentiable(int i) => ElementKinds.IsFloatingPoint(c.Kinds[i]) && !(c.Application.Row.Op == Op.Select && i == 0);
        var list = new List<Parameter>
        {
            new("a", c.Kinds[0], ranks[0] + 1, true, Differentiable(0), 0),
            new("h0", c.State, c.Application.ResultRank, false, true, -1),
        };
        if (c.Unary) list.Add(new("w", c.Kinds[0], ranks[0], false, Differentiable(0), 0));
        else
            for (int i = 1; i < ranks.Length; i++)
                list.Add(new(((char)('a' + i)).ToString(), c.Kinds[i], ranks[i], false, Differentiable(i), i));
        return list.ToArray();
    }

    /// <summary>Inputs drawn for one call: each parameter's shape and elements.</summary>
    private sealed record Inputs(int Steps, int[][] Shapes, double[][] Values, int[] TraceShape, double[] Weights);

    private static Inputs Draw(GradientCase c, Parameter[] parameters, Random random, int minSteps)
    {
        int steps = random.Next(minSteps, 5);
        var dims = OpTableWalk.Dimensions(c.Application, random);
        var resultDims = OpTableWalk.Infer(c.Application.Row.Op, dims, c.Application.Axis)!;
        int indexBound = dims[0].Length > 0 ? dims[0][0] : 1;
        var shapes = parameters.Select(p => p.Operand < 0 ? resultDims : p.Sequence ? [steps, .. dims[p.Operand]] : dims[p.Operand]).ToArray();
        double Uniform(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        var values = parameters.Select((p, i) => Enumerable.Range(0, Count(shapes[i])).Select(_ =>
            p.Operand < 0 ? Uniform(-1, 1)
            : p.Kind == ElementKind.Bool ? random.Next(2)
            : ElementKinds.IsInteger(p.Kind) ? random.Next(indexBound)
            : SmoothOperands.Sample(c.Application.Row.Op, p.Operand, random)).ToArray()).ToArray();
        int[] traceShape = [steps, .. resultDims];
        var weights = Enumerable.Range(0, Count(traceShape)).Select(_ => (random.Next(2) == 0 ? -1 : 1) * Uniform(0.5, 1.5)).ToArray();
        return new Inputs(steps, shapes, values, traceShape, weights);
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The argument of this kind and shape: a scalar, Vec or Mat; a sequence as an array, Mat or Tensor3.</summary>
    private static object Value(ElementKind kind, int[] shape, bool sequence, double[] values)
    {
        var element = OpTableWalk.ElementType(kind);
        if (shape.Length == 0) return Convert.ChangeType(values[0], element);
        var data = Array.CreateInstance(element, values.Length);
        for (int i = 0; i < values.Length; i++) data.SetValue(Convert.ChangeType(values[i], element), i);
        if (sequence && shape.Length == 1) return data;
        var generic = shape.Length switch { 1 => typeof(Vec<>), 2 => typeof(Mat<>), _ => typeof(Tensor3<>) };
        object[] arguments = shape.Length switch { 1 => [data], 2 => [data, shape[0], shape[1]], _ => [data, shape[0], shape[1], shape[2]] };
        return Activator.CreateInstance(generic.MakeGenericType(element), arguments)!;
    }

    private static object[] Arguments(Parameter[] parameters, Inputs inputs, double[][] values) =>
        parameters.Select((p, i) => Value(p.Kind, inputs.Shapes[i], p.Sequence, values[i])).ToArray();

    /// <summary>Σ R·trace of the generated forward scan.</summary>
    private static double Loss(Type type, Parameter[] parameters, Inputs inputs, double[][] values)
    {
        var trace = OpTableWalk.Flatten(type.GetMethod("Run")!.Invoke(null, Arguments(parameters, inputs, values))!).Values;
        double sum = 0;
        for (int i = 0; i < trace.Length; i++) sum += inputs.Weights[i] * trace[i];
        return sum;
    }

    /// <summary>The generated gradients of the differentiated parameters, in their order.</summary>
    private static double[][] Gradients(Type type, GradientCase c, Parameter[] parameters, Inputs inputs, double[][] values)
    {
        var arguments = Arguments(parameters, inputs, values).ToList();
        arguments.Add(Value(c.State, inputs.TraceShape, sequence: true, inputs.Weights));
        int first = arguments.Count;
        arguments.AddRange(parameters.Where(p => p.Differentiated).Select(_ => (object?)null)!);
        var array = arguments.ToArray();
        type.GetMethod("RunGradient")!.Invoke(null, array);
        return array.Skip(first).Select(g => OpTableWalk.Flatten(g!).Values).ToArray();
    }

    private static string Where(GradientCase c, Inputs inputs) =>
        $"{c} ({inputs.Steps} steps; {string.Join("; ", inputs.Shapes.Select(s => "[" + string.Join(" x ", s) + "]"))})";

    private static IEnumerable<string> CheckAgainstDifferences(Assembly assembly, GradientCase c, Random random, int minSteps)
    {
        var type = assembly.GetType(c.Class)!;
        var parameters = Parameters(c);
        var inputs = Draw(c, parameters, random, minSteps);
        double[][] analytic;
        string? error = null;
        try { analytic = Gradients(type, c, parameters, inputs, inputs.Values); }
        catch (TargetInvocationException e) { analytic = []; error = $"{Where(c, inputs)}: the generated gradient threw {e.InnerException!.GetType().Name}: {e.InnerException.Message}"; }
        if (error is not null) { yield return error; yield break; }
        int k = 0;
        for (int p = 0; p < parameters.Length; p++)
        {
            if (!parameters[p].Differentiated) continue;
            var got = analytic[k++];
            if (got.Length != inputs.Values[p].Length)
            {
                yield return $"{Where(c, inputs)}: d{parameters[p].Name} has {got.Length} element(s), {parameters[p].Name} {inputs.Values[p].Length}";
                continue;
            }
            for (int e = 0; e < got.Length; e++)
            {
                var plus = inputs.Values.Select(v => (double[])v.Clone()).ToArray();
                var minus = inputs.Values.Select(v => (double[])v.Clone()).ToArray();
                plus[p][e] += H;
                minus[p][e] -= H;
                double fd = (Loss(type, parameters, inputs, plus) - Loss(type, parameters, inputs, minus)) / (2 * H);
                if (!(Math.Abs(got[e] - fd) <= Tolerance * Math.Max(1, Math.Abs(fd))))
                    yield return $"{Where(c, inputs)}: d{parameters[p].Name}[{e}] is {got[e]:R}, central differences {fd:R} (inputs {Describe(inputs.Values)})";
            }
        }
    }

    /// <summary>
    /// The interpreter's known failure on a case, or null. Tensor.Grad gives an input with no gradient path zeros of its
    /// shape (VariableGradients.ZerosLike: Fill), and Fill takes ranks 0 to 2: a sequence of matrices (rank 3) whose only
    /// path is through ArgMax or ArgMin (no gradient) throws.
    /// </summary>
    private static string? InterpreterGap(GradientCase c) =>
        c.Application.Ranks[0] == 2 && c.Application.Row.Op is Op.ArgMax or Op.ArgMin ? "Fill works on scalars, vectors and matrices" : null;

    private static string? CheckAgainstInterpreter(Assembly assembly, GradientCase c, Random random)
    {
        var type = assembly.GetType(c.Class)!;
        var parameters = Parameters(c);
        var inputs = Draw(c, parameters, random, minSteps: 1);
        var generated = Gradients(type, c, parameters, inputs, inputs.Values);
        object[] interpreted;
        try
        {
            var graph = (Function)type.GetProperty("RunGraph")!.GetValue(null)!;
            var trace = graph.Outputs[0];
            var weights = Tensor.Input("r", trace.Type);
            var cost = Tensor.Sum(trace * weights);
            var wrt = parameters.Select((p, i) => (p, i)).Where(x => x.p.Differentiated).Select(x => (Variable)graph.Inputs[x.i]).ToArray();
            var function = Tensor.Function(graph.Inputs.Append(weights), Tensor.Grad(cost, wrt));
            interpreted = function.Invoke([.. Arguments(parameters, inputs, inputs.Values), Value(c.State, inputs.TraceShape, sequence: true, inputs.Weights)]);
        }
        catch (Exception e)
        {
            return $"{Where(c, inputs)}: the interpreter's gradient threw {e.GetType().Name}: {e.Message}";
        }
        var names = parameters.Where(p => p.Differentiated).Select(p => p.Name).ToArray();
        for (int k = 0; k < generated.Length; k++)
        {
            var want = OpTableWalk.Flatten(interpreted[k]).Values;
            if (want.Length != generated[k].Length)
                return $"{Where(c, inputs)}: d{names[k]} has {generated[k].Length} element(s) generated, {want.Length} interpreted";
            for (int e = 0; e < want.Length; e++)
                if (!(Math.Abs(generated[k][e] - want[e]) <= 1e-9 * Math.Max(1, Math.Abs(want[e]))))
                    return $"{Where(c, inputs)}: d{names[k]}[{e}] is {generated[k][e]:R} generated, {want[e]:R} interpreted";
        }
        return null;
    }

    /// <summary>The float scan's gradients against its double twin's on the same float-rounded inputs.</summary>
    private static IEnumerable<string> CheckAgainstTwin(Assembly assembly, GradientCase single, GradientCase twin, Random random)
    {
        var parameters = Parameters(single);
        var inputs = Draw(single, parameters, random, minSteps: 1);
        inputs = inputs with
        {
            Values = inputs.Values.Select(v => v.Select(e => (double)(float)e).ToArray()).ToArray(),
            Weights = inputs.Weights.Select(e => (double)(float)e).ToArray(),
        };
        var got = Gradients(assembly.GetType(single.Class)!, single, parameters, inputs, inputs.Values);
        var want = Gradients(assembly.GetType(twin.Class)!, twin, Parameters(twin), inputs, inputs.Values);
        var names = parameters.Where(p => p.Differentiated).Select(p => p.Name).ToArray();
        for (int k = 0; k < got.Length; k++)
        {
            double scale = Math.Max(1, want[k].Select(Math.Abs).DefaultIfEmpty(0).Max());
            for (int e = 0; e < got[k].Length; e++)
                if (!(Math.Abs(got[k][e] - want[k][e]) <= SingleTolerance * scale))
                    yield return $"{Where(single, inputs)}: float d{names[k]}[{e}] is {got[k][e]:R}, the double twin's {want[k][e]:R}";
        }
    }

    private static string Describe(double[][] values) => string.Join("; ", values.Select(v => $"[{string.Join(", ", v.Select(e => e.ToString("G6")))}]"));

    // ---- The one source ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Every op form with a floating-point operand, in double, spelled once (the first C# spelling whose result is
    /// double, a bool or an integer); the float list in float (a conversion: to double), each with a double twin.
    /// </summary>
    private static List<GradientCase> Spell()
    {
        var cases = new List<GradientCase>();
        foreach (var row in OpTableWalk.Computing.Where(r => HasRule(r) && !NotCovered.ContainsKey(r.Op)))
            foreach (var application in OpTableWalk.Applications(row))
                foreach (var kinds in OpTableWalk.OperandKinds(application, ElementKind.Float64).Where(k => k.Any(ElementKinds.IsFloatingPoint)))
                {
                    var spelling = OpEmittedTableTests.Spellings(application, kinds)
                        .FirstOrDefault(s => s.Result == ElementKind.Float64 || !ElementKinds.IsFloatingPoint(s.Result) && application.ResultRank == 0);
                    if (spelling.Expression is not null)
                        cases.Add(new GradientCase(cases.Count, application, kinds, spelling.Result, spelling.Expression, ElementKind.Float64));
                }
        foreach (var row in OpTableWalk.Computing.Where(r => SingleOps.Contains(r.Op)))
            foreach (var application in OpTableWalk.Applications(row))
                foreach (var kinds in OpTableWalk.OperandKinds(application, ElementKind.Float32).Where(k => k.Any(ElementKinds.IsFloatingPoint)))
                {
                    var spelling = OpEmittedTableTests.Spellings(application, kinds)
                        .FirstOrDefault(s => s.Result == (row.Op == Op.Convert ? ElementKind.Float64 : ElementKind.Float32));
                    if (spelling.Expression is null) continue;
                    var single = new GradientCase(cases.Count, application, kinds, spelling.Result, spelling.Expression, ElementKind.Float32);
                    cases.Add(single);
                    // The twin: the double case of the same form and expression when there is one (a conversion has none).
                    var twinKinds = kinds.Select(k => k == ElementKind.Float32 ? ElementKind.Float64 : k).ToArray();
                    var twinExpression = spelling.Expression.Replace("System.MathF.", "System.Math.");
                    var twin = cases.FirstOrDefault(d => d.Floating == ElementKind.Float64 && d.Application.Row.Op == row.Op
                        && d.Application.Ranks.SequenceEqual(application.Ranks) && d.Application.Axis == application.Axis
                        && d.Kinds.SequenceEqual(twinKinds) && d.Expression == twinExpression && d.Result == ElementKind.Float64);
                    if (twin is null)
                        cases.Add(twin = new GradientCase(cases.Count, application, twinKinds, ElementKind.Float64, twinExpression, ElementKind.Float64));
                    single.Twin = twin.Id;
                }
        return cases;
    }

    private static string Source(IEnumerable<GradientCase> cases, Dictionary<int, GradientCase> lines)
    {
        var source = new StringBuilder("using SymGen;\n");
        int line = 2; // after the using
        foreach (var c in cases)
        {
            var parameters = Parameters(c);
            string Type(ElementKind kind, int rank, bool sequence) =>
                sequence && rank == 1 ? ElementKinds.Keyword(kind) + "[]" : OpTableWalk.CSharpType(kind, rank);
            string Declared(Parameter p) => Type(p.Kind, p.Rank, p.Sequence);
            var rowParameters = parameters.Select(p => p.Operand < 0 ? $"{Type(c.State, p.Rank, false)} h" : $"{Type(p.Kind, p.Rank - (p.Sequence ? 1 : 0), false)} {p.Name}");
            string state = Type(c.State, c.Application.ResultRank, false), trace = Type(c.State, c.Application.ResultRank + 1, true);
            var scanParameters = parameters.Select(p => (p.Sequence ? "[Sequence] " : p.Operand < 0 ? "[Initial] " : "") + Declared(p) + " " + p.Name);
            var gradientParameters = parameters.Select(p => Declared(p) + " " + p.Name)
                .Append($"{trace} dRun")
                .Concat(parameters.Where(p => p.Differentiated).Select(p => $"out {Declared(p)} d{p.Name}"));
            string[] text =
            [
                $"public static partial class {c.Class}",
                "{",
                $"    public static {state} Step({string.Join(", ", rowParameters)}) => h * {c.Half} + {c.Term()};",
                "    [Symbolic(nameof(Step))]",
                $"    public static partial {trace} Run({string.Join(", ", scanParameters)});",
                "    [Gradient(nameof(Run))]",
                $"    public static partial void RunGradient({string.Join(", ", gradientParameters)});",
                "}",
            ];
            foreach (var t in text)
            {
                source.Append(t).Append('\n');
                lines[line++] = c;
            }
        }
        return source.ToString();
    }

    /// <summary>
    /// Compiles every case at once. A case the generator rejects, or whose generated code does not compile, is a gap
    /// (<see cref="Compiled.Rejected"/>, with its first error); the rest are compiled again without it.
    /// </summary>
    private static Compiled Build()
    {
        var cases = Spell();
        var rejected = new List<string>();
        for (int attempt = 0; ; attempt++)
        {
            var lines = new Dictionary<int, GradientCase>();
            var run = GeneratorHarness.Run(Source(cases, lines));
            var errors = run.AllDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0)
            {
                using var stream = new System.IO.MemoryStream();
                var emit = run.Output.Emit(stream);
                Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
                stream.Position = 0;
                var context = new System.Runtime.Loader.AssemblyLoadContext("OpGradients", isCollectible: true);
                context.Resolving += (_, name) => name.Name == "SymGen" ? typeof(SymbolicAttribute).Assembly : null;
                return new Compiled(context.LoadFromStream(stream), cases, rejected);
            }
            Assert.True(attempt < 2, "The op gradients' scans do not compile:\n" + string.Join("\n", errors.Take(20)));
            var dropped = new HashSet<GradientCase>();
            foreach (var error in errors)
            {
                var c = CaseOf(error, lines, cases);
                Assert.True(c is not null, "An error outside the op gradients' cases: " + error);
                if (dropped.Add(c!)) rejected.Add($"{c}: {error.Id} {error.GetMessage()}");
            }
            // A float case goes with its twin, and a twin with its float case.
            foreach (var c in cases.Where(c => c.Twin >= 0 && (dropped.Contains(c) || dropped.Any(d => d.Id == c.Twin))).ToList())
            {
                dropped.Add(c);
                dropped.Add(cases.Single(d => d.Id == c.Twin));
            }
            cases = cases.Where(c => !dropped.Contains(c)).ToList();
        }
    }

    /// <summary>The case an error is in: by line in the source, by class name in the generated code.</summary>
    private static GradientCase? CaseOf(Diagnostic error, Dictionary<int, GradientCase> lines, List<GradientCase> cases)
    {
        var tree = error.Location.SourceTree;
        if (tree?.FilePath == "Source0.cs")
            return lines.GetValueOrDefault(error.Location.GetLineSpan().StartLinePosition.Line + 1);
        var match = Regex.Match(tree?.FilePath ?? "", @"Grad(\d+)\b");
        if (!match.Success) match = Regex.Match(tree?.ToString() ?? "", @"partial class Grad(\d+)\b");
        return match.Success ? cases.FirstOrDefault(c => c.Id == int.Parse(match.Groups[1].Value)) : null;
    }
}
