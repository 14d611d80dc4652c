using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>A scalar-times-tensor op in a graph of more scalars than tensors (a regression: the scalar was looked up among the tensors).</summary>
public class InterpreterScalarTensorTests
{
    [Fact]
    public void A_computed_scalar_times_a_vector_reads_the_scalar_from_its_slot()
    {
        var a = Tensor.Scalar("a");
        var v = Tensor.Vector("v");
        var s = ((a + 1) * (a + 2) - (a + 3)) / (a + 4); // several scalar slots before the tensor op
        var f = Tensor.Function([a, v], [s * v]);
        var result = ((Vec<double>)f.Invoke(1.0, new[] { 1.0, 2.0 })[0]).ToArray();
        Assert.Equal([0.4, 0.8], result);
    }
}
