using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>ResolveDispute (the drawn quorum's majority decides) and ExpireDispute (no majority in time: everyone is refunded).</summary>
internal static class DisputeTransactions
{
    internal static void PlanResolution(
        IStateView state,
        SignedTransaction signed,
        ResolveDisputePayload payload,
        ulong height,
        Func<ulong, Hash256?>? blockHash,
        InferencePlan plan
    )
    {
        var id = payload.DisputeId;
        var dispute = Pending(state, signed, id);
        var parameters = state.GetInferenceParameters();
        // The quorum hangs on the block that opened the dispute, whose hash nobody knew when they signed what is disputed.
        var openingBlockHash = (dispute.OpenedAt < height ? blockHash?.Invoke(dispute.OpenedAt) : null)
            ?? throw Reject(
                ErrorCode.InvalidAnchor,
                signed,
                $"the quorum of dispute {id} is drawn from block {dispute.OpenedAt}, whose hash is not known here"
            );
        var quorum = VerifierSelection.DisputeQuorum(state, id, dispute, openingBlockHash, parameters);
        var voters = new Dictionary<Address, AttestationVerdict>();
        for (var i = 0; i < payload.QuorumAttestations.Count; i++)
        {
            var attestation = payload.QuorumAttestations[i];
            var field = $"quorumAttestations[{i}]";
            if (!quorum.Contains(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}: verifier {attestation.Verifier} is not in the quorum of dispute {id}"
                );
            if (voters.ContainsKey(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}: verifier {attestation.Verifier} attests twice"
                );
            InferenceRecords.CheckAttestation(
                signed,
                field,
                attestation,
                dispute.RequestId,
                dispute.ModelId,
                dispute.InputHash,
                dispute.DisputedOutputHash,
                vote: true
            );
            voters[attestation.Verifier] = attestation.Verdict;
        }
        var needed = parameters.DisputeQuorum / 2 + 1;
        var wrongVotes = voters.Values.Count(v => v == AttestationVerdict.Mismatch);
        var rightVotes = voters.Values.Count(v => v == AttestationVerdict.Match);
        var outcome =
            wrongVotes >= needed ? DisputeOutcome.OutputWrong
            : rightVotes >= needed ? DisputeOutcome.OutputRight
            : throw Reject(
                ErrorCode.NoQuorumMajority,
                signed,
                $"{wrongVotes} mismatch and {rightVotes} match votes; one verdict needs {needed} of a quorum of {parameters.DisputeQuorum}"
            );
        var majority = voters
            .Where(v =>
                v.Value
                == (outcome == DisputeOutcome.OutputWrong ? AttestationVerdict.Mismatch : AttestationVerdict.Match)
            )
            .Select(v => v.Key)
            .Order()
            .ToArray();

        if (dispute.IsAudit)
            InferenceSettlement.PlanAuditSettlement(state, plan, dispute, outcome, parameters);
        else
            InferenceSettlement.PlanInferenceSettlement(state, plan, dispute, outcome, majority, parameters);

        PlanClose(state, plan, id, dispute, outcome, height);
    }

    /// <summary>
    /// A dispute pending for more than the dispute window ends as <see cref="DisputeOutcome.Expired"/>. Nobody was proven
    /// right or wrong, so nobody is slashed. An inference dispute's escrow goes back in full to the user (its whole fee,
    /// verification fees included, since no verification settled anything). A report's bond is forfeited to the
    /// treasury: a report no quorum upheld must cost its sender, or false reports would be free harassment.
    /// </summary>
    internal static void PlanExpiry(
        IStateView state,
        SignedTransaction signed,
        ExpireDisputePayload payload,
        ulong height,
        InferencePlan plan
    )
    {
        var id = payload.DisputeId;
        var dispute = Pending(state, signed, id);
        var parameters = state.GetInferenceParameters();
        var allowedFrom = parameters.DisputeExpirableFrom(dispute.OpenedAt);
        if (height < allowedFrom)
            throw Reject(
                ErrorCode.DisputeNotExpired,
                signed,
                $"dispute {id} opened at block {dispute.OpenedAt} may be expired from block {allowedFrom} (dispute window {parameters.DisputeWindow} blocks); this is block {height}"
            );
        plan.Credit(dispute.IsAudit ? InferenceParameters.Treasury : dispute.User, dispute.Escrow);
        PlanClose(state, plan, id, dispute, DisputeOutcome.Expired, height);
    }

    /// <summary>The dispute <paramref name="id"/>, which must exist and still be pending.</summary>
    private static Dispute Pending(IStateView state, SignedTransaction signed, Hash256 id)
    {
        var dispute = state.GetDispute(id)
            ?? throw Reject(ErrorCode.DisputeNotFound, signed, $"no dispute has id {id}");
        return dispute.Outcome == DisputeOutcome.Pending ? dispute : throw Closed(signed, id, dispute);
    }

    /// <summary>Plans closing a dispute with <paramref name="outcome"/>; an inference dispute's record becomes final.</summary>
    private static void PlanClose(
        IStateView state,
        InferencePlan plan,
        Hash256 id,
        Dispute dispute,
        DisputeOutcome outcome,
        ulong height
    )
    {
        var closed = dispute with { Outcome = outcome, ResolvedAt = height };
        plan.Records.Add(s =>
        {
            s.SetDispute(id, closed);
            s.CountOpenDispute(closed, opened: false);
        });
        if (!dispute.IsAudit && state.GetInferenceRecord(dispute.RequestId) is { } summary)
            plan.Records.Add(s =>
                s.SetInferenceRecord(dispute.RequestId, summary with { Status = InferenceRecordStatus.Final })
            );
    }

    internal static LedgerException Closed(SignedTransaction signed, Hash256 id, Dispute dispute) =>
        Reject(
            ErrorCode.DisputeClosed,
            signed,
            dispute.Outcome == DisputeOutcome.Expired
                ? $"dispute {id} expired at block {dispute.ResolvedAt}"
                : $"dispute {id} was resolved at block {dispute.ResolvedAt}"
        );

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
