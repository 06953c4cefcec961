using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Storage;

/// <summary>
/// Durable storage for blocks, the transaction index and the state. <see cref="CommitBlock"/> is atomic: after a
/// crash at any moment the store holds every block it acknowledged, with exactly the state after the last one.
/// Reads may run concurrently with a commit and see the state before or after it, never half of it.
/// </summary>
public interface IChainStore : IDisposable
{
    /// <summary>The genesis block hash this store was initialised with, or null for an empty store.</summary>
    Hash256? GenesisHash { get; }

    /// <summary>The header of the last committed block, or null for an empty store.</summary>
    BlockHeader? ReadHead();

    /// <summary>Every state entry, for rebuilding the in-memory state at start.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> ReadAllState();

    byte[]? ReadState(byte[] key);

    /// <summary>State entries whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IReadOnlyList<KeyValuePair<byte[], byte[]>> ScanState(byte[] prefix, int limit);

    /// <summary>Writes the block, its transaction index and its state changes (null = delete) in one atomic, durable transaction.</summary>
    void CommitBlock(Block block, IReadOnlyDictionary<byte[], byte[]?> changes);

    Block? ReadBlock(ulong height);
    Block? ReadBlock(Hash256 hash);

    /// <summary>A read-only, consistent view of the durable state as of one committed block, for queries that read several keys.</summary>
    IStateSnapshot OpenStateSnapshot();

    /// <summary>Where an included transaction is, or null.</summary>
    TransactionLocation? FindTransaction(Hash256 id);
}

/// <summary>An included transaction's block and position, with its encoded bytes.</summary>
public sealed record TransactionLocation(ulong Height, int Index, Hash256 BlockHash, byte[] Encoded);

/// <summary>The durable state as of one committed block; writes throw. Dispose it promptly: it holds a read transaction.</summary>
public interface IStateSnapshot : IStateView, IDisposable
{
    /// <summary>Entries whose key starts with <paramref name="prefix"/>, in key order, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix, int limit) => Scan(prefix, null, limit);

    /// <summary>
    /// Entries whose key starts with <paramref name="prefix"/> and sorts after <paramref name="after"/> (all when null),
    /// in key order, at most <paramref name="limit"/>: a page of a listing that resumes where the last one stopped.
    /// </summary>
    IReadOnlyList<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix, byte[]? after, int limit);
}
