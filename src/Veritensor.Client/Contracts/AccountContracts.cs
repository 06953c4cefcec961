namespace Veritensor.Client;

/// <summary>
/// GET /v1/accounts/{address}: free balance, nonces, stakes held, and the node registered under it, if any.
/// <see cref="DelegateTake"/> is the hotkey's delegate take (u16 proportion of 65535) when the address is a node or neuron hotkey.
/// </summary>
public sealed record AccountResponse(
    string Address,
    string Balance,
    string BalanceBaseUnits,
    string Nonce,
    string NextNonce,
    IReadOnlyList<StakeView> Stakes,
    string TotalStake,
    NodeView? Node,
    ushort? DelegateTake
);

public sealed record StakeView(string Hotkey, string Amount);

/// <summary>A registered node (when the address is a hotkey).</summary>
public sealed record NodeView(
    string Owner,
    IReadOnlyList<string> Roles,
    string Endpoint,
    string RegisteredAt,
    string TotalStake
);
