// The op table: each op's one definition. Everything that computes, types, shapes, spells or checks an op reads its
// row here: the step-graph builder (type and shape rules), the generator (how to emit it), the eager Sym functions,
// the interpreter and generated code (its kernel), the engines' tests (its tolerance), and the gradients (its
// derivative). Compiled into the runtime (public API) and linked into the generator (internal).
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
#pragma warning disable CS1591 // the remaining members are named after the operation they are (see their rows)
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
    Min = 54, ArgMax = 55, ArgMin = 56, LogSumExp = 57, LogSoftmax = 58,
    /// <summary><c>Clip(x, lo, hi)</c>: x limited to [lo, hi] (Theano's <c>clip</c>).</summary>
    Clip = 59,
    Transpose = 60, Outer = 61, Diagonal = 62, Trace = 63,
    /// <summary><c>x[i]</c>: an element of a vector, or a row of a matrix, at an integer index (Theano's indexing).</summary>
    Index = 64,
    /// <summary><c>Fill(x, v)</c>: <c>v</c> broadcast to x's shape (Theano's <c>fill</c>/<c>second</c>); spreads gradients back over a reduction.</summary>
    Fill = 65,
    /// <summary><c>SetIndex(x, v, i)</c>: x with element (vector) or row (matrix) i replaced by v (Theano's <c>set_subtensor(x[i], v)</c>).</summary>
    SetIndex = 66,
    /// <summary><c>SetDiagonal(m, v)</c>: the square matrix m with its diagonal replaced by the vector v.</summary>
    SetDiagonal = 67,
    /// <summary><c>Print(x, "label")</c>: x unchanged, after writing <c>label = x</c> to <see cref="SymGen.Printing.Writer"/> (Theano's <c>Print</c>).</summary>
    Print = 68,
#pragma warning restore CS1591
}

/// <summary>What kind of operation an op is.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum OpCategory
{
#pragma warning disable CS1591
    Leaf,
    /// <summary>An elementwise function of the runtime's <c>Sym</c> with no System.Math counterpart (Sigmoid, Relu, Clip).</summary>
    Activation,
    /// <summary>A product that contracts an axis (Dot).</summary>
    Contraction,
    /// <summary>A reduction over all elements or along an axis (Sum, Prod, Mean, Max, Min, ArgMax, ArgMin, LogSumExp).</summary>
    Reduction,
    /// <summary>A function of a whole vector, or of each row of a matrix (Softmax, LogSoftmax).</summary>
    Normalization, Conversion, Arithmetic, Comparison, Logical, Select, MathFunction,
    /// <summary>Rearranges, picks or places elements (Transpose, Outer, Diagonal, Trace, Index, Fill, SetIndex, SetDiagonal).</summary>
    Structural,
    /// <summary>Reports the value it passes on (Print).</summary>
    Observer,
#pragma warning restore CS1591
}

/// <summary>What an op does besides computing its value.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum OpEffect
{
    /// <summary>Nothing: two equal applications are one node, and the node may be hoisted, fused or left out when unused.</summary>
    Pure,
    /// <summary>It reports the value it passes on (a print, a monitor): never merged, hoisted, fused or removed.</summary>
    Observes,
}

/// <summary>How generated code computes an op.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum OpEmit
{
    /// <summary>Not computed: a constant or a step argument.</summary>
    Leaf,
    /// <summary>A C# cast.</summary>
    Cast,
    /// <summary>A C# operator (<see cref="OpInfo.CSharpToken"/>).</summary>
    Operator,
    /// <summary>A call of <c>System.Math</c> or <c>System.MathF</c> (<see cref="OpInfo.MathMethod"/>).</summary>
    MathCall,
    /// <summary>A C# expression of its own (<see cref="OpInfo.Formula"/>).</summary>
    Formula,
    /// <summary>A call of the runtime's kernel <c>SymGen.Kernels.{Kernel}</c> (<see cref="OpInfo.Kernel"/>).</summary>
    Kernel,
}

/// <summary>How an op's result element type follows from its operands' (the type rule of <see cref="TypeRules"/>).</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum TypeRule
{
    /// <summary>C#'s numeric promotion of the operands.</summary>
    Promote,
    /// <summary>As <c>System.Math</c>'s overloads: promotion, but integer operands compute in double.</summary>
    MathPromote,
    /// <summary>Comparisons: bool for scalars; for tensors a mask (1 or 0) of the operands' promoted type.</summary>
    Comparison,
    /// <summary>Bool when every operand is bool, else C#'s integer promotion (the bitwise operators).</summary>
    Logical,
    /// <summary>The promotion of the branches (every operand but the first).</summary>
    Branches,
    /// <summary>An <c>int</c> for a scalar result (Math.Sign, an index), else the operand's type.</summary>
    IndexOrOperand,
    /// <summary>The element type of the first operand (the others are its dimensions or bounds).</summary>
    FirstOperand,
    /// <summary>Indexing: the element type of the first operand, at an integer index (the last); a value placed (SetIndex's second operand) is of that type too.</summary>
    Indexing,
    /// <summary>The conversion's target (given when the node is made).</summary>
    Target,
}

/// <summary>How an op's result shape follows from its operands' (the shape rule of <see cref="ShapeRules"/>).</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
enum ShapeRule
{
    /// <summary>No operands (constants, inputs).</summary>
    Leaf,
    /// <summary>Element by element, with Theano's broadcasting (scalars to anything, a vector over a matrix's rows).</summary>
    Elementwise,
    /// <summary>Dot: vector·vector, matrix·vector, vector·matrix, matrix·matrix.</summary>
    Contraction,
    /// <summary>Over all elements (a scalar), or along axis 0 (each column) or 1 (each row) of a matrix (a vector).</summary>
    Reduction,
    /// <summary>The operand's shape, a vector or a matrix (each row on its own).</summary>
    RowWise,
    /// <summary>A matrix's columns as rows.</summary>
    Transpose,
    /// <summary>Two vectors' outer product: a matrix of their lengths.</summary>
    Outer,
    /// <summary>A square matrix's diagonal, a vector.</summary>
    Diagonal,
    /// <summary>A square matrix to a scalar.</summary>
    SquareToScalar,
    /// <summary>One row of the first operand (one rank less) at the scalar integer second operand.</summary>
    Index,
    /// <summary>The first operand (a vector or a matrix) with the row at the scalar integer last operand replaced by the second (one rank less: a scalar, or a vector as long as the matrix's columns).</summary>
    SetIndex,
    /// <summary>A square matrix (the first operand) with its diagonal replaced by a vector (the second) as long as its rows.</summary>
    SetDiagonal,
    /// <summary>The operand's shape, whatever its rank.</summary>
    Same,
}

/// <summary>One op's definition: a row of the op table.</summary>
#if SYMGEN_GENERATOR
internal
#else
public
#endif
sealed record OpInfo
{
    internal OpInfo(Op op, OpCategory category, int arity, TypeRule type, ShapeRule shape, OpEmit emit)
    {
        Op = op; Category = category; Arity = arity; Type = type; Shape = shape; Emit = emit; Name = op.ToString();
    }

    /// <summary>The op.</summary>
    public Op Op { get; }
    /// <summary>Its name in printed graphs and messages.</summary>
    public string Name { get; }
    /// <summary>Its category.</summary>
    public OpCategory Category { get; }
    /// <summary>How many operands it takes.</summary>
    public int Arity { get; }
    /// <summary>How its result's element type follows from its operands'.</summary>
    public TypeRule Type { get; }
    /// <summary>How its result's shape follows from its operands'.</summary>
    public ShapeRule Shape { get; }
    /// <summary>How generated code computes it.</summary>
    public OpEmit Emit { get; }
    /// <summary>What it does besides computing its value.</summary>
    public OpEffect Effect { get; internal init; }
    /// <summary>
    /// Whether it can throw on floating-point operands (Math.Sign of NaN, an index out of range, the maximum of
    /// nothing): such a node is never hoisted out of a loop, since a loop of zero steps would not have run it.
    /// Integer arithmetic can throw whatever the op (division by zero), which the type shows.
    /// </summary>
    public bool MayThrow { get; internal init; }
    /// <summary>Whether it takes an axis (reductions: -1 for all elements, 0 each column, 1 each row).</summary>
    public bool HasAxis { get; internal init; }
    /// <summary>Whether it takes a constant text besides its operands (Print's label), passed to its kernel after them.</summary>
    public bool HasText { get; internal init; }
    /// <summary>The C# operator token (<c>+</c>, <c>&lt;</c>, ...) a step method writes it with, else null.</summary>
    public string? CSharpToken { get; internal init; }
    /// <summary>The <c>System.Math</c>/<c>System.MathF</c> method a step method writes it with, else null.</summary>
    public string? MathMethod { get; internal init; }
    /// <summary>The function of the runtime's <c>Sym</c> class that computes it (on tensors, and on scalars for ops with no Math method).</summary>
    public string? SymMethod { get; internal init; }
    /// <summary>
    /// For <see cref="OpEmit.Formula"/>: its C# expression, with <c>{0}</c>, <c>{1}</c>... for the operands,
    /// <c>{M}</c> for <c>global::System.Math</c> or <c>MathF</c> and <c>{1}</c>-style literals suffixed by <c>{s}</c>
    /// (<c>d</c> or <c>f</c>).
    /// </summary>
    public string? Formula { get; internal init; }
    /// <summary>For <see cref="OpEmit.Kernel"/> (and tensor results of every op without a fused form): the method of <c>SymGen.Kernels</c>.</summary>
    public string? Kernel { get; internal init; }
    /// <summary>
    /// How far two engines' tensor results of this op may differ, in units in the last place of max(|value|, 1)
    /// (0: bit for bit). Every engine computes scalars with the same C# expression, so scalar results always agree
    /// bit for bit; tensors differ where one engine uses a vectorised approximation (TensorPrimitives' Exp, Tanh...)
    /// and another <c>System.Math</c> element by element, or sums in another order. Counted against max(|value|, 1)
    /// because the approximations are absolute near zero (TensorPrimitives.Tanh(0f) is -6e-8).
    /// </summary>
    public int ToleranceUlps { get; internal init; }

    /// <summary>
    /// How a fused loop computes it on a whole vector of elements (<c>Vector512/256/128</c> of float or double), as a
    /// C# expression: <c>{0}</c>, <c>{1}</c>... the operands' vectors, <c>{V}</c> the vector class
    /// (<c>System.Runtime.Intrinsics.Vector512</c>...), <c>{W}</c> the vector type; a comparison gives a mask (all bits
    /// set where it holds), which Select takes. Null: no vector form, so a loop fusing the op stays scalar. Within
    /// <see cref="ToleranceUlps"/> of the scalar form (0: bit for bit).
    /// </summary>
    public string? VectorForm { get; internal init; }

    /// <summary>A <see cref="ToleranceUlps"/> of no bound: the engines agree absolutely, not relatively (Tanh near 0).</summary>
    public const int NoUlpBound = int.MaxValue;
    /// <summary>
    /// The op's derivative (its vector-Jacobian product), for gradients through a scan and of run-time graphs; null
    /// for an op that has none (its operands get no gradient, and a gradient asked through it is an error).
    /// </summary>
    internal DerivativeRule? Derivative { get; set; }

    /// <summary>Computed element by element (with broadcasting), so chains of such ops fuse into one loop.</summary>
    public bool IsElementwise => Shape == ShapeRule.Elementwise;
}

/// <summary>
/// An op's derivative: for the node of <paramref name="site"/> and the gradient flowing into its value, the gradient of
/// each operand as a node of <paramref name="graph"/> (-1 for an operand that gets none: integers, conditions, indices).
/// </summary>
internal delegate int[] DerivativeRule(IGradientGraph graph, DerivativeSite site);

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
    public static OpInfo Get(Op op) => (uint)op < (uint)Rows.Length ? Rows[(int)op]
        : throw new ArgumentOutOfRangeException(nameof(op), op, "No such op in this version of SymGen.");

    /// <summary>The op spelled by a C# operator token with this many operands, if any.</summary>
    public static bool TryGetOperator(string token, int arity, out Op op) => TryFind(r => r.CSharpToken == token && r.Arity == arity, out op);

    /// <summary>The op a <c>System.Math</c>/<c>System.MathF</c> method with this many arguments stands for, if any.</summary>
    public static bool TryGetMathFunction(string method, int arity, out Op op) => TryFind(r => r.MathMethod == method && r.Arity == arity, out op);

    /// <summary>The op a function of the runtime's <c>Sym</c> class stands for, if any.</summary>
    public static bool TryGetSymFunction(string method, out Op op) => TryFind(r => r.SymMethod == method, out op);

    private static bool TryFind(Func<OpInfo, bool> match, out Op op)
    {
        foreach (var row in Rows)
            if (match(row)) { op = row.Op; return true; }
        op = default;
        return false;
    }

    /// <summary>
    /// The C# expression computing <paramref name="op"/> on scalar operands that are simple names or literals.
    /// <paramref name="singlePrecision"/> picks <c>MathF</c> over <c>Math</c>, as C# overload resolution would.
    /// </summary>
    public static string FormatCSharp(Op op, bool singlePrecision, IReadOnlyList<string> operands)
    {
        var row = Get(op);
        if (operands.Count != row.Arity)
            throw new ArgumentException($"{row.Name} takes {row.Arity} operand(s); {operands.Count} were given.", nameof(operands));
        string math = singlePrecision ? "global::System.MathF" : "global::System.Math";
        switch (row.Emit)
        {
            case OpEmit.Operator:
                return row.Arity == 1 ? row.CSharpToken + operands[0] : $"{operands[0]} {row.CSharpToken} {operands[1]}";
            case OpEmit.MathCall:
                return $"{math}.{row.MathMethod}({string.Join(", ", operands)})";
            case OpEmit.Formula:
                var text = row.Formula!.Replace("{M}", math).Replace("{s}", singlePrecision ? "f" : "d");
                for (int i = 0; i < operands.Count; i++) text = text.Replace("{" + i + "}", operands[i]);
                return text;
            default:
                throw new ArgumentException($"{row.Name} has no C# expression of its own.", nameof(op));
        }
    }

    /// <summary>
    /// The vector form of <paramref name="op"/> (<see cref="OpInfo.VectorForm"/>) on operand vectors, for vectors of
    /// class <paramref name="vectorClass"/> (<c>global::System.Runtime.Intrinsics.Vector512</c>) and type <paramref name="vectorType"/>.
    /// </summary>
    public static string FormatVector(Op op, string vectorClass, string vectorType, IReadOnlyList<string> operands)
    {
        var row = Get(op);
        if (row.VectorForm is null)
            throw new ArgumentException($"{row.Name} has no vector form.", nameof(op));
        var text = row.VectorForm.Replace("{V}", vectorClass).Replace("{W}", vectorType);
        for (int i = 0; i < operands.Count; i++) text = text.Replace("{" + i + "}", operands[i]);
        return text;
    }

    /// <summary>
    /// The tolerance of ops that sum (Dot, Sum, Softmax...): vectorised kernels add in another order than a plain
    /// loop, and may fuse multiplies and adds, so results agree to a few ulps of the operands' magnitude.
    /// </summary>
    private const int Summation = 16;

    private static OpInfo[] Build()
    {
        // One line per op. Elementwise ops are fused into loops by generated code (their scalar form per element);
        // kernel ops call SymGen.Kernels.
        OpInfo Row(Op op, OpCategory category, int arity, TypeRule type, ShapeRule shape, OpEmit emit) => new(op, category, arity, type, shape, emit);
        OpInfo Operator(Op op, OpCategory category, int arity, string token, TypeRule type = TypeRule.Promote) =>
            new(op, category, arity, type, ShapeRule.Elementwise, OpEmit.Operator) { CSharpToken = token };
        OpInfo Math(Op op, int arity, string? method = null, bool onTensors = true, int ulps = 0, TypeRule type = TypeRule.MathPromote) =>
            new(op, OpCategory.MathFunction, arity, type, ShapeRule.Elementwise, OpEmit.MathCall)
            {
                MathMethod = method ?? op.ToString(), SymMethod = onTensors ? op.ToString() : null, ToleranceUlps = ulps,
            };
        // Kernel ops: every engine calls the same kernel, so they agree bit for bit (ToleranceUlps 0).
        OpInfo Reduction(Op op, string kernel, int ulps = 0, TypeRule type = TypeRule.Promote) =>
            new(op, OpCategory.Reduction, 1, type, ShapeRule.Reduction, OpEmit.Kernel) { HasAxis = true, SymMethod = op.ToString(), Kernel = kernel, ToleranceUlps = ulps };
        OpInfo Structural(Op op, int arity, ShapeRule shape, TypeRule type = TypeRule.Promote) =>
            new(op, OpCategory.Structural, arity, type, shape, OpEmit.Kernel) { SymMethod = op.ToString(), Kernel = op.ToString() };

        var rows = new List<OpInfo>
        {
            Row(Op.Constant, OpCategory.Leaf, 0, TypeRule.Target, ShapeRule.Leaf, OpEmit.Leaf),
            Row(Op.Input, OpCategory.Leaf, 0, TypeRule.Target, ShapeRule.Leaf, OpEmit.Leaf),
            Row(Op.Convert, OpCategory.Conversion, 1, TypeRule.Target, ShapeRule.Elementwise, OpEmit.Cast),
            Operator(Op.Negate, OpCategory.Arithmetic, 1, "-"),
            Operator(Op.Not, OpCategory.Logical, 1, "!", TypeRule.Logical),
            Operator(Op.Add, OpCategory.Arithmetic, 2, "+"),
            Operator(Op.Subtract, OpCategory.Arithmetic, 2, "-"),
            Operator(Op.Multiply, OpCategory.Arithmetic, 2, "*"),
            Operator(Op.Divide, OpCategory.Arithmetic, 2, "/"),
            Operator(Op.Remainder, OpCategory.Arithmetic, 2, "%"),
            // On tensors (Sym.Less, ...) comparisons give masks of 1 and 0 that Sym.Where takes.
            Operator(Op.Less, OpCategory.Comparison, 2, "<", TypeRule.Comparison) with { SymMethod = "Less" },
            Operator(Op.LessOrEqual, OpCategory.Comparison, 2, "<=", TypeRule.Comparison) with { SymMethod = "LessOrEqual" },
            Operator(Op.Greater, OpCategory.Comparison, 2, ">", TypeRule.Comparison) with { SymMethod = "Greater" },
            Operator(Op.GreaterOrEqual, OpCategory.Comparison, 2, ">=", TypeRule.Comparison) with { SymMethod = "GreaterOrEqual" },
            Operator(Op.Equal, OpCategory.Comparison, 2, "==", TypeRule.Comparison) with { SymMethod = "Equal" },
            Operator(Op.NotEqual, OpCategory.Comparison, 2, "!=", TypeRule.Comparison) with { SymMethod = "NotEqual" },
            // && and || on pure operands equal & and |: both sides are computed, like every graph node.
            Operator(Op.And, OpCategory.Logical, 2, "&", TypeRule.Logical),
            Operator(Op.Or, OpCategory.Logical, 2, "|", TypeRule.Logical),
            Operator(Op.Xor, OpCategory.Logical, 2, "^", TypeRule.Logical),
            // A tensor condition is a mask: non-zero elements pick the first branch.
            Row(Op.Select, OpCategory.Select, 3, TypeRule.Branches, ShapeRule.Elementwise, OpEmit.Formula) with { Formula = "{0} ? {1} : {2}", SymMethod = "Where" },
            // Ulps: the worst difference between TensorPrimitives' function (eager kernels, interpreter) and
            // System.Math/MathF's (generated loops), float and double, over 2^20 random inputs of every magnitude and
            // the edge values, on 512-, 256- and 128-bit vectors. 0: the kernel computes it element by element too.
            Math(Op.Abs, 1, type: TypeRule.Promote),
            Math(Op.Sqrt, 1),
            Math(Op.Cbrt, 1),
            Math(Op.Exp, 1, ulps: 2),
            Math(Op.Log, 1, ulps: 3),
            Math(Op.Log2, 1, ulps: 4),
            Math(Op.Log10, 1, ulps: 4),
            Math(Op.Sin, 1, ulps: 1),
            Math(Op.Cos, 1, ulps: 1),
            Math(Op.Tan, 1),
            Math(Op.Asin, 1),
            Math(Op.Acos, 1),
            Math(Op.Atan, 1),
            Math(Op.Sinh, 1),
            Math(Op.Cosh, 1),
            // TensorPrimitives.Tanh is accurate to ~3e-16 absolute (2e-7 in float), not relatively: tanh(1e-17) is 0.
            Math(Op.Tanh, 1, ulps: OpInfo.NoUlpBound),
            Math(Op.Floor, 1),
            Math(Op.Ceiling, 1),
            Math(Op.Truncate, 1),
            Math(Op.Round, 1),
            Math(Op.Sign, 1, type: TypeRule.IndexOrOperand) with { MayThrow = true },
            Math(Op.Pow, 2),
            Math(Op.Atan2, 2),
            Math(Op.Maximum, 2, "Max", type: TypeRule.Promote),
            Math(Op.Minimum, 2, "Min", type: TypeRule.Promote),
            Math(Op.FusedMultiplyAdd, 3),
            Row(Op.Sigmoid, OpCategory.Activation, 1, TypeRule.MathPromote, ShapeRule.Elementwise, OpEmit.Formula)
                with { Formula = "1{s} / (1{s} + {M}.Exp(-{0}))", SymMethod = "Sigmoid", ToleranceUlps = 4 },
            Row(Op.Relu, OpCategory.Activation, 1, TypeRule.Promote, ShapeRule.Elementwise, OpEmit.Formula)
                with { Formula = "{M}.Max({0}, 0{s})", SymMethod = "Relu" },
            Row(Op.Clip, OpCategory.Activation, 3, TypeRule.Promote, ShapeRule.Elementwise, OpEmit.Formula)
                with { Formula = "{M}.Min({M}.Max({0}, {1}), {2})", SymMethod = "Clip" },
            Row(Op.Dot, OpCategory.Contraction, 2, TypeRule.Promote, ShapeRule.Contraction, OpEmit.Kernel) with { SymMethod = "Dot", Kernel = "Dot", ToleranceUlps = Summation },
            Reduction(Op.Sum, "Reduce", Summation),
            Reduction(Op.Prod, "Reduce", Summation),
            Reduction(Op.Mean, "Reduce", Summation),
            Reduction(Op.Max, "Reduce"),
            Reduction(Op.Min, "Reduce"),
            Reduction(Op.ArgMax, "ArgReduce", type: TypeRule.IndexOrOperand),
            Reduction(Op.ArgMin, "ArgReduce", type: TypeRule.IndexOrOperand),
            Reduction(Op.LogSumExp, "Reduce", Summation),
            Row(Op.Softmax, OpCategory.Normalization, 1, TypeRule.Promote, ShapeRule.RowWise, OpEmit.Kernel) with { SymMethod = "Softmax", Kernel = "Softmax", ToleranceUlps = Summation },
            Row(Op.LogSoftmax, OpCategory.Normalization, 1, TypeRule.Promote, ShapeRule.RowWise, OpEmit.Kernel) with { SymMethod = "LogSoftmax", Kernel = "LogSoftmax", ToleranceUlps = Summation },
            Structural(Op.Transpose, 1, ShapeRule.Transpose),
            Structural(Op.Outer, 2, ShapeRule.Outer),
            Structural(Op.Diagonal, 1, ShapeRule.Diagonal),
            Structural(Op.Trace, 1, ShapeRule.SquareToScalar),
            Structural(Op.Index, 2, ShapeRule.Index, TypeRule.Indexing) with { SymMethod = null },
            // Fill(x, v) is v broadcast to x's shape: elementwise, so it fuses (its value never reads x's elements).
            Row(Op.Fill, OpCategory.Structural, 2, TypeRule.Promote, ShapeRule.Elementwise, OpEmit.Formula) with { Formula = "{1}", SymMethod = "Fill" },
            Structural(Op.SetIndex, 3, ShapeRule.SetIndex, TypeRule.Indexing),
            Structural(Op.SetDiagonal, 2, ShapeRule.SetDiagonal),
            // An effect: never merged, hoisted, fused or dropped; its kernel writes the value (any rank, any type).
            Row(Op.Print, OpCategory.Observer, 1, TypeRule.FirstOperand, ShapeRule.Same, OpEmit.Kernel)
                with { SymMethod = "Print", Kernel = "Print", Effect = OpEffect.Observes, HasText = true },
        };
        // Vector forms for fused loops: operators, System.Runtime.Intrinsics' functions (Exp, Log, Sin... are the ones
        // TensorPrimitives calls), SymGen.VectorMath's Tanh and Sigmoid (TensorPrimitives' algorithms). The others
        // (Tan, Sinh, Cosh, Pow, Atan2, Cbrt, inverse trigonometry, Log10, Remainder, Sign, Convert) have none.
        var vectorForms = new Dictionary<Op, string>
        {
            [Op.Negate] = "-{0}", [Op.Add] = "{0} + {1}", [Op.Subtract] = "{0} - {1}", [Op.Multiply] = "{0} * {1}", [Op.Divide] = "{0} / {1}",
            [Op.Less] = "{V}.LessThan({0}, {1})", [Op.LessOrEqual] = "{V}.LessThanOrEqual({0}, {1})",
            [Op.Greater] = "{V}.GreaterThan({0}, {1})", [Op.GreaterOrEqual] = "{V}.GreaterThanOrEqual({0}, {1})",
            [Op.Equal] = "{V}.Equals({0}, {1})", [Op.NotEqual] = "~{V}.Equals({0}, {1})",
            [Op.Select] = "{V}.ConditionalSelect({0}, {1}, {2})",
            [Op.Abs] = "{V}.Abs({0})", [Op.Sqrt] = "{V}.Sqrt({0})", [Op.Exp] = "{V}.Exp({0})", [Op.Log] = "{V}.Log({0})", [Op.Log2] = "{V}.Log2({0})",
            [Op.Sin] = "{V}.Sin({0})", [Op.Cos] = "{V}.Cos({0})", [Op.Tanh] = "global::SymGen.VectorMath.Tanh({0})",
            [Op.Floor] = "{V}.Floor({0})", [Op.Ceiling] = "{V}.Ceiling({0})", [Op.Truncate] = "{V}.Truncate({0})", [Op.Round] = "{V}.Round({0})",
            [Op.Maximum] = "{V}.Max({0}, {1})", [Op.Minimum] = "{V}.Min({0}, {1})", [Op.FusedMultiplyAdd] = "{V}.FusedMultiplyAdd({0}, {1}, {2})",
            [Op.Sigmoid] = "global::SymGen.VectorMath.Sigmoid({0})", [Op.Relu] = "{V}.Max({0}, {W}.Zero)", [Op.Clip] = "{V}.Min({V}.Max({0}, {1}), {2})",
            [Op.Fill] = "{1}",
        };
        for (int i = 0; i < rows.Count; i++)
            if (vectorForms.TryGetValue(rows[i].Op, out var form)) rows[i] = rows[i] with { VectorForm = form };
        // A kernel checks its operands (empty reductions, indices, sizes): it may throw.
        for (int i = 0; i < rows.Count; i++)
            if (rows[i].Emit == OpEmit.Kernel) rows[i] = rows[i] with { MayThrow = true };
        rows.Sort((a, b) => a.Op.CompareTo(b.Op));
        for (int i = 0; i < rows.Count; i++)
            if ((int)rows[i].Op != i) throw new InvalidOperationException($"The op table has no row for op {(Op)i}, or two for one op.");
        foreach (var row in rows) row.Derivative = DerivativeRules.Of(row.Op);
        return rows.ToArray();
    }
}
