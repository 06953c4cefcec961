using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Ends dispute <see cref="DisputeId"/> without a verdict once it has been pending for more than the dispute window:
/// the escrow goes back to whoever put it in (the user's fee, the reporter's bond) and nobody is slashed. Anyone may send it.
/// </summary>
public sealed record ExpireDisputePayload(Hash256 DisputeId) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.ExpireDispute;

    internal override void Write(CanonicalWriter writer) => writer.WriteHash(DisputeId);

    internal static ExpireDisputePayload ReadFields(ref CanonicalReader reader) => new(reader.ReadHash("disputeId"));
}
