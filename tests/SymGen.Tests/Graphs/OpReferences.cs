using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using SymGen.Graph;

namespace SymGen.Tests.Graphs;

/// <summary>An expected result: its shape, its elements, and how much each may round by (null: the op's own tolerance in ulps).</summary>
public sealed record Expected(int[] Shape, double[] Values, double[]? Scale);

/// <summary>
/// Naive reference implementations of the op table's ops, written from each op's definition and not from the code
/// under test: elementwise ops through <c>System.Math</c> (<c>MathF</c> for float) or C#'s own operators, element by
/// element with Theano's broadcasting; the other ops one plain loop per shape rule. An op with a formula of its own,
/// a new reduction or a new row-wise function needs its line here (the completeness test says so).
/// </summary>
public static class OpReferences
{
    /// <summary>The reference of <paramref name="application"/> on these operands, or null when there is none.</summary>
    public static Expected? Compute(OpApplication application, IReadOnlyList<(int[] Shape, double[] Values)> x, bool single)
    {
        var row = application.Row;
        if (!Has(row)) return null;
        switch (row.Shape)
        {
            case ShapeRule.Elementwise:
                var f = Scalar(row, single)!;
                var shape = x.Select(o => o.Shape).MaxBy(s => s.Length)!;
                int count = shape.Aggregate(1, (a, b) => a * b);
                var values = new double[count];
                for (int i = 0; i < count; i++)
                    values[i] = f(x.Select(o => o.Values[o.Shape.Length == shape.Length ? i : o.Shape.Length == 0 ? 0 : i % shape[^1]]).ToArray());
                return new Expected(shape, values, null);
            case ShapeRule.Contraction:
                return Dot(x[0], x[1]);
            case ShapeRule.Reduction:
                var reduce = Reductions[row.Op];
                var m = x[0];
                if (application.Axis < 0)
                {
                    var (v, s) = reduce(m.Values);
                    return new Expected([], [v], [s]);
                }
                int rows = m.Shape[0], columns = m.Shape[1];
                var lines = application.Axis == 0
                    ? Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, rows).Select(r => m.Values[r * columns + c]).ToArray())
                    : Enumerable.Range(0, rows).Select(r => m.Values.Skip(r * columns).Take(columns).ToArray());
                var reduced = lines.Select(reduce).ToArray();
                return new Expected([reduced.Length], reduced.Select(p => p.Value).ToArray(), reduced.Select(p => p.Scale).ToArray());
            case ShapeRule.RowWise:
                int width = x[0].Shape[^1];
                var results = x[0].Values.Chunk(width).Select(RowWise[row.Op]).ToArray();
                return new Expected(x[0].Shape, results.SelectMany(r => r.Values).ToArray(), results.SelectMany(r => r.Scale).ToArray());
            case ShapeRule.Transpose:
                int n = x[0].Shape[0], k = x[0].Shape[1];
                return Exact([k, n], Enumerable.Range(0, n * k).Select(i => x[0].Values[(i % n) * k + i / n]));
            case ShapeRule.Outer:
                return Exact([x[0].Values.Length, x[1].Values.Length], x[0].Values.SelectMany(a => x[1].Values.Select(b => a * b)));
            case ShapeRule.Diagonal:
                return Exact([x[0].Shape[0]], Enumerable.Range(0, x[0].Shape[0]).Select(i => x[0].Values[i * x[0].Shape[0] + i]));
            case ShapeRule.SquareToScalar: // the trace
                var diagonal = Enumerable.Range(0, x[0].Shape[0]).Select(i => x[0].Values[i * x[0].Shape[0] + i]).ToArray();
                return new Expected([], [diagonal.Sum()], [diagonal.Sum(Math.Abs)]);
            case ShapeRule.Index:
                int at = (int)x[1].Values[0], rowWidth = x[0].Shape.Length == 2 ? x[0].Shape[1] : 1;
                return Exact(x[0].Shape[1..], x[0].Values.Skip(at * rowWidth).Take(rowWidth));
            case ShapeRule.SetIndex: // x, with row (element) x[2] replaced by x[1]
                int placedAt = (int)x[2].Values[0], placedWidth = x[1].Values.Length;
                return Exact(x[0].Shape, x[0].Values.Select((v, i) => i / placedWidth == placedAt ? x[1].Values[i % placedWidth] : v));
            case ShapeRule.Same: // Print: its operand unchanged
                return Exact(x[0].Shape, x[0].Values);
            case ShapeRule.SetDiagonal:
                int size = x[0].Shape[0];
                return Exact(x[0].Shape, x[0].Values.Select((v, i) => i / size == i % size ? x[1].Values[i / size] : v));
            default:
                return null;
        }
    }

    /// <summary>Whether there is a reference for <paramref name="row"/>.</summary>
    public static bool Has(OpInfo row) => row.Shape switch
    {
        ShapeRule.Elementwise => Scalar(row, single: false) is not null,
        ShapeRule.Reduction => Reductions.ContainsKey(row.Op),
        ShapeRule.RowWise => RowWise.ContainsKey(row.Op),
        ShapeRule.Contraction or ShapeRule.Transpose or ShapeRule.Outer or ShapeRule.Diagonal or ShapeRule.SquareToScalar or ShapeRule.Index
            or ShapeRule.SetIndex or ShapeRule.SetDiagonal or ShapeRule.Same => true,
        _ => false,
    };

    private static Expected Exact(int[] shape, IEnumerable<double> values) => new(shape, values.ToArray(), null);

    // ---- Elementwise: System.Math, C#'s operators, and the few formulas of the table's own -------------------------

    /// <summary>The op on scalars in double or float, operands and result as doubles (comparisons give 1 or 0, as masks do).</summary>
    public static Func<double[], double>? Scalar(OpInfo row, bool single)
    {
        if (row.MathMethod is { } method)
        {
            var type = single ? typeof(float) : typeof(double);
            var math = (single ? typeof(MathF) : typeof(Math)).GetMethod(method, Enumerable.Repeat(type, row.Arity).ToArray());
            if (math is null) return null;
            return x => Convert.ToDouble(math.Invoke(null, x.Select(v => single ? (object)(float)v : v).ToArray()));
        }
        if (Formulas.TryGetValue(row.Op, out var formula))
            return x => single ? formula(x.Select(v => (double)(float)v).ToArray(), true) : formula(x, false);
        if (row.CSharpToken is { } token && Operator(token, row.Arity, single) is { } op)
            return op;
        return null;
    }

    /// <summary>The ops defined by a formula of their own (OpEmit.Formula), written here again from their definitions.</summary>
    private static readonly Dictionary<Op, Func<double[], bool, double>> Formulas = new()
    {
        [Op.Select] = (x, _) => x[0] != 0 ? x[1] : x[2],
        [Op.Sigmoid] = (x, single) => single ? 1f / (1f + MathF.Exp(-(float)x[0])) : 1 / (1 + Math.Exp(-x[0])),
        [Op.Relu] = (x, single) => single ? MathF.Max((float)x[0], 0f) : Math.Max(x[0], 0),
        [Op.Fill] = (x, _) => x[1],
        [Op.Clip] = (x, single) => single ? MathF.Min(MathF.Max((float)x[0], (float)x[1]), (float)x[2]) : Math.Min(Math.Max(x[0], x[1]), x[2]),
    };

    /// <summary>C#'s operator <paramref name="token"/> on doubles or floats, compiled from an expression tree.</summary>
    private static Func<double[], double>? Operator(string token, int arity, bool single)
    {
        var type = single ? typeof(float) : typeof(double);
        var parameters = Enumerable.Range(0, arity).Select(i => Expression.Parameter(type, "x" + i)).ToArray();
        ExpressionType? kind = (token, arity) switch
        {
            ("-", 1) => ExpressionType.Negate, ("+", 2) => ExpressionType.Add, ("-", 2) => ExpressionType.Subtract,
            ("*", 2) => ExpressionType.Multiply, ("/", 2) => ExpressionType.Divide, ("%", 2) => ExpressionType.Modulo,
            ("<", 2) => ExpressionType.LessThan, ("<=", 2) => ExpressionType.LessThanOrEqual, (">", 2) => ExpressionType.GreaterThan,
            (">=", 2) => ExpressionType.GreaterThanOrEqual, ("==", 2) => ExpressionType.Equal, ("!=", 2) => ExpressionType.NotEqual,
            _ => null, // the logical operators take no floating-point operands
        };
        if (kind is null) return null;
        Expression body = arity == 1 ? Expression.MakeUnary(kind.Value, parameters[0], type) : Expression.MakeBinary(kind.Value, parameters[0], parameters[1]);
        if (body.Type == typeof(bool)) body = Expression.Condition(body, Expression.Constant(1.0, typeof(double)), Expression.Constant(0.0, typeof(double)));
        var compiled = Expression.Lambda(Expression.Convert(body, typeof(double)), parameters).Compile();
        return x => (double)compiled.DynamicInvoke(x.Select(v => single ? (object)(float)v : v).ToArray())!;
    }

    // ---- Kernel ops: naive loops in double, with the magnitude a sum of their terms may round by -------------------

    private static Expected Dot((int[] Shape, double[] Values) a, (int[] Shape, double[] Values) b)
    {
        // A vector is a row on the left and a column on the right.
        int n = a.Shape.Length == 2 ? a.Shape[0] : 1, k = a.Shape[^1], m = b.Shape.Length == 2 ? b.Shape[1] : 1;
        var values = new double[n * m];
        var scale = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int p = 0; p < k; p++)
                {
                    double term = a.Values[i * k + p] * b.Values[p * m + j];
                    values[i * m + j] += term;
                    scale[i * m + j] += Math.Abs(term);
                }
        int[] shape = (a.Shape.Length, b.Shape.Length) switch { (1, 1) => [], (2, 1) => [n], (1, 2) => [m], _ => [n, m] };
        return new Expected(shape, values, scale);
    }

    private static readonly Dictionary<Op, Func<double[], (double Value, double Scale)>> Reductions = new()
    {
        [Op.Sum] = x => (x.Sum(), x.Sum(Math.Abs)),
        [Op.Prod] = x => (x.Aggregate(1.0, (a, b) => a * b), Math.Abs(x.Aggregate(1.0, (a, b) => a * b))),
        [Op.Mean] = x => (x.Sum() / x.Length, x.Sum(Math.Abs) / x.Length),
        [Op.Max] = x => (x.Max(), 0),
        [Op.Min] = x => (x.Min(), 0),
        [Op.ArgMax] = x => (Array.IndexOf(x, x.Max()), 0),
        [Op.ArgMin] = x => (Array.IndexOf(x, x.Min()), 0),
        [Op.LogSumExp] = x =>
        {
            double max = x.Max(), log = Math.Log(x.Sum(v => Math.Exp(v - max)));
            return (max + log, Math.Abs(max) + Math.Abs(log) + 1);
        },
    };

    private static readonly Dictionary<Op, Func<double[], (double[] Values, double[] Scale)>> RowWise = new()
    {
        [Op.Softmax] = x =>
        {
            double max = x.Max(), sum = x.Sum(v => Math.Exp(v - max));
            var p = x.Select(v => Math.Exp(v - max) / sum).ToArray();
            return (p, p.Select(Math.Abs).ToArray());
        },
        [Op.LogSoftmax] = x =>
        {
            double max = x.Max(), log = Math.Log(x.Sum(v => Math.Exp(v - max)));
            return (x.Select(v => v - max - log).ToArray(), x.Select(v => Math.Abs(v - max) + Math.Abs(log) + 1).ToArray());
        },
    };
}
