using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Execution;

/// <summary>What a transaction may know about the block it runs in. No clock, no randomness: only the block's own fields.</summary>
public sealed record BlockContext(string ChainId, ulong Height, long Timestamp, Address Proposer, ChainParameters Parameters);
