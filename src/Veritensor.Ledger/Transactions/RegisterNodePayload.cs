using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Registers (or updates) <see cref="Hotkey"/> as a node owned by the sender coldkey, with its roles and
/// public HTTP endpoint. <see cref="HotkeyProof"/> is the hotkey's signature over
/// <see cref="ProofMessage"/>, so nobody can claim a hotkey they do not hold.
/// </summary>
public sealed record RegisterNodePayload(Address Hotkey, NodeRoles Roles, string Endpoint, Signature HotkeyProof)
    : TransactionPayload
{
    public const int MaxEndpointBytes = 256;
    private static readonly byte[] ProofDomain = "veritensor/hotkey-binding/v1"u8.ToArray();

    public override TransactionKind Kind => TransactionKind.RegisterNode;

    internal override void Write(CanonicalWriter writer) =>
        writer.WriteAddress(Hotkey).WriteU8((byte)Roles).WriteString(Endpoint).WriteSignature(HotkeyProof);

    internal static RegisterNodePayload ReadFields(ref CanonicalReader reader) =>
        new(
            reader.ReadAddress("hotkey"),
            (NodeRoles)reader.ReadU8("roles"),
            reader.ReadString("endpoint", MaxEndpointBytes),
            reader.ReadSignature("hotkeyProof")
        );

    /// <summary>What the hotkey signs: it agrees to be owned by <paramref name="coldkey"/> on <paramref name="chainId"/>.</summary>
    public static byte[] ProofMessage(string chainId, Address coldkey, Address hotkey) =>
        new CanonicalWriter()
            .WriteFixed(ProofDomain)
            .WriteString(chainId)
            .WriteAddress(coldkey)
            .WriteAddress(hotkey)
            .ToArray();

    public static RegisterNodePayload Create(
        string chainId,
        Address coldkey,
        KeyPair hotkey,
        NodeRoles roles,
        string endpoint
    )
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        var proof = hotkey.Sign(ProofMessage(chainId, coldkey, hotkey.Address));
        return new RegisterNodePayload(hotkey.Address, roles, endpoint, proof);
    }
}
