using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Chain;

public enum TransactionState
{
    /// <summary>The node has never seen it (or forgot a dropped one).</summary>
    Unknown,

    /// <summary>Verified and waiting in the mempool.</summary>
    Pending,

    /// <summary>In a committed block.</summary>
    Included,

    /// <summary>Accepted once, then failed when a block tried to run it (e.g. the balance was spent meanwhile).</summary>
    Dropped,
}

/// <summary>What a node knows of a transaction: its state and, once included, its receipt.</summary>
public sealed record TransactionStatus(
    Hash256 Id,
    TransactionState State,
    SignedTransaction? Transaction = null,
    ulong? BlockHeight = null,
    Hash256? BlockHash = null,
    int? Position = null,
    ErrorCode? Error = null,
    string? ErrorMessage = null
);
