using System;
using System.Linq;
using System.Numerics;
using SymGen.Graph;

namespace SymGen;

/// <summary>
/// Debug mode's independent evaluation of one node on its own input values, by another path than the compiled
/// interpreter's instructions: an elementwise op with <see cref="ScalarOps"/> element by element on boxed values
/// (C#'s conversions as <see cref="ElementKinds.Cast"/>), any other op with its eager <see cref="Sym"/> function. Slow, allocating, and only for <see cref="ScanMode.Debug"/>.
/// </summary>
internal static class ReferenceEvaluation
{
    /// <summary>The node's value (a boxed scalar or a <see cref="TensorValue"/>), or null when no independent form exists.</summary>
    public static object? Evaluate(ApplyVariable node, object[] inputs)
    {
        var info = OpTable.Get(node.Op);
        if (info.IsElementwise || info.Category == OpCategory.Conversion) return Elementwise(node, inputs);
        return Eager(node, inputs);
    }

    private static object Elementwise(ApplyVariable node, object[] inputs)
    {
        var kind = node.Type.Element;
        if (node.Type.Rank == 0) return Scalar(node.Op, kind, inputs);
        var shape = inputs.OfType<TensorValue>().OrderByDescending(t => t.Shape.Length).First().Shape;
        var result = TensorValue.Zeros(kind, shape);
        int columns = shape[^1];
        var elements = new object[inputs.Length];
        for (int e = 0; e < result.Length; e++)
        {
            for (int j = 0; j < inputs.Length; j++)
                elements[j] = inputs[j] is TensorValue t
                    ? t.Data.GetValue(t.Offset + (t.Shape.Length == shape.Length ? e : e % columns))!
                    : inputs[j];
            // An element of a tensor's comparison is a mask of the tensor's type; a mask condition is true where non-zero.
            if (OpTable.Get(node.Op).Category == OpCategory.Select && elements[0] is not bool)
                elements[0] = (bool)ElementKinds.Cast(elements[0], ElementKind.Bool);
            result.Data.SetValue(ElementKinds.Cast(Scalar(node.Op, kind, elements), kind), e);
        }
        return result;
    }

    /// <summary>One element, as C# computes the step's expression.</summary>
    private static object Scalar(Op op, ElementKind kind, object[] x)
    {
        switch (OpTable.Get(op).Category)
        {
            case OpCategory.Conversion:
                return ElementKinds.Cast(x[0], kind);
            case OpCategory.Comparison:
            {
                var common = ElementKinds.Promote(ScalarOps.KindOf(x[0]), ScalarOps.KindOf(x[1]));
                object a = ElementKinds.Cast(x[0], common), b = ElementKinds.Cast(x[1], common);
                bool compared = common switch
                {
                    ElementKind.Float64 => ScalarOps.Compare(op, (double)a, (double)b),
                    ElementKind.Float32 => ScalarOps.Compare(op, (float)a, (float)b),
                    ElementKind.Int64 => ScalarOps.Compare(op, (long)a, (long)b),
                    ElementKind.Int32 => ScalarOps.Compare(op, (int)a, (int)b),
                    _ => ScalarOps.Compare(op, (bool)a ? 1 : 0, (bool)b ? 1 : 0),
                };
                return ElementKinds.Cast(compared, kind);
            }
            case OpCategory.Select:
                return ElementKinds.Cast((bool)ElementKinds.Cast(x[0], ElementKind.Bool) ? x[1] : x[2], kind);
        }
        if (op == Op.Sign)
        {
            int sign = x[0] is float f ? MathF.Sign(f) : Math.Sign((double)ElementKinds.Cast(x[0], ElementKind.Float64));
            return ElementKinds.Cast(sign, kind);
        }
        object A(int j) => j < x.Length ? ElementKinds.Cast(x[j], kind) : ElementKinds.Cast(0, kind);
        return kind switch
        {
            ElementKind.Float64 => ScalarOps.Float(op, (double)A(0), (double)A(1), (double)A(2)),
            ElementKind.Float32 => ScalarOps.Float(op, (float)A(0), (float)A(1), (float)A(2)),
            ElementKind.Int64 => ScalarOps.Integer(op, (long)A(0), (long)A(1)),
            ElementKind.Int32 => ScalarOps.Integer(op, (int)A(0), (int)A(1)),
            _ => ScalarOps.Logical(op, (bool)A(0), (bool)A(1)),
        };
    }

    /// <summary>The op's eager <see cref="Sym"/> function (or the Vec/Mat indexer) on the node's operands, in float or double.</summary>
    private static object? Eager(ApplyVariable node, object[] inputs)
    {
        var tensor = inputs.OfType<TensorValue>().FirstOrDefault();
        if (tensor is null || tensor.Shape.Length > 2) return null;
        return tensor.Kind switch
        {
            ElementKind.Float64 => Eager<double>(node, inputs),
            ElementKind.Float32 => Eager<float>(node, inputs),
            _ => null,
        };
    }

    private static object? Eager<T>(ApplyVariable node, object[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        object V(int j) => x[j] is TensorValue t
            ? t.Shape.Length == 1 ? new Vec<T>(t.Span<T>().ToArray()) : new Mat<T>(t.Span<T>().ToArray(), t.Shape[0], t.Shape[1])
            : ElementKinds.Cast(x[j], node.Type.Element is ElementKind.Int32 ? node.Inputs[0].Type.Element : node.Type.Element);
        long Index(int j) => Convert.ToInt64(x[j], System.Globalization.CultureInfo.InvariantCulture);
        int axis = node.Axis;
        object? result = (node.Op, V(0)) switch
        {
            (Op.Dot, Vec<T> a) when V(1) is Vec<T> b => Sym.Dot(a, b),
            (Op.Dot, Vec<T> a) when V(1) is Mat<T> b => Sym.Dot(a, b),
            (Op.Dot, Mat<T> a) when V(1) is Vec<T> b => Sym.Dot(a, b),
            (Op.Dot, Mat<T> a) when V(1) is Mat<T> b => Sym.Dot(a, b),
            (Op.Sum or Op.Prod or Op.Mean or Op.Max or Op.Min or Op.LogSumExp, Vec<T> a) => Reduce(node.Op, a),
            (Op.Sum or Op.Prod or Op.Mean or Op.Max or Op.Min or Op.LogSumExp, Mat<T> a) => axis < 0 ? Reduce(node.Op, a) : Reduce(node.Op, a, axis),
            (Op.ArgMax, Vec<T> a) => Sym.ArgMax(a),
            (Op.ArgMax, Mat<T> a) => axis < 0 ? Sym.ArgMax(a) : Sym.ArgMax(a, axis),
            (Op.ArgMin, Vec<T> a) => Sym.ArgMin(a),
            (Op.ArgMin, Mat<T> a) => axis < 0 ? Sym.ArgMin(a) : Sym.ArgMin(a, axis),
            (Op.Softmax, Vec<T> a) => Sym.Softmax(a),
            (Op.Softmax, Mat<T> a) => Sym.Softmax(a),
            (Op.LogSoftmax, Vec<T> a) => Sym.LogSoftmax(a),
            (Op.LogSoftmax, Mat<T> a) => Sym.LogSoftmax(a),
            (Op.Transpose, Mat<T> a) => Sym.Transpose(a),
            (Op.Outer, Vec<T> a) when V(1) is Vec<T> b => Sym.Outer(a, b),
            (Op.Diagonal, Mat<T> a) => Sym.Diagonal(a),
            (Op.Trace, Mat<T> a) => Sym.Trace(a),
            (Op.Index, Vec<T> a) => a[Index(1)],
            (Op.Index, Mat<T> a) => a[Index(1)],
            (Op.SetIndex, Vec<T> a) when V(1) is T v => Sym.SetIndex(a, v, checked((int)Index(2))),
            (Op.SetIndex, Mat<T> a) when V(1) is Vec<T> v => Sym.SetIndex(a, v, checked((int)Index(2))),
            (Op.SetDiagonal, Mat<T> a) when V(1) is Vec<T> d => Sym.SetDiagonal(a, d),
            _ => null,
        };
        return result switch
        {
            Vec<T> v => new TensorValue(node.Type.Element, v.ToArray(), 0, [v.Length]),
            Mat<T> m => new TensorValue(node.Type.Element, m.Span.ToArray(), 0, [m.Rows, m.Columns]),
            _ => result,
        };
    }

    private static T Reduce<T>(Op op, Vec<T> a) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        Op.Sum => Sym.Sum(a), Op.Prod => Sym.Prod(a), Op.Mean => Sym.Mean(a), Op.Max => Sym.Max(a), Op.Min => Sym.Min(a), _ => Sym.LogSumExp(a),
    };

    private static T Reduce<T>(Op op, Mat<T> a) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        Op.Sum => Sym.Sum(a), Op.Prod => Sym.Prod(a), Op.Mean => Sym.Mean(a), Op.Max => Sym.Max(a), Op.Min => Sym.Min(a), _ => Sym.LogSumExp(a),
    };

    private static Vec<T> Reduce<T>(Op op, Mat<T> a, int axis) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        Op.Sum => Sym.Sum(a, axis), Op.Prod => Sym.Prod(a, axis), Op.Mean => Sym.Mean(a, axis), Op.Max => Sym.Max(a, axis),
        Op.Min => Sym.Min(a, axis), _ => Sym.LogSumExp(a, axis),
    };
}
