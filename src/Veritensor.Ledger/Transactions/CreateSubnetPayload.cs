using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Creates a subnet owned by the sender coldkey, which locks the genesis lock cost (<see cref="Subnets.SubnetParameters.LockCost"/>) from its
/// balance into the subnet. The ledger assigns the next netuid and the default hyperparameters. No fields.
/// </summary>
public sealed record CreateSubnetPayload : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.CreateSubnet;

    internal override void Write(CanonicalWriter writer) { }
}
