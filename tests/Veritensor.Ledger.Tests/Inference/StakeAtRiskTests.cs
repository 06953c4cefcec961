using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>
/// The review's attack on slashing: a node's weight came from another coldkey's stake, which a slash never touched and
/// which could leave at once. Now every stake on a node is slashed pro rata, leaves only after the unbonding delay, and
/// is frozen while a dispute names the node.
/// </summary>
[UnitTest]
public sealed class StakeAtRiskTests
{
    private static readonly Amount Nominated = Amount.FromTokens(100);
    private readonly InferenceWorld _world = new();

    /// <summary>The reporter account nominates every verifier; then a full request opens a dispute (first drawn matches, second mismatches).</summary>
    private (Hash256 Id, Address Matcher, Address Mismatcher) NominateAndOpenDispute()
    {
        foreach (var verifier in Verifiers.Take(_world.VerifierCount))
            _world.Run(Reporter, new StakePayload(TransactionKind.AddStake, verifier.Address, Nominated));
        var record = _world.Record(VerificationMode.Full, 70, i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        _world.Run(Gateway, new RecordInferencePayload([record], false));
        return (record.Request.Id(ChainId), record.Attestations[0].Verifier, record.Attestations[1].Verifier);
    }

    private ResolveDisputePayload OutputWrong(Hash256 id)
    {
        var dispute = _world.State.GetDispute(id)!;
        return new ResolveDisputePayload(
            id,
            _world
                .Quorum(id)
                .Select(v => Vote(dispute.RequestId, AttestationVerdict.Mismatch, KeyOf(v), dispute.DisputedOutputHash))
                .ToArray()
        );
    }

    [Fact]
    public void A_proven_false_match_slashes_the_nominators_stake_as_much_as_the_owners()
    {
        var (id, matcher, _) = NominateAndOpenDispute();
        var supply = _world.Supply();
        _world.Run(Gateway, OutputWrong(id));
        // 1000 bps of each stake: the owner's 100 and the nominator's 100 both lose 10.
        Assert.Equal(Amount.FromTokens(90), _world.State.GetStake(ColdOf(matcher), matcher));
        Assert.Equal(Amount.FromTokens(90), _world.State.GetStake(Reporter.Address, matcher));
        Assert.Equal(Amount.FromTokens(180), _world.State.GetHotkeyStake(matcher));
        Assert.Equal(supply, _world.Supply());
    }

    [Fact]
    public void Stake_on_a_node_leaves_only_after_the_unbonding_delay_and_never_while_a_dispute_names_it()
    {
        var (id, matcher, mismatcher) = NominateAndOpenDispute();
        var bystander = Verifiers
            .Take(_world.VerifierCount)
            .Select(v => v.Address)
            .First(v => v != matcher && v != mismatcher);

        // While the dispute is pending, the accused nodes' stake is frozen; a bystander's may start unbonding.
        var frozen = _world.Rejected(
            Reporter,
            new StakePayload(TransactionKind.RemoveStake, matcher, Nominated),
            ErrorCode.StakeFrozen
        );
        Assert.Contains(matcher.ToString(), frozen.Message, StringComparison.Ordinal);
        var balance = _world.Balance(Reporter.Address);
        _world.Run(Reporter, new StakePayload(TransactionKind.RemoveStake, bystander, Nominated));
        // Not paid out yet, still staked (so still slashable and still weighting draws), and not withdrawable twice.
        Assert.Equal(balance - Tx.MinFee, _world.Balance(Reporter.Address));
        Assert.Equal(Nominated, _world.State.GetStake(Reporter.Address, bystander));
        _world.Rejected(
            Reporter,
            new StakePayload(TransactionKind.RemoveStake, bystander, Amount.FromTokens(1)),
            ErrorCode.InsufficientStake
        );
        var withdrawal = _world.State.GetWithdrawal(Reporter.Address, bystander)!;
        Assert.Equal(_world.Height + Unbonding.Blocks(_world.Parameters), withdrawal.ReleaseAt);
        Assert.True(
            Unbonding.Blocks(_world.Parameters) > _world.Parameters.AnchorWindow + _world.Parameters.DisputeWindow
        );

        // One block early nothing moves; at the release height the stake becomes balance.
        Unbonding.ReleaseDue(_world.State, withdrawal.ReleaseAt - 1);
        Assert.Equal(Nominated, _world.State.GetStake(Reporter.Address, bystander));
        var beforeRelease = _world.Balance(Reporter.Address);
        Unbonding.ReleaseDue(_world.State, withdrawal.ReleaseAt);
        Assert.Equal(Amount.Zero, _world.State.GetStake(Reporter.Address, bystander));
        Assert.Equal(beforeRelease + Nominated, _world.Balance(Reporter.Address));
        Assert.Null(_world.State.GetWithdrawal(Reporter.Address, bystander));

        // Once the dispute closes the accused may leave, with what the slash left.
        _world.Run(Gateway, OutputWrong(id));
        Assert.Equal(0u, _world.State.GetOpenDisputes(matcher));
        _world.Run(Reporter, new StakePayload(TransactionKind.RemoveStake, matcher, Amount.FromTokens(90)));
        var release = _world.State.GetWithdrawal(Reporter.Address, matcher)!.ReleaseAt;
        var before = _world.Balance(Reporter.Address);
        Unbonding.ReleaseDue(_world.State, release);
        Assert.Equal(before + Amount.FromTokens(90), _world.Balance(Reporter.Address));
    }

    [Fact]
    public void A_withdrawal_due_while_a_dispute_names_the_node_waits_for_the_dispute_and_is_slashed_first()
    {
        foreach (var verifier in Verifiers.Take(_world.VerifierCount))
        {
            _world.Run(Reporter, new StakePayload(TransactionKind.AddStake, verifier.Address, Nominated));
            _world.Run(Reporter, new StakePayload(TransactionKind.RemoveStake, verifier.Address, Nominated));
        }
        var releaseAt = _world.Height + Unbonding.Blocks(_world.Parameters);
        // The node lied just before its nominator left; the record lands within the anchor window, the dispute opens.
        var record = _world.Record(VerificationMode.Full, 71, i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        _world.Run(Gateway, new RecordInferencePayload([record], false));
        var matcher = record.Attestations[0].Verifier;
        var id = record.Request.Id(ChainId);

        Unbonding.ReleaseDue(_world.State, releaseAt);
        Assert.Equal(Nominated, _world.State.GetStake(Reporter.Address, matcher));
        Assert.Equal(releaseAt + 1, _world.State.GetWithdrawal(Reporter.Address, matcher)!.ReleaseAt);

        _world.Run(Gateway, OutputWrong(id));
        var before = _world.Balance(Reporter.Address);
        Unbonding.ReleaseDue(_world.State, releaseAt + 1);
        // The nominator gets back what the slash left of the stake it tried to pull out of the liar (90 of 100), and all
        // of the stake on the honest mismatcher, whose release waited for the same dispute.
        Assert.Equal(before + Amount.FromTokens(90) + Nominated, _world.Balance(Reporter.Address));
        Assert.Equal(Amount.Zero, _world.State.GetStake(Reporter.Address, matcher));
        Assert.Equal(Amount.Zero, _world.State.GetStake(Reporter.Address, record.Attestations[1].Verifier));
    }
}
