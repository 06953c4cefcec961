using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Blocks;

/// <summary>
/// A block header. Its hash is SHA-256 of its canonical encoding (version, chain id, height, parent hash,
/// timestamp in Unix milliseconds, proposer, transaction root, state root, transaction count); the
/// proposer signs that hash.
/// </summary>
public sealed record BlockHeader(
    string ChainId,
    ulong Height,
    Hash256 ParentHash,
    long Timestamp,
    Address Proposer,
    Hash256 TransactionRoot,
    Hash256 StateRoot,
    uint TransactionCount
)
{
    public const uint FormatVersion = 1;

    // Not cached in a field: a record copies its fields in `with` expressions (so a copy would keep the old hash) and
    // compares them in Equals (so equal headers would differ by whether their hash had been read).
    public Hash256 Hash => Hash256.Compute(Encode());

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(192);
        Write(writer);
        return writer.ToArray();
    }

    internal void Write(CanonicalWriter writer) =>
        writer
            .WriteU32(FormatVersion)
            .WriteString(ChainId)
            .WriteU64(Height)
            .WriteHash(ParentHash)
            .WriteI64(Timestamp)
            .WriteAddress(Proposer)
            .WriteHash(TransactionRoot)
            .WriteHash(StateRoot)
            .WriteU32(TransactionCount);

    internal static BlockHeader Read(ref CanonicalReader reader)
    {
        var version = reader.ReadU32("header.version");
        if (version != FormatVersion)
            throw new CanonicalEncodingException($"Unknown block header version {version}.");
        return new BlockHeader(
            reader.ReadString("header.chainId", Transactions.Transaction.MaxChainIdBytes),
            reader.ReadU64("header.height"),
            reader.ReadHash("header.parentHash"),
            reader.ReadI64("header.timestamp"),
            reader.ReadAddress("header.proposer"),
            reader.ReadHash("header.transactionRoot"),
            reader.ReadHash("header.stateRoot"),
            reader.ReadU32("header.transactionCount")
        );
    }
}
