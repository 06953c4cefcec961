using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// A verifier's signed verdict on an executor's output: it re-ran <see cref="ModelId"/> on <see cref="InputHash"/>,
/// got <see cref="VerifierOutputHash"/> under <see cref="VerifierProfileHash"/>, and compared it with the output
/// hashing to <see cref="ExecutorOutputHash"/>. Signed by the verifier node's hotkey.
/// <para><see cref="MaxAbsErrorBits"/> is the IEEE-754 binary64 bit pattern of the largest absolute error the verifier
/// found. The ledger stores and hashes it and never computes with it (no floating point in consensus);
/// <see cref="MaxUlpDistance"/> is the largest distance in units in the last place.</para>
/// <para>A dispute quorum member's vote has the same fields but is signed in its own domain (<see cref="CreateVote"/>,
/// <see cref="VerifyVote"/>), so a vote cannot be passed off as a request's attestation, nor the other way round.</para>
/// </summary>
public sealed record Attestation(
    Hash256 RequestId,
    Hash256 ModelId,
    Hash256 InputHash,
    Hash256 ExecutorOutputHash,
    Hash256 VerifierOutputHash,
    Hash256 VerifierProfileHash,
    AttestationVerdict Verdict,
    ulong MaxAbsErrorBits,
    ulong MaxUlpDistance,
    Address Verifier,
    Signature Signature
)
{
    private static readonly byte[] Domain = "veritensor/attestation/v1"u8.ToArray();
    private static readonly byte[] VoteDomain = "veritensor/dispute-vote/v1"u8.ToArray();

    /// <summary>
    /// The rule "this attestation is about this request and this executor output", in one place for the ledger, the
    /// gateway, the SDK and the dispute resolver: the name of the first field that differs, or null when none does.
    /// </summary>
    public string? SubjectMismatch(Hash256 requestId, Hash256 modelId, Hash256 inputHash, Hash256 executorOutputHash) =>
        RequestId != requestId ? "requestId"
        : ModelId != modelId ? "modelId"
        : InputHash != inputHash ? "inputHash"
        : ExecutorOutputHash != executorOutputHash ? "executorOutputHash"
        : null;

    public static Attestation Create(
        string chainId,
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        Hash256 executorOutputHash,
        Hash256 verifierOutputHash,
        Hash256 verifierProfileHash,
        AttestationVerdict verdict,
        ulong maxAbsErrorBits,
        ulong maxUlpDistance,
        KeyPair verifier
    ) =>
        Sign(
            Domain,
            chainId,
            new Attestation(
                requestId,
                modelId,
                inputHash,
                executorOutputHash,
                verifierOutputHash,
                verifierProfileHash,
                verdict,
                maxAbsErrorBits,
                maxUlpDistance,
                verifier?.Address ?? throw new ArgumentNullException(nameof(verifier)),
                Signature.Empty
            ),
            verifier
        );

    /// <summary>A dispute quorum member's vote on <paramref name="unsigned"/>'s subject, signed in the vote domain.</summary>
    public static Attestation CreateVote(string chainId, Attestation unsigned, KeyPair verifier) =>
        Sign(VoteDomain, chainId, unsigned with { Verifier = verifier.Address }, verifier);

    private static Attestation Sign(byte[] domain, string chainId, Attestation unsigned, KeyPair verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return unsigned with { Signature = verifier.Sign(unsigned.Message(domain, chainId)) };
    }

    public byte[] SigningMessage(string chainId) => Message(Domain, chainId);

    private byte[] Message(byte[] domain, string chainId)
    {
        var writer = InferenceSigning.Begin(domain, chainId);
        WriteFields(writer);
        return writer.ToArray();
    }

    /// <summary>True when this is a vote (<see cref="CreateVote"/>) signed by <see cref="Verifier"/>.</summary>
    public bool VerifyVote(string chainId) => Verifier.Verify(Message(VoteDomain, chainId), Signature);

    public bool Verify(string chainId) => Verifier.Verify(SigningMessage(chainId), Signature);

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteFields(writer);
        writer.WriteSignature(Signature);
    }

    private void WriteFields(CanonicalWriter writer) =>
        writer
            .WriteHash(RequestId)
            .WriteHash(ModelId)
            .WriteHash(InputHash)
            .WriteHash(ExecutorOutputHash)
            .WriteHash(VerifierOutputHash)
            .WriteHash(VerifierProfileHash)
            .WriteU8((byte)Verdict)
            .WriteU64(MaxAbsErrorBits)
            .WriteU64(MaxUlpDistance)
            .WriteAddress(Verifier);

    public static Attestation Read(ref CanonicalReader reader)
    {
        var requestId = reader.ReadHash("attestation.requestId");
        var modelId = reader.ReadHash("attestation.modelId");
        var inputHash = reader.ReadHash("attestation.inputHash");
        var executorOutput = reader.ReadHash("attestation.executorOutputHash");
        var verifierOutput = reader.ReadHash("attestation.verifierOutputHash");
        var profile = reader.ReadHash("attestation.verifierProfileHash");
        var verdict = reader.ReadU8("attestation.verdict");
        if (verdict is not ((byte)AttestationVerdict.Match or (byte)AttestationVerdict.Mismatch))
            throw new CanonicalEncodingException(
                $"attestation.verdict {verdict} is not a verdict (1 match, 2 mismatch)."
            );
        return new Attestation(
            requestId,
            modelId,
            inputHash,
            executorOutput,
            verifierOutput,
            profile,
            (AttestationVerdict)verdict,
            reader.ReadU64("attestation.maxAbsErrorBits"),
            reader.ReadU64("attestation.maxUlpDistance"),
            reader.ReadAddress("attestation.verifier"),
            reader.ReadSignature("attestation.signature")
        );
    }

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(320);
        Write(writer);
        return writer.ToArray();
    }

    public static Attestation Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = Read(ref reader);
        reader.EnsureEnd("attestation");
        return value;
    }

    /// <summary>SHA-256 of the encoded attestation (signature included): the id of the audit dispute a report of it opens.</summary>
    public Hash256 Hash() => Hash256.Compute(Encode());
}
