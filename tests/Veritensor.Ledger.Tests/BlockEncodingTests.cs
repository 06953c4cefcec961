using CsCheck;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Tests.Support;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class BlockEncodingTests
{
    private static readonly Gen<Hash256> GenHash = Gen.Byte.Array[32].Select(b => new Hash256(b));

    private static readonly Gen<BlockHeader> GenHeader = Gen.Select(
            Gen.String["abcdefghijklmnopqrstuvwxyz-0123456789"].Where(s => s.Length is > 0 and <= 64),
            Gen.ULong,
            GenHash,
            Gen.Long,
            Gen.Byte.Array[32],
            GenHash,
            GenHash,
            Gen.UInt
        )
        .Select(
            (chain, height, parent, time, proposer, txRoot, stateRoot, count) =>
                new BlockHeader(chain, height, parent, time, new Address(proposer), txRoot, stateRoot, count)
        );

    private static BlockHeader SampleHeader() =>
        new(
            "veritensor-test",
            7,
            Hash256.Compute([1]),
            1_700_000_000_000,
            Keys.Validator.Address,
            Hash256.Compute([2]),
            Hash256.Compute([3]),
            0
        );

    [Fact]
    public void The_header_hash_is_the_SHA256_of_its_encoding() =>
        GenHeader.Sample(header => Assert.Equal(Hash256.Compute(header.Encode()), header.Hash));

    [Fact]
    public void Changing_any_header_field_changes_the_hash() =>
        GenHeader.Sample(header =>
        {
            var hashes = new[]
            {
                header.Hash,
                new BlockHeader(
                    header.ChainId + "x",
                    header.Height,
                    header.ParentHash,
                    header.Timestamp,
                    header.Proposer,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height ^ 1,
                    header.ParentHash,
                    header.Timestamp,
                    header.Proposer,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    Hash256.Compute(header.ParentHash.Span),
                    header.Timestamp,
                    header.Proposer,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    header.ParentHash,
                    header.Timestamp ^ 1,
                    header.Proposer,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    header.ParentHash,
                    header.Timestamp,
                    Keys.Alice.Address == header.Proposer ? Keys.Bob.Address : Keys.Alice.Address,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    header.ParentHash,
                    header.Timestamp,
                    header.Proposer,
                    Hash256.Compute(header.TransactionRoot.Span),
                    header.StateRoot,
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    header.ParentHash,
                    header.Timestamp,
                    header.Proposer,
                    header.TransactionRoot,
                    Hash256.Compute(header.StateRoot.Span),
                    header.TransactionCount
                ).Hash,
                new BlockHeader(
                    header.ChainId,
                    header.Height,
                    header.ParentHash,
                    header.Timestamp,
                    header.Proposer,
                    header.TransactionRoot,
                    header.StateRoot,
                    header.TransactionCount ^ 1
                ).Hash,
            };
            Assert.Equal(hashes.Length, hashes.Distinct().Count());
        });

    [Fact]
    public void A_header_copied_with_a_changed_field_has_the_hash_of_its_new_contents()
    {
        var header = SampleHeader();
        var originalHash = header.Hash; // computed (and possibly cached) before the copy
        var copy = header with { StateRoot = Hash256.Compute([9]) };
        Assert.NotEqual(originalHash, copy.Hash);
        Assert.Equal(Hash256.Compute(copy.Encode()), copy.Hash);
        Assert.Equal(originalHash, header.Hash);
    }

    [Fact]
    public void A_block_signed_over_a_copied_header_signs_the_copy()
    {
        var header = SampleHeader();
        _ = Block.Sign(header, [], Keys.Validator);
        var copy = header with { Height = 8 };
        var block = Block.Sign(copy, [], Keys.Validator);
        Assert.True(block.VerifyProposerSignature());
        Assert.True(
            Keys.Validator.Address.Verify(Block.SigningMessage(Hash256.Compute(copy.Encode())), block.Signature)
        );
    }

    [Fact]
    public void Headers_with_equal_fields_are_equal_whether_or_not_their_hash_was_computed()
    {
        var first = SampleHeader();
        var second = SampleHeader();
        _ = first.Hash;
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void A_block_round_trips_through_its_stored_encoding()
    {
        var transactions = new[]
        {
            Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(3), 0),
            Tx.Register(Keys.Charlie, Keys.NodeA, 0),
            Tx.RemoveStake(Keys.ValidatorCold, Keys.Validator.Address, Tx.Tokens(1), 0),
        };
        var header = SampleHeader() with
        {
            TransactionRoot = Block.ComputeTransactionRoot(transactions),
            TransactionCount = 3,
        };
        var block = Block.Sign(header, transactions, Keys.Validator);

        var body = block.EncodeBody(out var offsets);
        var decoded = Block.Decode(block.EncodeHeaderAndSignature(), body, 4096);

        Assert.Equal(block.Header, decoded.Header);
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(block.Signature, decoded.Signature);
        Assert.Equal(transactions.Select(t => t.Id), decoded.Transactions.Select(t => t.Id));
        Assert.True(decoded.VerifyProposerSignature());
        for (var i = 0; i < transactions.Length; i++)
            Assert.Equal(transactions[i].Encoded, body[offsets[i]..(offsets[i] + transactions[i].Size)]);
    }

    [Fact]
    public void Malformed_block_bytes_are_an_invalid_block()
    {
        var transactions = new[] { Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(3), 0) };
        var block = Block.Sign(SampleHeader() with { TransactionCount = 1 }, transactions, Keys.Validator);
        var head = block.EncodeHeaderAndSignature();
        var body = block.EncodeBody(out _);

        void Rejects(byte[] h, byte[] b, string expected)
        {
            var e = Assert.Throws<LedgerException>(() => Block.Decode(h, b, 4096));
            Assert.Equal(ErrorCode.InvalidBlock, e.Code);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }

        Rejects(head[..^1], body, "signature");
        Rejects([.. head, 0], body, "trailing");
        Rejects(head, body[..^1], "Truncated");
        Rejects(head, [.. body, 0], "trailing");
        Rejects([2, 0, 0, 0, .. head[4..]], body, "version 2");
        Rejects(
            Block
                .Sign(SampleHeader() with { TransactionCount = 2 }, transactions, Keys.Validator)
                .EncodeHeaderAndSignature(),
            body,
            "the header says 2"
        );
    }
}
