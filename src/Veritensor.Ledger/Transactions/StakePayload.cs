using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Moves <see cref="Amount"/> between the sender coldkey's free balance and its stake on
/// <see cref="Hotkey"/>: <see cref="TransactionKind.AddStake"/> locks, <see cref="TransactionKind.RemoveStake"/> frees.
/// </summary>
public sealed record StakePayload : TransactionPayload
{
    public StakePayload(TransactionKind kind, Address hotkey, Amount amount)
    {
        if (kind is not (TransactionKind.AddStake or TransactionKind.RemoveStake))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A stake payload is AddStake or RemoveStake.");
        StakeKind = kind;
        Hotkey = hotkey;
        Amount = amount;
    }

    public TransactionKind StakeKind { get; }
    public Address Hotkey { get; }
    public Amount Amount { get; }

    public override TransactionKind Kind => StakeKind;

    internal override void Write(CanonicalWriter writer) => writer.WriteAddress(Hotkey).WriteAmount(Amount);

    internal static StakePayload ReadFields(TransactionKind kind, ref CanonicalReader reader) =>
        new(kind, reader.ReadAddress("hotkey"), reader.ReadAmount("amount"));
}
