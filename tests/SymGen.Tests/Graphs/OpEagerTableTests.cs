using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>
/// The eager layer, walked from the op table: every op's eager forms found by reflection (the <c>Sym</c> functions
/// named by its row, in double and float; the Vec and Mat operators spelling its C# token; the indexers for Index),
/// each on random inputs against <see cref="OpReferences"/>. A new op's overloads are found and tested here with no
/// list to update.
/// </summary>
public class OpEagerTableTests
{
    /// <summary>One eager form of an op: a method, the application of the op it computes, its element type.</summary>
    public sealed record EagerCase(OpApplication Application, MethodInfo Method, ElementKind Element)
    {
        public override string ToString() => $"{Application} in {ElementKinds.Keyword(Element)}: {Method.DeclaringType!.Name}.{Method.Name}";
    }

    private static readonly Lazy<(List<EagerCase> Cases, List<string> Mismatches)> Found = new(Discover);

    /// <summary>The eager forms this layer tests (those with a reference), for the completeness test.</summary>
    public static IReadOnlyList<EagerCase> Cases => Found.Value.Cases.Where(c => OpReferences.Has(c.Application.Row)).ToList();

    /// <summary>The eager forms found whatever their reference.</summary>
    public static IReadOnlyList<EagerCase> AllForms => Found.Value.Cases;

    [Fact]
    public void EveryEagerFormIsTypedAndShapedAsTheTableSays() =>
        Assert.True(Found.Value.Mismatches.Count == 0, string.Join("\n", Found.Value.Mismatches));

    [Fact]
    public void EveryEagerFormMatchesTheReference()
    {
        Assert.NotEmpty(Cases);
        var failures = new List<string>();
        var random = new Random(11);
        foreach (var c in Cases)
            for (int sample = 0; sample < 12 && failures.Count < 40; sample++)
                if (Check(c, random) is { } failure) failures.Add(failure);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Check(EagerCase c, Random random)
    {
        var dims = OpTableWalk.Dimensions(c.Application, random);
        var parameters = c.Method.GetParameters();
        var arguments = new object[parameters.Length];
        var operands = new List<(int[], double[])>();
        for (int i = 0; i < c.Application.Ranks.Length; i++)
        {
            var kind = KindOf(ElementOf(parameters[i].ParameterType));
            arguments[i] = OpTableWalk.Value(kind, dims[i], random, indexBound: dims[0].Length > 0 ? dims[0][0] : 1);
            operands.Add(OpTableWalk.Flatten(arguments[i]));
        }
        if (parameters.Length > c.Application.Ranks.Length)
            arguments[^1] = c.Application.Row.HasText ? "label" : c.Application.Axis;
        bool single = c.Element == ElementKind.Float32;
        var expected = OpReferences.Compute(c.Application, operands, single)!;
        object result;
        try
        {
            // A print's text goes nowhere: its value is what this layer checks.
            using (Printing.To(System.IO.TextWriter.Null)) result = c.Method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e)
        {
            return $"{c} on {Describe(operands)} threw {e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }
        var (shape, values) = OpTableWalk.Flatten(result);
        if (!shape.SequenceEqual(expected.Shape))
            return $"{c} on {Describe(operands)}: shape ({string.Join(", ", shape)}), expected ({string.Join(", ", expected.Shape)})";
        // Scalar operands: the C# expression itself, bit for bit; tensors: the op's tolerance (vectorised kernels);
        // kernels that accumulate: the bound of a sum of their terms, n + 8 roundings of its magnitude.
        bool scalar = c.Application.Ranks.All(r => r == 0);
        double epsilon = single ? MathF.BitIncrement(1f) - 1f : Math.BitIncrement(1.0) - 1.0;
        int terms = operands.Max(o => o.Item2.Length);
        for (int i = 0; i < values.Length; i++)
        {
            double want = single ? (float)expected.Values[i] : expected.Values[i];
            long ulps = OpTableWalk.UlpsBetween(want, values[i], single);
            bool close = expected.Scale is null
                ? scalar ? ulps == 0 : OpTableWalk.WithinUlps(want, values[i], c.Application.Row.ToleranceUlps, single)
                : OpTableWalk.WithinUlps(want, values[i], c.Application.Row.ToleranceUlps, single) || Math.Abs(want - values[i]) <= (terms + 8) * epsilon * expected.Scale[i];
            if (!close)
                return $"{c} on {Describe(operands)}: element {i} is {values[i]:R}, expected {want:R} ({ulps} ulps apart)";
        }
        return null;
    }

    private static string Describe(List<(int[] Shape, double[] Values)> operands) =>
        string.Join("; ", operands.Select(o => $"[{string.Join(", ", o.Values.Select(v => v.ToString("R")))}]" + (o.Shape.Length == 2 ? $" ({o.Shape[0]} x {o.Shape[1]})" : "")));

    // ---- Discovery --------------------------------------------------------------------------------------------

    private static (List<EagerCase>, List<string>) Discover()
    {
        var cases = new List<EagerCase>();
        var mismatches = new List<string>();
        foreach (var row in OpTableWalk.Computing)
            foreach (var element in new[] { typeof(double), typeof(float) })
            {
                var vec = typeof(Vec<>).MakeGenericType(element);
                var mat = typeof(Mat<>).MakeGenericType(element);
                var methods = new List<(MethodInfo Method, bool Strict)>();
                if (row.SymMethod is { } name)
                    foreach (var m in typeof(Sym).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == name))
                        if (Close(m, element) is { } closed) methods.Add((closed, true));
                // Operators: == and != of Vec and Mat are equality of whole values, not this op: only those returning tensors count.
                if (row.CSharpToken is { } token && OpTableWalk.OperatorMethod(token, row.Arity) is { } op)
                    methods.AddRange(new[] { vec, mat }.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                        .Where(m => m.Name == op).Select(m => (m, false)));
                if (row.Shape == ShapeRule.Index)
                    methods.AddRange(new[] { vec, mat }.Select(t => t.GetMethod("get_Item", [typeof(int)])).OfType<MethodInfo>().Select(m => (m, true)));
                foreach (var (method, strict) in methods)
                {
                    var applications = ApplicationsOf(row, method, element);
                    if (applications.Count == 0 && strict)
                        mismatches.Add($"{row.Name}: {Signature(method)} takes operands the table's shape rule rejects");
                    foreach (var application in applications)
                    {
                    var kinds = OperandTypes(method).Take(application.Ranks.Length).Select(t => KindOf(ElementOf(t))).ToArray();
                    var kind = TypeRules.Infer(row.Op, kinds, application.ResultRank, out var error);
                    var expected = kind is null ? null : OpTableWalk.ClrType(kind.Value, application.ResultRank);
                    if (method.ReturnType != expected)
                    {
                        if (strict) mismatches.Add($"{row.Name}: {Signature(method)} returns {method.ReturnType.Name}; the table types it as {expected?.Name ?? error}");
                        break;
                    }
                    // A method on the instance (an indexer) takes its tensor as the first operand: called through a static shim.
                    cases.Add(new EagerCase(application, method.IsStatic ? method : Shim(method), KindOf(element)));
                    }
                }
            }
        return (cases, mismatches);
    }

    private static MethodInfo? Close(MethodInfo method, Type element)
    {
        if (!method.IsGenericMethodDefinition) return method;
        if (method.GetGenericArguments().Length != 1) return null;
        try
        {
            return method.MakeGenericMethod(element);
        }
        catch (ArgumentException)
        {
            return null; // a constraint the element type does not meet
        }
    }

    /// <summary>The applications of <paramref name="row"/> that <paramref name="method"/> computes (one per axis it takes), none when the table rejects it.</summary>
    private static List<OpApplication> ApplicationsOf(OpInfo row, MethodInfo method, Type element)
    {
        var types = OperandTypes(method);
        int[] axes = [-1];
        if (row.HasAxis && types.Count == row.Arity + 1 && types[^1] == typeof(int))
        {
            axes = [0, 1];
            types.RemoveAt(types.Count - 1);
        }
        // An op's text (Print's label) follows its operands.
        if (row.HasText && types.Count == row.Arity + 1 && types[^1] == typeof(string))
            types.RemoveAt(types.Count - 1);
        if (types.Count != row.Arity) return [];
        var ranks = types.Select(t => t == element || t == typeof(int) && row.Shape is ShapeRule.Index or ShapeRule.SetIndex ? 0
            : t.IsGenericType && t.GetGenericArguments()[0] == element && t.GetGenericTypeDefinition() == typeof(Vec<>) ? 1
            : t.IsGenericType && t.GetGenericArguments()[0] == element && t.GetGenericTypeDefinition() == typeof(Mat<>) ? 2 : -1).ToArray();
        if (ranks.Contains(-1)) return [];
        return OpTableWalk.Applications(row).Where(a => a.Ranks.SequenceEqual(ranks) && axes.Contains(a.Axis)).ToList();
    }

    /// <summary>The types of a method's operands: an instance method's (an indexer's) instance first.</summary>
    private static List<Type> OperandTypes(MethodInfo method) =>
        (method.IsStatic ? [] : new[] { method.DeclaringType! }).Concat(method.GetParameters().Select(p => p.ParameterType)).ToList();

    private static Type ElementOf(Type type) => type.IsGenericType ? type.GetGenericArguments()[0] : type;

    private static ElementKind KindOf(Type type) => ElementKinds.Of(Activator.CreateInstance(type))!.Value;

    private static string Signature(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>An instance method (an indexer) as a static one taking the instance first.</summary>
    private static MethodInfo Shim(MethodInfo method) =>
        typeof(OpEagerTableTests).GetMethod(nameof(CallIndexer), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(method.DeclaringType!, method.ReturnType);

    private static TResult CallIndexer<TTensor, TResult>(TTensor tensor, int index) =>
        (TResult)typeof(TTensor).GetMethod("get_Item", [typeof(int)])!.Invoke(tensor, [index])!;
}
