namespace Veritensor.Node.Api;

/// <summary>GET /v1/accounts/{address}: free balance, nonces, stakes held, and the node registered under it, if any.</summary>
public sealed record AccountResponse(
    string Address,
    string Balance,
    string BalanceBaseUnits,
    string Nonce,
    string NextNonce,
    IReadOnlyList<StakeView> Stakes,
    string TotalStake,
    NodeView? Node);

public sealed record StakeView(string Hotkey, string Amount);

/// <summary>A registered node (when the address is a hotkey).</summary>
public sealed record NodeView(string Owner, IReadOnlyList<string> Roles, string Endpoint, string RegisteredAt, string TotalStake);
