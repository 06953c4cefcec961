using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;
using Veritensor.Tensors;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// Publishes a model version owned by the sender: its name and version, the content id (SHA-256 of the model file)
/// and size, its input/output signature, the price per inference and the tolerance verifiers compare under.
/// </summary>
public sealed record PublishModelPayload(
    string Name,
    string Version,
    Hash256 ContentId,
    ulong SizeBytes,
    ModelSignature Signature,
    Amount Price,
    VerificationTolerance Tolerance
) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.PublishModel;

    internal override void Write(CanonicalWriter writer)
    {
        writer.WriteString(Name).WriteString(Version).WriteHash(ContentId).WriteU64(SizeBytes);
        Signature.Write(writer);
        writer.WriteAmount(Price);
        Tolerance.Write(writer);
    }

    internal static PublishModelPayload ReadFields(ref CanonicalReader reader) =>
        new(
            reader.ReadString("name", ModelRecord.MaxNameBytes),
            reader.ReadString("version", ModelRecord.MaxVersionBytes),
            reader.ReadHash("contentId"),
            reader.ReadU64("sizeBytes"),
            ModelSignature.Read(ref reader),
            reader.ReadAmount("price"),
            VerificationTolerance.Read(ref reader)
        );
}
