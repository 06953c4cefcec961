namespace Veritensor.Ledger.State;

/// <summary>
/// Uncommitted changes on top of the committed <see cref="WorldState"/>: one block's worth. A journal
/// lets one transaction's writes be undone (<see cref="Checkpoint"/> / <see cref="RevertTo"/>), so a
/// rejected transaction changes nothing.
/// </summary>
internal sealed class StateOverlay : IStateView
{
    private readonly WorldState _committed;
    private readonly Dictionary<byte[], byte[]?> _changes = new(ByteArrayComparer.Instance);
    private readonly List<(byte[] Key, bool HadChange, byte[]? Previous)> _journal = [];

    public StateOverlay(WorldState committed) => _committed = committed;

    /// <summary>Every key written, with its new value (null = deleted).</summary>
    public IReadOnlyDictionary<byte[], byte[]?> Changes => _changes;

    public byte[]? Get(byte[] key) => _changes.TryGetValue(key, out var value) ? value : _committed.Get(key);

    public void Set(byte[] key, byte[] value) => Write(key, value);

    public void Delete(byte[] key) => Write(key, null);

    private void Write(byte[] key, byte[]? value)
    {
        var had = _changes.TryGetValue(key, out var previous);
        _journal.Add((key, had, previous));
        _changes[key] = value;
    }

    public int Checkpoint() => _journal.Count;

    /// <summary>
    /// How many bytes of state (key plus value of every entry) the writes since <paramref name="checkpoint"/> added,
    /// net of what they removed: negative when they shrank the state.
    /// </summary>
    public long GrowthSince(int checkpoint)
    {
        var growth = 0L;
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        for (var i = checkpoint; i < _journal.Count; i++)
        {
            var (key, had, previous) = _journal[i];
            // The first write of a key since the checkpoint remembers what it held before.
            if (!seen.Add(key))
                continue;
            var before = had ? previous : _committed.Get(key);
            growth += Size(key, _changes[key]) - Size(key, before);
        }
        return growth;
    }

    private static long Size(byte[] key, byte[]? value) => value is null ? 0 : key.Length + value.Length;

    public void RevertTo(int checkpoint)
    {
        for (var i = _journal.Count - 1; i >= checkpoint; i--)
        {
            var (key, had, previous) = _journal[i];
            if (had)
                _changes[key] = previous;
            else
                _changes.Remove(key);
        }
        _journal.RemoveRange(checkpoint, _journal.Count - checkpoint);
    }

    /// <summary>Forgets the undo journal once the block is final; the changes stay.</summary>
    public void ClearJournal() => _journal.Clear();
}
