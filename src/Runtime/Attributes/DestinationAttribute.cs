using System;

namespace SymGen;

/// <summary>
/// Marks a scan parameter the caller owns as the place an output's trace goes, instead of a new array per call:
/// a <c>Span&lt;T&gt;</c>, <c>T[]</c>, <c>Memory&lt;T&gt;</c> or <c>Vec&lt;T&gt;</c> for a scalar output, a
/// <c>Mat&lt;T&gt;</c> for a vector output, a <c>Tensor3&lt;T&gt;</c> for a matrix output. Row t holds step t. The
/// n-th <c>[Destination]</c> is the n-th output (its name is the parameter's, for <c>[Initial(Output = ...)]</c>);
/// the method returns <c>void</c>, or <c>int</c>: the number of steps run (all rows past it are left untouched).
/// Checked once per call before the first step: enough rows, the row size, no overlap with an input or another
/// destination; a failed check throws an <see cref="ArgumentException"/> naming the parameter and writes nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class DestinationAttribute : Attribute;
