using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Blocks;

/// <summary>
/// A header, the proposer's signature over the header hash, and the transactions. Encoding: header,
/// signature, u32 count, then each transaction as length-prefixed bytes.
/// </summary>
public sealed class Block
{
    private static readonly byte[] SigningDomain = "veritensor/block/v1"u8.ToArray();

    public Block(BlockHeader header, Signature signature, IReadOnlyList<SignedTransaction> transactions)
    {
        Header = header;
        Signature = signature;
        Transactions = transactions;
    }

    public BlockHeader Header { get; }
    public Signature Signature { get; }
    public IReadOnlyList<SignedTransaction> Transactions { get; }

    public Hash256 Hash => Header.Hash;
    public ulong Height => Header.Height;

    public static Hash256 ComputeTransactionRoot(IReadOnlyList<SignedTransaction> transactions) =>
        MerkleTree.ComputeRoot(transactions.Select(t => t.Id).ToArray());

    public static byte[] SigningMessage(Hash256 headerHash) =>
        new CanonicalWriter(64).WriteFixed(SigningDomain).WriteHash(headerHash).ToArray();

    public static Block Sign(BlockHeader header, IReadOnlyList<SignedTransaction> transactions, KeyPair proposer)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(proposer);
        return new Block(header, proposer.Sign(SigningMessage(header.Hash)), transactions);
    }

    public bool VerifyProposerSignature() => Header.Proposer.Verify(SigningMessage(Header.Hash), Signature);

    /// <summary>The transactions section: u32 count, then each transaction length-prefixed. Offsets locate each transaction in it.</summary>
    public byte[] EncodeBody(out int[] offsets)
    {
        var size = 4 + Transactions.Sum(t => 4 + t.Size);
        var writer = new CanonicalWriter(size);
        writer.WriteU32((uint)Transactions.Count);
        offsets = new int[Transactions.Count];
        for (var i = 0; i < Transactions.Count; i++)
        {
            offsets[i] = writer.Length + 4;
            writer.WriteBytes(Transactions[i].Encoded);
        }
        return writer.ToArray();
    }

    public byte[] EncodeHeaderAndSignature()
    {
        var writer = new CanonicalWriter(256);
        Header.Write(writer);
        writer.WriteSignature(Signature);
        return writer.ToArray();
    }

    public static Block Decode(ReadOnlySpan<byte> headerAndSignature, ReadOnlySpan<byte> body, int maxTransactionBytes)
    {
        try
        {
            var reader = new CanonicalReader(headerAndSignature);
            var header = BlockHeader.Read(ref reader);
            var signature = reader.ReadSignature("signature");
            reader.EnsureEnd("block header");
            var bodyReader = new CanonicalReader(body);
            var count = bodyReader.ReadU32("transactionCount");
            if (count != header.TransactionCount)
                throw new CanonicalEncodingException(
                    $"The body holds {count} transactions, the header says {header.TransactionCount}."
                );
            var transactions = new SignedTransaction[count];
            for (var i = 0; i < count; i++)
                transactions[i] = SignedTransaction.Decode(
                    bodyReader.ReadBytes("transaction", maxTransactionBytes),
                    maxTransactionBytes
                );
            bodyReader.EnsureEnd("block body");
            return new Block(header, signature, transactions);
        }
        catch (CanonicalEncodingException e)
        {
            throw new LedgerException(ErrorCode.InvalidBlock, "Malformed block: " + e.Message);
        }
    }
}
