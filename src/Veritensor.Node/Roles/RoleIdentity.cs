using Veritensor.Core.Crypto;

namespace Veritensor.Node.Roles;

/// <summary>
/// Who a role server is: the hotkey that signs its receipts and attestations (inference and verification
/// nodes), or the coldkey that pays for the records it sends (gateways), and the chain they sign for.
/// </summary>
public sealed class RoleIdentity(KeyPair key, string chainId) : IDisposable
{
    public KeyPair Key { get; } = key;
    public Address Address => Key.Address;
    public string ChainId { get; } = chainId;

    public void Dispose() => Key.Dispose();
}
