namespace Veritensor.Client;

/// <summary>GET /v1/status.</summary>
public sealed record StatusResponse(
    string ChainId,
    string GenesisHash,
    string Height,
    string HeadHash,
    string StateRoot,
    long HeadTimestamp,
    IReadOnlyList<string> Roles,
    string? Validator,
    string Version,
    int MempoolSize,
    string MinFee,
    int MaxTransactionBytes,
    string BlockProduction,
    int BlockIntervalMs,
    string ByteFee,
    string StateByteFee
);
