namespace Veritensor.Client;

/// <summary>GET /v1/blocks/{heightOrHash}: the header (with state root), the proposer's signature and the transactions.</summary>
public sealed record BlockResponse(
    string Height,
    string Hash,
    string ParentHash,
    long Timestamp,
    string Proposer,
    string TransactionRoot,
    string StateRoot,
    int TransactionCount,
    string Signature,
    IReadOnlyList<TransactionView> Transactions
);
