using System.Collections.Generic;
using System.Linq;
using Onnx;
using SymGen.Onnx;
using Xunit;

namespace SymGen.Tests.Onnx;

/// <summary>
/// ONNX's structural rules, checked on an exported model as ONNX's checker reads it: every node input is defined
/// before it is used (in the graph, or an enclosing graph for a Loop body), each value is defined once in the whole
/// model, every graph output exists, every value is typed at the graph's edges, and each Loop body has the
/// signature (t, condition, state...) -> (condition, state..., scan outputs...).
/// </summary>
public static class OnnxChecks
{
    public static void WellFormed(ModelProto model)
    {
        Assert.Equal(OnnxExport.IrVersion, model.IrVersion);
        Assert.Contains(model.OpsetImport, o => o.Domain == "" && o.Version == OnnxExport.Opset);
        var defined = new HashSet<string>();
        Graph(model.Graph, new HashSet<string>(), defined);
    }

    private static void Graph(GraphProto graph, IReadOnlySet<string> outer, HashSet<string> everywhere)
    {
        var visible = new HashSet<string>(outer);
        foreach (var input in graph.Input)
        {
            Assert.True(everywhere.Add(input.Name), $"'{input.Name}' is defined twice");
            Assert.True(input.Type?.TensorType is { ElemType: > 0 }, $"input '{input.Name}' of graph '{graph.Name}' has no element type");
            visible.Add(input.Name);
        }
        foreach (var node in graph.Node)
        {
            Assert.False(string.IsNullOrEmpty(node.OpType));
            Assert.False(string.IsNullOrEmpty(node.Name), $"a {node.OpType} node has no name");
            foreach (var input in node.Input)
                Assert.True(input == "" || visible.Contains(input), $"{node.OpType} node '{node.Name}' of graph '{graph.Name}' reads '{input}', which is not defined before it");
            foreach (var attribute in node.Attribute.Where(a => a.G is not null))
            {
                var body = attribute.G;
                if (node.OpType == "Loop")
                {
                    int state = node.Input.Count - 2;
                    Assert.Equal(2 + state, body.Input.Count);
                    Assert.Equal(node.Output.Count + 1, body.Output.Count);
                }
                Graph(body, visible, everywhere);
            }
            foreach (var output in node.Output)
            {
                Assert.True(everywhere.Add(output), $"'{output}' is defined twice");
                visible.Add(output);
            }
        }
        foreach (var output in graph.Output)
        {
            Assert.True(visible.Contains(output.Name), $"graph output '{output.Name}' of graph '{graph.Name}' does not exist");
            Assert.True(output.Type?.TensorType is { ElemType: > 0 }, $"output '{output.Name}' of graph '{graph.Name}' has no element type");
        }
    }
}
