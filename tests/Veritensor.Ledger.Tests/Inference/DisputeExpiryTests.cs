using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>
/// ExpireDispute: a dispute pending for more than the dispute window (20 blocks here) ends without a verdict, returns its
/// escrow in full to whoever put it in and slashes nobody; before the window, or once settled, it is refused.
/// </summary>
[UnitTest]
public sealed class DisputeExpiryTests
{
    private const ulong Window = 20;
    private const ulong OpenedAt = 10; // InferenceWorld runs transactions at block 10
    private readonly InferenceWorld _world = new(inference: new GenesisInference { DisputeWindow = Window });

    private (Hash256 Id, Address Matcher, Address Mismatcher) OpenDispute()
    {
        var record = _world.Record(VerificationMode.Full, 50, i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        _world.Run(Keys.Bob, new RecordInferencePayload([record], false));
        return (record.Request.Id(ChainId), record.Attestations[0].Verifier, record.Attestations[1].Verifier);
    }

    /// <summary>Every node's stake and every balance except bob's (the sender, who pays the fee) and the validator's (who earns it).</summary>
    private Dictionary<string, Amount> Holdings()
    {
        var holdings = new Dictionary<string, Amount>();
        foreach (var hotkey in Verifiers.Take(_world.VerifierCount).Select(k => k.Address).Append(Executor.Address))
            holdings["stake " + hotkey] = _world.State.GetStake(ColdOf(hotkey), hotkey);
        foreach (
            var account in new[] { User, ModelOwner, ExecutorCold, Reporter }
                .Concat(VerifierColds)
                .Select(k => k.Address)
                .Append(InferenceParameters.Treasury)
        )
            holdings["balance " + account] = _world.Balance(account);
        return holdings;
    }

    [Fact]
    public void Expiry_before_the_window_has_passed_is_refused_naming_the_first_allowed_block_and_changes_nothing()
    {
        var (id, _, _) = OpenDispute();
        _world.Height = OpenedAt + Window;
        var e = _world.Rejected(Keys.Bob, new ExpireDisputePayload(id), ErrorCode.DisputeNotExpired);
        Assert.Contains($"from block {OpenedAt + Window + 1}", e.Message, StringComparison.Ordinal);
        Assert.Equal(DisputeOutcome.Pending, _world.State.GetDispute(id)!.Outcome);
        Assert.Equal(InferenceRecordStatus.Disputed, _world.State.GetInferenceRecord(id)!.Status);
        _world.Rejected(Keys.Bob, new ExpireDisputePayload(Hash256.Compute("none"u8)), ErrorCode.DisputeNotFound);
    }

    [Fact]
    public void After_the_window_the_user_gets_its_whole_fee_back_nobody_is_slashed_and_the_record_is_final()
    {
        var (id, _, _) = OpenDispute();
        var escrow = _world.State.GetDispute(id)!.Escrow;
        Assert.Equal(Price + Price + Price, escrow);
        var before = Holdings();
        var supply = _world.Supply();
        _world.Height = OpenedAt + Window + 1;
        _world.Run(Keys.Bob, new ExpireDisputePayload(id));

        var expected = new Dictionary<string, Amount>(before)
        {
            ["balance " + User.Address] = before["balance " + User.Address] + escrow,
        };
        Assert.Equal(expected, Holdings());
        Assert.Equal(supply, _world.Supply());
        var dispute = _world.State.GetDispute(id)!;
        Assert.Equal((DisputeOutcome.Expired, OpenedAt + Window + 1), (dispute.Outcome, dispute.ResolvedAt));
        Assert.Equal(InferenceRecordStatus.Final, _world.State.GetInferenceRecord(id)!.Status);
    }

    [Fact]
    public void An_expired_report_forfeits_the_bond_to_the_treasury_and_does_not_slash_the_reported_verifier()
    {
        var report = _world.Audited(Verifiers[0], 7000);
        var evidence = report.Evidence;
        _world.Run(Reporter, report);
        var before = Holdings();
        _world.Height = OpenedAt + Window + 5;
        _world.Run(Keys.Bob, new ExpireDisputePayload(evidence.Hash()));

        // A report no quorum upheld costs its sender the bond: false reports are not free.
        var treasury = "balance " + InferenceParameters.Treasury;
        var expected = new Dictionary<string, Amount>(before)
        {
            [treasury] =
                (before.TryGetValue(treasury, out var held) ? held : Amount.Zero) + _world.Parameters.ReportBond,
        };
        Assert.Equal(expected, Holdings());
        Assert.Equal(DisputeOutcome.Expired, _world.State.GetDispute(evidence.Hash())!.Outcome);
    }

    [Fact]
    public void A_resolution_after_expiry_and_an_expiry_after_resolution_are_refused_as_closed()
    {
        var (expiredId, _, _) = OpenDispute();
        var expiredDispute = _world.State.GetDispute(expiredId)!;
        var lateVotes = new ResolveDisputePayload(
            expiredId,
            _world
                .Quorum(expiredId)
                .Select(v => Vote(expiredId, AttestationVerdict.Mismatch, KeyOf(v), expiredDispute.DisputedOutputHash))
                .ToArray()
        );

        var record = _world.Record(VerificationMode.Full, 51, i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        _world.Run(Keys.Bob, new RecordInferencePayload([record], false));
        var resolvedId = record.Request.Id(ChainId);
        var resolvedDispute = _world.State.GetDispute(resolvedId)!;
        _world.Run(
            Keys.Bob,
            new ResolveDisputePayload(
                resolvedId,
                _world
                    .Quorum(resolvedId)
                    .Select(v =>
                        Vote(resolvedId, AttestationVerdict.Match, KeyOf(v), resolvedDispute.DisputedOutputHash)
                    )
                    .ToArray()
            )
        );

        _world.Height = OpenedAt + Window + 1;
        _world.Run(Keys.Bob, new ExpireDisputePayload(expiredId));
        var e = _world.Rejected(Keys.Bob, lateVotes, ErrorCode.DisputeClosed);
        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
        _world.Rejected(Keys.Bob, new ExpireDisputePayload(expiredId), ErrorCode.DisputeClosed);
        var resolved = _world.Rejected(Keys.Bob, new ExpireDisputePayload(resolvedId), ErrorCode.DisputeClosed);
        Assert.Contains("resolved", resolved.Message, StringComparison.Ordinal);
        Assert.Equal(DisputeOutcome.OutputRight, _world.State.GetDispute(resolvedId)!.Outcome);
    }

    [Fact]
    public void The_payload_and_the_window_round_trip_through_their_encodings()
    {
        var payload = new ExpireDisputePayload(Hash256.Compute("dispute"u8));
        var signed = Tx.Sign(Keys.Bob, 7, payload);
        var decoded = SignedTransaction.Decode(signed.Encoded, int.MaxValue);
        Assert.Equal(TransactionKind.ExpireDispute, decoded.Transaction.Payload.Kind);
        Assert.Equal(payload, decoded.Transaction.Payload);
        Assert.Equal(signed.Id, decoded.Id);

        var parameters = new InferenceParameters { DisputeWindow = 1234 };
        Assert.Equal(1234UL, InferenceParameters.Decode(parameters.Encode()).DisputeWindow);
        Assert.Equal(parameters, InferenceParameters.Decode(parameters.Encode()));
        Assert.Equal(1235UL + 5, parameters.DisputeExpirableFrom(5));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(10_000_001UL)]
    public void A_genesis_dispute_window_out_of_range_is_refused(ulong window)
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Inference = new GenesisInference { DisputeWindow = window };
        var e = Assert.Throws<GenesisException>(() => GenesisState.Build(genesis));
        Assert.Contains("disputeWindow", e.Message, StringComparison.Ordinal);
    }
}
