using Veritensor.Core.Encoding;
using Veritensor.Ledger.Subnets;

namespace Veritensor.Ledger.Transactions;

/// <summary>Replaces every hyperparameter of subnet <see cref="Netuid"/>; only its owner coldkey may send it.</summary>
public sealed record SetSubnetHyperparametersPayload(ushort Netuid, SubnetHyperparameters Hyperparameters)
    : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.SetSubnetHyperparameters;

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteU16(Netuid);
        Hyperparameters.Write(writer);
    }

    internal static SetSubnetHyperparametersPayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadU16("netuid"), SubnetHyperparameters.Read(ref reader));
}
