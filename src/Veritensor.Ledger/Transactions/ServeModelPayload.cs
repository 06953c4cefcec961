using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>Says that the sender's inference node <see cref="Hotkey"/> serves (or stops serving) the model <see cref="ContentId"/>.</summary>
public sealed record ServeModelPayload(Address Hotkey, Hash256 ContentId, bool Serving) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.ServeModel;

    internal override void Write(CanonicalWriter writer) =>
        writer.WriteAddress(Hotkey).WriteHash(ContentId).WriteBool(Serving);

    internal static ServeModelPayload ReadFields(ref CanonicalReader reader) =>
        new(reader.ReadAddress("hotkey"), reader.ReadHash("contentId"), reader.ReadBool("serving"));
}
