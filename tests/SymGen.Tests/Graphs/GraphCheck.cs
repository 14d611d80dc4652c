using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>Runs a scan's generated graph through the interpreter and compares it with the generated loop's result.</summary>
public static class GraphCheck
{
    /// <summary>
    /// Asserts that <paramref name="graph"/>, evaluated by the interpreter on <paramref name="arguments"/>, gives
    /// <paramref name="generated"/> (a trace or a tuple of traces) to 1e-12 relative (1e-5 for float).
    /// </summary>
    public static void SameAsInterpreter(Function graph, object generated, params object[] arguments)
    {
        var interpreted = graph.Invoke(arguments);
        var expected = generated is ITuple tuple ? Enumerable.Range(0, tuple.Length).Select(i => tuple[i]!).ToArray() : [generated];
        Assert.Equal(expected.Length, interpreted.Length);
        for (int o = 0; o < expected.Length; o++)
        {
            var (shape, values, single) = Flatten(expected[o]);
            var (iShape, iValues, _) = Flatten(interpreted[o]);
            Assert.True(shape.SequenceEqual(iShape), $"output {o}: interpreter shape ({string.Join(", ", iShape)}), generated ({string.Join(", ", shape)})");
            double tolerance = single ? 1e-5 : 1e-12;
            for (int i = 0; i < values.Length; i++)
                Assert.True(values[i].Equals(iValues[i]) || Math.Abs(values[i] - iValues[i]) <= tolerance * Math.Max(1, Math.Abs(values[i])),
                    $"output {o}[{i}]: interpreter {iValues[i]:R}, generated {values[i]:R}");
        }
    }

    /// <summary>
    /// As above, for a generated call that may reject its arguments: then the interpreter must reject them with the
    /// same <see cref="ArgumentException"/> (type, message and parameter name).
    /// </summary>
    public static void SameAsInterpreter(Function graph, Func<object> generated, params object[] arguments)
    {
        object result;
        try
        {
            result = generated();
        }
        catch (ArgumentException expected)
        {
            var error = Assert.Throws(expected.GetType(), () => graph.Invoke(arguments));
            Assert.Equal(expected.Message, error.Message);
            Assert.Equal(expected.ParamName, ((ArgumentException)error).ParamName);
            return;
        }
        SameAsInterpreter(graph, result, arguments);
    }

    private static (int[] Shape, double[] Values, bool Single) Flatten(object value) => value switch
    {
        double[] a => ([a.Length], a, false),
        float[] a => ([a.Length], a.Select(v => (double)v).ToArray(), true),
        int[] a => ([a.Length], a.Select(v => (double)v).ToArray(), false),
        long[] a => ([a.Length], a.Select(v => (double)v).ToArray(), false),
        bool[] a => ([a.Length], a.Select(v => v ? 1.0 : 0.0).ToArray(), false),
        Vec<double> v => ([v.Length], v.ToArray(), false),
        Vec<float> v => ([v.Length], v.ToArray().Select(x => (double)x).ToArray(), true),
        Mat<double> m => ([m.Rows, m.Columns], m.Span.ToArray(), false),
        Mat<float> m => ([m.Rows, m.Columns], m.Span.ToArray().Select(x => (double)x).ToArray(), true),
        Tensor3<double> t => ([t.Length, t.Rows, t.Columns], t.Span.ToArray(), false),
        Tensor3<float> t => ([t.Length, t.Rows, t.Columns], t.Span.ToArray().Select(x => (double)x).ToArray(), true),
        float f => ([], [f], true),
        double d => ([], [d], false),
        _ => throw new ArgumentException($"Cannot compare a {value.GetType().Name}."),
    };
}
