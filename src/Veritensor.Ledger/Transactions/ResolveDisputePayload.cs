using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.Transactions;

/// <summary>Settles dispute <see cref="DisputeId"/> with the attestations of its selected quorum; anyone may send it.</summary>
public sealed record ResolveDisputePayload(Hash256 DisputeId, IReadOnlyList<Attestation> QuorumAttestations)
    : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.ResolveDispute;

    public bool Equals(ResolveDisputePayload? other) =>
        other is not null && DisputeId == other.DisputeId && QuorumAttestations.SequenceEqual(other.QuorumAttestations);

    public override int GetHashCode() => HashCode.Combine(DisputeId, QuorumAttestations.Count);

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteHash(DisputeId).WriteU8(checked((byte)QuorumAttestations.Count));
        foreach (var attestation in QuorumAttestations)
            attestation.Write(writer);
    }

    internal static ResolveDisputePayload ReadFields(ref CanonicalReader reader)
    {
        var id = reader.ReadHash("disputeId");
        var count = reader.ReadU8("quorumAttestations.count");
        if (count > InferenceRecord.MaxAttestations)
            throw new CanonicalEncodingException(
                $"quorumAttestations has {count} entries; at most {InferenceRecord.MaxAttestations} are allowed."
            );
        var attestations = new Attestation[count];
        for (var i = 0; i < count; i++)
            attestations[i] = Attestation.Read(ref reader);
        return new ResolveDisputePayload(id, attestations);
    }
}
