using System;

namespace SymGen;

/// <summary>
/// Marks an <c>int</c> or <c>long</c> scan parameter as the number of steps (Theano's <c>n_steps</c>): required when
/// there are no sequences, otherwise it cuts every sequence to its first (or, with <c>GoBackwards</c>, last) steps.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class StepsAttribute : Attribute;
