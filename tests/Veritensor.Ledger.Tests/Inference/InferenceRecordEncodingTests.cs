using CsCheck;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>Canonical encodings of the inference records round-trip, and every signature is bound to its fields and to the chain.</summary>
[UnitTest]
public sealed class InferenceRecordEncodingTests
{
    private const string ChainId = "veritensor-test";
    private static readonly KeyPair User = KeyPair.FromDevelopmentName("encoding-user");
    private static readonly KeyPair Node = KeyPair.FromDevelopmentName("encoding-node");
    private static readonly Gen<Hash256> GenHash = Gen.Byte.Array[Hash256.Size].Select(b => new Hash256(b));

    private static readonly Gen<InferenceRequest> GenRequest = Gen.Select(
            GenHash,
            GenHash,
            Gen.Int[0, 2],
            Gen.ULong,
            Gen.ULong,
            Gen.ULong
        )
        .Select(t => new InferenceRequest(
            User.Address,
            Node.Address,
            t.Item1,
            t.Item2,
            (VerificationMode)t.Item3,
            new Amount(t.Item4),
            t.Item5,
            t.Item1,
            t.Item6
        ));

    private static readonly Gen<Attestation> GenAttestation = Gen.Select(
            GenHash,
            GenHash,
            GenHash,
            Gen.Bool,
            Gen.ULong,
            Gen.ULong
        )
        .Select(t =>
            Attestation.Create(
                ChainId,
                t.Item1,
                t.Item2,
                t.Item3,
                t.Item3,
                t.Item1,
                t.Item2,
                t.Item4 ? AttestationVerdict.Match : AttestationVerdict.Mismatch,
                t.Item5,
                t.Item6,
                Node
            )
        );

    private static readonly Gen<InferenceRecord> GenRecord = Gen.Select(
            GenRequest,
            GenHash,
            Gen.Bool,
            GenAttestation.Array[0, 3],
            Gen.ULong
        )
        .Select(t =>
        {
            var id = t.Item1.Id(ChainId);
            var receipt = InferenceReceipt.Create(
                ChainId,
                id,
                t.Item1.ModelId,
                t.Item1.InputHash,
                t.Item2,
                t.Item2,
                t.Item5,
                Node
            );
            return new InferenceRecord(
                SignedInferenceRequest.Create(ChainId, t.Item1, User),
                receipt,
                DrawTicket.Create(ChainId, t.Item3 ? id : Hash256.Zero, Node),
                t.Item4
            );
        });

    private static InferenceRecord FixedRecord(int n)
    {
        var request = new InferenceRequest(
            User.Address,
            Node.Address,
            Hash256.Compute("m"u8),
            Hash256.Compute(BitConverter.GetBytes(n)),
            VerificationMode.Full,
            Amount.FromTokens(3),
            5,
            Hash256.Compute("anchor"u8),
            (ulong)n
        );
        var id = request.Id(ChainId);
        var output = Hash256.Compute("o"u8);
        var receipt = InferenceReceipt.Create(
            ChainId,
            id,
            request.ModelId,
            request.InputHash,
            output,
            Hash256.Zero,
            1,
            Node
        );
        var attestation = Attestation.Create(
            ChainId,
            id,
            request.ModelId,
            request.InputHash,
            output,
            output,
            Hash256.Zero,
            AttestationVerdict.Match,
            0,
            0,
            Node
        );
        return new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, User),
            receipt,
            DrawTicket.Create(ChainId, id, Node),
            [attestation]
        );
    }

    [Fact]
    public void Records_round_trip_through_their_canonical_encoding_and_keep_verifying()
    {
        GenRecord.Sample(
            record =>
            {
                var decoded = InferenceRecord.Decode(record.Encode());
                Assert.Equal(record, decoded);
                Assert.Equal(record.Hash(), decoded.Hash());
                Assert.True(decoded.Request.Verify(ChainId));
                Assert.True(decoded.Receipt.Verify(ChainId));
                Assert.All(decoded.Attestations, a => Assert.True(a.Verify(ChainId)));
            },
            iter: 200
        );
    }

    [Fact]
    public void Attestations_receipts_requests_and_commitments_round_trip_alone()
    {
        GenAttestation.Sample(a => Assert.Equal(a, Attestation.Decode(a.Encode())), iter: 100);
        GenRequest.Sample(
            r =>
            {
                var signed = SignedInferenceRequest.Create(ChainId, r, User);
                Assert.Equal(signed, SignedInferenceRequest.Decode(signed.Encode()));
            },
            iter: 100
        );
        var commitment = OutputCommitment.Create(ChainId, Hash256.Compute("r"u8), Hash256.Compute("o"u8), Node);
        Assert.Equal(commitment, OutputCommitment.Decode(commitment.Encode()));
    }

    [Fact]
    public void A_truncated_record_or_an_unknown_verdict_is_malformed_and_names_the_field()
    {
        var record = FixedRecord(1);
        var bytes = record.Encode();
        var e = Assert.ThrowsAny<Exception>(() => InferenceRecord.Decode(bytes.AsSpan(0, bytes.Length - 10)));
        Assert.Contains("attestation", e.Message, StringComparison.Ordinal);

        var attestation = record.Attestations[0].Encode();
        attestation[6 * Hash256.Size] = 7; // the verdict byte
        var verdict = Assert.ThrowsAny<Exception>(() => Attestation.Decode(attestation));
        Assert.Contains("attestation.verdict", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_signature_fails_once_a_field_is_altered_or_the_chain_differs()
    {
        var request = new InferenceRequest(
            User.Address,
            Node.Address,
            Hash256.Compute("m"u8),
            Hash256.Compute("i"u8),
            VerificationMode.Full,
            Amount.FromTokens(3),
            5,
            Hash256.Compute("anchor"u8),
            1
        );
        var signed = SignedInferenceRequest.Create(ChainId, request, User);
        Assert.True(signed.Verify(ChainId));
        Assert.False(signed.Verify("other-chain"));
        Assert.False((signed with { Request = request with { MaxFee = Amount.FromTokens(4) } }).Verify(ChainId));
        Assert.False((signed with { Request = request with { Nonce = 2 } }).Verify(ChainId));
        Assert.False((signed with { Request = request with { Gateway = User.Address } }).Verify(ChainId));
        // Another chain of the same name has another block at the anchor height.
        Assert.False(
            (signed with { Request = request with { AnchorHash = Hash256.Compute("other"u8) } }).Verify(ChainId)
        );
        Assert.NotEqual(request.Id(ChainId), request.Id("other-chain"));

        var id = request.Id(ChainId);
        var receipt = InferenceReceipt.Create(
            ChainId,
            id,
            request.ModelId,
            request.InputHash,
            Hash256.Compute("o"u8),
            Hash256.Compute("p"u8),
            1,
            Node
        );
        Assert.True(receipt.Verify(ChainId));
        Assert.False(receipt.Verify("other-chain"));
        Assert.False((receipt with { OutputHash = Hash256.Compute("forged"u8) }).Verify(ChainId));
        Assert.False((receipt with { Executor = User.Address }).Verify(ChainId));

        var attestation = Attestation.Create(
            ChainId,
            id,
            request.ModelId,
            request.InputHash,
            receipt.OutputHash,
            receipt.OutputHash,
            receipt.ProfileHash,
            AttestationVerdict.Match,
            0,
            0,
            Node
        );
        Assert.True(attestation.Verify(ChainId));
        Assert.False(attestation.Verify("other-chain"));
        Assert.False((attestation with { Verdict = AttestationVerdict.Mismatch }).Verify(ChainId));
        Assert.False((attestation with { MaxAbsErrorBits = 1 }).Verify(ChainId));

        var commitment = OutputCommitment.Create(ChainId, id, receipt.OutputHash, Node);
        Assert.True(commitment.Verify(ChainId));
        Assert.False(commitment.Verify("other-chain"));
        Assert.False((commitment with { VerifierOutputHash = Hash256.Zero }).Verify(ChainId));

        var ticket = DrawTicket.Create(ChainId, id, Node);
        Assert.True(DrawTicket.Verify(ChainId, id, ticket, Node.Address));
        Assert.False(DrawTicket.Verify("other-chain", id, ticket, Node.Address));
        Assert.False(DrawTicket.Verify(ChainId, Hash256.Compute("x"u8), ticket, Node.Address));
        Assert.False(DrawTicket.Verify(ChainId, id, ticket, User.Address));

        var dispatch = GatewayDispatch.Create(ChainId, id, User.Address, Node);
        Assert.True(GatewayDispatch.Verify(ChainId, id, User.Address, dispatch, Node.Address));
        Assert.False(GatewayDispatch.Verify(ChainId, id, Node.Address, dispatch, Node.Address));
        Assert.False(GatewayDispatch.Verify("other-chain", id, User.Address, dispatch, Node.Address));

        // A dispute vote and an attestation of the same subject are signed in different domains.
        var vote = Attestation.CreateVote(ChainId, attestation, Node);
        Assert.True(vote.VerifyVote(ChainId));
        Assert.False(vote.Verify(ChainId));
        Assert.False(attestation.VerifyVote(ChainId));
    }

    [Fact]
    public void The_sample_draw_rate_is_close_to_the_sampling_rate_over_many_request_ids()
    {
        const int Requests = 4000;
        foreach (var (ratePpm, expected) in new[] { (100_000u, 0.1), (500_000u, 0.5) })
        {
            var drawn = Enumerable
                .Range(0, Requests)
                .Count(i => VerifierSelection.IsSampled(Hash256.Compute(BitConverter.GetBytes(i)), ratePpm));
            // Binomial standard deviation at p = 0.5 over 4000 is about 32 (0.8 %); allow four.
            Assert.InRange(drawn / (double)Requests, expected - 0.03, expected + 0.03);
        }
        Assert.False(VerifierSelection.IsSampled(Hash256.Zero, 0));
        Assert.True(VerifierSelection.IsSampled(Hash256.Zero, VerifierSelection.PartsPerMillion));
    }

    [Fact]
    public void Every_leaf_of_a_batch_proves_against_the_root_and_a_wrong_index_or_leaf_does_not()
    {
        foreach (var count in new[] { 1, 2, 3, 5, 8, 13 })
        {
            var leaves = Enumerable
                .Range(0, count)
                .Select(i => Hash256.Compute(BitConverter.GetBytes(i * 31 + count)))
                .ToArray();
            var root = MerkleTree.ComputeRoot(leaves);
            for (var i = 0; i < count; i++)
            {
                var proof = InferenceBatchProof.Build(leaves, i);
                Assert.True(InferenceBatchProof.Verify(root, leaves[i], i, count, proof), $"leaf {i} of {count}");
                Assert.False(InferenceBatchProof.Verify(root, Hash256.Compute("not a leaf"u8), i, count, proof));
                if (count > 1)
                    Assert.False(InferenceBatchProof.Verify(root, leaves[i], (i + 1) % count, count, proof));
            }
        }
        var records = new[] { 1, 2, 3 }.Select(FixedRecord).ToArray();
        var recordRoot = MerkleTree.ComputeRoot(records.Select(r => r.Hash()).ToArray());
        Assert.True(
            InferenceBatchProof.Verify(recordRoot, records[2].Hash(), 2, 3, InferenceBatchProof.Build(records, 2))
        );
    }
}
