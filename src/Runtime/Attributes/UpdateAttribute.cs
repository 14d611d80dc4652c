using System;

namespace SymGen;

/// <summary>
/// Marks a <see cref="Shared{T}"/> parameter whose value the scan updates (Theano's <c>updates</c>): the step
/// receives the variable's current value where the parameter stands among the non-sequences, and returns its next
/// value after the outputs (one per <c>[Update]</c> parameter, in declaration order). Inside step <c>t</c> the
/// variable holds its value after <c>t</c> updates; all updates of a step read start-of-step values; the final value
/// is written back when the scan returns normally, together with every other update, and never if it throws.
/// A <see cref="Shared{T}"/> parameter without <c>[Update]</c> is read once, when the scan is called.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class UpdateAttribute : Attribute;
