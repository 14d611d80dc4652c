using System;
using System.Linq;
using SymGen.Graph;
using SymGen.Tests.Conformance;

namespace SymGen.Tests.Graphs;

/// <summary>
/// Runs a scan's generated graph through the interpreter and compares it with the generated loop's result, as the
/// conformance suite compares engines (<see cref="Agreement"/>, within <see cref="Tolerance.Of"/> the graph), for
/// the tests that need particular arguments (extreme step counts, growing traces).
/// </summary>
public static class GraphCheck
{
    /// <summary>
    /// Asserts that <paramref name="graph"/>, evaluated by the interpreter on <paramref name="arguments"/>, gives
    /// <paramref name="generated"/> (a trace or a tuple of traces).
    /// </summary>
    public static void SameAsInterpreter(Function graph, object generated, params object[] arguments) =>
        Same(graph, generated, null, arguments);

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
            Same(graph, null, expected, arguments);
            return;
        }
        Same(graph, result, null, arguments);
    }

    /// <summary>The interpreter runs on the caller's arguments themselves: a caller passing shared variables checks their updates.</summary>
    private static void Same(Function graph, object? generated, Exception? error, object[] arguments)
    {
        Outcome interpreted;
        try
        {
            interpreted = new(graph.Invoke(arguments).Select(Output.Of).ToList(), [], null);
        }
        catch (Exception thrown) when (thrown is not Xunit.Sdk.XunitException)
        {
            interpreted = new([], [], thrown);
        }
        var expected = new Outcome(ScanEngine.Outputs(generated).Select(Output.Of).ToList(), [], error);
        Agreement.Assert(expected, interpreted, Tolerance.Of(graph), "interpreter against the generated loop");
    }
}
