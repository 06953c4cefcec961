using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Tensors;

namespace Veritensor.Ledger.Inference;

/// <summary>A published model: who owns it, its name and version, its content id (hash of the model file), size, signature, price and tolerance.</summary>
public sealed record ModelRecord(
    Address Owner,
    string Name,
    string Version,
    Hash256 ContentId,
    ulong SizeBytes,
    ModelSignature Signature,
    Amount Price,
    VerificationTolerance Tolerance,
    ulong PublishedAt
)
{
    public const int MaxNameBytes = 64;
    public const int MaxVersionBytes = 32;

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(256)
            .WriteAddress(Owner)
            .WriteString(Name)
            .WriteString(Version)
            .WriteHash(ContentId)
            .WriteU64(SizeBytes);
        Signature.Write(writer);
        writer.WriteAmount(Price);
        Tolerance.Write(writer);
        return writer.WriteU64(PublishedAt).ToArray();
    }

    public static ModelRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var record = new ModelRecord(
            reader.ReadAddress("owner"),
            reader.ReadString("name", MaxNameBytes),
            reader.ReadString("version", MaxVersionBytes),
            reader.ReadHash("contentId"),
            reader.ReadU64("sizeBytes"),
            ModelSignature.Read(ref reader),
            reader.ReadAmount("price"),
            VerificationTolerance.Read(ref reader),
            reader.ReadU64("publishedAt")
        );
        reader.EnsureEnd("model record");
        return record;
    }
}
