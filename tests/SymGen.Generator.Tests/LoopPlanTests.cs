extern alias Generator;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using SymGen.Generator.Model;
using SymGen.Generator.Planning;
using Xunit;
using Op = Generator::SymGen.Graph.Op;

namespace SymGen.Generator.Tests;

/// <summary>
/// The loop plan (LoopPlanner): its decisions on small scans, and the generated loops it lays out with every option
/// compiled, run and compared bit for bit with the default loops.
/// </summary>
public class LoopPlanTests
{
    /// <summary>Scans covering the plan's decisions: hoisting, can-throw, kernels, fusion, broadcasting, until, shared updates, register and trace taps.</summary>
    private const string Source = """
        using System;
        using SymGen;
        public static partial class S
        {
            // a * 2 depends only on a non-sequence: hoisted. k / d may throw: it stays in the loop.
            static double Poly(double x, double h, double a, int k, int d) => h * 0.5 + Math.Sin(x) * (a * 2) + k / d;
            [Symbolic(nameof(Poly))]
            public static partial double[] Scalar([Sequence] double[] x, [Initial] double h0, double a, int k, int d);

            // Two Dot kernels into buffers; Add, Add, Tanh fused into one loop over the trace row.
            static Vec<double> Elman(Vec<double> x, Vec<double> h, Mat<double> W, Mat<double> U, Vec<double> b) =>
                Sym.Tanh(Sym.Dot(W, h) + Sym.Dot(U, x) + b);
            [Symbolic(nameof(Elman))]
            public static partial Mat<double> Rnn([Sequence] Mat<double> xs, [Initial] Vec<double> h0, Mat<double> W, Mat<double> U, Vec<double> b);

            // A matrix state, a row vector broadcast in a fused loop, a node used three times, a kernel on it.
            static (Mat<double>, double) Grow(Mat<double> a, Mat<double> s, Vec<double> v, double c)
            {
                var z = s * 0.5 + a + v;
                return (Sym.Sigmoid(z) * (c * 3) - z, Sym.Sum(z * z));
            }
            [Symbolic(nameof(Grow))]
            public static partial (Tensor3<double> state, double[] energy) MatrixState([Sequence] Tensor3<double> a, [Initial(Output = "state")] Mat<double> s0, Vec<double> v, double c);

            // A while loop with an invariant factor.
            static (double, Until) Double(double h, double limit, double f) => (h * (f + 1), Until.When(h * (f + 1) > limit * 2));
            [Symbolic(nameof(Double))]
            public static partial double[] DoubleUntil([Initial] double start, double limit, double f, [Steps] int maxSteps);

            // Shared updates: two scalars and a vector.
            static (double, double, long, Vec<double>) Tally(double x, double total, long count, Vec<double> state, double scale) =>
                (total + scale * x, total + scale * x, count + 1, Sym.Tanh(state * (scale * 0.5) + x));
            [Symbolic(nameof(Tally))]
            public static partial double[] AddToTotal([Sequence] double[] values, [Update] Shared<double> total, [Update] Shared<long> count,
                [Update] Shared<Vec<double>> state, double scale);

            // Sequence taps, output taps in registers (-1, -3) and one read from the trace (-10).
            static double Filter(double xm3, double xp2, double ym1, double ym3, double ym10, double w) =>
                xm3 + 0.5 * xp2 + w * (ym1 - 0.25 * ym3) + 0.125 * ym10;
            [Symbolic(nameof(Filter))]
            public static partial double[] Taps([Sequence(-3, 2)] double[] x, [Initial(-1, -3, -10)] double[] y0, double w);

            // Integer state, two taps.
            static long Fib(long previous2, long previous1) => previous2 + previous1;
            [Symbolic(nameof(Fib))]
            public static partial long[] Fibonacci([Initial(-2, -1)] long[] first, [Steps] int count);
        }
        """;

    private static readonly LoopOptions NoFusion = new(Fuse: false);
    private static readonly LoopOptions NoHoisting = new(Hoist: false);
    private static readonly LoopOptions Observable = new(KeepEveryNodeObservable: true);

    public static TheoryData<string> OptionNames() => new() { nameof(NoFusion), nameof(NoHoisting), nameof(Observable) };

    private static LoopOptions Options(string name) => name switch
    {
        nameof(NoFusion) => NoFusion,
        nameof(NoHoisting) => NoHoisting,
        _ => Observable,
    };

    private static ScanSpec Plan(string scan, LoopOptions? options = null) => GeneratorHarness.Plan(Source, options ?? LoopOptions.Default).Scans[scan];

    private static StepNode Single(ScanSpec scan, Op op) => Assert.Single(scan.Step.Nodes, n => n.Op == op && scan.Plan.Nodes[n.Id].Live);

    private static NodeStorage StorageOf(ScanSpec scan, StepNode node) => scan.Plan.Nodes[node.Id].Storage;

    // ---- The plan's decisions ---------------------------------------------------------------------------------

    [Fact]
    public void ElmanWhIsABufferUxIsPrecomputedTheAddsFuseIntoTanhWrittenToTheTraceRow()
    {
        var scan = Plan("Rnn");
        var nodes = scan.Step.Nodes;
        var dots = nodes.Where(n => n.Op == Op.Dot).ToList();
        var adds = nodes.Where(n => n.Op == Op.Add).ToList();
        var tanh = Single(scan, Op.Tanh);
        Assert.Equal(2, dots.Count);
        // W h depends on the state: a buffer per step. U x does not: computed for every step before the loop.
        Assert.Equal(NodeStorage.Buffer, StorageOf(scan, dots[0]));
        Assert.Equal(NodeStorage.Precomputed, StorageOf(scan, dots[1]));
        Assert.Equal([dots[1].Id], scan.Plan.Precomputed.Select(p => p.Node));
        Assert.Equal(NodeStorage.Buffer, StorageOf(Plan("Rnn", LoopOptions.Default with { Precompute = false }), dots[1]));
        Assert.Equal(2, adds.Count);
        Assert.All(adds, a => Assert.Equal(NodeStorage.Fused, StorageOf(scan, a)));
        Assert.Equal(new NodePlan(true, NodeStorage.TraceRow, 0, false, false), scan.Plan.Nodes[tanh.Id]);

        var group = Assert.Single(scan.Plan.FusionGroups);
        Assert.Equal(tanh.Id, group.Node);
        Assert.Equal([adds[0].Id, adds[1].Id, tanh.Id], group.Members);
        var b = nodes.Single(n => n.Op == Op.Input && scan.Step.Arguments[n.Argument].Name == "b");
        Assert.Equal([dots[0].Id, dots[1].Id, b.Id], group.Operands);
        Assert.Empty(scan.Plan.Hoisted);
        Assert.Equal([0], scan.Plan.RegisterDepths);
    }

    [Fact]
    public void AScalarInvariantIsHoistedAnIntegerDivisionIsNotBecauseItCanThrow()
    {
        var scan = Plan("Scalar");
        var nodes = scan.Step.Nodes;
        var twice = Assert.Single(nodes, n => n.Op == Op.Multiply && n.Label == "a * 2");
        var division = Single(scan, Op.Divide);
        Assert.Equal(new NodePlan(true, NodeStorage.Register, -1, true, false), scan.Plan.Nodes[twice.Id]);
        Assert.Equal(new NodePlan(true, NodeStorage.Register, -1, false, true), scan.Plan.Nodes[division.Id]);
        Assert.Equal([twice.Id], scan.Plan.Hoisted);
        // Every node that reads the sequence or the state stays in the loop.
        Assert.All(nodes.Where(n => n.Op is not (Op.Input or Op.Constant) && n.Id != twice.Id), n => Assert.False(scan.Plan.Nodes[n.Id].Hoisted, n.Label));
        Assert.Equal([1], scan.Plan.RegisterDepths);

        // What the plan protects: with zero steps the step never runs, so dividing by zero does not throw; with one it does.
        var assembly = GeneratorHarness.Load(Source);
        Assert.Empty((double[])Call(assembly, "Scalar", Array.Empty<double>(), 0.0, 1.0, 1, 0)!);
        var thrown = Assert.Throws<TargetInvocationException>(() => Call(assembly, "Scalar", new[] { 1.0 }, 0.0, 1.0, 1, 0));
        Assert.IsType<DivideByZeroException>(thrown.InnerException);
    }

    [Fact]
    public void TapsDownToEightStepsLiveInRegistersDeeperOnesAreReadFromTheTrace()
    {
        var scan = Plan("Taps");
        Assert.Equal([3], scan.Plan.RegisterDepths);
        var taps = scan.Step.Arguments.Where(a => a.Source == StepArgumentSource.OutputTap).ToDictionary(a => a.Tap, scan.Plan.InRegister);
        Assert.Equal(new Dictionary<int, bool> { [-1] = true, [-3] = true, [-10] = false }, taps);
        Assert.Equal([2], Plan("Fibonacci").Plan.RegisterDepths);
    }

    [Fact]
    public void ANodeUsedMoreThanOnceOrReadByAKernelIsMaterialisedAndAVectorOperandIsBroadcast()
    {
        var scan = Plan("MatrixState");
        var nodes = scan.Step.Nodes;
        // z = s * 0.5 + a + v is used by Sigmoid, Subtract and twice by Multiply: a buffer of its own.
        var z = Assert.Single(nodes, n => n.Op == Op.Add && n.Inputs.Any(i => nodes[i].Op == Op.Input && scan.Step.Arguments[nodes[i].Argument].Name == "v"));
        Assert.Equal(NodeStorage.Buffer, StorageOf(scan, z));
        var zGroup = scan.Plan.FusionGroups.Single(g => g.Node == z.Id);
        Assert.Equal([Op.Multiply, Op.Add, Op.Add], zGroup.Members.Select(id => nodes[id].Op));
        Assert.Contains(zGroup.Operands, id => nodes[id].Type.Rank == 1);
        // z * z feeds Sum, a kernel: materialised, in a loop of its own.
        var square = Assert.Single(nodes, n => n.Op == Op.Multiply && n.Inputs.All(i => i == z.Id));
        Assert.Equal(NodeStorage.Buffer, StorageOf(scan, square));
        Assert.Equal(NodeStorage.Register, StorageOf(scan, Single(scan, Op.Sum)));
        // Sigmoid(z) * (c * 3) - z is the state: Sigmoid and Multiply fused into the Subtract, in the trace row.
        var result = nodes[scan.Step.Results[0]];
        Assert.Equal(new NodePlan(true, NodeStorage.TraceRow, 0, false, false), scan.Plan.Nodes[result.Id]);
        Assert.Equal(NodeStorage.Fused, StorageOf(scan, Single(scan, Op.Sigmoid)));
        var c3 = Assert.Single(nodes, n => n.Label == "c * 3");
        Assert.Equal([c3.Id], scan.Plan.Hoisted);
    }

    [Fact]
    public void OptionsTurnFusionAndHoistingOffAndThePlanIsAnEquatableValue()
    {
        var noFusion = Plan("MatrixState", NoFusion).Plan;
        Assert.DoesNotContain(noFusion.Nodes, n => n.Storage == NodeStorage.Fused);
        Assert.All(noFusion.FusionGroups, g => Assert.Equal([g.Node], g.Members));
        Assert.NotEmpty(noFusion.Hoisted);

        var noHoisting = Plan("MatrixState", NoHoisting).Plan;
        Assert.Empty(noHoisting.Hoisted);
        Assert.Contains(noHoisting.Nodes, n => n.Storage == NodeStorage.Fused);

        // Equal inputs give equal plans (the model's caching relies on it), different options different ones.
        Assert.Equal(Plan("MatrixState").Plan, Plan("MatrixState").Plan);
        Assert.Equal(Plan("MatrixState").Plan.GetHashCode(), Plan("MatrixState").Plan.GetHashCode());
        Assert.NotEqual(Plan("MatrixState").Plan, noFusion);
    }

    [Fact]
    public void KeepingEveryNodeObservableGivesEveryLiveNodeStorageOfItsOwnAndALocalOrBufferInTheCode()
    {
        var (scans, run) = GeneratorHarness.Plan(Source, Observable);
        var (defaults, _) = GeneratorHarness.Plan(Source, LoopOptions.Default);
        Assert.Contains(defaults.Values, s => s.Plan.Nodes.Any(n => n.Storage == NodeStorage.Fused));
        Assert.Contains(defaults.Values, s => s.Plan.Hoisted.Count > 0);
        foreach (var (name, scan) in scans)
        {
            var plan = scan.Plan;
            Assert.Empty(plan.Hoisted);
            var computed = scan.Step.Nodes.Where(n => plan.Nodes[n.Id].Live && n.Op is not (Op.Input or Op.Constant)).ToList();
            Assert.NotEmpty(computed);
            var code = run.GeneratedSources.Single(s => s.Key.EndsWith($".{name}.g.cs", StringComparison.Ordinal)).Value;
            foreach (var node in computed)
            {
                Assert.True(plan.Nodes[node.Id].Storage is NodeStorage.Register or NodeStorage.Buffer or NodeStorage.TraceRow, $"{name}: {node.Label} is {plan.Nodes[node.Id].Storage}");
                // Scalars: 'double n5 = ...'; tensors: 'global::System.Span<double> n5 = ...' (a buffer or the trace row).
                Assert.Matches(new Regex($@"(\b(bool|int|long|float|double)|global::System\.Span<\w+>) n{node.Id} = "), code);
            }
            // Each tensor node is a loop or a kernel call of its own: no loop computes two nodes.
            Assert.All(plan.FusionGroups, g => Assert.Single(g.Members));
            Assert.DoesNotContain("fused:", code);
        }
    }

    // ---- Every option gives the same results ------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void EveryOptionGivesTheDefaultResultsBitForBit(string option)
    {
        var (_, defaultRun) = GeneratorHarness.Plan(Source, LoopOptions.Default);
        var (_, optionRun) = GeneratorHarness.Plan(Source, Options(option));
        // The option changed the code (else this test compares a loop with itself).
        Assert.NotEqual(string.Concat(defaultRun.GeneratedSources.Values), string.Concat(optionRun.GeneratedSources.Values));

        var expected = Results(GeneratorHarness.Load(Source));
        var actual = Results(GeneratorHarness.Load(GeneratorHarness.Driver(new ScanGenerator(Options(option))), Source));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var scan in expected.Keys)
            Assert.True(expected[scan] == actual[scan], $"{scan} with {option}:\n{actual[scan]}\ninstead of\n{expected[scan]}");
    }

    [Fact]
    public void TheDefaultResultsAreRight()
    {
        var results = Results(GeneratorHarness.Load(Source));
        // Scalar: h = h * 0.5 + sin(x) * (a * 2) + k / d, as a C# loop.
        var random = new Random(11);
        var x = Values(random, 20);
        double h = 0.3;
        var scalar = x.Select(v => h = h * 0.5 + Math.Sin(v) * (1.7 * 2) + 7 / 2).ToArray();
        Assert.Equal(Bits(scalar), results["Scalar"]);
        Assert.Equal("2,3,5,8,13,21,34,55", results["Fibonacci"]);
    }

    private static object? Call(Assembly assembly, string method, params object?[] arguments) =>
        assembly.GetType("S")!.GetMethod(method)!.Invoke(null, arguments);

    private static double[] Values(Random random, int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1).ToArray();

    /// <summary>Every scan of <see cref="Source"/> run on fixed random inputs; its results (and shared variables) as exact bits.</summary>
    private static Dictionary<string, string> Results(Assembly assembly)
    {
        var random = new Random(11);
        var results = new Dictionary<string, string>
        {
            ["Scalar"] = Bits(Call(assembly, "Scalar", Values(random, 20), 0.3, 1.7, 7, 2)),
            ["Rnn"] = Bits(Call(assembly, "Rnn", new Mat<double>(Values(random, 6 * 3), 6, 3), new Vec<double>(Values(random, 4)),
                new Mat<double>(Values(random, 16), 4, 4), new Mat<double>(Values(random, 12), 4, 3), new Vec<double>(Values(random, 4)))),
            ["MatrixState"] = Bits(Call(assembly, "MatrixState", new Tensor3<double>(Values(random, 5 * 2 * 3), 5, 2, 3),
                new Mat<double>(Values(random, 6), 2, 3), new Vec<double>(Values(random, 3)), 0.7)),
            ["DoubleUntil"] = Bits(Call(assembly, "DoubleUntil", 0.25, 10.0, 0.5, 100)),
            ["Taps"] = Bits(Call(assembly, "Taps", Values(random, 30), Values(random, 10), 0.5)),
            ["Fibonacci"] = Bits(Call(assembly, "Fibonacci", new long[] { 1, 1 }, 8)),
        };
        var total = new Shared<double>("total", 0.5);
        var count = new Shared<long>("count", 3);
        var state = new Shared<Vec<double>>("state", new Vec<double>(Values(random, 3)));
        var trace = Call(assembly, "AddToTotal", Values(random, 12), total, count, state, 0.8);
        results["AddToTotal"] = $"{Bits(trace)} | {Bits(total.Value)} | {count.Value} | {Bits(state.Value)}";
        return results;
    }

    private static string Bits(object? value) => value switch
    {
        null => "null",
        double d => BitConverter.DoubleToInt64Bits(d).ToString("X16"),
        double[] a => SpanBits(a),
        long[] a => string.Join(",", a),
        Vec<double> v => SpanBits(v.Span),
        Mat<double> m => $"{m.Rows}x{m.Columns}: {SpanBits(m.Span)}",
        Tensor3<double> t => $"{t.Length}x{t.Rows}x{t.Columns}: {SpanBits(t.Span)}",
        ITuple tuple => string.Join(" | ", Enumerable.Range(0, tuple.Length).Select(i => Bits(tuple[i]))),
        _ => throw new ArgumentException($"No bits for {value.GetType()}", nameof(value)),
    };

    private static string SpanBits(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++) parts[i] = BitConverter.DoubleToInt64Bits(values[i]).ToString("X16");
        return string.Join(",", parts);
    }
}
