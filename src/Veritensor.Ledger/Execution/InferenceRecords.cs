using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// RecordInference: every record's request, receipt, draw ticket and attestations are checked (signatures, the
/// recording gateway, the verifier draw, the anchor), the user's fee is planned, and a record with a mismatch opens a
/// dispute with its escrow.
/// </summary>
internal static class InferenceRecords
{
    /// <summary>
    /// Plans every record of the payload. In a transaction of several records each stands alone: one that fails its
    /// checks is left out (its request stays unrecorded, so its gateway can tell) and the others still land; only when
    /// every record fails is the transaction refused, with the first record's reason.
    /// </summary>
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
        var context = new RecordContext(
            state,
            signed,
            height,
            blockHash,
            state.GetInferenceParameters(),
            payload.Batch ? MerkleTree.ComputeRoot(payload.Records.Select(r => r.Hash()).ToArray()) : null
        );
        LedgerException? firstRefusal = null;
        var accepted = 0;
        for (var i = 0; i < payload.Records.Count; i++)
        {
            var recordPlan = new InferencePlan();
            try
            {
                PlanRecord(context, i, payload.Records[i], recordPlan);
            }
            catch (LedgerException e) when (payload.Records.Count > 1)
            {
                firstRefusal ??= e;
                continue;
            }
            plan.Append(recordPlan);
            accepted++;
        }
        if (accepted == 0 && firstRefusal is not null)
            throw firstRefusal;
        if (context.BatchRoot is { } batchRoot)
            plan.Records.Add(s => s.SetInferenceBatch(batchRoot, new InferenceBatch(height, payload.Records.Count)));
    }

    /// <summary>What the records of one transaction share: the chain, the parameters, the verifier pool and what earlier records owe.</summary>
    private sealed class RecordContext(
        IStateView state,
        SignedTransaction signed,
        ulong height,
        Func<ulong, Hash256?>? blockHash,
        InferenceParameters parameters,
        Hash256? batchRoot
    )
    {
        private readonly Dictionary<ulong, IReadOnlyList<VerifierCandidate>> _candidates = [];

        public IStateView State { get; } = state;
        public SignedTransaction Signed { get; } = signed;
        public string ChainId { get; } = signed.Transaction.ChainId;
        public ulong Height { get; } = height;
        public Func<ulong, Hash256?>? BlockHash { get; } = blockHash;
        public InferenceParameters Parameters { get; } = parameters;
        public Hash256? BatchRoot { get; } = batchRoot;
        public HashSet<Hash256> Recorded { get; } = [];
        public Dictionary<Address, Amount> Owed { get; } = [];

        /// <summary>The verifier candidates at anchor block <paramref name="anchorHeight"/> (<see cref="VerifierHistory"/>), read once per anchor.</summary>
        public IReadOnlyList<VerifierCandidate> CandidatesAt(ulong anchorHeight)
        {
            if (!_candidates.TryGetValue(anchorHeight, out var candidates))
                _candidates[anchorHeight] = candidates = VerifierHistory.CandidatesAt(State, anchorHeight, Height);
            return candidates;
        }
    }

    private static void PlanRecord(RecordContext context, int index, InferenceRecord record, InferencePlan plan)
    {
        var (state, signed, parameters) = (context.State, context.Signed, context.Parameters);
        var chainId = context.ChainId;
        var field = $"records[{index}]";
        var request = record.Request.Request;
        var requestId = request.Id(chainId);
        if (!MayRecord(state, signed.Transaction.Sender, request.Gateway))
            throw Reject(
                ErrorCode.NotRequestGateway,
                signed,
                $"{field}: request {requestId} names gateway {request.Gateway}; only it or its owner may record the request, not {signed.Transaction.Sender}"
            );
        if (!signed.CheckOnce($"{field}.request", () => record.Request.Verify(chainId)))
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                $"{field}.request.userSignature does not verify for user {request.User}"
            );
        if (state.GetInferenceRecord(requestId) is not null || context.Recorded.Contains(requestId))
            throw Reject(
                ErrorCode.InferenceAlreadyRecorded,
                signed,
                $"{field}: request {requestId} is already recorded"
            );
        if (
            !signed.CheckOnce($"{field}.drawTicket", () =>
                DrawTicket.Verify(chainId, requestId, record.DrawTicket, request.Gateway)
            )
        )
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                $"{field}.drawTicket is not signed by the request's gateway {request.Gateway}"
            );
        var anchorHash = AnchorHash(
            signed,
            request.AnchorHeight,
            context.Height,
            parameters,
            context.BlockHash,
            $"{field}.request.anchorHeight"
        );
        if (request.AnchorHash != anchorHash)
            throw Reject(
                ErrorCode.InvalidAnchor,
                signed,
                $"{field}.request.anchorHash {request.AnchorHash} is not block {request.AnchorHeight} of this chain ({anchorHash}): the request was signed for another chain or fork"
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
        if (!signed.CheckOnce($"{field}.receipt", () => receipt.Verify(chainId)))
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                $"{field}.receipt.signature does not verify for executor {receipt.Executor}"
            );
        if (ExecutorEligibility.Problem(state, receipt.Executor, request.ModelId, parameters) is { } problem)
            throw Reject(ErrorCode.ExecutorNotEligible, signed, $"{field}.receipt: {problem}");

        var executorOwner = state.GetNode(receipt.Executor)!.Owner;
        var draw = new RequestDraw(requestId, anchorHash, record.DrawTicket, receipt.Executor, executorOwner);
        var required = VerifierSelection.ForRequest(
            context.CandidatesAt(request.AnchorHeight),
            draw,
            request.Mode,
            parameters
        );
        if (required.Count == 0 && VerifierSelection.NeedsVerification(draw, request.Mode, parameters))
            throw Reject(
                ErrorCode.VerifierNotSelected,
                signed,
                $"{field}: mode {request.Mode} needs a verifier for request {requestId} and none is eligible"
            );
        CheckVerifiers(signed, field, record, requestId, required);
        for (var i = 0; i < record.Attestations.Count; i++)
            CheckAttestation(
                signed,
                $"{field}.attestations[{i}]",
                record.Attestations[i],
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
        var owed = (context.Owed.TryGetValue(request.User, out var sum) ? sum : Amount.Zero) + fee;
        var balance = state.GetAccount(request.User).Balance;
        var needed = request.User == signed.Transaction.Sender ? owed + signed.Transaction.Fee : owed;
        if (needed > balance)
            throw Reject(
                ErrorCode.InsufficientBalance,
                signed,
                $"{field}: user {request.User} holds {balance} and owes {owed} in inference fees{(request.User == signed.Transaction.Sender ? " plus the transaction fee" : "")}"
            );
        context.Owed[request.User] = owed;
        context.Recorded.Add(requestId);
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
        var root = context.BatchRoot;
        var summary = new InferenceRecordSummary(
            request.User,
            request.ModelId,
            receipt.Executor,
            receipt.OutputHash,
            request.Mode,
            matchers.Length,
            mismatchers.Length,
            fee,
            context.Height,
            signed.Id,
            disputed ? InferenceRecordStatus.Disputed : InferenceRecordStatus.Final,
            root,
            root is null ? 0 : index
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
                context.Height,
                DisputeOutcome.Pending,
                0
            );
            plan.Records.Add(s =>
            {
                s.SetDispute(requestId, dispute);
                s.CountOpenDispute(dispute, opened: true);
            });
        }
    }

    /// <summary>The gateway the user named, or the coldkey that owns that gateway node (which pays its record fees).</summary>
    /// <summary>Who may act for a request's gateway on the ledger (record it, report an audit of it): the gateway node or its owner.</summary>
    internal static bool MayRecord(IStateView state, Address sender, Address gateway) =>
        sender == gateway || state.GetNode(gateway) is { } node && node.Owner == sender;

    /// <summary>
    /// The record must carry the attestation of every verifier the draw requires, and no other: a gateway cannot leave
    /// out a verifier (to skip its fee or hide its verdict), nor add one that was not drawn.
    /// </summary>
    internal static void CheckVerifiers(
        SignedTransaction signed,
        string field,
        InferenceRecord record,
        Hash256 requestId,
        IReadOnlyList<Address> required
    )
    {
        var mode = record.Request.Request.Mode;
        var used = new HashSet<Address>();
        foreach (var attestation in record.Attestations)
        {
            if (!required.Contains(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    mode switch
                    {
                        VerificationMode.None => $"{field}: a request without verification carries no attestations",
                        VerificationMode.Sampled when required.Count == 0 =>
                            $"{field}: the draw did not sample request {requestId}, so no attestation is allowed",
                        _ => $"{field}: verifier {attestation.Verifier} was not drawn for request {requestId}",
                    }
                );
            if (!used.Add(attestation.Verifier))
                throw Reject(
                    ErrorCode.VerifierNotSelected,
                    signed,
                    $"{field}: verifier {attestation.Verifier} attests twice"
                );
        }
        var missing = required.Where(v => !used.Contains(v)).ToArray();
        if (missing.Length > 0)
            throw Reject(
                ErrorCode.MissingAttestation,
                signed,
                $"{field}: mode {mode} needs the attestation of every drawn verifier; missing {string.Join(", ", missing)}"
            );
    }

    internal static void CheckAttestation(
        SignedTransaction signed,
        string field,
        Attestation attestation,
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        Hash256 outputHash,
        bool vote = false
    )
    {
        if (attestation.SubjectMismatch(requestId, modelId, inputHash, outputHash) is { } mismatch)
            throw Reject(
                ErrorCode.RecordMismatch,
                signed,
                $"{field}.{mismatch} is not the one of request {requestId} and executor output {outputHash}"
            );
        var chainId = signed.Transaction.ChainId;
        if (
            !signed.CheckOnce(vote ? $"{field}/vote" : field, () =>
                vote ? attestation.VerifyVote(chainId) : attestation.Verify(chainId)
            )
        )
            throw Reject(
                ErrorCode.InvalidRecordSignature,
                signed,
                vote
                    ? $"{field}.signature is not a dispute vote signed by verifier {attestation.Verifier}"
                    : $"{field}.signature does not verify for verifier {attestation.Verifier}"
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
