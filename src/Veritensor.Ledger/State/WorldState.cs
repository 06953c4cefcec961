using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.State;

/// <summary>
/// The committed state in memory, with its <see cref="StateTree"/>. Only the block committer changes it,
/// always with a whole block's changes at once; everything else reads through a <see cref="StateOverlay"/>
/// or from storage.
/// </summary>
internal sealed class WorldState
{
    private readonly Dictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);
    private readonly StateTree _tree = new();

    public int Count => _entries.Count;

    public byte[]? Get(byte[] key) => _entries.TryGetValue(key, out var value) ? value : null;

    public Hash256 Root => _tree.ComputeRoot();

    public IEnumerable<KeyValuePair<byte[], byte[]>> Entries => _entries;

    /// <summary>Applies a block's changes (null value = delete) and returns what is needed to undo them.</summary>
    public StateUndo Apply(IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var previous = new Dictionary<byte[], byte[]?>(changes.Count, ByteArrayComparer.Instance);
        foreach (var (key, value) in changes)
        {
            previous[key] = Get(key);
            if (value is null)
                _entries.Remove(key);
            else
                _entries[key] = value;
            _tree.Set(key, value);
        }
        return new StateUndo(previous);
    }

    /// <summary>Rolls back an <see cref="Apply"/> whose block was then rejected.</summary>
    public void Undo(StateUndo undo)
    {
        ArgumentNullException.ThrowIfNull(undo);
        foreach (var (key, value) in undo.Previous)
        {
            if (value is null)
                _entries.Remove(key);
            else
                _entries[key] = value;
            _tree.Set(key, value);
        }
    }
}

/// <summary>The values a block's changes replaced.</summary>
internal sealed record StateUndo(IReadOnlyDictionary<byte[], byte[]?> Previous);
