using System;
using System.ComponentModel;
using System.Threading;

namespace SymGen.Scanning;

/// <summary>
/// A scan call's hold on its shared variables, which makes the call a transaction (generated scans and the
/// interpreter use it). <see cref="Begin"/> locks every variable the call reads or updates, in one global order (the
/// variables' creation order, so calls sharing variables cannot deadlock); the call then reads their values, all
/// of one moment. <see cref="EndReads"/> releases the variables that are only read; the updated ones stay locked until
/// <see cref="Dispose"/>, after the call has written them back (or failed and written nothing). Others therefore
/// never see an updated variable between the call's read and its commit, and the calls are serializable: each acts
/// at the moment it holds all its locks.
/// </summary>
/// <remarks>
/// The same variable may appear several times (read and updated, or passed twice): locks are re-entrant, each
/// appearance is entered and exited once, and a variable both read and updated stays locked until the end.
/// The spans are sorted in place, so generated code passes collection expressions on the stack: nothing is allocated.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct SharedTransaction
{
    private readonly Span<SharedVariable> _updated;
    private Span<SharedVariable> _read;

    private SharedTransaction(Span<SharedVariable> updated, Span<SharedVariable> read)
    {
        _updated = updated;
        _read = read;
    }

    /// <summary>Locks <paramref name="updated"/> and <paramref name="read"/> together, in the global order.</summary>
    public static SharedTransaction Begin(Span<SharedVariable> updated, Span<SharedVariable> read)
    {
        foreach (var variable in updated) ArgumentNullException.ThrowIfNull(variable, nameof(updated));
        foreach (var variable in read) ArgumentNullException.ThrowIfNull(variable, nameof(read));
        SortById(updated);
        SortById(read);
        int u = 0, r = 0;
        try
        {
            // Merge the two sorted spans: one ascending walk over all the variables.
            while (u < updated.Length || r < read.Length)
                if (r == read.Length || (u < updated.Length && updated[u].Id <= read[r].Id))
                    Monitor.Enter(updated[u++].Gate);
                else
                    Monitor.Enter(read[r++].Gate);
        }
        catch
        {
            Exit(updated[..u]);
            Exit(read[..r]);
            throw;
        }
        return new SharedTransaction(updated, read);
    }

    /// <summary>Releases the variables only read: their values have been taken.</summary>
    public void EndReads()
    {
        Exit(_read);
        _read = default;
    }

    /// <summary>Releases every variable still held: the call has committed, or failed and changed nothing.</summary>
    public void Dispose()
    {
        EndReads();
        Exit(_updated);
    }

    private static void Exit(ReadOnlySpan<SharedVariable> variables)
    {
        foreach (var variable in variables) Monitor.Exit(variable.Gate);
    }

    /// <summary>Insertion sort: a scan has a handful of shared variables, and this allocates nothing.</summary>
    private static void SortById(Span<SharedVariable> variables)
    {
        for (int i = 1; i < variables.Length; i++)
        {
            var variable = variables[i];
            int j = i - 1;
            for (; j >= 0 && variables[j].Id > variable.Id; j--)
                variables[j + 1] = variables[j];
            variables[j + 1] = variable;
        }
    }
}
