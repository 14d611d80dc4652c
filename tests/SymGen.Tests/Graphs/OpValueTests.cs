using System;
using System.Linq;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>
/// Op values are compiled into every library that calls a scan (generated code passes ops as constants), so they
/// are a binary contract: this list may only grow at its end. A failure here means an op was renumbered.
/// </summary>
public class OpValueTests
{
    private static readonly string[] Published =
    [
        "Constant", "Input", "Convert", "Negate", "Not", "Add", "Subtract", "Multiply", "Divide", "Remainder",
        "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Equal", "NotEqual", "And", "Or", "Xor", "Select",
        "Abs", "Sqrt", "Cbrt", "Exp", "Log", "Log2", "Log10", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh",
        "Cosh", "Tanh", "Floor", "Ceiling", "Truncate", "Round", "Sign", "Pow", "Atan2", "Maximum", "Minimum",
        "FusedMultiplyAdd", "Sigmoid", "Relu", "Dot", "Sum", "Prod", "Mean", "Max", "Softmax",
        "Min", "ArgMax", "ArgMin", "LogSumExp", "LogSoftmax", "Clip", "Transpose", "Outer", "Diagonal", "Trace", "Index",
        "Fill", "SetIndex", "SetDiagonal",
    ];

    [Fact]
    public void PublishedOpsKeepTheirValues()
    {
        for (int value = 0; value < Published.Length; value++)
            Assert.Equal(Published[value], Enum.GetName((Op)value));
    }

    [Fact]
    public void NewOpsTakeTheNextValues()
    {
        var values = Enum.GetValues<Op>().Select(op => (int)op).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, values.Length), values);
        Assert.True(values.Length >= Published.Length);
    }
}
