// The op table: the single source of truth for the operations a scan's step graph is made of.
// This file is compiled into the runtime (public API) and linked into the generator (internal), so both agree on
// every op's name, arity, C# spelling and the System.Math method it stands for.
using System;
using System.Collections.Generic;

namespace SymGen.Graph;

/// <summary>The operations of a step graph.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum Op
{
    // The values are compiled into every library that calls a scan (generated code passes ops to the runtime as
    // constants): they never change, and a new op takes the next number. OpValueTests pins them.
    /// <summary>A literal or compile-time constant.</summary>
    Constant = 0,
    /// <summary>A step argument: a sequence tap, a recurrent output tap or a non-sequence.</summary>
    Input = 1,
    /// <summary>A numeric conversion, implicit or explicit, with C#'s rules.</summary>
    Convert = 2,
#pragma warning disable CS1591 // the remaining members are named after the operation they are
    Negate = 3, Not = 4,
    Add = 5, Subtract = 6, Multiply = 7, Divide = 8, Remainder = 9,
    Less = 10, LessOrEqual = 11, Greater = 12, GreaterOrEqual = 13, Equal = 14, NotEqual = 15,
    And = 16, Or = 17, Xor = 18,
    /// <summary><c>cond ? a : b</c> (Theano's <c>switch</c>): both branches are computed.</summary>
    Select = 19,
    Abs = 20, Sqrt = 21, Cbrt = 22, Exp = 23, Log = 24, Log2 = 25, Log10 = 26,
    Sin = 27, Cos = 28, Tan = 29, Asin = 30, Acos = 31, Atan = 32, Sinh = 33, Cosh = 34, Tanh = 35,
    Floor = 36, Ceiling = 37, Truncate = 38, Round = 39, Sign = 40,
    Pow = 41, Atan2 = 42, Maximum = 43, Minimum = 44, FusedMultiplyAdd = 45,
    Sigmoid = 46, Relu = 47,
    Dot = 48,
    Sum = 49, Prod = 50, Mean = 51, Max = 52,
    Softmax = 53,
#pragma warning restore CS1591
}

/// <summary>What kind of operation an op is; decides how it is spelled in C# and how it types.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum OpCategory
{
#pragma warning disable CS1591
    Leaf,
    /// <summary>An elementwise function of the runtime's <c>Sym</c> with no System.Math counterpart (Sigmoid, Relu).</summary>
    Activation,
    /// <summary>A product that contracts an axis (Dot).</summary>
    Contraction,
    /// <summary>A reduction over all elements or along an axis (Sum, Prod, Mean, Max).</summary>
    Reduction,
    /// <summary>A function of a whole vector (Softmax).</summary>
    Normalization, Conversion, Arithmetic, Comparison, Logical, Select, MathFunction,
#pragma warning restore CS1591
}

/// <summary>One row of the op table.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
sealed class OpInfo
{
    internal OpInfo(Op op, OpCategory category, int arity, string name, string? csharpToken = null, string? mathMethod = null, string? symMethod = null)
    {
        Op = op; Category = category; Arity = arity; Name = name; CSharpToken = csharpToken; MathMethod = mathMethod; SymMethod = symMethod;
    }

    /// <summary>The op.</summary>
    public Op Op { get; }
    /// <summary>Its category.</summary>
    public OpCategory Category { get; }
    /// <summary>How many inputs it takes.</summary>
    public int Arity { get; }
    /// <summary>Its name in printed graphs.</summary>
    public string Name { get; }
    /// <summary>The C# operator token (<c>+</c>, <c>&lt;</c>, ...) for operators, else null.</summary>
    public string? CSharpToken { get; }
    /// <summary>The <c>System.Math</c>/<c>System.MathF</c> method for math functions, else null.</summary>
    public string? MathMethod { get; }
    /// <summary>The function of the runtime's <c>Sym</c> class that computes it on tensors, else null.</summary>
    public string? SymMethod { get; }

    /// <summary>Computed element by element (with broadcasting), so chains of such ops fuse into one loop.</summary>
    public bool IsElementwise => Category is OpCategory.Arithmetic or OpCategory.Comparison or OpCategory.Logical
        or OpCategory.Select or OpCategory.MathFunction or OpCategory.Activation or OpCategory.Conversion;
}

/// <summary>Looks ops up and spells them in C#.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
static class OpTable
{
    private static readonly OpInfo[] Rows = Build();

    /// <summary>All ops, indexed by <see cref="Op"/>.</summary>
    public static IReadOnlyList<OpInfo> All => Rows;

    /// <summary>The row of <paramref name="op"/>.</summary>
    public static OpInfo Get(Op op) => Rows[(int)op];

    /// <summary>The op spelled by a C# operator token with this many operands, if any.</summary>
    public static bool TryGetOperator(string token, int arity, out Op op)
    {
        foreach (var row in Rows)
            if (row.CSharpToken == token && row.Arity == arity) { op = row.Op; return true; }
        op = default;
        return false;
    }

    /// <summary>The op a <c>System.Math</c>/<c>System.MathF</c> method with this many arguments stands for, if any.</summary>
    public static bool TryGetMathFunction(string method, int arity, out Op op)
    {
        foreach (var row in Rows)
            if (row.MathMethod == method && row.Arity == arity) { op = row.Op; return true; }
        op = default;
        return false;
    }

    /// <summary>The op a function of the runtime's <c>Sym</c> class stands for, if any.</summary>
    public static bool TryGetSymFunction(string method, out Op op)
    {
        foreach (var row in Rows)
            if (row.SymMethod == method) { op = row.Op; return true; }
        op = default;
        return false;
    }

    /// <summary>
    /// The C# expression computing <paramref name="op"/> on operands that are simple names or literals.
    /// <paramref name="singlePrecision"/> picks <c>MathF</c> over <c>Math</c>, as C# overload resolution would.
    /// </summary>
    public static string FormatCSharp(Op op, bool singlePrecision, IReadOnlyList<string> operands)
    {
        var row = Get(op);
        if (operands.Count != row.Arity)
            throw new ArgumentException($"{row.Name} takes {row.Arity} operand(s); {operands.Count} were given.", nameof(operands));
        switch (row.Category)
        {
            case OpCategory.Arithmetic or OpCategory.Comparison or OpCategory.Logical:
                return row.Arity == 1 ? row.CSharpToken + operands[0] : $"{operands[0]} {row.CSharpToken} {operands[1]}";
            case OpCategory.Select:
                return $"{operands[0]} ? {operands[1]} : {operands[2]}";
            case OpCategory.MathFunction:
                return $"global::System.{(singlePrecision ? "MathF" : "Math")}.{row.MathMethod}({string.Join(", ", operands)})";
            case OpCategory.Activation:
                string math = singlePrecision ? "global::System.MathF" : "global::System.Math", suffix = singlePrecision ? "f" : "d";
                return op == Op.Sigmoid
                    ? $"1{suffix} / (1{suffix} + {math}.Exp(-{operands[0]}))"
                    : $"{math}.Max({operands[0]}, 0{suffix})";
            default:
                throw new ArgumentException($"{row.Name} has no C# expression of its own.", nameof(op));
        }
    }

    private static OpInfo[] Build()
    {
        var rows = new List<OpInfo>
        {
            new(Op.Constant, OpCategory.Leaf, 0, "Constant"),
            new(Op.Input, OpCategory.Leaf, 0, "Input"),
            new(Op.Convert, OpCategory.Conversion, 1, "Convert"),
            new(Op.Negate, OpCategory.Arithmetic, 1, "Negate", "-"),
            new(Op.Not, OpCategory.Logical, 1, "Not", "!"),
            new(Op.Add, OpCategory.Arithmetic, 2, "Add", "+"),
            new(Op.Subtract, OpCategory.Arithmetic, 2, "Subtract", "-"),
            new(Op.Multiply, OpCategory.Arithmetic, 2, "Multiply", "*"),
            new(Op.Divide, OpCategory.Arithmetic, 2, "Divide", "/"),
            new(Op.Remainder, OpCategory.Arithmetic, 2, "Remainder", "%"),
            new(Op.Less, OpCategory.Comparison, 2, "Less", "<"),
            new(Op.LessOrEqual, OpCategory.Comparison, 2, "LessOrEqual", "<="),
            new(Op.Greater, OpCategory.Comparison, 2, "Greater", ">"),
            new(Op.GreaterOrEqual, OpCategory.Comparison, 2, "GreaterOrEqual", ">="),
            new(Op.Equal, OpCategory.Comparison, 2, "Equal", "=="),
            new(Op.NotEqual, OpCategory.Comparison, 2, "NotEqual", "!="),
            // && and || on pure operands equal & and |: both sides are computed, like every graph node.
            new(Op.And, OpCategory.Logical, 2, "And", "&"),
            new(Op.Or, OpCategory.Logical, 2, "Or", "|"),
            new(Op.Xor, OpCategory.Logical, 2, "Xor", "^"),
            new(Op.Select, OpCategory.Select, 3, "Select", symMethod: "Where"),
            new(Op.Sigmoid, OpCategory.Activation, 1, "Sigmoid", symMethod: "Sigmoid"),
            new(Op.Relu, OpCategory.Activation, 1, "Relu", symMethod: "Relu"),
            new(Op.Dot, OpCategory.Contraction, 2, "Dot", symMethod: "Dot"),
            new(Op.Sum, OpCategory.Reduction, 1, "Sum", symMethod: "Sum"),
            new(Op.Prod, OpCategory.Reduction, 1, "Prod", symMethod: "Prod"),
            new(Op.Mean, OpCategory.Reduction, 1, "Mean", symMethod: "Mean"),
            new(Op.Max, OpCategory.Reduction, 1, "Max", symMethod: "Max"),
            new(Op.Softmax, OpCategory.Normalization, 1, "Softmax", symMethod: "Softmax"),
        };
        foreach (var (op, arity) in new[]
        {
            (Op.Abs, 1), (Op.Sqrt, 1), (Op.Cbrt, 1), (Op.Exp, 1), (Op.Log, 1), (Op.Log2, 1), (Op.Log10, 1),
            (Op.Sin, 1), (Op.Cos, 1), (Op.Tan, 1), (Op.Asin, 1), (Op.Acos, 1), (Op.Atan, 1),
            (Op.Sinh, 1), (Op.Cosh, 1), (Op.Tanh, 1),
            (Op.Floor, 1), (Op.Ceiling, 1), (Op.Truncate, 1), (Op.Round, 1), (Op.Sign, 1),
            (Op.Pow, 2), (Op.Atan2, 2), (Op.Maximum, 2), (Op.Minimum, 2), (Op.FusedMultiplyAdd, 3),
        })
        {
            string method = op switch { Op.Maximum => "Max", Op.Minimum => "Min", _ => op.ToString() };
            // The runtime's Sym computes these on tensors too, under the same names (Maximum/Minimum are elementwise).
            string? sym = op is Op.Abs or Op.Sqrt or Op.Exp or Op.Log or Op.Tanh or Op.Pow or Op.Maximum or Op.Minimum ? op.ToString() : null;
            rows.Add(new OpInfo(op, OpCategory.MathFunction, arity, op.ToString(), mathMethod: method, symMethod: sym));
        }
        rows.Sort((a, b) => a.Op.CompareTo(b.Op));
        for (int i = 0; i < rows.Count; i++)
            if ((int)rows[i].Op != i) throw new InvalidOperationException($"The op table has no row for op {i}.");
        return rows.ToArray();
    }
}
