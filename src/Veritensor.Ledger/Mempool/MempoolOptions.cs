namespace Veritensor.Ledger.Mempool;

/// <summary>Limits of the pending-transaction pool. The defaults suit a devnet on a small machine.</summary>
public sealed record MempoolOptions
{
    /// <summary>The most transactions held; past it the cheapest are evicted. Default 50,000.</summary>
    public int MaxTransactions { get; init; } = 50_000;

    /// <summary>The most pending transactions one sender may have. Default 1,000.</summary>
    public int MaxPerSender { get; init; } = 1_000;

    /// <summary>How far ahead of the account's next nonce a transaction may be queued. Default 1,000.</summary>
    public ulong MaxNonceGap { get; init; } = 1_000;

    /// <summary>A replacement (same sender and nonce) must pay at least this many percent more. Default 10.</summary>
    public int ReplacementFeeBumpPercent { get; init; } = 10;
}
