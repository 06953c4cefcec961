using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>A recorded batch root: the block it was recorded in and how many records (leaves) it covers.</summary>
public sealed record InferenceBatch(ulong Height, int Count)
{
    public byte[] Encode() => new CanonicalWriter(12).WriteU64(Height).WriteU32(checked((uint)Count)).ToArray();

    public static InferenceBatch Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var batch = new InferenceBatch(reader.ReadU64("height"), checked((int)reader.ReadU32("count")));
        reader.EnsureEnd("inference batch");
        return batch;
    }
}
