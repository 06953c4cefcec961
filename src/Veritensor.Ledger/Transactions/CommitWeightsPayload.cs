using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>Commits the sender hotkey to weights on subnet <see cref="Netuid"/> without showing them: <see cref="Hash"/> is <see cref="WeightsCommitment.Compute"/>.</summary>
public sealed record CommitWeightsPayload(ushort Netuid, Hash256 Hash) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.CommitWeights;

    internal override void Write(CanonicalWriter writer) => writer.WriteU16(Netuid).WriteHash(Hash);

    internal static CommitWeightsPayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadU16("netuid"), reader.ReadHash("hash"));
}
