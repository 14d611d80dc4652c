using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SymGen.Graph;
using Xunit;

namespace SymGen.Tests.Graphs;

/// <summary>
/// Every op of the table is defined in every layer: a shape rule, a kernel, an eager form, an emitted form, and a
/// case in the shape and eager tests (the emitted and interpreted layers are checked where the generator runs:
/// SymGen.Generator.Tests, OpEmittedTableTests). Each failure names the op and what it lacks.
/// </summary>
public class OpTableCompletenessTests
{
    [Fact]
    public void EveryOpHasAShapeRuleAKernelAnEagerFormAnEmittedFormAndCasesInTheShapeAndEagerLayers()
    {
        var shapeCases = OpShapeTableTests.Cases.Select(c => c.Row.Op).ToHashSet();
        var eagerCases = OpEagerTableTests.Cases.Select(c => c.Application.Row.Op).ToHashSet();
        var eagerForms = OpEagerTableTests.AllForms.Select(c => c.Application.Row.Op).ToHashSet();
        var missing = new List<string>();
        foreach (var row in OpTableWalk.Computing)
        {
            void Lacks(string what) => missing.Add($"{row.Name}: {what}");
            bool tensors = OpTableWalk.HasTensorForm(row);
            if (!OpTableWalk.Applications(row).Any())
                Lacks("no shape rule: its rule accepts no operands of rank 0 to 2");
            if (KernelProblem(row, tensors) is { } kernel)
                Lacks(kernel);
            if (EagerProblem(row, tensors) is { } eager)
                Lacks(eager);
            if (EmittedProblem(row) is { } emitted)
                Lacks(emitted);
            if (!shapeCases.Contains(row.Op))
                Lacks("no case in the shape layer (OpShapeTableTests): its family has no documented rule there");
            if (tensors && !eagerCases.Contains(row.Op))
                Lacks(eagerForms.Contains(row.Op)
                    ? "no case in the eager layer (OpEagerTableTests): OpReferences has no reference for it"
                    : "no case in the eager layer (OpEagerTableTests): no eager form of it was found");
        }
        Assert.True(missing.Count == 0, $"{missing.Count} gap(s) in the op table's layers:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryOpOnTensorsHasEagerFormsOnVectorsAndOnMatrices()
    {
        // The issue's "on vectors and matrices too": an op that takes a vector where the table takes a matrix as well
        // needs both eager forms (the table's shape rule decides which ranks it takes).
        var missing = new List<string>();
        foreach (var row in OpTableWalk.Computing.Where(OpTableWalk.HasTensorForm))
        {
            var forms = OpEagerTableTests.AllForms.Where(c => c.Application.Row.Op == row.Op).Select(c => c.Application.Ranks.Max()).ToHashSet();
            foreach (var rank in new[] { 1, 2 })
                if (forms.Count > 0 && !forms.Contains(rank) && OpTableWalk.Applications(row).Any(a => a.Ranks.Max() == rank))
                    missing.Add($"{row.Name}: no eager form on {(rank == 1 ? "vectors" : "matrices")}, which its shape rule takes");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>
    /// Kernel ops: the public method of SymGen.Kernels their row names. Elementwise ops on tensors: Kernels.Elementwise
    /// computes them on doubles. Scalar-only ops (logical, conversions) are C#'s operators and casts.
    /// </summary>
    private static string? KernelProblem(OpInfo row, bool tensors)
    {
        if (row.Emit == OpEmit.Kernel)
            return row.Kernel is { } name && typeof(Kernels).GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == name)
                ? null : $"no kernel: SymGen.Kernels has no public method '{row.Kernel ?? "(none named by its row)"}'";
        if (!row.IsElementwise || !tensors)
            return null;
        double[] x = [0.25, 0.5, 0.75], y = [0.5, 0.25, 0.125], z = [1, 0, 1], destination = new double[3];
        var d = Dims.Vector(3);
        try
        {
            switch (row.Arity)
            {
                case 1: Kernels.Elementwise<double>(row.Op, x, d, destination, d); break;
                case 2: Kernels.Elementwise<double>(row.Op, x, d, y, d, destination, d); break;
                default: Kernels.Elementwise<double>(row.Op, z, d, x, d, y, d, destination, d); break;
            }
            return null;
        }
        catch (Exception e)
        {
            return $"no kernel: Kernels.Elementwise does not compute it on doubles ({e.GetType().Name}: {e.Message})";
        }
    }

    /// <summary>
    /// Ops with a Sym function: a public Sym method of that name. Ops on tensors spelt by an operator: a Vec or Mat
    /// operator. Index: the indexers of Vec and Mat. Scalar-only ops are C# itself.
    /// </summary>
    private static string? EagerProblem(OpInfo row, bool tensors)
    {
        if (row.SymMethod is { } name)
            return typeof(Sym).GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == name)
                ? null : $"no eager Sym function: SymGen.Sym has no public method '{name}'";
        if (row.Shape == ShapeRule.Index)
        {
            var lacking = new[] { typeof(Vec<double>), typeof(Mat<double>) }.Where(t => t.GetProperty("Item", [typeof(int)]) is null).Select(t => t.Name[..3]).ToList();
            return lacking.Count == 0 ? null : $"no eager form: {string.Join(" and ", lacking)} {(lacking.Count == 1 ? "has" : "have")} no indexer taking an int";
        }
        if (tensors && row.CSharpToken is { } token && !OpEagerTableTests.AllForms.Any(c => c.Application.Row.Op == row.Op))
            return $"no eager form on tensors: Vec and Mat have no operator {token} (and it has no Sym function)";
        return null;
    }

    /// <summary>A C# expression from the table (FormatCSharp), a cast, or a kernel call.</summary>
    private static string? EmittedProblem(OpInfo row)
    {
        if (row.Emit is OpEmit.Kernel or OpEmit.Cast)
            return null;
        try
        {
            OpTable.FormatCSharp(row.Op, singlePrecision: false, Enumerable.Range(0, row.Arity).Select(i => "x" + i).ToList());
            return null;
        }
        catch (ArgumentException e)
        {
            return $"no emitted form: {e.Message}";
        }
    }
}
