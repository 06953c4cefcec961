using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Sets the delegate take of <see cref="Hotkey"/>: the u16 proportion (of 65535) of its validator emission that the
/// hotkey's owning coldkey keeps before the rest is shared among the hotkey's nominators. Signed by the owning coldkey;
/// at most <see cref="State.DelegateTake.Max"/>.
/// </summary>
public sealed record SetDelegateTakePayload(Address Hotkey, ushort Take) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.SetDelegateTake;

    internal override void Write(CanonicalWriter writer) => writer.WriteAddress(Hotkey).WriteU16(Take);

    internal static SetDelegateTakePayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadAddress("hotkey"), reader.ReadU16("take"));
}
