using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>A hotkey's pending commit-reveal commitment on a subnet: the hash and the block it was made at.</summary>
public sealed record WeightCommit(Hash256 Hash, ulong CommittedAt)
{
    public byte[] Encode() => new CanonicalWriter(40).WriteHash(Hash).WriteU64(CommittedAt).ToArray();

    public static WeightCommit Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var commit = new WeightCommit(reader.ReadHash("hash"), reader.ReadU64("committedAt"));
        reader.EnsureEnd("weight commit");
        return commit;
    }
}
