using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// A transaction with its sender's signature. <see cref="Encoded"/> is the canonical body followed by the
/// 64-byte signature, and <see cref="Id"/> is the SHA-256 of those bytes.
/// </summary>
public sealed class SignedTransaction
{
    private readonly int _bodyLength;

    private SignedTransaction(Transaction transaction, byte[] encoded, int bodyLength, Signature signature)
    {
        Transaction = transaction;
        Encoded = encoded;
        _bodyLength = bodyLength;
        Signature = signature;
        Id = Hash256.Compute(encoded);
    }

    public Transaction Transaction { get; }
    public Signature Signature { get; }
    public Hash256 Id { get; }

    /// <summary>The canonical encoding. Do not modify.</summary>
    public byte[] Encoded { get; }

    public int Size => Encoded.Length;

    // Results of the checks of signatures the payload carries, by what was checked (see CheckOnce).
    private System.Collections.Concurrent.ConcurrentDictionary<string, bool>? _innerChecks;

    /// <summary>How many payload signatures <see cref="CheckOnce"/> has checked for this object.</summary>
    internal int CheckedSignatures => _innerChecks?.Count ?? 0;

    /// <summary>
    /// Runs <paramref name="check"/> of a signature the payload carries (a user's request, a receipt, an attestation)
    /// once for this transaction object and remembers the result under <paramref name="what"/>, the signed record's
    /// field path. Admission checks them, and the block built from the same mempool object then finds them checked,
    /// so the block thread does not verify them a second time. The payload is immutable and a signature's validity
    /// depends on nothing else, so the memo cannot change any outcome.
    /// </summary>
    internal bool CheckOnce(string what, Func<bool> check)
    {
        var checks = LazyInitializer.EnsureInitialized(ref _innerChecks);
        if (checks.TryGetValue(what, out var known))
            return known;
        var result = check();
        checks[what] = result;
        return result;
    }

    internal static SignedTransaction FromParts(Transaction transaction, byte[] body, Signature signature)
    {
        var encoded = new byte[body.Length + Signature.Size];
        body.CopyTo(encoded, 0);
        signature.Span.CopyTo(encoded.AsSpan(body.Length));
        return new SignedTransaction(transaction, encoded, body.Length, signature);
    }

    /// <summary>
    /// Checks every signature the transaction carries: the sender's, and for a node registration the hotkey's
    /// consent. Costs about 30 µs of one core per signature, so it runs once per transaction, at admission
    /// (or at block import), never again when the block is applied.
    /// </summary>
    public SignatureCheck VerifySignatures()
    {
        var messageLength = Transaction.SigningDomain.Length + _bodyLength;
        // The hot path of admission: build the signed message on the stack for ordinary sizes.
        var message = messageLength <= 1024 ? stackalloc byte[messageLength] : new byte[messageLength];
        Transaction.SigningDomain.CopyTo(message);
        Encoded.AsSpan(0, _bodyLength).CopyTo(message[Transaction.SigningDomain.Length..]);
        if (!Transaction.Sender.Verify(message, Signature))
            return SignatureCheck.InvalidSignature;
        if (
            Transaction.Payload is RegisterNodePayload register
            && !register.Hotkey.Verify(
                RegisterNodePayload.ProofMessage(Transaction.ChainId, Transaction.Sender, register.Hotkey),
                register.HotkeyProof
            )
        )
            return SignatureCheck.InvalidHotkeyProof;
        if (
            Transaction.Payload is RegisterNeuronPayload neuron
            && !neuron.Hotkey.Verify(
                RegisterNeuronPayload.ProofMessage(
                    Transaction.ChainId,
                    Transaction.Sender,
                    neuron.Hotkey,
                    neuron.Netuid
                ),
                neuron.HotkeyProof
            )
        )
            return SignatureCheck.InvalidHotkeyProof;
        return SignatureCheck.Valid;
    }

    /// <summary>
    /// Decodes canonical bytes. Throws <see cref="LedgerException"/> with <see cref="ErrorCode.TransactionTooLarge"/>,
    /// <see cref="ErrorCode.UnknownTransactionType"/> or <see cref="ErrorCode.MalformedEncoding"/>. Does not check the signature.
    /// </summary>
    public static SignedTransaction Decode(ReadOnlySpan<byte> bytes, int maxSize)
    {
        if (bytes.Length > maxSize)
            throw new LedgerException(
                ErrorCode.TransactionTooLarge,
                $"The transaction is {bytes.Length} bytes; the limit is {maxSize}."
            );
        try
        {
            var reader = new CanonicalReader(bytes);
            var chainId = reader.ReadString("chainId", Transaction.MaxChainIdBytes);
            var genesis = reader.ReadHash("genesis");
            var kind = (TransactionKind)reader.ReadU8("kind");
            var sender = reader.ReadAddress("sender");
            var nonce = reader.ReadU64("nonce");
            var fee = reader.ReadAmount("fee");
            var payload = TransactionPayload.Read(kind, ref reader);
            var bodyLength = reader.Position;
            var signature = reader.ReadSignature("signature");
            reader.EnsureEnd("transaction");
            var transaction = new Transaction(chainId, genesis, sender, nonce, fee, payload);
            return new SignedTransaction(transaction, bytes.ToArray(), bodyLength, signature);
        }
        catch (CanonicalEncodingException e)
        {
            throw new LedgerException(ErrorCode.MalformedEncoding, "Malformed transaction: " + e.Message);
        }
    }
}
