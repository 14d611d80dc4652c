// Each op's derivative, written once: the vector-Jacobian product of its value with respect to each operand, as graph
// nodes. The op table's rows hold these rules; the generator (backward loops) and the runtime (Tensor.Grad) apply them
// through IGradientGraph. Zero-gradient ops (comparisons, rounding, ArgMax, index positions) return -1, as the
// reference's (PyTensor's) do.
using System;

namespace SymGen.Graph;

internal static class DerivativeRules
{
    private static readonly int[] NoGradient1 = [-1];

    /// <summary>The rule of <paramref name="op"/>, or null when it has none.</summary>
    public static DerivativeRule? Of(Op op) => op switch
    {
        Op.Convert => (g, s) => [s.Gradient],
        Op.Negate => (g, s) => [g.Neg(s.Gradient)],
        Op.Add => (g, s) => [g.SumTo(s.Gradient, g.X(s, 0)), g.SumTo(s.Gradient, g.X(s, 1))],
        Op.Subtract => (g, s) => [g.SumTo(s.Gradient, g.X(s, 0)), g.SumTo(g.Neg(s.Gradient), g.X(s, 1))],
        Op.Multiply => (g, s) => [g.SumTo(g.Mul(s.Gradient, g.X(s, 1)), g.X(s, 0)), g.SumTo(g.Mul(s.Gradient, g.X(s, 0)), g.X(s, 1))],
        // d(a/b) = da/b - a/b² db = da/b - y/b db
        Op.Divide => (g, s) => [g.SumTo(g.Div(s.Gradient, g.X(s, 1)), g.X(s, 0)),
                                g.SumTo(g.Neg(g.Div(g.Mul(s.Gradient, s.Node), g.X(s, 1))), g.X(s, 1))],
        // C#'s % truncates: a % b = a - Truncate(a / b) * b.
        Op.Remainder => (g, s) => [g.SumTo(s.Gradient, g.X(s, 0)),
                                   g.SumTo(g.Neg(g.Mul(s.Gradient, g.Call(Op.Truncate, g.Div(g.X(s, 0), g.X(s, 1))))), g.X(s, 1))],
        Op.Less or Op.LessOrEqual or Op.Greater or Op.GreaterOrEqual or Op.Equal or Op.NotEqual
            or Op.And or Op.Or or Op.Xor or Op.Not => (g, s) => [-1, -1],
        Op.Floor or Op.Ceiling or Op.Truncate or Op.Round or Op.Sign => (g, s) => NoGradient1,
        // The condition gets none; each branch gets the gradient where it was chosen.
        Op.Select => (g, s) => [-1, g.SumTo(g.Where(g.X(s, 0), s.Gradient, g.Zero(s.Gradient)), g.X(s, 1)),
                                    g.SumTo(g.Where(g.X(s, 0), g.Zero(s.Gradient), s.Gradient), g.X(s, 2))],
        // Math.Sign throws on NaN: the sign is spelled with comparisons (0 at 0, as the reference's).
        Op.Abs => (g, s) => [g.Mul(s.Gradient, g.Sign(g.X(s, 0)))],
        Op.Sqrt => (g, s) => [g.Div(s.Gradient, g.Mul(g.C(2, s.Node), s.Node))],
        Op.Cbrt => (g, s) => [g.Div(s.Gradient, g.Mul(g.C(3, s.Node), g.Mul(s.Node, s.Node)))],
        Op.Exp => (g, s) => [g.Mul(s.Gradient, s.Node)],
        Op.Log => (g, s) => [g.Div(s.Gradient, g.X(s, 0))],
        Op.Log2 => (g, s) => [g.Div(s.Gradient, g.Mul(g.X(s, 0), g.C(Math.Log(2), s.Node)))],
        Op.Log10 => (g, s) => [g.Div(s.Gradient, g.Mul(g.X(s, 0), g.C(Math.Log(10), s.Node)))],
        Op.Sin => (g, s) => [g.Mul(s.Gradient, g.Call(Op.Cos, g.X(s, 0)))],
        Op.Cos => (g, s) => [g.Neg(g.Mul(s.Gradient, g.Call(Op.Sin, g.X(s, 0))))],
        Op.Tan => (g, s) => [g.Mul(s.Gradient, g.Add(g.C(1, s.Node), g.Mul(s.Node, s.Node)))],
        Op.Asin => (g, s) => [g.Div(s.Gradient, g.Call(Op.Sqrt, g.OneMinusSquare(g.X(s, 0), s.Node)))],
        Op.Acos => (g, s) => [g.Neg(g.Div(s.Gradient, g.Call(Op.Sqrt, g.OneMinusSquare(g.X(s, 0), s.Node))))],
        Op.Atan => (g, s) => [g.Div(s.Gradient, g.Add(g.C(1, s.Node), g.Mul(g.X(s, 0), g.X(s, 0))))],
        Op.Sinh => (g, s) => [g.Mul(s.Gradient, g.Call(Op.Cosh, g.X(s, 0)))],
        Op.Cosh => (g, s) => [g.Mul(s.Gradient, g.Call(Op.Sinh, g.X(s, 0)))],
        // From the value, not the operand: the backward loop reads it from the stored trace.
        Op.Tanh => (g, s) => [g.Mul(s.Gradient, g.OneMinusSquare(s.Node, s.Node))],
        Op.Sigmoid => (g, s) => [g.Mul(s.Gradient, g.Mul(s.Node, g.Sub(g.C(1, s.Node), s.Node)))],
        Op.Relu => (g, s) => [g.Where(g.Call(Op.Greater, g.X(s, 0), g.C(0, s.Node)), s.Gradient, g.Zero(s.Gradient))],
        // d(x^p) = p x^(p-1) dx + x^p ln x dp
        Op.Pow => (g, s) => [g.SumTo(g.Mul(s.Gradient, g.Mul(g.X(s, 1), g.Call(Op.Pow, g.X(s, 0), g.Sub(g.X(s, 1), g.C(1, s.Node))))), g.X(s, 0)),
                             g.SumTo(g.Mul(s.Gradient, g.Mul(s.Node, g.Call(Op.Log, g.X(s, 0)))), g.X(s, 1))],
        // atan2(y, x): dy = x/(x²+y²), dx = -y/(x²+y²)
        Op.Atan2 => (g, s) =>
        {
            int y = g.X(s, 0), x = g.X(s, 1);
            int r2 = g.Add(g.Mul(x, x), g.Mul(y, y));
            return [g.SumTo(g.Div(g.Mul(s.Gradient, x), r2), y), g.SumTo(g.Neg(g.Div(g.Mul(s.Gradient, y), r2)), x)];
        },
        // Ties give both operands the gradient, as the reference's maximum and minimum do.
        Op.Maximum or Op.Minimum => (g, s) => [g.SumTo(g.Mul(s.Gradient, g.Mask(Op.Equal, s.Node, g.X(s, 0))), g.X(s, 0)),
                                               g.SumTo(g.Mul(s.Gradient, g.Mask(Op.Equal, s.Node, g.X(s, 1))), g.X(s, 1))],
        Op.FusedMultiplyAdd => (g, s) => [g.SumTo(g.Mul(s.Gradient, g.X(s, 1)), g.X(s, 0)), g.SumTo(g.Mul(s.Gradient, g.X(s, 0)), g.X(s, 1)),
                                          g.SumTo(s.Gradient, g.X(s, 2))],
        // Clip(x, lo, hi) = Min(Max(x, lo), hi): hi where Max(x, lo) > hi, else lo where x < lo, else x (the
        // reference's choice when lo <= hi: x keeps the gradient at x == lo and x == hi; when lo > hi, hi is taken).
        Op.Clip => (g, s) =>
        {
            int x = g.X(s, 0), lo = g.X(s, 1), hi = g.X(s, 2);
            int above = g.Mask(Op.Greater, g.Call(Op.Maximum, x, lo), hi);
            int notAbove = g.Mul(s.Gradient, g.Sub(g.C(1, s.Node), above));
            return [g.SumTo(g.Mul(notAbove, g.Mask(Op.GreaterOrEqual, x, lo)), x), g.SumTo(g.Mul(notAbove, g.Mask(Op.Less, x, lo)), lo),
                    g.SumTo(g.Mul(s.Gradient, above), hi)];
        },
        Op.Dot => (g, s) => Dot(g, s),
        Op.Transpose => (g, s) => [g.Call(Op.Transpose, s.Gradient)],
        // (a bᵀ)ᵢⱼ = aᵢ bⱼ: da = G b, db = a G (= Gᵀ a).
        Op.Outer => (g, s) => [g.Call(Op.Dot, s.Gradient, g.X(s, 1)), g.Call(Op.Dot, g.X(s, 0), s.Gradient)],
        Op.ArgMax or Op.ArgMin => (g, s) => NoGradient1,
        // Reductions: the gradient of each result element spread back over the elements it reduced.
        Op.Sum => (g, s) => [g.Spread(s.Gradient, s)],
        Op.Mean => (g, s) => [g.Spread(g.Div(s.Gradient, g.Apply(Op.Sum, g.AxisOf(s.Node), g.Fill(g.X(s, 0), g.C(1, s.Node)))), s)],
        Op.Prod => (g, s) => Prod(g, s),
        // Every element equal to the maximum (or minimum) gets the whole gradient, ties included, as the reference's.
        Op.Max or Op.Min => (g, s) => [g.Mul(g.Spread(s.Gradient, s), g.Mask(Op.Equal, g.X(s, 0), g.Spread(s.Node, s)))],
        // d logsumexp(x) = softmax(x) = exp(x - y).
        Op.LogSumExp => (g, s) => [g.Mul(g.Spread(s.Gradient, s), g.Call(Op.Exp, g.Sub(g.X(s, 0), g.Spread(s.Node, s))))],
        // y = softmax(x) per row: dx = y (g - Σ g y).
        Op.Softmax => (g, s) => [g.Mul(s.Node, g.Sub(s.Gradient, g.PerRow(g.Apply(Op.Sum, g.RowAxis(s.Node), g.Mul(s.Gradient, s.Node)), s.Node)))],
        // y = x - logsumexp(x) per row: dx = g - exp(y) Σ g.
        Op.LogSoftmax => (g, s) => [g.Sub(s.Gradient, g.Mul(g.Call(Op.Exp, s.Node), g.PerRow(g.Apply(Op.Sum, g.RowAxis(s.Node), s.Gradient), s.Node)))],
        Op.Diagonal => (g, s) => [g.Call(Op.SetDiagonal, g.Zeros(g.X(s, 0)), s.Gradient)],
        Op.Trace => (g, s) => [g.Call(Op.SetDiagonal, g.Zeros(g.X(s, 0)), g.Fill(g.Call(Op.Diagonal, g.X(s, 0)), s.Gradient))],
        // The index gets none; the element (row) read gets the gradient, the others 0.
        Op.Index => (g, s) => [g.Call(Op.SetIndex, g.Zeros(g.X(s, 0)), s.Gradient, g.X(s, 1)), -1],
        // Fill's value is broadcast (summed back); the shape operand's elements are not read.
        Op.Fill => (g, s) => [-1, g.SumTo(s.Gradient, g.X(s, 1))],
        // The replaced element (row, diagonal) takes its gradient from the result; the rest is x's.
        Op.SetIndex => (g, s) => [g.Call(Op.SetIndex, s.Gradient, g.Zeros(g.X(s, 1)), g.X(s, 2)), g.Call(Op.Index, s.Gradient, g.X(s, 2)), -1],
        Op.SetDiagonal => (g, s) => [g.Call(Op.SetDiagonal, s.Gradient, g.Zeros(g.X(s, 1))), g.Call(Op.Diagonal, s.Gradient)],
        // Print passes its value on unchanged: so does its gradient (which is not printed).
        Op.Print => (g, s) => [s.Gradient],
        _ => null,
    };

    // d(Πx)/dxᵢ = Π of the others: y/xᵢ where no element is 0; where one is, that element gets the product of the
    // others and the rest 0; where two or more are, all 0 (the reference's Prod gradient, which never divides by 0).
    private static int[] Prod(IGradientGraph g, DerivativeSite s)
    {
        int x = g.X(s, 0), axis = g.AxisOf(s.Node);
        int zero = g.Mask(Op.Equal, x, g.C(0, x));                        // 1 where an element is 0
        int nonZero = g.Sub(g.C(1, x), zero);
        int safe = g.Add(x, zero);                                       // x with its zeros replaced by 1
        int oneZero = g.Mask(Op.Equal, g.Apply(Op.Sum, axis, zero), g.C(1, x));
        int productOfOthers = g.Mul(g.Apply(Op.Prod, axis, safe), oneZero); // the product of the non-zero elements, where exactly one is 0
        return [g.Add(g.Mul(g.Div(g.Spread(g.Mul(s.Gradient, s.Node), s), safe), nonZero),
                      g.Mul(zero, g.Spread(g.Mul(s.Gradient, productOfOthers), s)))];
    }

    // Dot's four forms; g has the result's rank.
    private static int[] Dot(IGradientGraph g, DerivativeSite s)
    {
        int a = g.X(s, 0), b = g.X(s, 1), gy = s.Gradient;
        return (g.RankOf(a), g.RankOf(b)) switch
        {
            (1, 1) => [g.Mul(gy, b), g.Mul(gy, a)],                                            // y = a·b, a scalar
            (2, 1) => [g.Call(Op.Outer, gy, b), g.Call(Op.Dot, gy, a)],                     // y = A b: dA = g bᵀ, db = g A
            (1, 2) => [g.Call(Op.Dot, b, gy), g.Call(Op.Outer, a, gy)],                     // y = a B: da = B g, dB = a gᵀ
            (2, 2) => [g.Call(Op.Dot, gy, g.Call(Op.Transpose, b)), g.Call(Op.Dot, g.Call(Op.Transpose, a), gy)],
            var ranks => throw new InvalidOperationException($"Dot of ranks {ranks} has no derivative."),
        };
    }

    // Spelling helpers, so that the rules read as the formulas they are. (Call, not Apply: an extension named Apply
    // would lose to the interface's Apply(op, axis, params operands), which would take the first operand as the axis.)
    private static int X(this IGradientGraph g, DerivativeSite s, int operand) => g.OperandsOf(s.Node)[operand];
    private static int Call(this IGradientGraph g, Op op, params int[] operands) => g.Apply(op, -1, operands);
    private static int Add(this IGradientGraph g, int a, int b) => g.Apply(Op.Add, -1, a, b);
    private static int Sub(this IGradientGraph g, int a, int b) => g.Apply(Op.Subtract, -1, a, b);
    private static int Mul(this IGradientGraph g, int a, int b) => g.Apply(Op.Multiply, -1, a, b);
    private static int Div(this IGradientGraph g, int a, int b) => g.Apply(Op.Divide, -1, a, b);
    private static int Neg(this IGradientGraph g, int a) => g.Apply(Op.Negate, -1, a);
    private static int Where(this IGradientGraph g, int condition, int a, int b) => g.Apply(Op.Select, -1, condition, a, b);
    /// <summary>A scalar constant of <paramref name="like"/>'s element kind.</summary>
    private static int C(this IGradientGraph g, double value, int like) => g.Constant(value, g.KindOf(like));
    private static int Zero(this IGradientGraph g, int like) => g.C(0, like);
    private static int OneMinusSquare(this IGradientGraph g, int x, int like) => g.Sub(g.C(1, like), g.Mul(x, x));

    /// <summary>1 where <paramref name="op"/> holds, else 0, in <paramref name="a"/>'s kind (scalars' comparisons are bools).</summary>
    private static int Mask(this IGradientGraph g, Op op, int a, int b)
    {
        int test = g.Call(op, a, b);
        int like = g.KindOf(a) == g.KindOf(b) || g.RankOf(a) > 0 ? a : b;
        return g.RankOf(test) == 0 ? g.Where(test, g.C(1, like), g.C(0, like)) : test;
    }

    private static int Fill(this IGradientGraph g, int shape, int value) => g.Apply(Op.Fill, -1, shape, value);

    /// <summary>Zeros of <paramref name="like"/>'s type and shape.</summary>
    private static int Zeros(this IGradientGraph g, int like) => g.RankOf(like) == 0 ? g.Zero(like) : g.Fill(like, g.Zero(like));

    /// <summary>
    /// <paramref name="value"/>, of a reduction's result shape, broadcast back to its operand's shape: a scalar to
    /// every element, a vector of columns (axis 0) to every row, a vector of rows (axis 1) to every column (through
    /// the transpose, where broadcasting spreads a vector over rows).
    /// </summary>
    private static int Spread(this IGradientGraph g, int value, DerivativeSite reduction)
    {
        int x = g.X(reduction, 0);
        return g.AxisOf(reduction.Node) == 1
            ? g.Call(Op.Transpose, g.Fill(g.Call(Op.Transpose, x), value))
            : g.Fill(x, value);
    }

    /// <summary>The axis of a row-wise op's rows: all elements of a vector (-1), each row of a matrix (1).</summary>
    private static int RowAxis(this IGradientGraph g, int node) => g.RankOf(node) == 1 ? -1 : 1;

    /// <summary>A value per row (a scalar for a vector, a vector of rows for a matrix) broadcast over <paramref name="like"/>'s rows.</summary>
    private static int PerRow(this IGradientGraph g, int value, int like) =>
        g.RankOf(like) == 1 ? value : g.Call(Op.Transpose, g.Fill(g.Call(Op.Transpose, like), value));

    /// <summary>The sign of x: 1, -1, or 0 (also for NaN, where Math.Sign throws).</summary>
    private static int Sign(this IGradientGraph g, int x) =>
        g.Sub(g.Mask(Op.Greater, x, g.C(0, x)), g.Mask(Op.Less, x, g.C(0, x)));

    /// <summary>
    /// A gradient of an elementwise result, summed back to <paramref name="operand"/>'s rank: what broadcasting spread
    /// (a scalar over a tensor, a vector over a matrix's rows) adds back up.
    /// </summary>
    private static int SumTo(this IGradientGraph g, int gradient, int operand)
    {
        int from = g.RankOf(gradient), to = g.RankOf(operand);
        if (from == to) return gradient;
        if (to == 0) return g.Apply(Op.Sum, -1, gradient);
        if (to == 1 && from == 2) return g.Apply(Op.Sum, 0, gradient);
        throw new InvalidOperationException($"A gradient of rank {from} cannot be summed to rank {to}.");
    }
}
