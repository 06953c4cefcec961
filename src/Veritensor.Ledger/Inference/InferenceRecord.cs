using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// Everything the ledger needs to settle one inference: the user's signed request, the executor's receipt, the
/// gateway's <see cref="Inference.DrawTicket"/> (which fixes the verifier draw) and the attestation of every drawn verifier.
/// </summary>
public sealed record InferenceRecord(
    SignedInferenceRequest Request,
    InferenceReceipt Receipt,
    Signature DrawTicket,
    IReadOnlyList<Attestation> Attestations
)
{
    /// <summary>More attestations than any mode needs; bounds decoding.</summary>
    public const int MaxAttestations = 16;

    public bool Equals(InferenceRecord? other) =>
        other is not null
        && Request == other.Request
        && Receipt == other.Receipt
        && DrawTicket == other.DrawTicket
        && Attestations.SequenceEqual(other.Attestations);

    public override int GetHashCode() => HashCode.Combine(Request, Receipt, Attestations.Count);

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Request.Write(writer);
        Receipt.Write(writer);
        writer.WriteSignature(DrawTicket);
        writer.WriteU8(checked((byte)Attestations.Count));
        foreach (var attestation in Attestations)
            attestation.Write(writer);
    }

    public static InferenceRecord Read(ref CanonicalReader reader)
    {
        var request = SignedInferenceRequest.Read(ref reader);
        var receipt = InferenceReceipt.Read(ref reader);
        var ticket = reader.ReadSignature("record.drawTicket");
        var count = reader.ReadU8("record.attestationCount");
        if (count > MaxAttestations)
            throw new CanonicalEncodingException(
                $"record.attestations has {count} entries; at most {MaxAttestations} are allowed."
            );
        var attestations = new Attestation[count];
        for (var i = 0; i < count; i++)
            attestations[i] = Attestation.Read(ref reader);
        return new InferenceRecord(request, receipt, ticket, attestations);
    }

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(1024);
        Write(writer);
        return writer.ToArray();
    }

    public static InferenceRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = Read(ref reader);
        reader.EnsureEnd("inference record");
        return value;
    }

    /// <summary>SHA-256 of the canonical bytes: the leaf of a batch's Merkle root.</summary>
    public Hash256 Hash() => Hash256.Compute(Encode());
}
