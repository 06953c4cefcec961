namespace Veritensor.Client;

/// <summary>POST /v1/transactions body: the canonical transaction bytes as hex.</summary>
public sealed record SubmitTransactionRequest(string Raw);

public sealed record SubmitTransactionResponse(string Id, string Status);

/// <summary>A transaction as the API shows it. Amounts are exact token strings ("1.500000000").</summary>
public sealed record TransactionView(
    string Id,
    string Kind,
    string ChainId,
    string Sender,
    string Nonce,
    string Fee,
    string? To = null,
    string? Amount = null,
    string? Hotkey = null,
    IReadOnlyList<string>? Roles = null,
    string? Endpoint = null,
    int? Netuid = null,
    ushort? Take = null
);

/// <summary>GET /v1/transactions/{id}: status (pending, included, dropped, unknown) and, once included, the receipt.</summary>
public sealed record TransactionStatusResponse(
    string Id,
    string Status,
    TransactionView? Transaction = null,
    TransactionReceipt? Receipt = null,
    ErrorView? Error = null
);

public sealed record TransactionReceipt(string BlockHeight, string BlockHash, int Position, string FeePaid);

public sealed record ErrorView(string Code, string Message);
