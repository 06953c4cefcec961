using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>The sender hotkey's weights on subnet <see cref="Netuid"/>: <see cref="Values"/>[i] for uid <see cref="Uids"/>[i].</summary>
public sealed record SetWeightsPayload(
    ushort Netuid,
    IReadOnlyList<ushort> Uids,
    IReadOnlyList<ushort> Values,
    ulong VersionKey
) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.SetWeights;

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteU16(Netuid);
        U16List.Write(writer, Uids);
        U16List.Write(writer, Values);
        writer.WriteU64(VersionKey);
    }

    internal static SetWeightsPayload ReadFields(ref CanonicalReader reader) =>
        new(
            reader.ReadU16("netuid"),
            U16List.Read(ref reader, "uids"),
            U16List.Read(ref reader, "values"),
            reader.ReadU64("versionKey")
        );
}
