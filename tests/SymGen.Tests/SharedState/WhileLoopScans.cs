namespace SymGen.Tests.SharedState;

/// <summary>While-loop scans of vectors and matrices, for the traces that grow with the steps executed.</summary>
public static partial class WhileLoopScans
{
    internal static (Vec<double>, Until) DoubleVector(Vec<double> h, double limit) => (h * 2.0, Until.When(Sym.Max(h * 2.0) > limit));

    [Symbolic(nameof(DoubleVector))]
    public static partial Mat<double> DoubleVectorUntil([Initial] Vec<double> h0, double limit, [Steps] int maxSteps);

    internal static (Mat<double>, Until) DoubleMatrix(Mat<double> h, double limit) => (h * 2.0, Until.When(Sym.Max(h * 2.0) > limit));

    [Symbolic(nameof(DoubleMatrix))]
    public static partial Tensor3<double> DoubleMatrixUntil([Initial] Mat<double> h0, double limit, [Steps] int maxSteps);

    // Vector Fibonacci with taps [-2, -1]: every step reads two past rows of the trace, also across its growth.
    internal static (Vec<double>, Until) AddPast(Vec<double> a, Vec<double> b, double limit) => (a + b, Until.When(Sym.Max(a + b) > limit));

    [Symbolic(nameof(AddPast))]
    public static partial Mat<double> FibonacciUntil([Initial(-2, -1)] Mat<double> first, double limit, [Steps] int maxSteps);
}
