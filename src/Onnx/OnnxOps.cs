using System;
using System.Collections.Generic;
using System.Linq;
using SymGen.Graph;

namespace SymGen.Onnx;

/// <summary>
/// How each op of the op table is written in ONNX, with C#'s semantics (the generated loop's): operands converted
/// to the type the op computes in (C#'s promotions, as the op's type rule says), masks for tensor comparisons, C#'s
/// truncating integer division. An op with no ONNX form is in <see cref="Refused"/>, with the reason.
/// </summary>
internal static class OnnxOps
{
    /// <summary>The ops ONNX cannot express, and why: the export refuses them with an <see cref="OnnxExportException"/>.</summary>
    public static readonly IReadOnlyDictionary<Op, string> Refused = new Dictionary<Op, string>
    {
        [Op.Print] = "it writes to SymGen's Printing.Writer each step, an effect ONNX has no op for (remove the Print to export the scan)",
        [Op.Atan2] = "ONNX has no atan2, and ONNX Runtime's Atan has no double kernel to compose one from",
    };

    /// <summary>Whether a node whose operands do not change from step to step may be computed once, before the loop.
    /// Not when ONNX Runtime would fail on it where the loop (of perhaps no steps) would not run it: an index out of range.</summary>
    public static bool MayHoist(ApplyVariable a) => (bool)Hoistable.GetValue(a, static a =>
        OpTable.Get(a.Op).Effect == OpEffect.Pure && a.Op is not (Op.Index or Op.SetIndex) && a.Inputs.All(i => i is not ApplyVariable o || MayHoist(o)));

    // Remembered per node: a graph shares its nodes, so walking every path could take exponential time.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ApplyVariable, object> Hoistable = new();

    private static ElementKind Promoted(IEnumerable<Variable> operands)
    {
        var kind = ElementKind.Int32;
        foreach (var o in operands) kind = ElementKinds.Promote(kind, o.Type.Element);
        return kind;
    }

    /// <summary>The nodes computing <paramref name="a"/> from its operands' values <paramref name="x"/> (for all steps at once: <paramref name="forAllSteps"/>).</summary>
    public static string Write(Scope s, ApplyVariable a, string[] x, bool forAllSteps = false)
    {
        var info = OpTable.Get(a.Op);
        if (Refused.TryGetValue(a.Op, out var reason))
            throw new OnnxExportException(a.Op, reason, a.Label ?? a.Name);
        var result = a.Type.Element;
        string doc = (a.Label ?? a.Name ?? "") + (forAllSteps ? " for every step" : "");
        string name = a.Name is { } given ? (forAllSteps ? s.Writer.Fresh(given + "_all") : given) : s.Writer.Fresh(info.Name);

        // The kind the op computes in: the result's, but the operands' promotion for comparisons and Select's branches.
        string[] As(ElementKind kind, params int[] which)
        {
            var converted = (string[])x.Clone();
            foreach (int i in which)
                if (a.Inputs[i].Type.Element != kind) converted[i] = s.Cast(x[i], kind);
            return converted;
        }
        int[] all = Enumerable.Range(0, x.Length).ToArray();
        string Node(string op, string[] inputs, params global::Onnx.AttributeProto[] attributes) => s.Add(op, inputs, null, name, doc, attributes);

        switch (a.Op)
        {
            case Op.Convert:
                return a.Inputs[0].Type.Element == result ? Node("Identity", x) : Node("Cast", x, Scope.Int("to", (int)OnnxExport.DataType(result)));
            case Op.Negate:
                return Node("Neg", As(result, all));
            case Op.Not:
                return Node(result == ElementKind.Bool ? "Not" : "BitwiseNot", As(result, all));
            case Op.Add: return Node("Add", As(result, all));
            case Op.Subtract: return Node("Sub", As(result, all));
            case Op.Multiply: return Node("Mul", As(result, all));
            case Op.Divide or Op.Remainder when ElementKinds.IsInteger(result):
                return IntegerDivision(s, a.Op, As(result, all), result, name, doc);
            case Op.Divide: return Node("Div", As(result, all));
            case Op.Remainder: return Node("Mod", As(result, all), Scope.Int("fmod", 1));
            case Op.Less or Op.LessOrEqual or Op.Greater or Op.GreaterOrEqual or Op.Equal or Op.NotEqual:
            {
                var kind = a.Inputs.All(i => i.Type.Element == ElementKind.Bool) ? ElementKind.Bool : Promoted(a.Inputs);
                var operands = As(kind, all);
                string test = a.Op switch
                {
                    Op.Less => "Less", Op.LessOrEqual => "LessOrEqual", Op.Greater => "Greater",
                    Op.GreaterOrEqual => "GreaterOrEqual", _ => "Equal",
                };
                if (result == ElementKind.Bool && a.Op != Op.NotEqual) return Node(test, operands);
                var truth = s.Add(test, operands, null, null, doc);
                if (a.Op == Op.NotEqual) truth = result == ElementKind.Bool ? Node("Not", [truth]) : s.Add("Not", [truth], null, null, doc);
                // A tensor comparison is a mask of 1s and 0s of the operands' type.
                return result == ElementKind.Bool ? truth : Node("Cast", [truth], Scope.Int("to", (int)OnnxExport.DataType(result)));
            }
            case Op.And or Op.Or or Op.Xor:
            {
                string op = a.Op.ToString();
                return Node(result == ElementKind.Bool ? op : "Bitwise" + op, As(result, all));
            }
            case Op.Select:
            {
                var operands = As(result, 1, 2);
                // A tensor condition is a mask: non-zero (NaN too) picks the first branch, as C#'s != 0.
                var condition = a.Inputs[0].Type.Element == ElementKind.Bool ? x[0] : s.Cast(x[0], ElementKind.Bool);
                return Node("Where", [condition, operands[1], operands[2]]);
            }
            case Op.Abs: return Node("Abs", As(result, all));
            case Op.Sqrt: return Node("Sqrt", As(result, all));
            case Op.Exp: return Node("Exp", As(result, all));
            case Op.Log: return Node("Log", As(result, all));
            case Op.Log2 or Op.Log10:
            {
                // log2 x = ln x / ln 2, to a few ulps (ONNX has only the natural logarithm).
                var ln = s.Add("Log", As(result, all), null, null, doc);
                return Node("Mul", [ln, s.Scalar(a.Op == Op.Log2 ? 1 / Math.Log(2) : 1 / Math.Log(10), result)]);
            }
            case Op.Cbrt:
            {
                // cbrt x = sign(x) |x|^(1/3), to a few ulps (ONNX has no cube root).
                var v = As(result, all)[0];
                var magnitude = s.Add("Pow", [s.Add("Abs", [v], null, null, doc), s.Scalar(1.0 / 3, result)], null, null, doc);
                return Node("Mul", [s.Add("Sign", [v], null, null, doc), magnitude]);
            }
            case Op.Tan when result == ElementKind.Float64:
            {
                // ONNX Runtime's CPU Tan is float only: sin / cos, to a few ulps.
                var v = As(result, all)[0];
                return Node("Div", [s.Add("Sin", [v], null, null, doc), s.Add("Cos", [v], null, null, doc)]);
            }
            case Op.Cosh when result == ElementKind.Float64:
            {
                // ONNX Runtime's CPU Cosh is float only: (e^x + e^-x) / 2.
                var v = As(result, all)[0];
                var sum = s.Add("Add", [s.Add("Exp", [v], null, null, doc), s.Add("Exp", [s.Add("Neg", [v], null, null, doc)], null, null, doc)], null, null, doc);
                return Node("Mul", [sum, s.Scalar(0.5, result)]);
            }
            case Op.Sinh when result == ElementKind.Float64:
            {
                // ONNX Runtime's CPU Sinh is float only: (e^x - e^-x) / 2 from |x| = 1 on, and 2t / (1 - t²) with
                // t = tanh(x/2) below, where the difference of exponentials would cancel.
                var v = As(result, all)[0];
                var half = s.Scalar(0.5, result);
                var large = s.Add("Mul", [s.Add("Sub", [s.Add("Exp", [v], null, null, doc), s.Add("Exp", [s.Add("Neg", [v], null, null, doc)], null, null, doc)], null, null, doc), half], null, null, doc);
                var t = s.Add("Tanh", [s.Add("Mul", [v, half], null, null, doc)], null, null, doc);
                var one = s.Scalar(1, result);
                var small = s.Add("Div", [s.Add("Add", [t, t], null, null, doc), s.Add("Sub", [one, s.Add("Mul", [t, t], null, null, doc)], null, null, doc)], null, null, doc);
                var below = s.Add("Less", [s.Add("Abs", [v], null, null, doc), one], null, null, doc);
                return Node("Where", [below, small, large]);
            }
            case Op.Sin or Op.Cos or Op.Tan or Op.Asin or Op.Acos or Op.Atan or Op.Sinh or Op.Cosh or Op.Tanh or Op.Floor or Op.Round:
                return Node(a.Op.ToString(), As(result, all));
            case Op.Ceiling: return Node("Ceil", As(result, all));
            case Op.Truncate:
            {
                // Toward zero: ceiling below zero, floor above (ONNX has no trunc).
                var v = As(result, all)[0];
                var negative = s.Add("Less", [v, s.Scalar(0, result)], null, null, doc);
                return Node("Where", [negative, s.Add("Ceil", [v], null, null, doc), s.Add("Floor", [v], null, null, doc)]);
            }
            case Op.Sign:
            {
                // Math.Sign gives an int for a scalar; Sym.Sign the operand's type for a tensor.
                var sign = a.Inputs[0].Type.Element == result ? Node("Sign", x) : s.Add("Sign", x, null, null, doc);
                return a.Inputs[0].Type.Element == result ? sign : Node("Cast", [sign], Scope.Int("to", (int)OnnxExport.DataType(result)));
            }
            case Op.Pow: return Node("Pow", As(result, all));
            case Op.Maximum: return Node("Max", As(result, all));
            case Op.Minimum: return Node("Min", As(result, all));
            case Op.FusedMultiplyAdd:
            {
                // ONNX has no fused multiply-add: a * b + c, rounded twice.
                var v = As(result, all);
                return Node("Add", [s.Add("Mul", [v[0], v[1]], null, null, doc), v[2]]);
            }
            case Op.Sigmoid: return Node("Sigmoid", As(result, all));
            case Op.Relu: return Node("Max", [As(result, all)[0], s.Scalar(0, result)]);
            case Op.Clip:
            {
                var v = As(result, all);
                return Node("Min", [s.Add("Max", [v[0], v[1]], null, null, doc), v[2]]);
            }
            case Op.Dot:
                return Dot(s, a, As(result, all), name, doc);
            case Op.Sum or Op.Prod or Op.Mean or Op.Max or Op.Min or Op.LogSumExp:
            {
                string op = a.Op switch
                {
                    Op.Sum => "ReduceSum", Op.Prod => "ReduceProd", Op.Mean => "ReduceMean",
                    Op.Max => "ReduceMax", Op.Min => "ReduceMin", _ => "ReduceLogSumExp",
                };
                var v = As(result, all)[0];
                return a.Axis == -1 ? Node(op, [v], Scope.Int("keepdims", 0))
                    : Node(op, [v, s.Longs(a.Axis)], Scope.Int("keepdims", 0));
            }
            case Op.ArgMax or Op.ArgMin when ElementKinds.IsFloatingPoint(a.Inputs[0].Type.Element):
                return ArgReduce(s, a, x[0], result, name, doc);
            case Op.ArgMax or Op.ArgMin:
            {
                var v = a.Axis == -1 ? s.Add("Reshape", [x[0], s.Longs(-1)], null, null, doc) : x[0];
                var index = s.Add(a.Op.ToString(), [v], null, null, doc, Scope.Int("axis", a.Axis == -1 ? 0 : a.Axis), Scope.Int("keepdims", 0));
                return Node("Cast", [index], Scope.Int("to", (int)OnnxExport.DataType(result)));
            }
            case Op.Softmax or Op.LogSoftmax:
                return Node(a.Op.ToString(), As(result, all), Scope.Int("axis", -1));
            case Op.Transpose:
                return Node("Transpose", x);
            case Op.Outer:
            {
                var v = As(result, all);
                var column = s.Add("Unsqueeze", [v[0], s.Longs(1)], null, null, doc);
                var row = s.Add("Unsqueeze", [v[1], s.Longs(0)], null, null, doc);
                return Node("Mul", [column, row]);
            }
            case Op.Diagonal:
                return Diagonal(s, x[0], name, doc);
            case Op.Trace:
                return Node("ReduceSum", [Diagonal(s, x[0], null, doc)], Scope.Int("keepdims", 0));
            case Op.Index:
                // x[i]: C# rejects an index out of range; ONNX's Gather counts a negative one from the end (docs/onnx.md).
                return Node("Gather", [x[0], x[1]], Scope.Int("axis", 0));
            case Op.Fill:
            {
                var v = As(result, 1)[1];
                return Node("Expand", [v, s.Add("Shape", [x[0]], null, null, doc)]);
            }
            case Op.SetIndex:
            {
                var index = s.Add("Reshape", [s.Cast(x[2], ElementKind.Int64), s.Longs(1, 1)], null, null, doc);
                var update = s.Add("Unsqueeze", [x[1], s.Longs(0)], null, null, doc);
                return Node("ScatterND", [x[0], index, update]);
            }
            case Op.SetDiagonal:
            {
                var n = s.Add("Squeeze", [s.ShapeAxis(x[0], 0)], null, null, doc);
                var range = s.Add("Range", [s.Scalar(0, ElementKind.Int64), n, s.Scalar(1, ElementKind.Int64)], null, null, doc);
                var column = s.Add("Unsqueeze", [range, s.Longs(1)], null, null, doc);
                var indices = s.Add("Concat", [column, column], null, null, doc, Scope.Int("axis", 1));
                return Node("ScatterND", [x[0], indices, As(result, 1)[1]]);
            }
            default:
                throw new OnnxExportException(a.Op, "this version of SymGen.Onnx has no ONNX form for it", a.Label ?? a.Name);
        }
    }

    /// <summary>
    /// C#'s integer / and %: truncating; ONNX Runtime would fault on a zero divisor (and on MinValue / -1), which C#
    /// throws for: those give 0 here (a divisor of 1 is put in their place), and % is x - (x / y) y.
    /// </summary>
    private static string IntegerDivision(Scope s, Op op, string[] v, ElementKind kind, string name, string doc)
    {
        var zero = s.Add("Equal", [v[1], s.Scalar(0, kind)], null, null, doc);
        var minusOne = s.Add("Equal", [v[1], s.Scalar(-1, kind)], null, null, doc);
        var unsafeDivisor = s.Add("Or", [zero, minusOne], null, null, doc);
        var divisor = s.Add("Where", [unsafeDivisor, s.Scalar(1, kind), v[1]], null, null, doc);
        var quotient = s.Add("Div", [v[0], divisor], null, null, doc);
        // x / -1 is -x (wrapping at MinValue, as unchecked C#); x / 0 is 0.
        var negated = s.Add("Neg", [v[0]], null, null, doc);
        var q = s.Add("Where", [minusOne, negated, s.Add("Where", [zero, s.Scalar(0, kind), quotient], null, null, doc)], null, null, doc);
        if (op == Op.Divide) return s.Add("Identity", [q], null, name, doc);
        return s.Add("Sub", [v[0], s.Add("Mul", [q, v[1]], null, null, doc)], null, name, doc);
    }

    /// <summary>
    /// Dot in the layout ONNX Runtime runs fast: a matrix times a vector as the row vector times the transposed
    /// matrix (h[1,H] · Wᵀ), the transpose written where the matrix is (before the loop, for a weight).
    /// </summary>
    private static string Dot(Scope s, ApplyVariable a, string[] v, string name, string doc)
    {
        var (left, right) = (a.Inputs[0].Type.Rank, a.Inputs[1].Type.Rank);
        if (left == 2 && right == 1)
        {
            var transposed = s.Transposed(a.Inputs[0], v[0]);
            var row = s.Add("Unsqueeze", [v[1], s.Longs(0)], null, null, doc);
            var product = s.Add("MatMul", [row, transposed], null, null, doc);
            return s.Add("Squeeze", [product, s.Longs(0)], null, name, doc);
        }
        return s.Add("MatMul", v, null, name, doc);
    }

    /// <summary>
    /// ArgMax/ArgMin as SymGen's kernel (TensorPrimitives.IndexOfMax) picks: the first NaN if there is one, else the
    /// first best, +0 above -0 (ONNX's ArgMax takes the first of equal values, and -0 equals 0, and skips NaN).
    /// </summary>
    private static string ArgReduce(Scope s, ApplyVariable a, string x, ElementKind result, string name, string doc)
    {
        var kind = a.Inputs[0].Type.Element;
        var v = a.Axis == -1 ? s.Add("Reshape", [x, s.Longs(-1)], null, null, doc) : x;
        var axis = s.Longs(a.Axis == -1 ? 0 : a.Axis);
        var keep = Scope.Int("keepdims", 1);
        string Any(string mask) => s.Add("Greater", [s.Add("ReduceMax", [s.Cast(mask, ElementKind.Int32), axis], null, null, doc, keep), s.Scalar(0, ElementKind.Int32)], null, null, doc);
        bool max = a.Op == Op.ArgMax;
        var best = s.Add(max ? "ReduceMax" : "ReduceMin", [v, axis], null, null, doc, keep);
        var isBest = s.Add("Equal", [v, best], null, null, doc);
        // Among zeros, +0 wins a maximum and -0 a minimum: the sign of 1/x tells them apart.
        var side = s.Add(max ? "Greater" : "Less", [s.Add("Reciprocal", [v], null, null, doc), s.Scalar(0, kind)], null, null, doc);
        var preferred = s.Add("And", [isBest, side], null, null, doc);
        // (ONNX Runtime's Where has no bool kernel: c ? a : b is (c & a) | (!c & b).)
        string Choose(string c, string t, string f) =>
            s.Add("Or", [s.Add("And", [c, t], null, null, doc), s.Add("And", [s.Add("Not", [c], null, null, doc), f], null, null, doc)], null, null, doc);
        var mask = Choose(Any(preferred), preferred, isBest);
        var nan = s.Add("IsNaN", [v], null, null, doc);
        mask = Choose(Any(nan), nan, mask);
        var index = s.Add("ArgMax", [s.Cast(mask, ElementKind.Int32)], null, null, doc, Scope.Int("axis", a.Axis == -1 ? 0 : a.Axis), Scope.Int("keepdims", 0));
        return s.Add("Cast", [index], null, name, doc, Scope.Int("to", (int)OnnxExport.DataType(result)));
    }

    private static string Diagonal(Scope s, string m, string? name, string doc)
    {
        // The diagonal of an n×n matrix is every (n+1)-th element of its rows laid end to end.
        var n = s.Add("Squeeze", [s.ShapeAxis(m, 0)], null, null, doc);
        var flat = s.Add("Reshape", [m, s.Longs(-1)], null, null, doc);
        var end = s.Add("Mul", [n, n], null, null, doc);
        var stride = s.Add("Add", [n, s.Scalar(1, ElementKind.Int64)], null, null, doc);
        var indices = s.Add("Range", [s.Scalar(0, ElementKind.Int64), end, stride], null, null, doc);
        return s.Add("Gather", [flat, indices], null, name, doc, Scope.Int("axis", 0));
    }
}
