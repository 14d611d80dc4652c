using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace SymGen.Tests.Conformance;

/// <summary>One case on one engine, named "Interpreted: cumsum_seed" in the test list.</summary>
public sealed class EngineCase : IXunitSerializable
{
    public EngineCase() { }

    public EngineCase(ScanEngine engine, string name) => (Engine, Name) = (engine.Name, name);

    public string Engine { get; private set; } = "";
    public string Name { get; private set; } = "";

    public void Deserialize(IXunitSerializationInfo info) => (Engine, Name) = (info.GetValue<string>(nameof(Engine)), info.GetValue<string>(nameof(Name)));

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Engine), Engine);
        info.AddValue(nameof(Name), Name);
    }

    public override string ToString() =>
        ConformanceSuite.KnownDisagreements.TryGetValue($"{Engine}: {Name}", out var why) ? $"{Engine}: {Name} [known disagreement: {why}]" : $"{Engine}: {Name}";
}

/// <summary>
/// The conformance suite, run against every engine of <see cref="ScanEngine.All"/>: every value and run-time error
/// case of the reference file (tests/reference/scan-cases.json, PyTensor's numbers), and every scan of the tests and
/// the demo on random arguments, against a plain C# loop of its step method where there is one, and always against
/// the generated loop: within <see cref="Tolerance.Of"/> the scan's graph (bit for bit for scalar steps), the same
/// shared-variable updates, and the same errors (type, message, parameter name), a failed call changing nothing.
/// </summary>
public class ConformanceSuite
{
    private static TheoryData<EngineCase> PerEngine(IEnumerable<string> names, bool errors = false)
    {
        var data = new TheoryData<EngineCase>();
        foreach (var engine in ScanEngine.All.Where(e => !errors || e.ChecksArguments))
            foreach (var name in names)
                data.Add(new EngineCase(engine, name));
        return data;
    }

    public static TheoryData<EngineCase> ReferenceValueCases() => PerEngine(ReferenceRuns.Values.Keys);
    public static TheoryData<EngineCase> ReferenceErrorCases() => PerEngine(ReferenceRuns.Errors.Keys, errors: true);
    public static TheoryData<EngineCase> ScanCases()
    {
        var data = new TheoryData<EngineCase>();
        foreach (var engine in ScanEngine.All)
            foreach (var c in TestScans.Cases.Where(c => engine != ScanEngine.Onnx || Onnx.OnnxScans.Runs(c.Scan.Name)))
                data.Add(new EngineCase(engine, c.Scan.Name));
        return data;
    }

    /// <summary>PyTensor's results to 1e-12 relative, shapes and shared variables after the call equal.</summary>
    [Theory]
    [MemberData(nameof(ReferenceValueCases))]
    public void ReferenceCase(EngineCase run)
    {
        var (engine, c, reference) = (ScanEngine.Named(run.Engine), ReferenceCases.Get(run.Name), ReferenceRuns.Values[run.Name]);
        var arguments = reference.Arguments(c);
        var outcome = Outcome.Of(a => engine.Run(reference.Scan, a), arguments);
        Assert.True(outcome.Error is null, $"{run}: threw {outcome.Error}");

        var derived = reference.Derived ?? new Dictionary<string, Func<IReadOnlyList<Output>, Output>>();
        var scanOutputs = c.Outputs.Keys.Where(k => !derived.ContainsKey(k)).ToList();
        Assert.Equal(scanOutputs.Count, outcome.Outputs.Count);
        var actual = scanOutputs.Zip(outcome.Outputs).ToDictionary(p => p.First, p => p.Second);
        foreach (var (name, derive) in derived) actual[name] = derive(outcome.Outputs);
        foreach (var (name, expected) in c.Outputs)
            CloseToReference($"{run}.{name}", expected.Shape, expected.Values, actual[name]);

        // The updates dict maps each shared variable to its value after the last step; SymGen writes it back when the call returns.
        var shared = arguments.OfType<SharedVariable>().Distinct().ToList();
        for (int i = 0; i < shared.Count; i++)
            CloseToReference($"{run}: shared '{shared[i].Name}'", [], [ReferenceCases.SharedAfterCall(c.Name, shared[i].Name)], outcome.Shared[i]);

        if (engine != ScanEngine.Generated)
            Agreement.Assert(Outcome.Of(a => ScanEngine.Generated.Run(reference.Scan, a), arguments), outcome,
                engine.ToleranceOf(reference.Scan.Graph), $"{run} against Generated");
    }

    private static void CloseToReference(string what, int[] shape, double[] expected, Output actual)
    {
        Assert.True(shape.SequenceEqual(actual.Shape), $"{what}: shape ({string.Join(",", actual.Shape)}), expected ({string.Join(",", shape)})");
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / Math.Max(1e-300, Math.Abs(expected[i]));
            Assert.True(actual[i] == expected[i] || error <= 1e-12,
                $"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (relative error {error:E2})");
        }
    }

    /// <summary>What PyTensor raises when the function runs, SymGen throws before the first step, naming the parameter.</summary>
    [Theory]
    [MemberData(nameof(ReferenceErrorCases))]
    public void ReferenceError(EngineCase run)
    {
        var (engine, e, reference) = (ScanEngine.Named(run.Engine), ReferenceCases.Errors.Single(e => e.Name == run.Name), ReferenceRuns.Errors[run.Name]);
        var arguments = reference.Arguments(e);
        var error = Outcome.Of(a => engine.Run(reference.Scan, a), arguments).Error;
        Assert.True(error?.GetType() == reference.Exception, $"{run}: {error?.ToString() ?? "no error"}, expected {reference.Exception.Name} (PyTensor: {e.Exception}: {e.Message})");
        Assert.Equal(reference.ParamName, ((ArgumentException)error!).ParamName);
        foreach (var part in reference.MessageSays(e))
            Assert.Contains(part, error.Message);
        Assert.Equal(Outcome.Of(a => ScanEngine.Generated.Run(reference.Scan, a), arguments).Error!.Message, error.Message);
    }

    /// <summary>
    /// Engine disagreements found by the suite and reported, by case ("Engine: scan"). Such a case still runs and
    /// must still disagree: once its engine is fixed it fails, so that it is taken off this list.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDisagreements = new Dictionary<string, string>
    {
    };

    /// <summary>Random arguments: the engine agrees with the scan's plain C# loop where it has one, and with the generated loop.</summary>
    [Theory]
    [MemberData(nameof(ScanCases))]
    public void TestScan(EngineCase run)
    {
        if (KnownDisagreements.TryGetValue($"{run.Engine}: {run.Name}", out var known))
        {
            Assert.True(Record.Exception(() => Agrees(run)) is not null, $"{run.Engine}: {run.Name} agrees now ({known}): take it off KnownDisagreements");
            return;
        }
        Agrees(run);
    }

    private static void Agrees(EngineCase run)
    {
        var (engine, c) = (ScanEngine.Named(run.Engine), TestScans.Cases.Single(c => c.Scan.Name == run.Name));
        double tolerance = engine.ToleranceOf(c.Scan.Graph);
        c.Arguments.Sample(arguments =>
        {
            // An engine that does not check arguments is compared where the generated loop returns.
            if (!engine.ChecksArguments && Outcome.Of(a => ScanEngine.Generated.Run(c.Scan, a), arguments).Error is not null) return;
            var actual = Outcome.Of(a => engine.Run(c.Scan, a), arguments);
            if (c.Loop is { } loop && Looped(loop, arguments, actual) is { } looped)
                Agreement.Assert(looped, actual, tolerance, $"{run} against the step method in a loop", sameMessage: false);
            if (engine != ScanEngine.Generated)
                Agreement.Assert(Outcome.Of(a => ScanEngine.Generated.Run(c.Scan, a), arguments), actual, tolerance, $"{run} against Generated");
        });
    }

    /// <summary>The loop's outcome (its shared values are the engine's: loops have none), or null if it has nothing to compare.</summary>
    private static Outcome? Looped(Func<object[], object?[]?> loop, object[] arguments, Outcome actual)
    {
        try
        {
            return loop(arguments) is { } outputs ? new(outputs.Select(Output.Of).ToList(), actual.Shared, null) : null;
        }
        catch (Exception error)
        {
            return new([], actual.Shared, error);
        }
    }

    [Fact]
    public void EveryReferenceCaseIsRunOrDeferred()
    {
        var unhandled = ReferenceCases.Cases.Keys.Where(k => !ReferenceRuns.Values.ContainsKey(k) && !ReferenceRuns.Deferred.ContainsKey(k)).ToList();
        Assert.True(unhandled.Count == 0, "Reference cases with no SymGen run: " + string.Join(", ", unhandled));
    }

    /// <summary>Scans that cannot run on any engine, with the reason.</summary>
    private static readonly Dictionary<string, string> NotRunnable = new()
    {
        ["SuppressedScans.Untranslatable"] = "its step is not translatable (SYMG0013 suppressed): the scan throws by design (SuppressedDiagnosticTests)",
    };

    [Fact]
    public void EveryScanOfTheTestsIsInTheSuite()
    {
        var scans = new[] { typeof(ConformanceSuite).Assembly, typeof(Seed.Scans).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<SymbolicAttribute>() is not null)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();
        var missing = scans.Except(TestScans.Cases.Select(c => c.Scan.Name)).Except(NotRunnable.Keys).ToList();
        Assert.True(missing.Count == 0, "Scans not in the conformance suite: " + string.Join(", ", missing));
        Assert.Equal(TestScans.Cases.Count, TestScans.Cases.Select(c => c.Scan.Name).Distinct().Count());
        Assert.True(scans.Count >= 50, $"only {scans.Count} scans found");
    }
}
