using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// A verifier's commitment to its own output hash for a request, made before it sees the executor's output, so it
/// cannot simply copy it. Exchanged off the ledger (gateway and verifiers); defined here so there is one definition.
/// </summary>
public sealed record OutputCommitment(
    Hash256 RequestId,
    Hash256 VerifierOutputHash,
    Address Verifier,
    Signature Signature
)
{
    private static readonly byte[] Domain = "veritensor/output-commitment/v1"u8.ToArray();

    public static OutputCommitment Create(
        string chainId,
        Hash256 requestId,
        Hash256 verifierOutputHash,
        KeyPair verifier
    )
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var unsigned = new OutputCommitment(requestId, verifierOutputHash, verifier.Address, Signature.Empty);
        return unsigned with { Signature = verifier.Sign(unsigned.SigningMessage(chainId)) };
    }

    public byte[] SigningMessage(string chainId) =>
        InferenceSigning
            .Begin(Domain, chainId)
            .WriteHash(RequestId)
            .WriteHash(VerifierOutputHash)
            .WriteAddress(Verifier)
            .ToArray();

    public bool Verify(string chainId) => Verifier.Verify(SigningMessage(chainId), Signature);

    public byte[] Encode() =>
        new CanonicalWriter(160)
            .WriteHash(RequestId)
            .WriteHash(VerifierOutputHash)
            .WriteAddress(Verifier)
            .WriteSignature(Signature)
            .ToArray();

    public static OutputCommitment Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = new OutputCommitment(
            reader.ReadHash("commitment.requestId"),
            reader.ReadHash("commitment.verifierOutputHash"),
            reader.ReadAddress("commitment.verifier"),
            reader.ReadSignature("commitment.signature")
        );
        reader.EnsureEnd("output commitment");
        return value;
    }
}
