using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>Disputes opened by a mismatch or by a report, resolved by a quorum either way, with exact escrow, slash and payout amounts.</summary>
[UnitTest]
public sealed class DisputeTests
{
    private static readonly Amount Slash = Amount.FromTokens(10); // 1000 bps of the 100 tokens each node's owner staked
    private readonly InferenceWorld _world = new();

    /// <summary>Records a full request where the first selected verifier matches and the second mismatches.</summary>
    private (Hash256 Id, Address Matcher, Address Mismatcher) OpenDispute()
    {
        var record = _world.Record(VerificationMode.Full, 50, i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        _world.Run(Keys.Bob, new RecordInferencePayload([record], false));
        return (record.Request.Id(ChainId), record.Attestations[0].Verifier, record.Attestations[1].Verifier);
    }

    private ResolveDisputePayload Votes(Hash256 id, params AttestationVerdict[] verdicts)
    {
        var quorum = _world.Quorum(id);
        Assert.Equal(3, quorum.Count);
        var dispute = _world.State.GetDispute(id)!;
        return new ResolveDisputePayload(
            id,
            verdicts
                .Select((v, i) => Vote(dispute.RequestId, v, KeyOf(quorum[i]), dispute.DisputedOutputHash))
                .ToArray()
        );
    }

    private Amount Stake(Address hotkey) => _world.State.GetStake(ColdOf(hotkey), hotkey);

    [Fact]
    public void A_mismatch_escrows_the_whole_fee_in_a_dispute_instead_of_paying_out()
    {
        var ownerBefore = _world.Balance(ModelOwner.Address);
        var userBefore = _world.Balance(User.Address);
        var supply = _world.Supply();
        var (id, matcher, mismatcher) = OpenDispute();

        var dispute = _world.State.GetDispute(id)!;
        Assert.Equal(Price + Price + Price, dispute.Escrow);
        Assert.Equal(
            (Executor.Address, Output, DisputeOutcome.Pending, 10UL),
            (dispute.Executor, dispute.DisputedOutputHash, dispute.Outcome, dispute.OpenedAt)
        );
        Assert.Equal([matcher], dispute.Matchers);
        Assert.Equal([mismatcher], dispute.Mismatchers);
        Assert.Equal(BlockHash(Anchor), dispute.AnchorHash);
        Assert.Equal(userBefore - dispute.Escrow, _world.Balance(User.Address));
        Assert.Equal(ownerBefore, _world.Balance(ModelOwner.Address));
        Assert.Equal(Amount.Zero, _world.Balance(InferenceParameters.Treasury));
        Assert.Equal(InferenceRecordStatus.Disputed, _world.State.GetInferenceRecord(id)!.Status);
        Assert.Equal(supply, _world.Supply());
        // The quorum is drawn from verifiers that took no part.
        Assert.DoesNotContain(matcher, _world.Quorum(id));
        Assert.DoesNotContain(mismatcher, _world.Quorum(id));
    }

    [Fact]
    public void A_majority_mismatch_slashes_the_executor_and_the_false_matcher_refunds_the_user_and_rewards_the_honest()
    {
        var (id, matcher, mismatcher) = OpenDispute();
        var quorum = _world.Quorum(id);
        var payload = Votes(id, AttestationVerdict.Mismatch, AttestationVerdict.Match, AttestationVerdict.Mismatch);
        var accounts = new[]
        {
            User.Address,
            ColdOf(mismatcher),
            ColdOf(quorum[0]),
            ColdOf(quorum[1]),
            ColdOf(quorum[2]),
            ColdOf(matcher),
            ExecutorCold.Address,
        };
        var before = accounts.ToDictionary(a => a, _world.Balance);
        var supply = _world.Supply();
        _world.Run(Keys.Bob, payload);

        Assert.Equal(Amount.FromTokens(NodeStakeTokens) - Slash, Stake(Executor.Address));
        Assert.Equal(Amount.FromTokens(NodeStakeTokens) - Slash, Stake(matcher));
        Assert.Equal(Amount.FromTokens(NodeStakeTokens) - Slash, _world.State.GetHotkeyStake(matcher));
        Assert.Equal(Amount.FromTokens(NodeStakeTokens), Stake(mismatcher));
        // The user gets back all but the honest mismatcher's fee; 20 slashed tokens split three ways (the mismatcher and
        // the two mismatch voters): 6.666666666 each, 2 base units of dust to the treasury.
        var share = new Amount(6_666_666_666);
        Assert.Equal(before[User.Address] + Price + Price, _world.Balance(User.Address));
        Assert.Equal(before[ColdOf(mismatcher)] + Price + share, _world.Balance(ColdOf(mismatcher)));
        Assert.Equal(before[ColdOf(quorum[0])] + share, _world.Balance(ColdOf(quorum[0])));
        Assert.Equal(before[ColdOf(quorum[2])] + share, _world.Balance(ColdOf(quorum[2])));
        Assert.Equal(before[ColdOf(quorum[1])], _world.Balance(ColdOf(quorum[1])));
        Assert.Equal(before[ColdOf(matcher)], _world.Balance(ColdOf(matcher)));
        Assert.Equal(before[ExecutorCold.Address], _world.Balance(ExecutorCold.Address));
        Assert.Equal(new Amount(2), _world.Balance(InferenceParameters.Treasury));
        Assert.Equal(supply, _world.Supply());

        var dispute = _world.State.GetDispute(id)!;
        // Opened in block 10, resolved in block 11: the quorum is drawn from block 10's hash, unknown before it is committed.
        Assert.Equal((DisputeOutcome.OutputWrong, 10UL, 11UL), (dispute.Outcome, dispute.OpenedAt, dispute.ResolvedAt));
        Assert.Equal(InferenceRecordStatus.Final, _world.State.GetInferenceRecord(id)!.Status);
        _world.Rejected(Keys.Bob, payload, ErrorCode.DisputeClosed);
    }

    [Fact]
    public void A_majority_match_slashes_the_false_accuser_and_pays_the_escrow_out_like_a_normal_record()
    {
        var (id, matcher, mismatcher) = OpenDispute();
        var quorum = _world.Quorum(id);
        var payload = Votes(id, AttestationVerdict.Match, AttestationVerdict.Match, AttestationVerdict.Match);
        var accounts = new[]
        {
            User.Address,
            ModelOwner.Address,
            ExecutorCold.Address,
            ColdOf(matcher),
            ColdOf(mismatcher),
        }.Concat(quorum.Select(ColdOf));
        var before = accounts.ToDictionary(a => a, _world.Balance);
        var supply = _world.Supply();
        _world.Run(Keys.Bob, payload);

        Assert.Equal(Amount.FromTokens(NodeStakeTokens) - Slash, Stake(mismatcher));
        Assert.Equal(Amount.FromTokens(NodeStakeTokens), Stake(Executor.Address));
        // 10 slashed tokens shared by the executor and the three quorum members: 2.5 each, no dust.
        var share = Amount.ParseTokens("2.5");
        Assert.Equal(before[ModelOwner.Address] + new Amount(200_000_001), _world.Balance(ModelOwner.Address));
        Assert.Equal(
            before[ExecutorCold.Address] + new Amount(700_000_004) + share,
            _world.Balance(ExecutorCold.Address)
        );
        Assert.Equal(new Amount(100_000_002), _world.Balance(InferenceParameters.Treasury));
        Assert.Equal(before[ColdOf(matcher)] + Price, _world.Balance(ColdOf(matcher)));
        Assert.Equal(before[ColdOf(mismatcher)], _world.Balance(ColdOf(mismatcher)));
        Assert.Equal(before[User.Address] + Price, _world.Balance(User.Address));
        foreach (var member in quorum)
            Assert.Equal(before[ColdOf(member)] + share, _world.Balance(ColdOf(member)));
        Assert.Equal(supply, _world.Supply());
        Assert.Equal(DisputeOutcome.OutputRight, _world.State.GetDispute(id)!.Outcome);
    }

    [Fact]
    public void A_resolution_without_a_strict_majority_or_with_outsiders_is_rejected_and_changes_nothing()
    {
        var (id, matcher, _) = OpenDispute();
        var dispute = _world.State.GetDispute(id)!;
        _world.Rejected(
            Keys.Bob,
            Votes(id, AttestationVerdict.Match, AttestationVerdict.Mismatch),
            ErrorCode.NoQuorumMajority
        );
        _world.Rejected(Keys.Bob, Votes(id, AttestationVerdict.Match), ErrorCode.NoQuorumMajority);
        var votes = Votes(id, AttestationVerdict.Match, AttestationVerdict.Match);
        _world.Rejected(
            Keys.Bob,
            votes with
            {
                QuorumAttestations = [votes.QuorumAttestations[0], votes.QuorumAttestations[0]],
            },
            ErrorCode.VerifierNotSelected
        );
        var outsider = Attest(id, AttestationVerdict.Match, KeyOf(matcher), dispute.DisputedOutputHash);
        _world.Rejected(
            Keys.Bob,
            votes with
            {
                QuorumAttestations = [votes.QuorumAttestations[0], outsider],
            },
            ErrorCode.VerifierNotSelected
        );
        var wrongOutput = Attest(
            id,
            AttestationVerdict.Match,
            KeyOf(_world.Quorum(id)[1]),
            Hash256.Compute("other output"u8)
        );
        _world.Rejected(
            Keys.Bob,
            votes with
            {
                QuorumAttestations = [votes.QuorumAttestations[0], wrongOutput],
            },
            ErrorCode.RecordMismatch
        );
        var forged = votes.QuorumAttestations[1] with { Verdict = AttestationVerdict.Mismatch };
        _world.Rejected(
            Keys.Bob,
            votes with
            {
                QuorumAttestations = [votes.QuorumAttestations[0], forged],
            },
            ErrorCode.InvalidRecordSignature
        );
        _world.Rejected(
            Keys.Bob,
            new ResolveDisputePayload(Hash256.Compute("none"u8), votes.QuorumAttestations),
            ErrorCode.DisputeNotFound
        );
        Assert.Equal(DisputeOutcome.Pending, _world.State.GetDispute(id)!.Outcome);
    }

    private ulong _auditNonce = 5000;

    /// <summary>A recorded request of <see cref="Reporter"/>'s gateway and <paramref name="verifier"/>'s signed match of a planted output of it.</summary>
    private ReportAttestationPayload Planted(KeyPair verifier) => _world.Audited(verifier, _auditNonce++);

    [Fact]
    public void A_reported_false_match_confirmed_by_the_quorum_slashes_the_verifier_and_pays_the_reporter_bond_plus_slash()
    {
        var report = Planted(Verifiers[0]);
        var evidence = report.Evidence;
        var reporterBefore = _world.Balance(Reporter.Address);
        var supply = _world.Supply();
        _world.Run(Reporter, report);
        var bond = _world.Parameters.ReportBond;
        Assert.Equal(reporterBefore - bond - Tx.MinFee, _world.Balance(Reporter.Address));
        var id = evidence.Hash();
        var dispute = _world.State.GetDispute(id)!;
        Assert.Equal(
            (bond, (Address?)null, (Address?)Reporter.Address, BlockHash(9)),
            (dispute.Escrow, dispute.Executor, dispute.Reporter, dispute.AnchorHash)
        );
        Assert.DoesNotContain(Verifiers[0].Address, _world.Quorum(id));
        Assert.Equal(supply, _world.Supply());

        _world.Run(
            Keys.Bob,
            Votes(id, AttestationVerdict.Mismatch, AttestationVerdict.Mismatch, AttestationVerdict.Match)
        );
        Assert.Equal(Amount.FromTokens(NodeStakeTokens) - Slash, Stake(Verifiers[0].Address));
        Assert.Equal(reporterBefore - Tx.MinFee + Slash, _world.Balance(Reporter.Address));
        Assert.Equal(DisputeOutcome.OutputWrong, _world.State.GetDispute(id)!.Outcome);
        Assert.Equal(supply, _world.Supply());
    }

    [Fact]
    public void A_report_the_quorum_rejects_costs_the_reporter_its_bond_to_the_verifier()
    {
        var report = Planted(Verifiers[1]);
        var evidence = report.Evidence;
        _world.Run(Reporter, report);
        var verifierBefore = _world.Balance(VerifierColds[1].Address);
        _world.Run(
            Keys.Bob,
            Votes(evidence.Hash(), AttestationVerdict.Match, AttestationVerdict.Match, AttestationVerdict.Mismatch)
        );
        Assert.Equal(verifierBefore + _world.Parameters.ReportBond, _world.Balance(VerifierColds[1].Address));
        Assert.Equal(Amount.FromTokens(NodeStakeTokens), Stake(Verifiers[1].Address));
    }

    [Fact]
    public void Reports_need_a_signed_match_from_a_verifier_node_about_a_known_model_once()
    {
        var report = Planted(Verifiers[2]);
        var evidence = report.Evidence;
        _world.Rejected(
            Reporter,
            report with
            {
                Evidence = evidence with { Verdict = AttestationVerdict.Mismatch },
            },
            ErrorCode.InvalidField
        );
        _world.Rejected(
            Reporter,
            report with
            {
                Evidence = evidence with { MaxUlpDistance = 99 },
            },
            ErrorCode.InvalidRecordSignature
        );
        var byExecutor = Attestation.Create(
            ChainId,
            evidence.RequestId,
            ModelId,
            Input,
            evidence.ExecutorOutputHash,
            Output,
            Profile,
            AttestationVerdict.Match,
            0,
            0,
            Executor
        );
        _world.Rejected(Reporter, report with { Evidence = byExecutor }, ErrorCode.MissingNodeRole);
        _world.Run(Reporter, report);
        _world.Rejected(Reporter, report, ErrorCode.DisputeClosed);
    }

    [Fact]
    public void Only_the_gateway_of_a_recorded_request_may_report_and_only_about_its_model_input_and_a_planted_output()
    {
        var report = Planted(Verifiers[4]);
        var evidence = report.Evidence;
        var request = report.Request;

        // An attestation of a request the ledger never recorded (the audit decoys the review could tell apart, or a
        // request the reporter made up) is refused.
        var unrecorded = request with { Nonce = request.Nonce + 1_000_000 };
        var aboutUnrecorded = Attest(
            unrecorded.Id(ChainId),
            AttestationVerdict.Match,
            Verifiers[4],
            Hash256.Compute("x"u8)
        );
        var e = _world.Rejected(
            Reporter,
            new ReportAttestationPayload(aboutUnrecorded, unrecorded),
            ErrorCode.NotFound
        );
        Assert.Contains("not recorded", e.Message, StringComparison.Ordinal);
        // The request must be the one the evidence names.
        _world.Rejected(Reporter, report with { Request = unrecorded }, ErrorCode.RecordMismatch);
        // Anyone but the request's gateway (here a funded user that saw the attestation) is refused.
        e = _world.Rejected(User, report, ErrorCode.NotRequestGateway);
        Assert.Contains(Reporter.Address.ToString(), e.Message, StringComparison.Ordinal);
        // The evidence must be about the request's model and input, and about an output other than the recorded one.
        var otherModel = Attest(
            evidence.RequestId,
            AttestationVerdict.Match,
            Verifiers[4],
            evidence.ExecutorOutputHash,
            modelId: Hash256.Compute("other model"u8)
        );
        _world.Rejected(Reporter, report with { Evidence = otherModel }, ErrorCode.RecordMismatch);
        var ofRecordedOutput = Attest(evidence.RequestId, AttestationVerdict.Match, Verifiers[4], Output);
        e = _world.Rejected(Reporter, report with { Evidence = ofRecordedOutput }, ErrorCode.RecordMismatch);
        Assert.Contains("planted output", e.Message, StringComparison.Ordinal);
        Assert.Null(_world.State.GetDispute(ofRecordedOutput.Hash()));

        _world.Run(Reporter, report);
        Assert.Equal(DisputeOutcome.Pending, _world.State.GetDispute(evidence.Hash())!.Outcome);
    }

    [Fact]
    public void Admission_rejects_a_report_whose_sender_cannot_lock_the_bond()
    {
        var poor = Keys.Dave;
        _world.Run(Keys.Bob, new TransferPayload(poor.Address, _world.Parameters.ReportBond));
        var report = _world.Audited(Verifiers[3], 9000, gateway: poor);
        var signed = _world.Sign(poor, report);
        var e = Assert.Throws<LedgerException>(() =>
            Execution.TransactionExecutor.ValidatePayload(_world.State, signed, _world.Height, _world.Block.BlockHash)
        );
        Assert.Equal(ErrorCode.InsufficientBalance, e.Code);
        Assert.Contains("report bond", e.Message, StringComparison.Ordinal);
    }
}
