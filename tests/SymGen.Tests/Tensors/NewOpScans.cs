namespace SymGen.Tests.Tensors;

/// <summary>
/// Scans using each op of issue 11's "ops users reached for": the Math functions on tensors, comparison masks and
/// Where, Clip, Min, ArgMax/ArgMin, LogSumExp and LogSoftmax, on vectors, matrices and scalars. NewOpTests compares
/// each with a plain C# loop, generated and interpreted.
/// </summary>
public static partial class NewOpScans
{
    // x in [-2, 2]: Asin and Acos take x / 2.5; the logs take |x| + 0.5.
    internal static (Vec<double> cbrt, Vec<double> log2, Vec<double> log10, Vec<double> sin, Vec<double> cos, Vec<double> tan, Vec<double> asin,
        Vec<double> acos, Vec<double> atan, Vec<double> sinh, Vec<double> cosh, Vec<double> floor, Vec<double> ceiling, Vec<double> truncate,
        Vec<double> round, Vec<double> sign)
        Unary(Vec<double> x) =>
        (Sym.Cbrt(x), Sym.Log2(Sym.Abs(x) + 0.5), Sym.Log10(Sym.Abs(x) + 0.5), Sym.Sin(x), Sym.Cos(x), Sym.Tan(x), Sym.Asin(x / 2.5),
         Sym.Acos(x / 2.5), Sym.Atan(x), Sym.Sinh(x), Sym.Cosh(x), Sym.Floor(x * 3), Sym.Ceiling(x * 3), Sym.Truncate(x * 3),
         Sym.Round(x * 3), Sym.Sign(x));

    [Symbolic(nameof(Unary))]
    public static partial (Mat<double> cbrt, Mat<double> log2, Mat<double> log10, Mat<double> sin, Mat<double> cos, Mat<double> tan, Mat<double> asin,
        Mat<double> acos, Mat<double> atan, Mat<double> sinh, Mat<double> cosh, Mat<double> floor, Mat<double> ceiling, Mat<double> truncate,
        Mat<double> round, Mat<double> sign)
        UnaryOps([Sequence] Mat<double> x);

    // Each form of the binary functions: (Vec, Vec), (Vec, T), (T, Vec), and FusedMultiplyAdd.
    internal static (Vec<double> pow, Vec<double> powScalar, Vec<double> scalarPow, Vec<double> atan2, Vec<double> atan2Scalar, Vec<double> scalarAtan2,
        Vec<double> maximum, Vec<double> scalarMaximum, Vec<double> minimum, Vec<double> minimumScalar, Vec<double> fma)
        Binary(Vec<double> x, Vec<double> y, double a) =>
        (Sym.Pow(Sym.Abs(x) + 0.5, y), Sym.Pow(x, a), Sym.Pow(a, x), Sym.Atan2(x, y), Sym.Atan2(x, a), Sym.Atan2(a, x),
         Sym.Maximum(x, y), Sym.Maximum(a, x), Sym.Minimum(x, y), Sym.Minimum(x, a), Sym.FusedMultiplyAdd(x, y, x));

    [Symbolic(nameof(Binary))]
    public static partial (Mat<double> pow, Mat<double> powScalar, Mat<double> scalarPow, Mat<double> atan2, Mat<double> atan2Scalar, Mat<double> scalarAtan2,
        Mat<double> maximum, Mat<double> scalarMaximum, Mat<double> minimum, Mat<double> minimumScalar, Mat<double> fma)
        BinaryOps([Sequence] Mat<double> x, [Sequence] Mat<double> y, double a);

    // Matrices: a unary function, (Mat, Mat), (Mat, Vec) over the rows, (Mat, T), (T, Mat), FusedMultiplyAdd.
    internal static (Mat<double> sin, Mat<double> sign, Mat<double> atan2, Mat<double> maximumRows, Mat<double> powScalar, Mat<double> scalarMinimum, Mat<double> fma)
        MatrixMath(Mat<double> m, Vec<double> v, Mat<double> w, double a) =>
        (Sym.Sin(m), Sym.Sign(m), Sym.Atan2(m, w), Sym.Maximum(m, v), Sym.Pow(Sym.Abs(m), a), Sym.Minimum(a, m), Sym.FusedMultiplyAdd(m, w, m));

    [Symbolic(nameof(MatrixMath))]
    public static partial (Tensor3<double> sin, Tensor3<double> sign, Tensor3<double> atan2, Tensor3<double> maximumRows, Tensor3<double> powScalar,
        Tensor3<double> scalarMinimum, Tensor3<double> fma)
        MatrixMathOps([Sequence] Tensor3<double> m, Vec<double> v, Mat<double> w, double a);

    // Comparison masks (fused and materialised), Where with tensor and scalar branches, a bool-conditioned vector select.
    internal static (Vec<double> less, Vec<double> lessOrEqual, Vec<double> greater, Vec<double> greaterOrEqual, Vec<double> equal, Vec<double> notEqual,
        Vec<double> whereLess, Vec<double> whereScalars, Vec<double> whereRight, Vec<double> whereLeft, Vec<double> maskTimes, Vec<double> boolSelect)
        Masks(Vec<double> x, Vec<double> y, double a)
    {
        var less = Sym.Less(x, y);
        return (less, Sym.LessOrEqual(x, a), Sym.Greater(x, y), Sym.GreaterOrEqual(x, a), Sym.Equal(Sym.Round(x), Sym.Round(y)), Sym.NotEqual(x, a),
            Sym.Where(less, x, y), Sym.Where(Sym.Greater(x, a), 1.0, -1.0), Sym.Where(Sym.Less(x, a), x, a), Sym.Where(Sym.Less(y, a), a, y),
            less * x + Sym.Greater(y, 0.0), a > 0 ? x : y);
    }

    [Symbolic(nameof(Masks))]
    public static partial (Mat<double> less, Mat<double> lessOrEqual, Mat<double> greater, Mat<double> greaterOrEqual, Mat<double> equal, Mat<double> notEqual,
        Mat<double> whereLess, Mat<double> whereScalars, Mat<double> whereRight, Mat<double> whereLeft, Mat<double> maskTimes, Mat<double> boolSelect)
        MaskOps([Sequence] Mat<double> x, [Sequence] Mat<double> y, double a);

    // Matrix masks and Where, and Clip on every form (scalars too).
    internal static (Mat<double> lessRows, Mat<double> whereMat, Mat<double> whereMatScalar, Mat<double> whereScalarMat, Mat<double> whereMatScalars,
        Mat<double> clipMat, Mat<double> clipMats, Vec<double> clipVec, Vec<double> clipVecs, double clipScalar)
        MatrixMasks(Mat<double> m, Vec<double> v, double a, Mat<double> w) =>
        (Sym.Less(m, v), Sym.Where(Sym.Greater(m, w), m, w), Sym.Where(Sym.Less(m, a), m, a), Sym.Where(Sym.NotEqual(m, w), a, w),
         Sym.Where(Sym.GreaterOrEqual(m, 0.0), 1.0, 0.0), Sym.Clip(m, -0.5, a), Sym.Clip(m, -Sym.Abs(w), Sym.Abs(w)), Sym.Clip(v, -a, a),
         Sym.Clip(v, v * 0.5, v * 0.5 + 1.0), Sym.Clip(a, 0.0, 1.0));

    [Symbolic(nameof(MatrixMasks))]
    public static partial (Tensor3<double> lessRows, Tensor3<double> whereMat, Tensor3<double> whereMatScalar, Tensor3<double> whereScalarMat,
        Tensor3<double> whereMatScalars, Tensor3<double> clipMat, Tensor3<double> clipMats, Mat<double> clipVec, Mat<double> clipVecs, double[] clipScalar)
        MatrixMaskOps([Sequence] Tensor3<double> m, [Sequence] Mat<double> v, [Sequence] double[] a, Mat<double> w);

    // The new reductions and LogSoftmax: all elements, along each axis; ArgMax's int result.
    internal static (double min, double minAll, Vec<double> min0, Vec<double> min1, int argMax, int argMin, int argMaxAll, int argMinAll, Vec<double> argMax0,
        Vec<double> argMin1, double logSumExp, double logSumExpAll, Vec<double> logSumExp0, Vec<double> logSumExp1, Vec<double> logSoftmax, Mat<double> logSoftmaxRows)
        Reductions(Vec<double> x, Mat<double> m) =>
        (Sym.Min(x), Sym.Min(m), Sym.Min(m, 0), Sym.Min(m, 1), Sym.ArgMax(x), Sym.ArgMin(x), Sym.ArgMax(m), Sym.ArgMin(m), Sym.ArgMax(m, 0),
         Sym.ArgMin(m, 1), Sym.LogSumExp(x * 300.0), Sym.LogSumExp(m), Sym.LogSumExp(m, 0), Sym.LogSumExp(m, 1), Sym.LogSoftmax(x * 300.0), Sym.LogSoftmax(m));

    [Symbolic(nameof(Reductions))]
    public static partial (double[] min, double[] minAll, Mat<double> min0, Mat<double> min1, int[] argMax, int[] argMin, int[] argMaxAll, int[] argMinAll,
        Mat<double> argMax0, Mat<double> argMin1, double[] logSumExp, double[] logSumExpAll, Mat<double> logSumExp0, Mat<double> logSumExp1,
        Mat<double> logSoftmax, Tensor3<double> logSoftmaxRows)
        ReductionOps([Sequence] Mat<double> x, [Sequence] Tensor3<double> m);

    // The scalar overloads, as Math computes them.
    internal static (double sin, double pow, int sign, double clip, double maximum, double fma, double atan2, double floor) Scalars(double a, double b) =>
        (Sym.Sin(a), Sym.Pow(Sym.Abs(a), b), Sym.Sign(a), Sym.Clip(a, -0.5, 0.5), Sym.Maximum(a, b), Sym.FusedMultiplyAdd(a, b, a), Sym.Atan2(a, b), Sym.Floor(a * 3));

    [Symbolic(nameof(Scalars))]
    public static partial (double[] sin, double[] pow, int[] sign, double[] clip, double[] maximum, double[] fma, double[] atan2, double[] floor)
        ScalarOps([Sequence] double[] a, [Sequence] double[] b);

    // Float: masks of 1f/0f, MathF, ArgMax and LogSoftmax in single precision.
    internal static (Vec<float> where, Vec<float> sin, int argMax, Vec<float> logSoftmax, float logSumExp) Floats(Vec<float> x, Vec<float> y) =>
        (Sym.Where(Sym.Less(x, y), Sym.Sin(x), Sym.Cos(y)), Sym.Sin(x) + Sym.Greater(x, 0f), Sym.ArgMax(x), Sym.LogSoftmax(x), Sym.LogSumExp(y));

    [Symbolic(nameof(Floats))]
    public static partial (Mat<float> where, Mat<float> sin, int[] argMax, Mat<float> logSoftmax, float[] logSumExp) FloatOps([Sequence] Mat<float> x, [Sequence] Mat<float> y);
}
