using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// What a transaction may know about the block it runs in. No clock, no randomness: only the block's own fields, and
/// <see cref="BlockHash"/>, the hashes of committed blocks (the same on every node of the chain), which inference
/// records use as anchors. Null when the caller has no chain (a bare state in tests): anchored transactions then fail.
/// </summary>
internal sealed record BlockContext(
    string ChainId,
    Hash256 Genesis,
    ulong Height,
    long Timestamp,
    Address Proposer,
    ChainParameters Parameters,
    Func<ulong, Hash256?>? BlockHash = null
);
