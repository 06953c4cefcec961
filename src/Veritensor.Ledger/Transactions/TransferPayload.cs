using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>Moves <see cref="Amount"/> from the sender's free balance to <see cref="To"/>.</summary>
public sealed record TransferPayload(Address To, Amount Amount) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.Transfer;

    internal override void Write(CanonicalWriter writer) => writer.WriteAddress(To).WriteAmount(Amount);

    internal static TransferPayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadAddress("to"), reader.ReadAmount("amount"));
}
