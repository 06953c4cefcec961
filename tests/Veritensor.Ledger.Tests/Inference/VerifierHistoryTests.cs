using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>
/// A request's verifiers are drawn from the verifier index at its anchor block. The attack this closes: the user gets its
/// answer, then changes some verifier's stake before the gateway's record lands; a draw read at the record's block
/// would differ, the record would be refused, and nobody would be paid.
/// </summary>
[UnitTest]
public sealed class VerifierHistoryTests
{
    private readonly InferenceWorld _world = new(verifierCount: 4);

    [Fact]
    public void A_stake_change_after_the_anchor_does_not_change_the_draw_and_the_record_still_lands()
    {
        var anchor = _world.Height - 1;
        var before = _world.CandidatesAt(anchor);
        // Find a request whose draw a large new verifier would enter, were the draw read now.
        var newcomer = KeyPair.FromDevelopmentName("late-verifier");
        var newcomerCold = KeyPair.FromDevelopmentName("late-verifier-cold");
        _world.Run(Keys.Alice, new TransferPayload(newcomerCold.Address, Amount.FromTokens(950)));
        _world.Run(
            newcomerCold,
            RegisterNodePayload.Create(
                ChainId,
                newcomerCold.Address,
                newcomer,
                NodeRoles.Verifier,
                "https://late.example"
            )
        );
        // The user's griefing stake: after its answer, in the block the record will land in.
        _world.Run(newcomerCold, new StakePayload(TransactionKind.AddStake, newcomer.Address, Amount.FromTokens(900)));
        _world.Run(User, new StakePayload(TransactionKind.AddStake, Verifiers[0].Address, Amount.FromTokens(1)));

        // The index at the anchor is what it was, whatever happened since; the index now is not.
        Assert.Equal(before, _world.CandidatesAt(anchor));
        var now = VerifierSelection.Candidates(_world.State);
        Assert.Contains(now, c => c.Hotkey == newcomer.Address);
        Assert.DoesNotContain(before, c => c.Hotkey == newcomer.Address);

        ulong nonce = 1;
        InferenceRequest request;
        IReadOnlyList<Address> drawnNow;
        do
        {
            request = Request(VerificationMode.Full, nonce++, anchor);
            drawnNow = VerifierSelection.ForRequest(
                now,
                Draw(request.Id(ChainId), anchor),
                request.Mode,
                _world.Parameters
            );
        } while (!drawnNow.Contains(newcomer.Address));

        // A record that follows the draw read now, with the newcomer's attestation, is refused...
        var record = _world.Record(request);
        var id = request.Id(ChainId);
        var fromNow = record with
        {
            Attestations = drawnNow
                .Select(v => Attest(id, AttestationVerdict.Match, v == newcomer.Address ? newcomer : KeyOf(v)))
                .ToArray(),
        };
        _world.Rejected(Keys.Bob, new RecordInferencePayload([fromNow], false), ErrorCode.VerifierNotSelected);
        // ...and the gateway's, drawn at the anchor with every drawn verifier's attestation, lands and pays them.
        Assert.DoesNotContain(newcomer.Address, record.Attestations.Select(a => a.Verifier));
        _world.Run(Keys.Bob, new RecordInferencePayload([record], false));
        Assert.Equal(InferenceRecordStatus.Final, _world.State.GetInferenceRecord(id)!.Status);
    }

    [Fact]
    public void The_history_reaches_back_exactly_the_anchor_window_and_no_further()
    {
        var window = _world.Parameters.AnchorWindow;
        var start = _world.Height;
        var atStart = _world.CandidatesAt(start - 1);
        // One stake change per block for a whole window: each anchor sees the index of its own block.
        var seen = new List<IReadOnlyList<VerifierCandidate>>();
        for (ulong i = 0; i < window; i++)
        {
            _world.Run(User, new StakePayload(TransactionKind.AddStake, Verifiers[1].Address, Amount.FromTokens(1)));
            _world.Height++;
            seen.Add(_world.CandidatesAt(_world.Height - 1));
        }
        var stakeOf = (IReadOnlyList<VerifierCandidate> c) => c.Single(v => v.Hotkey == Verifiers[1].Address).Stake;
        for (var i = 0; i < seen.Count; i++)
            Assert.Equal(stakeOf(atStart) + Amount.FromTokens((ulong)i + 1), stakeOf(seen[i]));
        // Every anchor inside the window reads back as it was; the oldest's changes are gone once it left the window.
        for (ulong i = 0; i < window; i++)
        {
            var anchor = start + i;
            if (_world.Height - anchor <= window)
                Assert.Equal(seen[(int)i], _world.CandidatesAt(anchor));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            VerifierHistory.CandidatesAt(_world.State, _world.Height - window - 1, _world.Height)
        );
        Assert.Null(_world.State.Get(State.StateKeys.VerifierChanges(_world.Height - window - 1)));
    }
}
