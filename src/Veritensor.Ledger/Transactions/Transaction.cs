using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// An unsigned transaction: the common header (chain, sender, nonce, fee) and a payload. Signing it gives a
/// <see cref="SignedTransaction"/>. The signed message is a domain tag followed by the canonical body.
/// </summary>
public sealed record Transaction(string ChainId, Address Sender, ulong Nonce, Amount Fee, TransactionPayload Payload)
{
    public const int MaxChainIdBytes = 64;
    internal static readonly byte[] SigningDomain = "veritensor/tx/v1"u8.ToArray();

    public TransactionKind Kind => Payload.Kind;

    /// <summary>The canonical body: chain id, kind, sender, nonce, fee, payload fields.</summary>
    public byte[] EncodeBody()
    {
        var writer = new CanonicalWriter();
        WriteBody(writer);
        return writer.ToArray();
    }

    internal void WriteBody(CanonicalWriter writer)
    {
        writer.WriteString(ChainId).WriteU8((byte)Kind).WriteAddress(Sender).WriteU64(Nonce).WriteAmount(Fee);
        Payload.Write(writer);
    }

    public static byte[] SigningMessage(ReadOnlySpan<byte> body)
    {
        var message = new byte[SigningDomain.Length + body.Length];
        SigningDomain.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(SigningDomain.Length));
        return message;
    }

    public SignedTransaction Sign(KeyPair key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Address != Sender)
            throw new ArgumentException($"The key {key.Address} is not the sender {Sender}.", nameof(key));
        var body = EncodeBody();
        return SignedTransaction.FromParts(this, body, key.Sign(SigningMessage(body)));
    }
}
