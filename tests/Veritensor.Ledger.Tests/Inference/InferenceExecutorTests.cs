using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>PublishModel, ServeModel and RecordInference on <see cref="InferenceWorld"/>: effects, exact fee splits and every rejection.</summary>
[UnitTest]
public sealed class InferenceExecutorTests
{
    private readonly InferenceWorld _world = new();

    [Fact]
    public void Publishing_stores_the_model_its_version_index_and_the_latest_version()
    {
        var v2 = Hash256.Compute("model-file-v2"u8);
        _world.Run(ModelOwner, Publish("resnet", "2.0", v2, Amount.FromTokens(2)));
        var model = _world.State.GetModel(v2)!;
        Assert.Equal(
            (ModelOwner.Address, "resnet", "2.0", Amount.FromTokens(2), 10UL),
            (model.Owner, model.Name, model.Version, model.Price, model.PublishedAt)
        );
        Assert.Equal(ModelSig, model.Signature);
        Assert.Equal(v2, _world.State.GetModelId("resnet", "2.0"));
        Assert.Equal(ModelId, _world.State.GetModelId("resnet", "1.0"));
        Assert.Equal("2.0", _world.State.GetLatestVersion("resnet"));
    }

    [Theory]
    [InlineData("Resnet", "1")]
    [InlineData("-resnet", "1")]
    [InlineData("res net", "1")]
    [InlineData("resnet", "")]
    [InlineData("resnet", ".1")]
    [InlineData("resnet", "1/2")]
    public void A_name_or_version_outside_its_pattern_is_an_invalid_field(string name, string version)
    {
        var e = _world.Rejected(ModelOwner, Publish(name, version, Hash256.Compute("x"u8)), ErrorCode.InvalidField);
        Assert.Contains(
            name.Length > 0 && ModelNames.IsValidName(name) ? "version" : "name",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Publishing_rejects_taken_content_ids_and_versions_other_owners_and_bad_signatures()
    {
        _world.Rejected(ModelOwner, Publish("other", "1.0", ModelId), ErrorCode.ModelAlreadyPublished);
        _world.Rejected(
            ModelOwner,
            Publish("resnet", "1.0", Hash256.Compute("new"u8)),
            ErrorCode.ModelAlreadyPublished
        );
        _world.Rejected(Keys.Bob, Publish("resnet", "3.0", Hash256.Compute("new"u8)), ErrorCode.NotModelOwner);
        var noOutputs = Publish("fresh", "1.0", Hash256.Compute("new"u8)) with
        {
            Signature = new ModelSignature(ModelSig.Inputs, []),
        };
        Assert.Contains(
            "output",
            _world.Rejected(ModelOwner, noOutputs, ErrorCode.InvalidField).Message,
            StringComparison.Ordinal
        );
        _world.Rejected(ModelOwner, Publish("fresh", "1.0", Hash256.Zero), ErrorCode.InvalidField);
    }

    [Fact]
    public void Serving_needs_the_owner_of_an_inference_node_and_an_existing_model()
    {
        _world.Rejected(
            Keys.Bob,
            new ServeModelPayload(Executor.Address, ModelId, false),
            ErrorCode.HotkeyOwnedByAnother
        );
        _world.Rejected(
            VerifierColds[0],
            new ServeModelPayload(Verifiers[0].Address, ModelId, true),
            ErrorCode.MissingNodeRole
        );
        _world.Rejected(
            ExecutorCold,
            new ServeModelPayload(Executor.Address, Hash256.Compute("none"u8), true),
            ErrorCode.ModelNotFound
        );
        _world.Rejected(
            ExecutorCold,
            new ServeModelPayload(Keys.NodeA.Address, ModelId, true),
            ErrorCode.HotkeyNotRegistered
        );
        Assert.True(_world.State.IsServing(ModelId, Executor.Address));
        _world.Run(ExecutorCold, new ServeModelPayload(Executor.Address, ModelId, false));
        Assert.False(_world.State.IsServing(ModelId, Executor.Address));
        // Not serving: no longer an eligible executor.
        _world.Rejected(
            Keys.Bob,
            new RecordInferencePayload([_world.Record(VerificationMode.None, 1)], false),
            ErrorCode.ExecutorNotEligible
        );
    }

    [Fact]
    public void A_full_record_pays_the_price_split_with_dust_to_the_treasury_and_each_verifier_its_fee()
    {
        var record = _world.Record(VerificationMode.Full, 1);
        var verifiers = record.Attestations.Select(a => a.Verifier).ToArray();
        Assert.Equal(2, verifiers.Length);
        var before = Snapshot(verifiers);
        var supply = _world.Supply();
        _world.Run(Keys.Bob, new RecordInferencePayload([record], false));

        // Price 1,000,000,007: owner ⌊20 %⌋ = 200,000,001, executor ⌊70 %⌋ = 700,000,004, treasury the rest = 100,000,002 (10 % + dust 1.1).
        var fee = Price + Price + Price;
        Assert.Equal(before[User.Address] - fee, _world.Balance(User.Address));
        Assert.Equal(before[ModelOwner.Address] + new Amount(200_000_001), _world.Balance(ModelOwner.Address));
        Assert.Equal(before[ExecutorCold.Address] + new Amount(700_000_004), _world.Balance(ExecutorCold.Address));
        Assert.Equal(new Amount(100_000_002), _world.Balance(InferenceParameters.Treasury));
        foreach (var verifier in verifiers)
            Assert.Equal(before[ColdOf(verifier)] + Price, _world.Balance(ColdOf(verifier)));
        Assert.Equal(supply, _world.Supply());

        var summary = _world.State.GetInferenceRecord(record.Request.Id(ChainId))!;
        Assert.Equal(
            (
                User.Address,
                Executor.Address,
                Output,
                VerificationMode.Full,
                2,
                0,
                fee,
                InferenceRecordStatus.Final,
                (Hash256?)null
            ),
            (
                summary.User,
                summary.Executor,
                summary.OutputHash,
                summary.Mode,
                summary.Matches,
                summary.Mismatches,
                summary.Fee,
                summary.Status,
                summary.BatchRoot
            )
        );
    }

    [Fact]
    public void A_full_record_without_every_drawn_verifiers_attestation_is_refused_and_charges_nothing()
    {
        var record = _world.Record(VerificationMode.Full, 2);
        Assert.Equal(2, record.Attestations.Count);
        var e = _world.Rejected(
            Keys.Bob,
            new RecordInferencePayload([record with { Attestations = [record.Attestations[1]] }], false),
            ErrorCode.MissingAttestation
        );
        Assert.Contains(record.Attestations[0].Verifier.ToString(), e.Message, StringComparison.Ordinal);
        _world.Rejected(
            Keys.Bob,
            new RecordInferencePayload([record with { Attestations = [] }], false),
            ErrorCode.MissingAttestation
        );
        Assert.Null(_world.State.GetInferenceRecord(record.Request.Id(ChainId)));
    }

    [Fact]
    public void Only_the_gateway_named_in_the_request_may_record_it_so_neither_user_nor_executor_records_first()
    {
        var record = _world.Record(VerificationMode.Full, 2);
        var bare = record with { Attestations = [] };
        // The attack of the review: the user (or the executor, who saw the signed request) records it first, without
        // attestations, paying the price once and shutting out the gateway's full record.
        _world.Rejected(User, new RecordInferencePayload([bare], false), ErrorCode.NotRequestGateway);
        _world.Rejected(ExecutorCold, new RecordInferencePayload([record], false), ErrorCode.NotRequestGateway);
        _world.Rejected(Keys.Charlie, new RecordInferencePayload([record], false), ErrorCode.NotRequestGateway);
        var before = _world.Balance(User.Address);
        _world.Run(Gateway, new RecordInferencePayload([record], false));
        Assert.Equal(before - Price - _world.VerificationFee - _world.VerificationFee, _world.Balance(User.Address));
    }

    [Fact]
    public void The_signatures_a_record_carries_are_checked_once_at_admission_and_not_again_in_the_block()
    {
        var record = _world.Record(VerificationMode.Full, 40);
        var signed = _world.Sign(Gateway, new RecordInferencePayload([record], false));
        // Admission: the request, the draw ticket, the receipt and each drawn verifier's attestation.
        TransactionExecutor.ValidatePayload(_world.State, signed, _world.Height, _world.Block.BlockHash);
        var signatures = 3 + record.Attestations.Count;
        Assert.Equal(signatures, signed.CheckedSignatures);
        // The block applies the same object: every check finds its result, none is added.
        TransactionExecutor.Execute(_world.State, signed, _world.Block);
        Assert.Equal(signatures, signed.CheckedSignatures);
        Assert.NotNull(_world.State.GetInferenceRecord(record.Request.Id(ChainId)));

        // A memo never turns a bad signature good: a forged receipt fails at admission and again in the block.
        var forged = _world.Record(VerificationMode.None, 41);
        forged = forged with { Receipt = forged.Receipt with { OutputHash = Hash256.Compute("forged"u8) } };
        var bad = _world.Sign(Gateway, new RecordInferencePayload([forged], false));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_world.State, bad, _world.Block));
            Assert.Equal(ErrorCode.InvalidRecordSignature, e.Code);
        }
    }

    [Fact]
    public void A_batch_fails_record_by_record_so_one_bad_record_never_shuts_out_the_others()
    {
        var good = _world.Record(VerificationMode.Full, 20);
        var alsoGood = _world.Record(VerificationMode.None, 21);
        var bare = _world.Record(VerificationMode.Full, 22) with { Attestations = [] };
        var foreignUser = KeyPair.FromDevelopmentName("broke-user");
        var broke = _world.Record(
            Request(VerificationMode.None, 23) with
            {
                User = foreignUser.Address,
            },
            user: foreignUser
        );
        var before = _world.Balance(User.Address);
        _world.Run(Gateway, new RecordInferencePayload([bare, good, broke, alsoGood, good], true));
        Assert.NotNull(_world.State.GetInferenceRecord(good.Request.Id(ChainId)));
        Assert.NotNull(_world.State.GetInferenceRecord(alsoGood.Request.Id(ChainId)));
        Assert.Null(_world.State.GetInferenceRecord(bare.Request.Id(ChainId)));
        Assert.Null(_world.State.GetInferenceRecord(broke.Request.Id(ChainId)));
        // The repeat of good was refused, not charged twice.
        Assert.Equal(
            before - Price - _world.VerificationFee - _world.VerificationFee - Price,
            _world.Balance(User.Address)
        );
        // When every record fails, the transaction is refused with the first one's reason.
        _world.Rejected(Gateway, new RecordInferencePayload([bare, broke], true), ErrorCode.MissingAttestation);
    }

    [Fact]
    public void Sampled_records_carry_an_attestation_only_when_the_ticket_is_drawn()
    {
        var drawn = _world.Record(VerificationMode.Sampled, _world.SampledNonce(drawn: true));
        var notDrawn = _world.Record(VerificationMode.Sampled, _world.SampledNonce(drawn: false));
        Assert.Single(drawn.Attestations);
        Assert.Empty(notDrawn.Attestations);

        var stolen = notDrawn with
        {
            Attestations =
            [
                Attest(
                    notDrawn.Request.Id(ChainId),
                    AttestationVerdict.Match,
                    KeyOf(_world.Selected(notDrawn.Request.Id(ChainId), 1)[0])
                ),
            ],
        };
        Assert.Contains(
            "did not sample",
            _world
                .Rejected(Keys.Bob, new RecordInferencePayload([stolen], false), ErrorCode.VerifierNotSelected)
                .Message,
            StringComparison.Ordinal
        );
        _world.Rejected(
            Keys.Bob,
            new RecordInferencePayload([drawn with { Attestations = [] }], false),
            ErrorCode.MissingAttestation
        );
        // A ticket signed by anyone but the request's gateway (here its verifier) does not verify.
        var forgedTicket = drawn with
        {
            DrawTicket = DrawTicket.Create(ChainId, drawn.Request.Id(ChainId), KeyOf(drawn.Attestations[0].Verifier)),
        };
        _world.Rejected(Keys.Bob, new RecordInferencePayload([forgedTicket], false), ErrorCode.InvalidRecordSignature);

        var before = _world.Balance(User.Address);
        _world.Run(Keys.Bob, new RecordInferencePayload([drawn, notDrawn], false));
        Assert.Equal(before - Price - Price - Price, _world.Balance(User.Address));
    }

    [Fact]
    public void Each_broken_part_of_a_record_is_rejected_with_its_own_code_and_changes_nothing()
    {
        var good = _world.Record(VerificationMode.Full, 3);
        var id = good.Request.Id(ChainId);
        InferenceRecordSummary? Recorded() => _world.State.GetInferenceRecord(id);
        void Reject(InferenceRecord record, ErrorCode code) =>
            _world.Rejected(Keys.Bob, new RecordInferencePayload([record], false), code);

        Reject(
            good with
            {
                Request = good.Request with { UserSignature = good.Receipt.Signature },
            },
            ErrorCode.InvalidRecordSignature
        );
        Reject(
            good with
            {
                Receipt = good.Receipt with { OutputHash = Hash256.Compute("forged"u8) },
            },
            ErrorCode.InvalidRecordSignature
        );
        Reject(
            good with
            {
                Receipt = InferenceReceipt.Create(ChainId, Hash256.Zero, ModelId, Input, Output, Profile, 1, Executor),
            },
            ErrorCode.RecordMismatch
        );
        Reject(
            good with
            {
                Receipt = InferenceReceipt.Create(ChainId, id, ModelId, Hash256.Zero, Output, Profile, 1, Executor),
            },
            ErrorCode.RecordMismatch
        );
        Reject(
            good with
            {
                Receipt = InferenceReceipt.Create(ChainId, id, ModelId, Input, Output, Profile, 1, Verifiers[0]),
            },
            ErrorCode.ExecutorNotEligible
        );
        Reject(
            good with
            {
                Attestations =
                [
                    good.Attestations[0] with
                    {
                        Verdict = AttestationVerdict.Mismatch,
                    },
                    good.Attestations[1],
                ],
            },
            ErrorCode.InvalidRecordSignature
        );
        Reject(
            good with
            {
                Attestations =
                [
                    Attest(id, AttestationVerdict.Match, KeyOf(good.Attestations[0].Verifier), Hash256.Zero),
                    good.Attestations[1],
                ],
            },
            ErrorCode.RecordMismatch
        );
        Reject(
            good with
            {
                Attestations = [good.Attestations[0], good.Attestations[0]],
            },
            ErrorCode.VerifierNotSelected
        );
        var outsider = Verifiers
            .Take(_world.VerifierCount)
            .First(v => good.Attestations.All(a => a.Verifier != v.Address));
        Reject(
            good with
            {
                Attestations = [Attest(id, AttestationVerdict.Match, outsider)],
            },
            ErrorCode.VerifierNotSelected
        );
        Reject(good with { DrawTicket = DrawTicket.Create(ChainId, id, outsider) }, ErrorCode.InvalidRecordSignature);
        Reject(good with { Attestations = [good.Attestations[0]] }, ErrorCode.MissingAttestation);
        Reject(_world.Record(Request(VerificationMode.Full, 3, maxFee: Price + Price)), ErrorCode.FeeAboveMax);
        Reject(_world.Record(Request(VerificationMode.Full, 3, anchor: 10)), ErrorCode.InvalidAnchor);
        // Signed on another chain of the same name (a reset devnet): its anchor block is not this chain's.
        var otherChain = Request(VerificationMode.None, 3) with { AnchorHash = Hash256.Compute("another chain"u8) };
        Reject(_world.Record(otherChain), ErrorCode.InvalidAnchor);
        _world.Height = 80;
        Reject(_world.Record(Request(VerificationMode.None, 3, anchor: 5)), ErrorCode.InvalidAnchor);
        _world.Height = 10;
        var unknownModel = Request(VerificationMode.None, 3) with { ModelId = Hash256.Compute("none"u8) };
        Reject(_world.Record(unknownModel), ErrorCode.ModelNotFound);
        var none = _world.Record(VerificationMode.None, 3);
        Reject(none with { Attestations = good.Attestations }, ErrorCode.VerifierNotSelected);
        _world.Rejected(Keys.Bob, new RecordInferencePayload([], false), ErrorCode.InvalidField);
        Assert.Null(Recorded());

        _world.Run(Keys.Bob, new RecordInferencePayload([good], false));
        Assert.NotNull(Recorded());
        Reject(good, ErrorCode.InferenceAlreadyRecorded);
        // A record repeated within one transaction lands once and is charged once; the repeat is left out.
        var fresh = _world.Record(VerificationMode.None, 4);
        var before = _world.Balance(User.Address);
        _world.Run(Keys.Bob, new RecordInferencePayload([fresh, fresh], false));
        Assert.Equal(before - Price, _world.Balance(User.Address));
        Reject(fresh, ErrorCode.InferenceAlreadyRecorded);
    }

    [Fact]
    public void Without_verifiers_neither_a_sampled_request_the_draw_samples_nor_a_full_one_can_be_recorded()
    {
        var world = new InferenceWorld(verifierCount: 0);
        var sampled = world.Record(Request(VerificationMode.Sampled, world.SampledNonce(drawn: true)));
        var full = world.Record(Request(VerificationMode.Full, 2));
        foreach (var record in new[] { sampled, full })
        {
            Assert.Empty(record.Attestations);
            Assert.Contains(
                "none is eligible",
                world
                    .Rejected(Keys.Bob, new RecordInferencePayload([record], false), ErrorCode.VerifierNotSelected)
                    .Message,
                StringComparison.Ordinal
            );
        }
        // A sampled request the draw does not sample needs no verifier: it is recorded at the price alone.
        var notSampled = world.Record(Request(VerificationMode.Sampled, world.SampledNonce(drawn: false)));
        var before = world.Balance(User.Address);
        world.Run(Keys.Bob, new RecordInferencePayload([notSampled], false));
        Assert.Equal(before - Price, world.Balance(User.Address));
    }

    [Fact]
    public void Fees_that_overflow_an_amount_are_rejected_not_thrown_as_overflow()
    {
        var huge = Hash256.Compute("huge"u8);
        _world.Run(ModelOwner, Publish("huge", "1", huge, new Amount(ulong.MaxValue / 2)));
        _world.Run(ExecutorCold, new ServeModelPayload(Executor.Address, huge, true));
        var record = _world.Record(
            Request(VerificationMode.Full, 11, maxFee: new Amount(ulong.MaxValue)) with
            {
                ModelId = huge,
            }
        );
        Assert.Equal(2, record.Attestations.Count);
        Assert.Contains(
            "more than an amount can hold",
            _world.Rejected(Keys.Bob, new RecordInferencePayload([record], false), ErrorCode.InvalidField).Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void A_record_signed_for_another_chain_is_rejected()
    {
        var request = Request(VerificationMode.None, 5);
        var record = _world.Record(request) with
        {
            Request = SignedInferenceRequest.Create("other-chain", request, User),
        };
        _world.Rejected(Keys.Bob, new RecordInferencePayload([record], false), ErrorCode.InvalidRecordSignature);
    }

    [Fact]
    public void A_user_who_cannot_pay_is_rejected_with_insufficient_balance()
    {
        _world.Run(User, new TransferPayload(Keys.Dave.Address, _world.Balance(User.Address) - Price - Tx.MinFee));
        var e = _world.Rejected(
            Keys.Bob,
            new RecordInferencePayload([_world.Record(VerificationMode.Full, 6)], false),
            ErrorCode.InsufficientBalance
        );
        Assert.Contains(User.Address.ToString(), e.Message, StringComparison.Ordinal);
        _world.Run(Keys.Bob, new RecordInferencePayload([_world.Record(VerificationMode.None, 6)], false));
        Assert.Equal(Amount.Zero, _world.Balance(User.Address));
    }

    [Fact]
    public void A_batch_stores_its_merkle_root_and_every_record_proves_against_it()
    {
        var records = new[]
        {
            _world.Record(VerificationMode.None, 7),
            _world.Record(VerificationMode.Full, 8),
            _world.Record(VerificationMode.None, 9),
        };
        var supply = _world.Supply();
        _world.Run(Keys.Bob, new RecordInferencePayload(records, true));
        var root = MerkleTree.ComputeRoot(records.Select(r => r.Hash()).ToArray());
        Assert.Equal(new InferenceBatch(10, 3), _world.State.GetInferenceBatch(root));
        for (var i = 0; i < records.Length; i++)
        {
            var summary = _world.State.GetInferenceRecord(records[i].Request.Id(ChainId))!;
            Assert.Equal(root, summary.BatchRoot);
            Assert.Equal(i, summary.LeafIndex);
            Assert.True(
                InferenceBatchProof.Verify(root, records[i].Hash(), i, 3, InferenceBatchProof.Build(records, i))
            );
        }
        Assert.Equal(supply, _world.Supply());
    }

    private Dictionary<Address, Amount> Snapshot(IEnumerable<Address> verifiers) =>
        new[] { User.Address, ModelOwner.Address, ExecutorCold.Address }
            .Concat(verifiers.Select(ColdOf))
            .Distinct()
            .ToDictionary(a => a, _world.Balance);
}
