using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// RecordInference: every record's request, receipt, sample ticket and attestations are checked (signatures, the
/// verifier draw, the anchor), the user's fee is planned, and a record with a mismatch opens a dispute with its escrow.
/// </summary>
internal static class InferenceRecords
{
    internal static void PlanRecords(
        IStateView state,
        SignedTransaction signed,
        RecordInferencePayload payload,
        ulong height,
        Func<ulong, Hash256?>? blockHash,
        InferencePlan plan
    )
    {
        if (payload.Records.Count == 0)
            throw Reject(ErrorCode.InvalidField, signed, "records is empty");
        var chainId = signed.Transaction.ChainId;
        var parameters = state.GetInferenceParameters();
        var seen = new HashSet<Hash256>();
        var owed = new Dictionary<Address, Amount>();
        var root = payload.Batch
            ? MerkleTree.ComputeRoot(payload.Records.Select(r => r.Hash()).ToArray())
            : (Hash256?)null;
        IReadOnlyList<VerifierCandidate>? candidates = null;
        for (var i = 0; i < payload.Records.Count; i++)
        {
            var field = $"records[{i}]";
            var record = payload.Records[i];
            var request = record.Request.Request;
            var requestId = request.Id(chainId);
            if (!record.Request.Verify(chainId))
                throw Reject(
                    ErrorCode.InvalidRecordSignature,
                    signed,
                    $"{field}.request.userSignature does not verify for user {request.User}"
                );
            if (state.GetInferenceRecord(requestId) is not null || !seen.Add(requestId))
                throw Reject(
                    ErrorCode.InferenceAlreadyRecorded,
                    signed,
                    $"{field}: request {requestId} is already recorded"
                );
            var anchorHash = AnchorHash(
                signed,
                request.AnchorHeight,
                height,
                parameters,
                blockHash,
                $"{field}.request.anchorHeight"
            );
            var model = state.GetModel(request.ModelId)
                ?? throw Reject(
                    ErrorCode.ModelNotFound,
                    signed,
                    $"{field}.request.modelId: no model has contentId {request.ModelId}"
                );

            var receipt = record.Receipt;
            if (receipt.SubjectMismatch(requestId, request.ModelId, request.InputHash) is { } receiptField)
                throw Reject(
                    ErrorCode.RecordMismatch,
                    signed,
                    $"{field}.receipt.{receiptField} differs from the request's (request id {requestId})"
                );
            if (!receipt.Verify(chainId))
                throw Reject(
                    ErrorCode.InvalidRecordSignature,
                    signed,
                    $"{field}.receipt.signature does not verify for executor {receipt.Executor}"
                );
            if (ExecutorEligibility.Problem(state, receipt.Executor, request.ModelId, parameters) is { } problem)
                throw Reject(ErrorCode.ExecutorNotEligible, signed, $"{field}.receipt: {problem}");

            candidates ??= VerifierSelection.Candidates(state, parameters.MinNodeStake);
            var selected = VerifierSelection.ForRequest(
                candidates,
                requestId,
                anchorHash,
                request.Mode,
                receipt.Executor,
                parameters
            );
            CheckVerifiers(signed, field, record, requestId, selected, parameters);
            foreach (var attestation in record.Attestations)
                CheckAttestation(
                    signed,
                    $"{field}.attestations[{attestation.Verifier}]",
                    attestation,
                    requestId,
                    request.ModelId,
                    request.InputHash,
                    receipt.OutputHash
                );

            var verificationFee = parameters.VerificationFee(model.Price);
            var fee = parameters.RequestFee(model.Price, record.Attestations.Count);
            if (fee > request.MaxFee)
                throw Reject(
                    ErrorCode.FeeAboveMax,
                    signed,
                    $"{field}: the fee {fee} (price {model.Price} plus {record.Attestations.Count} verifications of {verificationFee}) is above maxFee {request.MaxFee}"
                );
            owed[request.User] = (owed.TryGetValue(request.User, out var sum) ? sum : Amount.Zero) + fee;
            plan.Debits.Add((request.User, fee));

            var matchers = record
                .Attestations.Where(a => a.Verdict == AttestationVerdict.Match)
                .Select(a => a.Verifier)
                .ToArray();
            var mismatchers = record
                .Attestations.Where(a => a.Verdict == AttestationVerdict.Mismatch)
                .Select(a => a.Verifier)
                .ToArray();
            var disputed = mismatchers.Length > 0;
            if (!disputed)
            {
                InferenceSettlement.PayPrice(state, plan, model, receipt.Executor, parameters);
                foreach (var verifier in matchers)
                    plan.Credit(InferenceSettlement.OwnerOf(state, verifier), verificationFee);
            }
            var summary = new InferenceRecordSummary(
                request.User,
                request.ModelId,
                receipt.Executor,
                receipt.OutputHash,
                request.Mode,
                matchers.Length,
                mismatchers.Length,
                fee,
                height,
                signed.Id,
                disputed ? InferenceRecordStatus.Disputed : InferenceRecordStatus.Final,
                root,
                root is null ? 0 : i
            );
            plan.Records.Add(s => s.SetInferenceRecord(requestId, summary));
            if (disputed)
            {
                var dispute = new Dispute(
                    requestId,
                    request.ModelId,
                    request.InputHash,
                    receipt.OutputHash,
                    receipt.Executor,
                    request.User,
                    null,
                    matchers,
                    mismatchers,
                    model.Price,
                    verificationFee,
                    fee,
                    anchorHash,
                    height,
                    DisputeOutcome.Pending,
                    0
                );
                plan.Records.Add(s => s.SetDispute(requestId, dispute));
            }
        }
        if (root is { } batchRoot)
            plan.Records.Add(s => s.SetInferenceBatch(batchRoot, new InferenceBatch(height, payload.Records.Count)));

        foreach (var (user, amount) in owed)
        {
            var balance = state.GetAccount(user).Balance;
            var needed = user == signed.Transaction.Sender ? amount + signed.Transaction.Fee : amount;
            if (needed > balance)
                throw Reject(
                    ErrorCode.InsufficientBalance,
                    signed,
                    $"user {user} holds {balance} and owes {amount} in inference fees{(user == signed.Transaction.Sender ? " plus the transaction fee" : "")}"
                );
        }
    }

    /// <summary>The sample ticket and the attestations must fit the mode and come from distinct selected verifiers.</summary>
    internal static void CheckVerifiers(
        SignedTransaction signed,
        string field,
        InferenceRecord record,
        Hash256 requestId,
        IReadOnlyList<Address> selected,
        InferenceParameters parameters
    )
    {
        var mode = record.Request.Request.Mode;
        if (mode != VerificationMode.Sampled && record.SampleTicket is not null)
            throw Reject(
                ErrorCode.VerifierNotSelected,
                signed,
                $"{field}.sampleTicket is only allowed in sampled mode"
            );
        var allowed = selected;
        if (mode == VerificationMode.Sampled)
        {
            if (selected.Count == 0)
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}: sampled mode needs a verifier and none is eligible"
                );
            if (record.SampleTicket is not { } ticket)
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}.sampleTicket is required in sampled mode"
                );
            if (!SampleTicket.Verify(signed.Transaction.ChainId, requestId, ticket, selected[0]))
                throw Reject(
                    ErrorCode.InvalidRecordSignature,
                    signed,
                    $"{field}.sampleTicket is not signed by the selected verifier {selected[0]}"
                );
            if (!SampleTicket.IsDrawn(ticket, parameters.SamplingRatePpm))
                allowed = [];
        }
        var used = new HashSet<Address>();
        foreach (var attestation in record.Attestations)
        {
            if (!allowed.Contains(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    mode switch
                    {
                        VerificationMode.None => $"{field}: a request without verification carries no attestations",
                        VerificationMode.Sampled when allowed.Count == 0 =>
                            $"{field}: the sample ticket was not drawn, so no attestation is allowed",
                        _ => $"{field}: verifier {attestation.Verifier} was not selected for request {requestId}",
                    }
                );
            if (!used.Add(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}: verifier {attestation.Verifier} attests twice"
                );
        }
    }

    internal static void CheckAttestation(
        SignedTransaction signed,
        string field,
        Attestation attestation,
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        Hash256 outputHash
    )
    {
        if (attestation.SubjectMismatch(requestId, modelId, inputHash, outputHash) is { } mismatch)
            throw Reject(
                ErrorCode.RecordMismatch,
                signed,
                $"{field}.{mismatch} is not the one of request {requestId} and executor output {outputHash}"
            );
        if (!attestation.Verify(signed.Transaction.ChainId))
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                $"{field}.signature does not verify for verifier {attestation.Verifier}"
            );
    }

    /// <summary>The hash of anchor block <paramref name="anchor"/>: a committed block no more than the anchor window old.</summary>
    internal static Hash256 AnchorHash(
        SignedTransaction signed,
        ulong anchor,
        ulong height,
        InferenceParameters parameters,
        Func<ulong, Hash256?>? blockHash,
        string field
    )
    {
        if (anchor >= height)
            throw Reject(
                ErrorCode.InvalidAnchor,
                signed,
                $"{field} {anchor} is not a committed block (this block is {height})"
            );
        if (height - anchor > parameters.AnchorWindow)
            throw Reject(
                ErrorCode.InvalidAnchor,
                signed,
                $"{field} {anchor} is more than {parameters.AnchorWindow} blocks before block {height}"
            );
        return blockHash?.Invoke(anchor)
            ?? throw Reject(ErrorCode.InvalidAnchor, signed, $"{field}: the hash of block {anchor} is not known here");
    }

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
