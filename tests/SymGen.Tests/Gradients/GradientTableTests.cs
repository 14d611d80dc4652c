using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;
using SymGen.Tests.Graphs;
using Xunit;

namespace SymGen.Tests.Gradients;

/// <summary>
/// Every op's derivative rule, walked from the op table: for every rank and axis form its shape rule accepts (the
/// forms the other table-walking tests use), <c>cost = Sum(op(inputs) * R)</c> with fixed random weights R, its
/// Tensor.Grad evaluated by the interpreter against central finite differences of the interpreted cost.
/// </summary>
public class GradientTableTests
{
    /// <summary>Ops the walk does not build, each with where it is tested instead.</summary>
    public static readonly IReadOnlyDictionary<Op, string> NotWalked = new Dictionary<Op, string>
    {
        [Op.Convert] = "a conversion, not an op applied to operands: GradientTableTests.Convert_passes_the_gradient_through",
        [Op.Not] = "bools and integers only: no floating-point operand to differentiate",
        [Op.And] = "bools and integers only: no floating-point operand to differentiate",
        [Op.Or] = "bools and integers only: no floating-point operand to differentiate",
        [Op.Xor] = "bools and integers only: no floating-point operand to differentiate",
    };

    /// <summary>One walked case: an application of an op and its operand kinds.</summary>
    public sealed record GradientCase(OpApplication Application, ElementKind[] Kinds)
    {
        public override string ToString() => $"{Application} of {string.Join(", ", Kinds.Select(ElementKinds.Keyword))}";
    }

    public static IReadOnlyList<GradientCase> Cases(ElementKind floating) =>
        OpTableWalk.Computing.Where(r => !NotWalked.ContainsKey(r.Op))
            .SelectMany(row => OpTableWalk.Applications(row))
            .SelectMany(a => OpTableWalk.OperandKinds(a, floating).Select(k => new GradientCase(a, k)))
            .ToList();

    [Fact]
    public void EveryOpHasADerivativeRuleOrAnExplicitNoGradientEntryAndAWalkedCase()
    {
        var walked = Cases(ElementKind.Float64).Select(c => c.Application.Row.Op).ToHashSet();
        var missing = new List<string>();
        foreach (var row in OpTableWalk.Computing)
        {
            if (row.Derivative is null)
                missing.Add($"{row.Name}: no derivative rule, and no explicit no-gradient entry (a rule returning -1 for every operand) in DerivativeRules");
            if (!walked.Contains(row.Op) && !NotWalked.ContainsKey(row.Op))
                missing.Add($"{row.Name}: no case in the gradient walk (its shape rule accepts no floating-point operands)");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void EveryDerivativeRuleMatchesCentralDifferencesInDouble()
    {
        var cases = Cases(ElementKind.Float64);
        Assert.NotEmpty(cases);
        var random = new Random(12);
        var failures = new List<string>();
        using var quiet = Printing.To(System.IO.TextWriter.Null); // Print's rows print; their gradients are checked
        foreach (var c in cases)
            for (int sample = 0; sample < 3 && failures.Count < 40; sample++)
                failures.AddRange(Check(c, random));
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s) of {cases.Count} cases:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void FloatGradientsAgreeWithDoubleOnesWithinFloatPrecision()
    {
        Op[] ops = [Op.Tanh, Op.Sigmoid, Op.Multiply, Op.Divide, Op.Exp, Op.Dot, Op.Sum, Op.Mean, Op.Max, Op.Softmax, Op.LogSoftmax, Op.LogSumExp, Op.Index, Op.Trace];
        var cases = Cases(ElementKind.Float32).Where(c => ops.Contains(c.Application.Row.Op)).ToList();
        Assert.Equal(ops.Length, cases.Select(c => c.Application.Row.Op).Distinct().Count());
        var random = new Random(13);
        var failures = new List<string>();
        foreach (var c in cases)
            failures.AddRange(CheckSingle(c, random));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Convert_passes_the_gradient_through()
    {
        var x = Tensor.Input("x", new TensorType(ElementKind.Float32, 0));
        var cost = Tensor.Convert(x, ElementKind.Float64) * 3.0;
        var grad = Tensor.Grad(cost, x).Single();
        Assert.Equal(new TensorType(ElementKind.Float32, 0), grad.Type);
        Assert.Equal(3f, (float)Tensor.Function([x], [grad]).Invoke(0.5f)[0]);
    }

    // ---- One case --------------------------------------------------------------------------------------------------

    /// <summary>A graph of one op: its inputs, the weights, the cost, and which inputs are differentiated.</summary>
    private sealed record Built(InputVariable[] Operands, InputVariable Weights, Variable Cost, int[] Differentiated, int[][] Dims);

    private static Built Build(GradientCase c, Random random)
    {
        var application = c.Application;
        var dims = OpTableWalk.Dimensions(application, random);
        var operands = application.Ranks.Select((rank, i) => Tensor.Input($"x{i}", new TensorType(c.Kinds[i], rank))).ToArray();
        var y = Apply(application, operands);
        var floating = y.Type.Element is ElementKind.Float32 or ElementKind.Float64 ? y.Type.Element : ElementKind.Float64;
        var weights = Tensor.Input("r", new TensorType(floating, y.Type.Rank));
        Variable cost = y.Type switch
        {
            { Rank: > 0 } => Tensor.Sum(y * weights),
            { Element: ElementKind.Bool } => Tensor.Where(y, Tensor.Constant(1.0), Tensor.Constant(0.0)) * weights,
            { Element: ElementKind.Int32 or ElementKind.Int64 } => Tensor.Convert(y, ElementKind.Float64) * weights,
            _ => y * weights,
        };
        // A mask condition (a tensor Select's first operand) is not differentiated: its values are 0 or 1, where a
        // step of h would change the branch taken.
        var differentiated = Enumerable.Range(0, operands.Length)
            .Where(i => ElementKinds.IsFloatingPoint(c.Kinds[i]) && !(application.Row.Op == Op.Select && i == 0)).ToArray();
        return new Built(operands, weights, cost, differentiated, dims);
    }

    private static Variable Apply(OpApplication application, Variable[] operands) =>
        application.Row.Op == Op.Print ? Tensor.Print(operands[0], "x")
            : Tensor.Apply(application.Row.Op, application.Axis, operands);

    private static object[] Arguments(GradientCase c, Built built, double[][] values, double[] weights, bool single)
    {
        object Value(ElementKind kind, int[] dims, double[] v) => kind switch
        {
            ElementKind.Bool => v[0] != 0,
            ElementKind.Int32 => (int)v[0],
            ElementKind.Int64 => (long)v[0],
            _ when single => dims.Length switch
            {
                0 => (float)v[0],
                1 => new Vec<float>(v.Select(e => (float)e).ToArray()),
                _ => (object)new Mat<float>(v.Select(e => (float)e).ToArray(), dims[0], dims[1]),
            },
            _ => dims.Length switch
            {
                0 => v[0],
                1 => new Vec<double>((double[])v.Clone()),
                _ => (object)new Mat<double>((double[])v.Clone(), dims[0], dims[1]),
            },
        };
        var arguments = built.Operands.Select((o, i) => Value(c.Kinds[i], built.Dims[i], values[i])).ToList();
        arguments.Add(Value(built.Weights.Type.Element, ShapeOfResult(built), weights));
        return arguments.ToArray();
    }

    // The weights have the op's result shape: the table's shape rule on the operands' dimensions.
    private static int[] ShapeOfResult(Built built)
    {
        var apply = (ApplyVariable)FindOp(built.Cost, built.Operands);
        return OpTableWalk.Infer(apply.Op, built.Dims, apply.Axis)!;
    }

    /// <summary>The op node applied to the operands (the one node whose inputs are operands).</summary>
    private static Variable FindOp(Variable cost, InputVariable[] operands)
    {
        var stack = new Stack<Variable>([cost]);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (v is ApplyVariable a && a.Inputs.Count == operands.Length && a.Inputs.SequenceEqual(operands)) return a;
            foreach (var i in v.Inputs) stack.Push(i);
        }
        throw new InvalidOperationException("The op's node is not in the cost.");
    }

    private static double[][] Draw(GradientCase c, Built built, Random random) =>
        built.Operands.Select((o, i) =>
        {
            int count = built.Dims[i].Aggregate(1, (a, b) => a * b);
            if (ElementKinds.IsInteger(c.Kinds[i])) return [random.Next(built.Dims[0][0])];
            if (c.Kinds[i] == ElementKind.Bool) return [random.Next(2)];
            return Enumerable.Range(0, count).Select(_ => SmoothOperands.Sample(c.Application.Row.Op, i, random)).ToArray();
        }).ToArray();

    private static double[] Flat(object value) => value switch
    {
        double d => [d],
        float f => [f],
        Vec<double> v => v.ToArray(),
        Vec<float> v => v.ToArray().Select(e => (double)e).ToArray(),
        Mat<double> m => m.Span.ToArray(),
        Mat<float> m => m.Span.ToArray().Select(e => (double)e).ToArray(),
        _ => throw new InvalidOperationException($"Unexpected result {value.GetType().Name}."),
    };

    private static IEnumerable<string> Check(GradientCase c, Random random)
    {
        var built = Build(c, random);
        var values = Draw(c, built, random);
        var weights = Enumerable.Range(0, ShapeOfResult(built).Aggregate(1, (a, b) => a * b)).Select(_ => (random.Next(2) == 0 ? -1 : 1) * (0.5 + random.NextDouble())).ToArray();
        var inputs = built.Operands.Append(built.Weights).ToArray();
        var wrt = built.Differentiated.Select(i => (Variable)built.Operands[i]).ToArray();
        if (wrt.Length == 0) yield break;
        Variable[] grads;
        string? error = null;
        try { grads = Tensor.Grad(built.Cost, wrt); }
        catch (Exception e) { grads = []; error = $"{c}: Tensor.Grad threw {e.GetType().Name}: {e.Message}"; }
        if (error is not null) { yield return error; yield break; }
        var costF = Tensor.Function(inputs, [built.Cost]);
        var gradF = Tensor.Function(inputs, grads);
        double Cost(double[][] v) => (double)costF.Invoke(Arguments(c, built, v, weights, single: false))[0];
        object[] analytic;
        try { analytic = gradF.Invoke(Arguments(c, built, values, weights, single: false)); }
        catch (Exception e) { analytic = []; error = $"{c}: the gradient threw {e.GetType().Name}: {e.Message}"; }
        if (error is not null) { yield return error; yield break; }
        const double h = 1e-5;
        for (int k = 0; k < wrt.Length; k++)
        {
            int operand = built.Differentiated[k];
            var got = Flat(analytic[k]);
            if (got.Length != values[operand].Length)
            {
                yield return $"{c}: the gradient of x{operand} has {got.Length} element(s), the operand {values[operand].Length}";
                continue;
            }
            for (int e = 0; e < got.Length; e++)
            {
                var plus = values.Select(v => (double[])v.Clone()).ToArray();
                var minus = values.Select(v => (double[])v.Clone()).ToArray();
                plus[operand][e] += h;
                minus[operand][e] -= h;
                double fd = (Cost(plus) - Cost(minus)) / (2 * h);
                if (!(Math.Abs(got[e] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd))))
                    yield return $"{c}: d cost / d x{operand}[{e}] is {got[e]:R}, central differences {fd:R} (operands {Describe(values)})";
            }
        }
    }

    /// <summary>The float graph's gradient against the double graph's on the same (float-rounded) values: within float precision.</summary>
    private static IEnumerable<string> CheckSingle(GradientCase c, Random random)
    {
        var built = Build(c, random);
        var doubleCase = c with { Kinds = c.Kinds.Select(k => k == ElementKind.Float32 ? ElementKind.Float64 : k).ToArray() };
        var doubleBuilt = Build(doubleCase, new Random(0)) with { Dims = built.Dims };
        var values = Draw(c, built, random).Select(v => v.Select(e => (double)(float)e).ToArray()).ToArray();
        var weights = Enumerable.Range(0, ShapeOfResult(built).Aggregate(1, (a, b) => a * b)).Select(_ => (double)(float)(0.5 + random.NextDouble())).ToArray();
        var single = Tensor.Function(built.Operands.Append(built.Weights), Tensor.Grad(built.Cost, built.Differentiated.Select(i => (Variable)built.Operands[i]).ToArray()))
            .Invoke(Arguments(c, built, values, weights, single: true));
        var reference = Tensor.Function(doubleBuilt.Operands.Append(doubleBuilt.Weights), Tensor.Grad(doubleBuilt.Cost, doubleBuilt.Differentiated.Select(i => (Variable)doubleBuilt.Operands[i]).ToArray()))
            .Invoke(Arguments(doubleCase, doubleBuilt, values, weights, single: false));
        Assert.All(single.Take(built.Differentiated.Length), g => Assert.True(g is float or Vec<float> or Mat<float>, $"{c}: a float graph's gradient is {g.GetType().Name}"));
        for (int k = 0; k < single.Length; k++)
        {
            double[] got = Flat(single[k]), want = Flat(reference[k]);
            double scale = Math.Max(1, want.Max(Math.Abs));
            for (int e = 0; e < got.Length; e++)
                if (!(Math.Abs(got[e] - want[e]) <= 1e-5 * scale))
                    yield return $"{c}: float gradient {got[e]:R}, double {want[e]:R} (element {e} of operand {built.Differentiated[k]})";
        }
    }

    private static string Describe(double[][] values) => string.Join("; ", values.Select(v => $"[{string.Join(", ", v.Select(e => e.ToString("R")))}]"));
}
