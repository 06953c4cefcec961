using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// A disagreement about an output, holding the tokens at stake until a quorum settles it. Opened by a
/// RecordInference with a mismatch attestation (id = request id, <see cref="Escrow"/> = the user's whole fee) or by a
/// ReportAttestation (id = hash of the reported attestation, no executor, <see cref="Escrow"/> = the reporter's bond).
/// Escrowed tokens are part of the total issuance.
/// </summary>
public sealed record Dispute(
    Hash256 RequestId,
    Hash256 ModelId,
    Hash256 InputHash,
    Hash256 DisputedOutputHash,
    Address? Executor,
    Address User,
    Address? Reporter,
    IReadOnlyList<Address> Matchers,
    IReadOnlyList<Address> Mismatchers,
    Amount Price,
    Amount VerificationFee,
    Amount Escrow,
    Hash256 AnchorHash,
    ulong OpenedAt,
    DisputeOutcome Outcome,
    ulong ResolvedAt
)
{
    public bool IsAudit => Reporter is not null;

    public bool Equals(Dispute? other) => other is not null && Encode().AsSpan().SequenceEqual(other.Encode());

    public override int GetHashCode() => HashCode.Combine(RequestId, Escrow, Outcome);

    /// <summary>Every verifier that attested originally (excluded from the quorum).</summary>
    public IEnumerable<Address> OriginalVerifiers => Matchers.Concat(Mismatchers);

    /// <summary>Every node the dispute may slash (the executor and the original verifiers): their stake is frozen while it is pending.</summary>
    public IEnumerable<Address> Accused =>
        Executor is { } executor ? OriginalVerifiers.Append(executor) : OriginalVerifiers;

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(512)
            .WriteHash(RequestId)
            .WriteHash(ModelId)
            .WriteHash(InputHash)
            .WriteHash(DisputedOutputHash);
        WriteOptional(writer, Executor);
        writer.WriteAddress(User);
        WriteOptional(writer, Reporter);
        WriteList(writer, Matchers);
        WriteList(writer, Mismatchers);
        return writer
            .WriteAmount(Price)
            .WriteAmount(VerificationFee)
            .WriteAmount(Escrow)
            .WriteHash(AnchorHash)
            .WriteU64(OpenedAt)
            .WriteU8((byte)Outcome)
            .WriteU64(ResolvedAt)
            .ToArray();
    }

    public static Dispute Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var dispute = new Dispute(
            reader.ReadHash("requestId"),
            reader.ReadHash("modelId"),
            reader.ReadHash("inputHash"),
            reader.ReadHash("disputedOutputHash"),
            ReadOptional(ref reader, "executor"),
            reader.ReadAddress("user"),
            ReadOptional(ref reader, "reporter"),
            ReadList(ref reader, "matchers"),
            ReadList(ref reader, "mismatchers"),
            reader.ReadAmount("price"),
            reader.ReadAmount("verificationFee"),
            reader.ReadAmount("escrow"),
            reader.ReadHash("anchorHash"),
            reader.ReadU64("openedAt"),
            (DisputeOutcome)reader.ReadU8("outcome"),
            reader.ReadU64("resolvedAt")
        );
        reader.EnsureEnd("dispute");
        return dispute;
    }

    private static void WriteOptional(CanonicalWriter writer, Address? address)
    {
        writer.WriteBool(address is not null);
        if (address is { } value)
            writer.WriteAddress(value);
    }

    private static Address? ReadOptional(ref CanonicalReader reader, string field) =>
        reader.ReadBool(field + ".present") ? reader.ReadAddress(field) : null;

    private static void WriteList(CanonicalWriter writer, IReadOnlyList<Address> list)
    {
        writer.WriteU8(checked((byte)list.Count));
        foreach (var address in list)
            writer.WriteAddress(address);
    }

    private static Address[] ReadList(ref CanonicalReader reader, string field)
    {
        var list = new Address[reader.ReadU8(field + ".count")];
        for (var i = 0; i < list.Length; i++)
            list[i] = reader.ReadAddress(field);
        return list;
    }
}
