using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace SymGen.Tests.Conformance;

/// <summary>
/// How a value case of the reference file runs as a SymGen scan: the scan, and its arguments built from the case's
/// inputs (and code). The scan's outputs are the case's outputs in the file's order; <paramref name="Derived"/>
/// computes the outputs that the case computes outside its scan.
/// </summary>
public sealed record ReferenceRun(ScanUnderTest Scan, Func<ReferenceCase, object[]> Arguments,
    IReadOnlyDictionary<string, Func<IReadOnlyList<Output>, Output>>? Derived = null);

/// <summary>
/// How an error case of the reference file that PyTensor raises at run time runs as a SymGen scan: the arguments
/// (from the numbers in PyTensor's message), the exception SymGen throws instead (docs/reference-errors.md), the
/// parameter it names and what its message must say.
/// </summary>
public sealed record ReferenceErrorRun(ScanUnderTest Scan, Func<ReferenceError, object[]> Arguments, Type Exception, string ParamName,
    Func<ReferenceError, string[]> MessageSays);

public static class ReferenceRuns
{
    private static double[] In(ReferenceCase c, string name) => c.Inputs[name].Values;
    private static double Scalar(ReferenceCase c, string name) => c.Inputs[name].Scalar;
    private static Mat<double> Matrix(ReferenceCase c, string name) => new(In(c, name), c.Inputs[name].Shape[0], c.Inputs[name].Shape[1]);

    /// <summary>Every value case within the scan core's scope.</summary>
    public static readonly IReadOnlyDictionary<string, ReferenceRun> Values = new Dictionary<string, ReferenceRun>
    {
        ["cumsum_seed"] = new(TestScans.CumSum, c => [In(c, "x"), Scalar(c, "h0")]),
        ["polynomial_eval"] = new(TestScans.PolynomialComponents,
            // sequences=[coef, pt.arange(6)]: the second sequence is arange(6), read from the case's code.
            c => [In(c, "coef"), Enumerable.Range(0, c.CodeInt("arange(")).Select(i => (long)i).ToArray(), Scalar(c, "x")],
            new Dictionary<string, Func<IReadOnlyList<Output>, Output>>
            {
                // poly = components.sum(), outside the scan.
                ["poly"] = outputs => new([], new[] { ((double[])outputs[0].Values).Sum() }),
            }),
        ["seq_taps_m3_p2_m1"] = new(TestScans.SequenceTaps, c => [In(c, "s")]),
        ["output_taps_m3_m5"] = new(TestScans.OutputTaps, c => [In(c, "y0"), c.CodeInt("n_steps=")]),
        ["multiple_outputs_mixed"] = new(TestScans.MixedOutputs, c => [In(c, "x"), Scalar(c, "h0"), In(c, "z0")]),
        ["go_backwards_cumsum"] = new(TestScans.CumSumBackwards, c => [In(c, "x"), Scalar(c, "h0")]),
        ["fibonacci_taps_m2_m1"] = new(TestScans.Fibonacci, c => [In(c, "f0"), c.CodeInt("n_steps=")]),
        ["n_steps_shorter_than_sequence"] = new(TestScans.CumSumSteps, c => [In(c, "x"), Scalar(c, "h0"), c.CodeInt("n_steps=")]),
        ["matrix_rows_accumulate"] = new(TestScans.RunningRowSum, c => [Matrix(c, "X"), new Vec<double>(In(c, "h0"))]),
        ["empty_sequence_sit_sot"] = new(TestScans.RunningRowSum, c => [Matrix(c, "X"), new Vec<double>(In(c, "h0"))]),
        ["until_doubling"] = new(TestScans.DoubleUntil, c => [Scalar(c, "h0"), c.CodeInt("n_steps=")]),
        ["shared_counter_update"] = new(TestScans.Counter, c => [(long)Scalar(c, "n"), new Shared<double>("c", ReferenceCases.SharedInitial(c.Name, "c"))]),
        ["map_two_outputs_no_outputs_info"] = new(TestScans.RowSumsAndProducts, c => [Matrix(c, "X")]),
    };

    /// <summary>
    /// Value cases that need later capabilities: gradients. Listed so that a new case in the reference file fails
    /// <see cref="ConformanceSuite.EveryReferenceCaseIsRunOrDeferred"/> until it is handled.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Deferred = new Dictionary<string, string>
    {
        ["grad_cumsum"] = "gradients",
        ["grad_rnn_full_bptt"] = "gradients",
        ["grad_rnn_truncate_2"] = "gradients",
        ["elman_rnn_forward_grad"] = "gradients",
    };

    private static int Number(ReferenceError e, string pattern) => int.Parse(Regex.Match(e.Message, pattern).Groups[1].Value);

    /// <summary>
    /// The error cases PyTensor raises when the function runs (the others are compile-time errors of SymGen:
    /// SYMG diagnostics, see ErrorTableTests). "runtime_negative_n_steps[FAST_RUN(c+cython)]" is not here: its
    /// message ("can't convert negative value to unsigned int") carries no number to build arguments from; its
    /// py_noopt twin is the same case.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ReferenceErrorRun> Errors = new[] { "[FAST_RUN(c+cython)]", "[py_noopt]" }
        .Select(mode => KeyValuePair.Create("runtime_n_steps_larger_than_sequence" + mode, new ReferenceErrorRun(TestScans.CumSumSteps,
            // "Sequence 0 has shape (3,) but the Scan's required number of steps is 5"
            e => [new double[Number(e, @"shape \((\d+),\)")], 0.0, Number(e, @"steps is (\d+)")], typeof(ArgumentException), "x",
            e => [$"has {Number(e, @"shape \((\d+),\)")} element(s)", $"'n_steps' asks for {Number(e, @"steps is (\d+)")}"])))
        .Append(KeyValuePair.Create("runtime_negative_n_steps[py_noopt]", new ReferenceErrorRun(TestScans.CumSumSteps,
            // "Scan was asked to run for negative number of step -1"
            e => [new double[3], 0.0, Number(e, @"step (-\d+)")], typeof(ArgumentOutOfRangeException), "n_steps",
            e => [$"it was {Number(e, @"step (-\d+)")}"])))
        .ToDictionary();
}
