using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// An unsigned transaction: the common header (chain, genesis, sender, nonce, fee) and a payload. Signing it gives a
/// <see cref="SignedTransaction"/>. The signed message is a domain tag followed by the canonical body.
/// </summary>
/// <param name="ChainId">The chain's name, as its genesis document gives it.</param>
/// <param name="Genesis">
/// The hash of the chain's genesis block. A name can be reused (a devnet reset, a relaunched testnet); a genesis hash
/// cannot, so a transaction signed for one chain never replays on another that has the same name (security.md).
/// </param>
/// <param name="Sender">The account that signs and pays.</param>
/// <param name="Nonce">The sender's next nonce: each transaction of a sender runs once, in order.</param>
/// <param name="Fee">What the sender pays the block's proposer, at least the chain's minimum.</param>
/// <param name="Payload">What the transaction does.</param>
public sealed record Transaction(
    string ChainId,
    Hash256 Genesis,
    Address Sender,
    ulong Nonce,
    Amount Fee,
    TransactionPayload Payload
)
{
    public const int MaxChainIdBytes = 64;
    internal static readonly byte[] SigningDomain = "veritensor/tx/v2"u8.ToArray();

    public TransactionKind Kind => Payload.Kind;

    /// <summary>The canonical body: chain id, genesis hash, kind, sender, nonce, fee, payload fields.</summary>
    public byte[] EncodeBody()
    {
        var writer = new CanonicalWriter();
        WriteBody(writer);
        return writer.ToArray();
    }

    internal void WriteBody(CanonicalWriter writer)
    {
        writer
            .WriteString(ChainId)
            .WriteHash(Genesis)
            .WriteU8((byte)Kind)
            .WriteAddress(Sender)
            .WriteU64(Nonce)
            .WriteAmount(Fee);
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
