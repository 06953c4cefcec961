using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Roles;

/// <summary>
/// Who a role server is: the hotkey registered on the ledger that signs its receipts, attestations, draw tickets and
/// dispatches (<see cref="Key"/>), the account that pays for the transactions it sends (<see cref="Payer"/>: a gateway's
/// coldkey, the owner of its node, for the records it sends; the hotkey itself when not given), and the chain they
/// sign for.
/// </summary>
public sealed class RoleIdentity(KeyPair key, string chainId, KeyPair? payer = null) : IDisposable
{
    public KeyPair Key { get; } = key;
    public Address Address => Key.Address;
    public KeyPair Payer { get; } = payer ?? key;
    public string ChainId { get; } = chainId;

    /// <summary>A gateway's order to <paramref name="node"/> to work on request <paramref name="requestId"/> (<see cref="GatewayDispatch"/>), base64 as it goes on the wire.</summary>
    public string Dispatch(Hash256 requestId, Address node) =>
        Convert.ToBase64String(GatewayDispatch.Create(ChainId, requestId, node, Key).Span);

    public void Dispose()
    {
        Key.Dispose();
        if (!ReferenceEquals(Payer, Key))
            Payer.Dispose();
    }
}
