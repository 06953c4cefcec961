using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>Reveals the weights behind the sender hotkey's pending commit on subnet <see cref="Netuid"/>.</summary>
public sealed record RevealWeightsPayload(
    ushort Netuid,
    IReadOnlyList<ushort> Uids,
    IReadOnlyList<ushort> Values,
    byte[] Salt,
    ulong VersionKey
) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.RevealWeights;

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteU16(Netuid);
        U16List.Write(writer, Uids);
        U16List.Write(writer, Values);
        writer.WriteFixed(Salt).WriteU64(VersionKey);
    }

    internal static RevealWeightsPayload ReadFields(ref CanonicalReader reader) =>
        new(
            reader.ReadU16("netuid"),
            U16List.Read(ref reader, "uids"),
            U16List.Read(ref reader, "values"),
            reader.ReadFixed(WeightsCommitment.SaltSize, "salt").ToArray(),
            reader.ReadU64("versionKey")
        );
}
