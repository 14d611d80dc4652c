using System;

namespace SymGen;

/// <summary>
/// Marks a parameter of a <c>[Gradient]</c> method as the trace of one of the scan's returned outputs, as an earlier
/// call of the scan returned it: the gradient then runs its backward loop alone, from these stored values, without
/// the forward loop. One <c>[Forward]</c> parameter per returned output, in output order, right after the scan's
/// parameters; each of the trace's type. See docs/gradients.md.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ForwardAttribute : Attribute
{
}
