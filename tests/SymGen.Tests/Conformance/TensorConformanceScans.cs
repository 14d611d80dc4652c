namespace SymGen.Tests.Conformance;

/// <summary>The reference cases with vector steps.</summary>
public static partial class TensorConformanceScans
{
    // matrix_rows_accumulate, empty_sequence_sit_sot: lambda r, acc: acc + r (a vector state)
    internal static Vec<double> AccumulateRow(Vec<double> r, Vec<double> acc) => acc + r;

    [Symbolic(nameof(AccumulateRow))]
    public static partial Mat<double> RunningRowSum([Sequence] Mat<double> X, [Initial] Vec<double> h0);

    // map_two_outputs_no_outputs_info: lambda r: [r.sum(), r.prod()] (two map outputs)
    internal static (double, double) SumAndProduct(Vec<double> r) => (Sym.Sum(r), Sym.Prod(r));

    [Symbolic(nameof(SumAndProduct))]
    public static partial (double[] sum, double[] prod) RowSumsAndProducts([Sequence] Mat<double> X);
}
