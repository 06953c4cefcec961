using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Burned registration: the sender coldkey pays the subnet's current burn to give <see cref="Hotkey"/> a uid on
/// subnet <see cref="Netuid"/>. As with <see cref="RegisterNodePayload"/>, <see cref="HotkeyProof"/> is the
/// hotkey's signature over <see cref="ProofMessage"/>, so nobody can register a hotkey they do not hold.
/// </summary>
public sealed record RegisterNeuronPayload(ushort Netuid, Address Hotkey, Signature HotkeyProof) : TransactionPayload
{
    private static readonly byte[] ProofDomain = "veritensor/neuron-binding/v1"u8.ToArray();

    public override TransactionKind Kind => TransactionKind.RegisterNeuron;

    internal override void Write(CanonicalWriter writer) =>
        writer.WriteU16(Netuid).WriteAddress(Hotkey).WriteSignature(HotkeyProof);

    internal static RegisterNeuronPayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadU16("netuid"), reader.ReadAddress("hotkey"), reader.ReadSignature("hotkeyProof"));

    /// <summary>What the hotkey signs: it agrees to be registered on <paramref name="netuid"/> for <paramref name="coldkey"/> on <paramref name="chainId"/>.</summary>
    public static byte[] ProofMessage(string chainId, Address coldkey, Address hotkey, ushort netuid) =>
        new CanonicalWriter()
            .WriteFixed(ProofDomain)
            .WriteString(chainId)
            .WriteAddress(coldkey)
            .WriteAddress(hotkey)
            .WriteU16(netuid)
            .ToArray();

    public static RegisterNeuronPayload Create(string chainId, Address coldkey, KeyPair hotkey, ushort netuid)
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        return new RegisterNeuronPayload(
            netuid,
            hotkey.Address,
            hotkey.Sign(ProofMessage(chainId, coldkey, hotkey.Address, netuid))
        );
    }
}
