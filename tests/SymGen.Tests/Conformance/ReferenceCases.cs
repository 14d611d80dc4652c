using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SymGen.Tests.Conformance;

/// <summary>An array of the reference file: dtype, shape and the values flattened in row-major order.</summary>
public sealed record ReferenceArray(string Dtype, int[] Shape, double[] Values)
{
    public double Scalar => Shape.Length == 0 ? Values[0] : throw new InvalidOperationException("Not a scalar.");
}

/// <summary>A value case of scan-cases.json: its inputs, expected outputs and the Python code that defined it.</summary>
public sealed record ReferenceCase(string Name, string Description, string Code,
    IReadOnlyDictionary<string, ReferenceArray> Inputs, IReadOnlyDictionary<string, ReferenceArray> Outputs)
{
    /// <summary>The integer that follows <paramref name="prefix"/> in the case's code, e.g. "n_steps=" or "arange(".</summary>
    public int CodeInt(string prefix)
    {
        var match = Regex.Match(Code, Regex.Escape(prefix) + @"\s*(-?\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value) : throw new InvalidOperationException($"{Name} has no '{prefix}'.");
    }
}

/// <summary>An error case: what PyTensor raised.</summary>
public sealed record ReferenceError(string Name, string Exception, string Message);

/// <summary>Loads the copy of the reference file that ships with the tests.</summary>
public static class ReferenceCases
{
    private static readonly Lazy<(Dictionary<string, ReferenceCase> Cases, List<ReferenceError> Errors)> File = new(Load);

    public static IReadOnlyDictionary<string, ReferenceCase> Cases => File.Value.Cases;
    public static IReadOnlyList<ReferenceError> Errors => File.Value.Errors;

    public static ReferenceCase Get(string name) => Cases[name];

    /// <summary>A shared variable's value before the case's call (scalar).</summary>
    public static double SharedInitial(string caseName, string variable) => SharedValue(caseName, "shared_initial", variable);

    /// <summary>A shared variable's value after the case's call, its updates applied (scalar).</summary>
    public static double SharedAfterCall(string caseName, string variable) => SharedValue(caseName, "shared_after_call", variable);

    private static double SharedValue(string caseName, string property, string variable)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", "scan-cases.json");
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var c = document.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == caseName);
        return c.GetProperty(property).GetProperty(variable).GetProperty("value").GetDouble();
    }

    private static (Dictionary<string, ReferenceCase>, List<ReferenceError>) Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", "scan-cases.json");
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var root = document.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("description").GetString()!,
            c.GetProperty("code").GetString()!,
            Arrays(c.GetProperty("inputs")),
            Arrays(c.GetProperty("outputs")))).ToDictionary(c => c.Name);
        var errors = root.GetProperty("errors").EnumerateArray().Select(e => new ReferenceError(
            e.GetProperty("name").GetString()!,
            e.GetProperty("exception").GetString()!,
            e.GetProperty("message").GetString()!)).ToList();
        return (cases, errors);
    }

    private static Dictionary<string, ReferenceArray> Arrays(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p =>
        {
            var values = new List<double>();
            Flatten(p.Value.GetProperty("value"), values);
            return new ReferenceArray(
                p.Value.GetProperty("dtype").GetString()!,
                p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                values.ToArray());
        });

    private static void Flatten(JsonElement value, List<double> into)
    {
        if (value.ValueKind == JsonValueKind.Array)
            foreach (var item in value.EnumerateArray()) Flatten(item, into);
        else
            into.Add(value.GetDouble());
    }
}
