// Where each op is smooth: the operand values the gradient tests draw, so that central differences are meaningful.
// Shared by the interpreted gradient walk (GradientTableTests) and the generated one (linked into
// tests/SymGen.Generator.Tests as OpGeneratedGradientTests' inputs).
#if SYMGEN_GENERATOR_TESTS
extern alias runtime;
#endif
using System;
#if SYMGEN_GENERATOR_TESTS
using runtime::SymGen.Graph; // the runtime's op table, not the generator's linked copy
#else
using SymGen.Graph;
#endif

namespace SymGen.Tests.Gradients;

public static class SmoothOperands
{
    /// <summary>
    /// An operand's element, drawn where the op is smooth: inside the domain (Log, Sqrt, Asin...), away from kinks
    /// and jumps (Abs, Relu, Sign at 0; a divisor or Prod's factors near 0), conditions 0 or 1, indices in range.
    /// </summary>
    public static double Sample(Op op, int operand, Random random)
    {
        double Uniform(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double AwayFromZero(double lo, double hi) => (random.Next(2) == 0 ? -1 : 1) * Uniform(lo, hi);
        return op switch
        {
            Op.Log or Op.Log2 or Op.Log10 or Op.Sqrt => Uniform(0.2, 3),
            Op.Pow => operand == 0 ? Uniform(0.5, 2) : Uniform(-2, 2),
            Op.Asin or Op.Acos => Uniform(-0.9, 0.9),
            Op.Tan => Uniform(-1.2, 1.2),
            Op.Divide or Op.Remainder when operand == 1 => AwayFromZero(0.5, 2),
            Op.Abs or Op.Relu or Op.Sign or Op.Cbrt or Op.Atan2 or Op.Prod => AwayFromZero(0.3, 2),
            Op.Select when operand == 0 => random.Next(2),
            _ => Uniform(-2, 2),
        };
    }
}
