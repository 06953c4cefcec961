using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Storage;

/// <summary>
/// An <see cref="IChainStore"/> held in memory: the same contract as the durable store (atomic commits, consistent
/// snapshots) without durability, for tests and tools that replay a chain. Blocks are kept as the objects committed,
/// which are immutable.
/// </summary>
public sealed class InMemoryChainStore : IChainStore
{
    private readonly Lock _lock = new();
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<Hash256, Block> _byHash = [];
    private readonly Dictionary<Hash256, TransactionLocation> _transactions = [];
    private SortedDictionary<byte[], byte[]> _state = new(ByteArrayComparer.Instance);

    public Hash256? GenesisHash { get; private set; }

    public BlockHeader? ReadHead()
    {
        lock (_lock)
            return _blocks.Count == 0 ? null : _blocks[^1].Header;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> ReadAllState()
    {
        lock (_lock)
            return _state.ToArray();
    }

    public byte[]? ReadState(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
            return _state.TryGetValue(key, out var value) ? value : null;
    }

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> ScanState(byte[] prefix, int limit)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_lock)
            return Scan(_state, prefix, null, limit);
    }

    public void CommitBlock(Block block, IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            if (block.Height != (ulong)_blocks.Count)
                throw new InvalidOperationException(
                    $"Block {block.Height} does not follow the stored head ({_blocks.Count - 1})."
                );
            // Copy on write: snapshots taken before this commit keep the state they saw.
            var next = new SortedDictionary<byte[], byte[]>(_state, ByteArrayComparer.Instance);
            foreach (var (key, value) in changes)
            {
                if (value is null)
                    next.Remove(key);
                else
                    next[key] = value;
            }
            _state = next;
            _blocks.Add(block);
            _byHash[block.Hash] = block;
            for (var i = 0; i < block.Transactions.Count; i++)
                _transactions[block.Transactions[i].Id] = new TransactionLocation(
                    block.Height,
                    i,
                    block.Hash,
                    block.Transactions[i].Encoded
                );
            if (block.Height == 0)
                GenesisHash = block.Hash;
        }
    }

    public Block? ReadBlock(ulong height)
    {
        lock (_lock)
            return height < (ulong)_blocks.Count ? _blocks[(int)height] : null;
    }

    public Block? ReadBlock(Hash256 hash)
    {
        lock (_lock)
            return _byHash.GetValueOrDefault(hash);
    }

    public IStateSnapshot OpenStateSnapshot()
    {
        lock (_lock)
            return new Snapshot(_state);
    }

    public TransactionLocation? FindTransaction(Hash256 id)
    {
        lock (_lock)
            return _transactions.GetValueOrDefault(id);
    }

    public void Dispose() { }

    private static List<KeyValuePair<byte[], byte[]>> Scan(
        SortedDictionary<byte[], byte[]> state,
        byte[] prefix,
        byte[]? after,
        int limit
    ) =>
        state
            .Where(e =>
                e.Key.AsSpan().StartsWith(prefix) && (after is null || e.Key.AsSpan().SequenceCompareTo(after) > 0)
            )
            .Take(limit)
            .ToList();

    /// <summary>The state as of one commit: the dictionary it holds is never written again.</summary>
    private sealed class Snapshot(SortedDictionary<byte[], byte[]> state) : IStateSnapshot
    {
        public byte[]? Get(byte[] key) => state.TryGetValue(key, out var value) ? value : null;

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix, byte[]? after, int limit) =>
            InMemoryChainStore.Scan(state, prefix, after, limit);

        public void Set(byte[] key, byte[] value) =>
            throw new InvalidOperationException("A state snapshot is read-only.");

        public void Delete(byte[] key) => throw new InvalidOperationException("A state snapshot is read-only.");

        public void Dispose() { }
    }
}
