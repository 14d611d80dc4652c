using System;
using System.Numerics;
using System.Threading;
using SymGen.Scanning;

namespace SymGen;

/// <summary>
/// What every shared variable has, whatever its type: a name, and an identity that orders locks so that updates of
/// several variables are applied together without deadlock.
/// </summary>
public abstract class SharedVariable
{
    private static long _nextId;

    private protected SharedVariable(string name)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Id = Interlocked.Increment(ref _nextId);
    }

    /// <summary>The variable's name, for messages and printed graphs.</summary>
    public string Name { get; }

    internal long Id { get; }

    internal object Gate { get; } = new();

    /// <summary>A copy of the value, boxed (for the interpreter).</summary>
    internal abstract object BoxedValue { get; }

    /// <summary>An update to a boxed value of the variable's type (for the interpreter).</summary>
    internal abstract SharedUpdate BoxedUpdate(object value);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// A shared variable (Theano's <c>shared</c>): state that lives across calls. A scan reads it when called, and,
/// where the scan declares an <c>[Update]</c>, writes its final value back when the call returns normally, all
/// updates together; if the call throws, nothing changes. Reads and writes copy (Theano's <c>borrow=False</c>),
/// so a caller can never see or change the variable's storage, and both are safe from several threads. A scan call
/// is a transaction on its shared variables (docs/shared-variables.md): concurrent calls give the result of some
/// serial order, and <see cref="Value"/> waits while a scan that updates the variable is running.
/// </summary>
/// <typeparam name="T">A scalar (<c>double</c>, <c>float</c>, <c>int</c>, <c>long</c>, <c>bool</c>), or a
/// <see cref="Vec{T}"/>, <see cref="Mat{T}"/> or <see cref="Tensor3{T}"/>.</typeparam>
public sealed class Shared<T> : SharedVariable
{
    private T _value;

    /// <summary>A shared variable holding a copy of <paramref name="value"/>.</summary>
    public Shared(string name, T value) : base(name) => _value = Copy(value);

    /// <summary>A copy of the current value (Theano's <c>get_value()</c>).</summary>
    public T Value
    {
        get { lock (Gate) return Copy(_value); }
        set { var copy = Copy(value); lock (Gate) _value = copy; }
    }

    /// <summary>An update of this variable to (a copy of) <paramref name="value"/>, for <see cref="SharedUpdates.Apply"/>.</summary>
    public SharedUpdate Update(T value) => new Pending(this, Copy(value));

    internal override object BoxedValue => Value!;

    internal override SharedUpdate BoxedUpdate(object value) => Update((T)value);

    private static T Copy(T value) => value is ICopyable<T> tensor ? tensor.Copy() : value;

    private sealed class Pending(Shared<T> variable, T value) : SharedUpdate(variable)
    {
        internal override void Assign() => variable._value = value;
    }
}

/// <summary>A value a shared variable will take; applied with <see cref="SharedUpdates.Apply"/>.</summary>
public abstract class SharedUpdate
{
    private protected SharedUpdate(SharedVariable variable) => Variable = variable;

    /// <summary>The variable updated.</summary>
    public SharedVariable Variable { get; }

    internal abstract void Assign();
}

/// <summary>Applies updates of several shared variables together, as Theano applies a function's updates.</summary>
public static class SharedUpdates
{
    /// <summary>
    /// Assigns every update while holding all the variables' locks (taken in one global order, so that it cannot
    /// deadlock with scans or other applies): a reader sees all of the values before or all after, never some of
    /// each (read several with <see cref="SharedVariables.Read{T1, T2}"/>). Apply writes blindly: to update a
    /// variable from its own value, let a scan do it (a scan with <c>[Update]</c> parameters is a transaction) rather
    /// than reading <c>Value</c> and applying, which loses concurrent updates.
    /// </summary>
    public static void Apply(params SharedUpdate[] updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var ordered = (SharedUpdate[])updates.Clone();
        Array.Sort(ordered, (a, b) => a.Variable.Id.CompareTo(b.Variable.Id));
        for (int i = 1; i < ordered.Length; i++)
            if (ReferenceEquals(ordered[i].Variable, ordered[i - 1].Variable))
                throw new ArgumentException($"Shared variable '{ordered[i].Variable.Name}' is updated twice; one update per variable.", nameof(updates));
        // The scans' own lock order (SharedTransaction), so an apply and a scan can never deadlock.
        using var transaction = SharedTransaction.Begin(Array.ConvertAll(ordered, u => u.Variable), default);
        foreach (var update in ordered)
            update.Assign();
    }
}

/// <summary>
/// Reads several shared variables together: all of them are locked (in the global order) while their values are
/// copied, so the values are those of one moment, never half of another call's commit.
/// </summary>
public static class SharedVariables
{
    /// <summary>The values of <paramref name="first"/> and <paramref name="second"/> at one moment.</summary>
    public static (T1, T2) Read<T1, T2>(Shared<T1> first, Shared<T2> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        using var transaction = SharedTransaction.Begin(default, [first, second]);
        return (first.Value, second.Value);
    }

    /// <summary>The values of three shared variables at one moment.</summary>
    public static (T1, T2, T3) Read<T1, T2, T3>(Shared<T1> first, Shared<T2> second, Shared<T3> third)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        using var transaction = SharedTransaction.Begin(default, [first, second, third]);
        return (first.Value, second.Value, third.Value);
    }

    /// <summary>The values of four shared variables at one moment.</summary>
    public static (T1, T2, T3, T4) Read<T1, T2, T3, T4>(Shared<T1> first, Shared<T2> second, Shared<T3> third, Shared<T4> fourth)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        ArgumentNullException.ThrowIfNull(fourth);
        using var transaction = SharedTransaction.Begin(default, [first, second, third, fourth]);
        return (first.Value, second.Value, third.Value, fourth.Value);
    }
}

/// <summary>Values that copy themselves: the tensors, so that a shared variable never shares storage.</summary>
internal interface ICopyable<T>
{
    T Copy();
}

/// <summary>
/// The stop condition of a while-loop scan (Theano's <c>until</c>): a step returns it last in its tuple; the loop
/// stops after the first step whose condition holds, keeping that step.
/// </summary>
/// <param name="Stop">Whether to stop after this step.</param>
public readonly record struct Until(bool Stop)
{
    /// <summary>Stop after this step when <paramref name="condition"/> holds.</summary>
    public static Until When(bool condition) => new(condition);
}
