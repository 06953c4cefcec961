using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// ReportAttestation: a verifier's signed match of a planted wrong output opens an audit dispute, held by the reporter's
/// bond. Only the gateway of a recorded request may report an attestation of it, and only one about that request's model
/// and input and about an output other than the one recorded: audits run on paid, recorded traffic, so nobody can report
/// attestations of requests that never happened (and a report costs the bond when no quorum upholds it).
/// </summary>
internal static class AttestationReports
{
    internal static void PlanReport(
        IStateView state,
        SignedTransaction signed,
        ReportAttestationPayload payload,
        ulong height,
        Func<ulong, Hash256?>? blockHash,
        InferencePlan plan
    )
    {
        var evidence = payload.Evidence;
        if (evidence.Verdict != AttestationVerdict.Match)
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                "evidence.verdict must be match: only a false match of a planted output can be reported"
            );
        if (!signed.CheckOnce("evidence", () => evidence.Verify(signed.Transaction.ChainId)))
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                $"evidence.signature does not verify for verifier {evidence.Verifier}"
            );
        var request = payload.Request;
        var requestId = request.Id(signed.Transaction.ChainId);
        if (requestId != evidence.RequestId)
            throw Reject(
                ErrorCode.RecordMismatch,
                signed,
                $"request hashes to id {requestId}, but evidence.requestId is {evidence.RequestId}"
            );
        var record = state.GetInferenceRecord(requestId)
            ?? throw Reject(
                ErrorCode.NotFound,
                signed,
                $"request {requestId} is not recorded: only attestations of recorded requests can be reported"
            );
        if (!InferenceRecords.MayRecord(state, signed.Transaction.Sender, request.Gateway))
            throw Reject(
                ErrorCode.NotRequestGateway,
                signed,
                $"request {requestId} names gateway {request.Gateway}; only it or its owner may report an audit of it, not {signed.Transaction.Sender}"
            );
        if (evidence.ModelId != request.ModelId || evidence.InputHash != request.InputHash)
            throw Reject(
                ErrorCode.RecordMismatch,
                signed,
                $"evidence is about model {evidence.ModelId} and input {evidence.InputHash}, but request {requestId} ran model {request.ModelId} on input {request.InputHash}"
            );
        if (evidence.ExecutorOutputHash == record.OutputHash)
            throw Reject(
                ErrorCode.RecordMismatch,
                signed,
                $"evidence matches the output recorded for request {requestId}; a report is of a planted output, and a recorded output is challenged by a dispute"
            );
        var node = state.GetNode(evidence.Verifier)
            ?? throw Reject(
                ErrorCode.HotkeyNotRegistered,
                signed,
                $"evidence.verifier {evidence.Verifier} is not a registered node"
            );
        if (!node.Roles.HasFlag(NodeRoles.Verifier))
            throw Reject(
                ErrorCode.MissingNodeRole,
                signed,
                $"evidence.verifier {evidence.Verifier} does not have the verifier role"
            );
        if (state.GetModel(evidence.ModelId) is null)
            throw Reject(
                ErrorCode.ModelNotFound,
                signed,
                $"evidence.modelId: no model has contentId {evidence.ModelId}"
            );
        var id = evidence.Hash();
        if (state.GetDispute(id) is not null)
            throw Reject(ErrorCode.DisputeClosed, signed, $"this attestation was already reported (dispute {id})");
        var parameters = state.GetInferenceParameters();
        // Execution checked this already; admission has only the fee in the mempool's balance check, so repeat it here.
        var balance = state.GetAccount(signed.Transaction.Sender).Balance;
        if (balance < parameters.ReportBond || balance - parameters.ReportBond < signed.Transaction.Fee)
            throw Reject(
                ErrorCode.InsufficientBalance,
                signed,
                $"the account holds {balance} and the report bond is {parameters.ReportBond} plus the fee {signed.Transaction.Fee}"
            );
        var anchor = height == 0 ? null : blockHash?.Invoke(height - 1);
        if (anchor is not { } anchorHash)
            throw Reject(ErrorCode.InvalidAnchor, signed, $"the hash of block {height - 1} is not known here");
        var reporter = signed.Transaction.Sender;
        var dispute = new Dispute(
            evidence.RequestId,
            evidence.ModelId,
            evidence.InputHash,
            evidence.ExecutorOutputHash,
            null,
            reporter,
            reporter,
            [evidence.Verifier],
            [],
            Amount.Zero,
            Amount.Zero,
            parameters.ReportBond,
            anchorHash,
            height,
            DisputeOutcome.Pending,
            0
        );
        // The bond already left the sender's balance with the fee (it is the transaction's spend); the dispute now holds it.
        plan.Records.Add(s =>
        {
            s.SetDispute(id, dispute);
            s.CountOpenDispute(dispute, opened: true);
        });
    }

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
