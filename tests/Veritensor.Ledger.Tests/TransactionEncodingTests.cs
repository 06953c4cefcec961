using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class TransactionEncodingTests
{
    private const int NoLimit = int.MaxValue;

    private static readonly Gen<string> GenChainId = Gen.Int[0x20, 0x2FF]
        .Where(c => c is < 0xD800 or > 0xDFFF)
        .Select(c => (char)c)
        .Array[1, 30]
        .Select(cs => new string(cs));

    private static readonly Gen<Address> GenAddress = Gen.Byte.Array[Address.Size].Select(b => new Address(b));
    private static readonly Gen<Amount> GenAmount = Gen.ULong.Select(u => new Amount(u));

    private static readonly Gen<string> GenEndpoint = Gen.OneOf(
        Gen.Const(""),
        Gen.String["abcdefghijklmnopqrstuvwxyz0123456789-."].Select(host => $"https://{host}.example:8443/v1"),
        Gen.Int[0x20, 0x7FF].Select(c => (char)c).Array[0, 60].Select(cs => new string(cs))
    );

    /// <summary>A key seed and a transaction body for every kind, with random fields (the payload is built once the sender is known).</summary>
    private static readonly Gen<(
        byte[] Seed,
        string ChainId,
        ulong Nonce,
        Amount Fee,
        int Kind,
        Address Target,
        Amount Amount,
        byte Roles,
        string Endpoint,
        byte[] HotkeySeed
    )> GenTx = Gen.Select(
            Gen.Byte.Array[32],
            GenChainId,
            Gen.ULong,
            GenAmount,
            Gen.Int[1, 4],
            GenAddress,
            GenAmount,
            Gen.Byte
        )
        .SelectMany(t =>
            Gen.Select(GenEndpoint, Gen.Byte.Array[32])
                .Select(e => (t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8, e.Item1, e.Item2))
        );

    private static SignedTransaction Build(
        (
            byte[] Seed,
            string ChainId,
            ulong Nonce,
            Amount Fee,
            int Kind,
            Address Target,
            Amount Amount,
            byte Roles,
            string Endpoint,
            byte[] HotkeySeed
        ) t
    )
    {
        using var sender = KeyPair.FromSeed(t.Seed);
        using var hotkey = KeyPair.FromSeed(t.HotkeySeed);
        TransactionPayload payload = (TransactionKind)t.Kind switch
        {
            TransactionKind.Transfer => new TransferPayload(t.Target, t.Amount),
            TransactionKind.AddStake => new StakePayload(TransactionKind.AddStake, t.Target, t.Amount),
            TransactionKind.RemoveStake => new StakePayload(TransactionKind.RemoveStake, t.Target, t.Amount),
            _ => RegisterNodePayload.Create(t.ChainId, sender.Address, hotkey, (NodeRoles)t.Roles, t.Endpoint),
        };
        return new Transaction(t.ChainId, TestChain.DefaultGenesisHash, sender.Address, t.Nonce, t.Fee, payload).Sign(
            sender
        );
    }

    [Fact]
    public void Every_kind_round_trips_through_its_encoding_with_random_fields() =>
        GenTx.Sample(
            fields =>
            {
                var signed = Build(fields);
                var decoded = SignedTransaction.Decode(signed.Encoded, NoLimit);
                Assert.Equal(signed.Transaction, decoded.Transaction);
                Assert.Equal(signed.Signature, decoded.Signature);
                Assert.Equal(signed.Encoded, decoded.Encoded);
                Assert.Equal(signed.Id, decoded.Id);
                Assert.Equal((TransactionKind)fields.Kind, decoded.Transaction.Kind);
                Assert.Equal(SignatureCheck.Valid, decoded.VerifySignatures());
            },
            iter: 300
        );

    [Fact]
    public void The_id_is_the_SHA256_of_the_encoded_bytes() =>
        GenTx.Sample(
            fields =>
            {
                var signed = Build(fields);
                Assert.Equal(SHA256.HashData(signed.Encoded), signed.Id.ToArray());
                Assert.Equal(signed.Encoded.Length, signed.Size);
            },
            iter: 50
        );

    [Fact]
    public void A_transfer_encodes_as_the_documented_header_payload_and_signature()
    {
        var signed = Tx.Transfer(
            Keys.Alice,
            Keys.Bob.Address,
            new Amount(0x0102030405060708),
            nonce: 7,
            fee: new Amount(300),
            chainId: "ab"
        );
        var expected = new List<byte>();
        expected.AddRange([2, 0, 0, 0, (byte)'a', (byte)'b']); // chain id: u32 length + UTF-8
        expected.AddRange(Tx.CurrentGenesis.ToArray()); // genesis hash, 32 bytes
        expected.Add((byte)TransactionKind.Transfer); // kind
        expected.AddRange(Keys.Alice.Address.ToArray()); // sender
        expected.AddRange([7, 0, 0, 0, 0, 0, 0, 0]); // nonce, u64 little-endian
        expected.AddRange([0x2C, 0x01, 0, 0, 0, 0, 0, 0]); // fee 300
        expected.AddRange(Keys.Bob.Address.ToArray()); // to
        expected.AddRange([8, 7, 6, 5, 4, 3, 2, 1]); // amount
        Assert.Equal(expected, signed.Encoded[..^Signature.Size]);
        Assert.Equal(signed.Signature.Span.ToArray(), signed.Encoded[^Signature.Size..]);
        // The signature covers the domain tag and the body.
        Assert.True(Keys.Alice.Address.Verify([.. "veritensor/tx/v2"u8, .. expected], signed.Signature));
    }

    [Fact]
    public void Every_strict_prefix_is_malformed() =>
        GenTx
            .SelectMany(fields => Gen.Int[0, Build(fields).Size - 1].Select(cut => (fields, cut)))
            .Sample(
                (fields, cut) =>
                {
                    var bytes = Build(fields).Encoded[..cut];
                    var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(bytes, NoLimit));
                    Assert.Equal(ErrorCode.MalformedEncoding, e.Code);
                },
                iter: 200
            );

    [Fact]
    public void Trailing_bytes_are_malformed() =>
        Gen.Select(GenTx, Gen.Byte.Array[1, 8])
            .Sample(
                (fields, extra) =>
                {
                    var bytes = Build(fields).Encoded.Concat(extra).ToArray();
                    var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(bytes, NoLimit));
                    Assert.Equal(ErrorCode.MalformedEncoding, e.Code);
                    Assert.Contains("trailing", e.Message, StringComparison.Ordinal);
                },
                iter: 50
            );

    [Theory]
    [InlineData(0)]
    [InlineData(18)]
    [InlineData(0x7F)]
    [InlineData(0xFF)]
    public void An_unknown_kind_byte_is_an_unknown_transaction_type(byte kind)
    {
        var bytes = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0).Encoded;
        var kindOffset = 4 + System.Text.Encoding.UTF8.GetByteCount(TestChain.ChainId) + Hash256.Size;
        Assert.Equal((byte)TransactionKind.Transfer, bytes[kindOffset]);
        bytes[kindOffset] = kind;
        var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(bytes, NoLimit));
        Assert.Equal(ErrorCode.UnknownTransactionType, e.Code);
        Assert.Contains(
            kind.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Bytes_over_the_size_limit_are_too_large_before_anything_is_parsed()
    {
        var bytes = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0).Encoded;
        var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(bytes, bytes.Length - 1));
        Assert.Equal(ErrorCode.TransactionTooLarge, e.Code);
        Assert.Equal(bytes.Length, SignedTransaction.Decode(bytes, bytes.Length).Size);

        var garbage = new byte[5000];
        Assert.Equal(
            ErrorCode.TransactionTooLarge,
            Assert.Throws<LedgerException>(() => SignedTransaction.Decode(garbage, 4096)).Code
        );
    }

    [Fact]
    public void A_chain_id_longer_than_64_bytes_is_malformed()
    {
        var signed = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0, chainId: new string('c', 65));
        var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(signed.Encoded, NoLimit));
        Assert.Equal(ErrorCode.MalformedEncoding, e.Code);
        Assert.Contains("chainId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_longer_than_256_bytes_is_malformed()
    {
        var signed = Tx.Register(Keys.Charlie, Keys.NodeA, 0, endpoint: "https://" + new string('a', 249));
        var e = Assert.Throws<LedgerException>(() => SignedTransaction.Decode(signed.Encoded, NoLimit));
        Assert.Equal(ErrorCode.MalformedEncoding, e.Code);
        Assert.Contains("endpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_any_body_byte_invalidates_the_signature_whenever_the_result_still_decodes() =>
        GenTx
            .SelectMany(fields =>
                Gen.Int[0, Build(fields).Size - Signature.Size - 1]
                    .SelectMany(position => Gen.Byte[1, 255].Select(mask => (fields, position, mask)))
            )
            .Sample(
                (fields, position, mask) =>
                {
                    var bytes = Build(fields).Encoded;
                    bytes[position] ^= mask;
                    SignedTransaction tampered;
                    try
                    {
                        tampered = SignedTransaction.Decode(bytes, NoLimit);
                    }
                    catch (LedgerException e)
                        when (e.Code is ErrorCode.MalformedEncoding or ErrorCode.UnknownTransactionType)
                    {
                        return; // a length or kind byte was hit: rejected even earlier
                    }
                    Assert.NotEqual(SignatureCheck.Valid, tampered.VerifySignatures());
                },
                iter: 300
            );

    [Fact]
    public void A_tampered_nonce_fails_with_InvalidSignature()
    {
        var bytes = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 3).Encoded;
        var nonceOffset = 4 + TestChain.ChainId.Length + Hash256.Size + 1 + Address.Size;
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(nonceOffset)));
        bytes[nonceOffset] = 4;
        var tampered = SignedTransaction.Decode(bytes, NoLimit);
        Assert.Equal(4UL, tampered.Transaction.Nonce);
        Assert.Equal(SignatureCheck.InvalidSignature, tampered.VerifySignatures());
        var e = Assert.Throws<LedgerException>(() => VerifiedTransaction.Verify(tampered));
        Assert.Equal(ErrorCode.InvalidSignature, e.Code);
    }

    [Fact]
    public void A_signature_by_someone_other_than_the_sender_is_invalid()
    {
        var tx = new Transaction(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            Keys.Alice.Address,
            0,
            Tx.MinFee,
            new TransferPayload(Keys.Bob.Address, Tx.Tokens(1))
        );
        var body = tx.EncodeBody();
        var forged = SignedTransaction.Decode(
            [.. body, .. Keys.Bob.Sign(Transaction.SigningMessage(body)).Span],
            NoLimit
        );
        Assert.Equal(SignatureCheck.InvalidSignature, forged.VerifySignatures());
        Assert.Throws<ArgumentException>(() => tx.Sign(Keys.Bob));
    }

    public static TheoryData<string> BadProofs =>
        ["signed by another key", "signed for another coldkey", "signed for another chain", "empty"];

    [Theory]
    [MemberData(nameof(BadProofs))]
    public void A_registration_whose_hotkey_proof_does_not_verify_fails_with_InvalidHotkeyProof(string how)
    {
        var proof = how switch
        {
            "signed by another key" => Keys.NodeB.Sign(
                RegisterNodePayload.ProofMessage(TestChain.ChainId, Keys.Charlie.Address, Keys.NodeA.Address)
            ),
            "signed for another coldkey" => Keys.NodeA.Sign(
                RegisterNodePayload.ProofMessage(TestChain.ChainId, Keys.Bob.Address, Keys.NodeA.Address)
            ),
            "signed for another chain" => Keys.NodeA.Sign(
                RegisterNodePayload.ProofMessage("other-chain", Keys.Charlie.Address, Keys.NodeA.Address)
            ),
            _ => Signature.Empty,
        };
        var payload = new RegisterNodePayload(Keys.NodeA.Address, NodeRoles.Inference, "", proof);
        var signed = new Transaction(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            Keys.Charlie.Address,
            0,
            Tx.MinFee,
            payload
        ).Sign(Keys.Charlie);
        Assert.Equal(SignatureCheck.InvalidHotkeyProof, signed.VerifySignatures());
        var e = Assert.Throws<LedgerException>(() => VerifiedTransaction.Verify(signed));
        Assert.Equal(ErrorCode.InvalidHotkeyProof, e.Code);
    }

    [Fact]
    public void A_valid_registration_proof_verifies()
    {
        var signed = Tx.Register(Keys.Charlie, Keys.NodeA, 0);
        Assert.Equal(SignatureCheck.Valid, signed.VerifySignatures());
        Assert.Same(signed, VerifiedTransaction.Verify(signed).Signed);
    }

    [Fact]
    public void Batch_verification_reports_each_transaction_in_order()
    {
        var good = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0);
        var badBytes = Tx.Transfer(Keys.Bob, Keys.Alice.Address, Tx.Tokens(1), 0).Encoded;
        badBytes[^1] ^= 1;
        var badSignature = SignedTransaction.Decode(badBytes, NoLimit);
        var badProof = new Transaction(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            Keys.Charlie.Address,
            0,
            Tx.MinFee,
            new RegisterNodePayload(Keys.NodeA.Address, NodeRoles.Gateway, "", Signature.Empty)
        ).Sign(Keys.Charlie);
        var pattern = new[] { good, badSignature, badProof };
        var transactions = Enumerable.Range(0, 40).Select(i => pattern[i % 3]).ToArray();

        var results = VerifiedTransaction.VerifyAll(transactions);

        Assert.Equal(transactions.Length, results.Count);
        for (var i = 0; i < transactions.Length; i++)
        {
            var expected = (i % 3) switch
            {
                0 => SignatureCheck.Valid,
                1 => SignatureCheck.InvalidSignature,
                _ => SignatureCheck.InvalidHotkeyProof,
            };
            Assert.Equal(expected, results[i].Check);
            Assert.Equal(expected == SignatureCheck.Valid, results[i].Verified is not null);
            if (results[i].Verified is { } verified)
                Assert.Same(transactions[i], verified.Signed);
        }
    }

    [Fact]
    public void A_transaction_signed_for_another_chain_is_refused_at_admission_with_WrongChain()
    {
        using var chain = new TestChain();
        var service = new LedgerService(chain.Chain, new Mempool.Mempool());
        var foreign = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0, chainId: "veritensor-other");
        Assert.Equal(SignatureCheck.Valid, foreign.VerifySignatures()); // correctly signed, just for another chain
        var e = Assert.Throws<LedgerException>(() => service.Submit(foreign.Encoded));
        Assert.Equal(ErrorCode.WrongChain, e.Code);
        Assert.Contains("veritensor-other", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, service.Mempool.Count);
    }

    [Fact]
    public void A_stake_payload_must_be_add_or_remove() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StakePayload(TransactionKind.Transfer, Keys.Validator.Address, Tx.Tokens(1))
        );
}
