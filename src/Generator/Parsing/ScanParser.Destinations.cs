using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Model;

namespace SymGen.Generator.Parsing;

// Caller-provided destinations: [Destination] parameters take the place of the returned traces.
internal sealed partial class ScanParser
{
    private readonly List<DestinationOutput> _destinations = new();
    private bool _returnsSteps;

    private static bool IsDestination(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DestinationAttributeName);

    /// <summary>
    /// The outputs of a scan that writes into destinations: one per [Destination] parameter, in declaration order,
    /// named after it; the method returns void or int (the steps run).
    /// </summary>
    private (List<DeclaredOutput> Outputs, bool IsTuple)? ParseDestinationOutputs()
    {
        bool ok = true;
        var returnType = _method.ReturnType;
        if (returnType.SpecialType == SpecialType.System_Int32)
            _returnsSteps = true;
        else if (returnType.SpecialType != SpecialType.System_Void)
        {
            Report(DiagnosticDescriptors.DestinationReturnType, _syntax.ReturnType.GetLocation(), ScanName, TypeMapping.Display(returnType));
            ok = false;
        }
        var outputs = new List<DeclaredOutput>();
        foreach (var parameter in _method.Parameters.Where(IsDestination))
        {
            // A destination with another role (a [Sequence] too) is SYMG0019, reported with the parameters.
            if (parameter.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() is SequenceAttributeName or InitialAttributeName
                    or StepsAttributeName or UpdateAttributeName) > 0)
            {
                ok = false;
                continue;
            }
            string? problem = null;
            if (!TypeMapping.TryGetRows(parameter.Type, out var container, out var row) || row is null)
                problem = "it must be rows the trace is written to: a 'Span<T>', 'T[]', 'Memory<T>' or 'Vec<T>' for a scalar output, a 'Mat<T>' for a vector output, a 'Tensor3<T>' for a matrix output";
            else if (container is ContainerKind.ReadOnlySpan or ContainerKind.ReadOnlyMemory)
                problem = $"it is read-only, and the scan writes its trace into it; pass a '{(container == ContainerKind.ReadOnlySpan ? "Span" : "Memory")}<{row.ElementKeyword}>'";
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.DestinationTypeInvalid, TypeLocation(parameter), parameter.Name, ScanName, TypeMapping.Display(parameter.Type), problem);
                ok = false;
                continue;
            }
            _destinations.Add(new DestinationOutput(parameter.Name, container, row!, outputs.Count));
            outputs.Add(new DeclaredOutput(parameter.Name, row!));
        }
        return ok ? (outputs, outputs.Count > 1) : null;
    }
}
