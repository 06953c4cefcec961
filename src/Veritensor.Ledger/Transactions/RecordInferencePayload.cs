using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Settles one or more inferences: each record's fee is taken from its user and paid out (or escrowed in a dispute).
/// With <see cref="Batch"/> the ledger also stores the Merkle root over the records' hashes, so each record can be
/// proven part of the batch. Anyone may send it (typically the gateway); the sender pays only the transaction fee.
/// A record with two attestations is about 1.1 KB, so a 4 KiB transaction carries about three full records.
/// </summary>
public sealed record RecordInferencePayload(IReadOnlyList<InferenceRecord> Records, bool Batch) : TransactionPayload
{
    public const int MaxRecords = 64;

    public override TransactionKind Kind => TransactionKind.RecordInference;

    public bool Equals(RecordInferencePayload? other) =>
        other is not null && Batch == other.Batch && Records.SequenceEqual(other.Records);

    public override int GetHashCode() => HashCode.Combine(Records.Count, Batch);

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteU8(checked((byte)Records.Count));
        foreach (var record in Records)
            record.Write(writer);
        writer.WriteBool(Batch);
    }

    internal static RecordInferencePayload ReadFields(ref CanonicalReader reader)
    {
        var count = reader.ReadU8("records.count");
        if (count > MaxRecords)
            throw new CanonicalEncodingException($"records has {count} entries; at most {MaxRecords} are allowed.");
        var records = new InferenceRecord[count];
        for (var i = 0; i < count; i++)
            records[i] = InferenceRecord.Read(ref reader);
        return new RecordInferencePayload(records, reader.ReadBool("batch"));
    }
}
