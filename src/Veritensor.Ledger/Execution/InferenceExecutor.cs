using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// The inference transactions: publish and serve models, record inferences (fees, escrow), resolve disputes (slashing),
/// report attestations and expire disputes that found no majority (refunds). As in <see cref="TransactionExecutor"/>, <see cref="Validate"/> makes every check and plans
/// every write before <see cref="Apply"/> writes anything. Fees move between balances, slashes move stake to balances and
/// escrow stays inside <see cref="Dispute"/> records: the total issuance never changes.
/// </summary>
internal static class InferenceExecutor
{
    public static bool Handles(TransactionPayload payload) =>
        payload is PublishModelPayload or ServeModelPayload or RecordInferencePayload or ResolveDisputePayload or ReportAttestationPayload
            or ExpireDisputePayload;

    /// <summary>What the payload takes from the sender's balance besides the fee: the report bond.</summary>
    public static Amount Spend(IStateView state, TransactionPayload payload) =>
        payload is ReportAttestationPayload ? state.GetInferenceParameters().ReportBond : Amount.Zero;

    /// <summary>Checks the payload against <paramref name="state"/> at <paramref name="height"/> and returns the writes it will make.</summary>
    public static InferencePlan Validate(IStateView state, SignedTransaction signed, ulong height, Func<ulong, Hash256?>? blockHash)
    {
        try
        {
            return Plan(state, signed, height, blockHash);
        }
        catch (OverflowException)
        {
            // Only absurd prices get here (a fee or a user's total above what an amount can hold); a block must never fail on them.
            throw Reject(ErrorCode.InvalidField, signed, "the fees add up to more than an amount can hold");
        }
    }

    private static InferencePlan Plan(IStateView state, SignedTransaction signed, ulong height, Func<ulong, Hash256?>? blockHash)
    {
        var plan = new InferencePlan();
        var sender = signed.Transaction.Sender;
        switch (signed.Transaction.Payload)
        {
            case PublishModelPayload publish:
                ValidatePublish(state, signed, publish);
                plan.Records.Add(s => s.AddModel(new ModelRecord(sender, publish.Name, publish.Version, publish.ContentId, publish.SizeBytes,
                    publish.Signature, publish.Price, publish.Tolerance, height)));
                break;
            case ServeModelPayload serve:
                ValidateServe(state, signed, serve);
                plan.Records.Add(s => s.SetServing(serve.ContentId, serve.Hotkey, serve.Serving));
                break;
            case RecordInferencePayload record:
                PlanRecords(state, signed, record, height, blockHash, plan);
                break;
            case ResolveDisputePayload resolve:
                PlanResolution(state, signed, resolve, height, plan);
                break;
            case ReportAttestationPayload report:
                PlanReport(state, signed, report, height, blockHash, plan);
                break;
            case ExpireDisputePayload expire:
                PlanExpiry(state, signed, expire, height, plan);
                break;
            default:
                throw new InvalidOperationException($"{signed.Transaction.Payload.Kind} is not an inference transaction.");
        }
        return plan;
    }

    private static void ValidatePublish(IStateView state, SignedTransaction signed, PublishModelPayload publish)
    {
        if (!ModelNames.IsValidName(publish.Name))
            throw Reject(ErrorCode.InvalidField, signed, $"model name '{publish.Name}' must match [a-z0-9][a-z0-9._-]{{0,63}}");
        if (!ModelNames.IsValidVersion(publish.Version))
            throw Reject(ErrorCode.InvalidField, signed, $"model version '{publish.Version}' must match [0-9A-Za-z][0-9A-Za-z._-]{{0,31}}");
        if (publish.ContentId.IsZero) throw Reject(ErrorCode.InvalidField, signed, "contentId is zero");
        if (publish.SizeBytes == 0) throw Reject(ErrorCode.InvalidField, signed, "sizeBytes is zero");
        if (publish.Signature.Problem() is { } problem) throw Reject(ErrorCode.InvalidField, signed, $"signature: {problem}");
        if (state.GetModel(publish.ContentId) is { } existing)
            throw Reject(ErrorCode.ModelAlreadyPublished, signed, $"contentId {publish.ContentId} is already published as {existing.Name}:{existing.Version}");
        if (state.GetModelId(publish.Name, publish.Version) is not null)
            throw Reject(ErrorCode.ModelAlreadyPublished, signed, $"model {publish.Name}:{publish.Version} is already published");
        if (state.GetLatestVersion(publish.Name) is { } latest && state.GetModelId(publish.Name, latest) is { } latestId &&
            state.GetModel(latestId) is { } first && first.Owner != signed.Transaction.Sender)
            throw Reject(ErrorCode.NotModelOwner, signed, $"model name '{publish.Name}' belongs to {first.Owner}");
    }

    private static void ValidateServe(IStateView state, SignedTransaction signed, ServeModelPayload serve)
    {
        var node = state.GetNode(serve.Hotkey) ?? throw Reject(ErrorCode.HotkeyNotRegistered, signed, $"hotkey {serve.Hotkey} is not a registered node");
        if (node.Owner != signed.Transaction.Sender)
            throw Reject(ErrorCode.HotkeyOwnedByAnother, signed, $"hotkey {serve.Hotkey} belongs to coldkey {node.Owner}");
        if (!node.Roles.HasFlag(NodeRoles.Inference))
            throw Reject(ErrorCode.MissingNodeRole, signed, $"hotkey {serve.Hotkey} does not have the inference role");
        if (state.GetModel(serve.ContentId) is null)
            throw Reject(ErrorCode.ModelNotFound, signed, $"no model has contentId {serve.ContentId}");
    }

    private static void PlanRecords(IStateView state, SignedTransaction signed, RecordInferencePayload payload, ulong height, Func<ulong, Hash256?>? blockHash, InferencePlan plan)
    {
        if (payload.Records.Count == 0) throw Reject(ErrorCode.InvalidField, signed, "records is empty");
        var chainId = signed.Transaction.ChainId;
        var parameters = state.GetInferenceParameters();
        var seen = new HashSet<Hash256>();
        var owed = new Dictionary<Address, Amount>();
        var root = payload.Batch ? MerkleTree.ComputeRoot(payload.Records.Select(r => r.Hash()).ToArray()) : (Hash256?)null;
        IReadOnlyList<VerifierCandidate>? candidates = null;
        for (var i = 0; i < payload.Records.Count; i++)
        {
            var field = $"records[{i}]";
            var record = payload.Records[i];
            var request = record.Request.Request;
            var requestId = request.Id(chainId);
            if (!record.Request.Verify(chainId))
                throw Reject(ErrorCode.InvalidRecordSignature, signed, $"{field}.request.userSignature does not verify for user {request.User}");
            if (state.GetInferenceRecord(requestId) is not null || !seen.Add(requestId))
                throw Reject(ErrorCode.InferenceAlreadyRecorded, signed, $"{field}: request {requestId} is already recorded");
            var anchorHash = AnchorHash(signed, request.AnchorHeight, height, parameters, blockHash, $"{field}.request.anchorHeight");
            var model = state.GetModel(request.ModelId) ?? throw Reject(ErrorCode.ModelNotFound, signed, $"{field}.request.modelId: no model has contentId {request.ModelId}");

            var receipt = record.Receipt;
            if (receipt.SubjectMismatch(requestId, request.ModelId, request.InputHash) is { } receiptField)
                throw Reject(ErrorCode.RecordMismatch, signed, $"{field}.receipt.{receiptField} differs from the request's (request id {requestId})");
            if (!receipt.Verify(chainId))
                throw Reject(ErrorCode.InvalidRecordSignature, signed, $"{field}.receipt.signature does not verify for executor {receipt.Executor}");
            if (ExecutorEligibility.Problem(state, receipt.Executor, request.ModelId, parameters) is { } problem)
                throw Reject(ErrorCode.ExecutorNotEligible, signed, $"{field}.receipt: {problem}");

            candidates ??= VerifierSelection.Candidates(state, parameters.MinNodeStake);
            var selected = VerifierSelection.ForRequest(candidates, requestId, anchorHash, request.Mode, receipt.Executor, parameters);
            CheckVerifiers(signed, field, record, requestId, selected, parameters);
            foreach (var attestation in record.Attestations)
                CheckAttestation(signed, $"{field}.attestations[{attestation.Verifier}]", attestation, requestId, request.ModelId, request.InputHash, receipt.OutputHash);

            var verificationFee = parameters.VerificationFee(model.Price);
            var fee = parameters.RequestFee(model.Price, record.Attestations.Count);
            if (fee > request.MaxFee)
                throw Reject(ErrorCode.FeeAboveMax, signed, $"{field}: the fee {fee} (price {model.Price} plus {record.Attestations.Count} verifications of {verificationFee}) is above maxFee {request.MaxFee}");
            owed[request.User] = (owed.TryGetValue(request.User, out var sum) ? sum : Amount.Zero) + fee;
            plan.Debits.Add((request.User, fee));

            var matchers = record.Attestations.Where(a => a.Verdict == AttestationVerdict.Match).Select(a => a.Verifier).ToArray();
            var mismatchers = record.Attestations.Where(a => a.Verdict == AttestationVerdict.Mismatch).Select(a => a.Verifier).ToArray();
            var disputed = mismatchers.Length > 0;
            if (!disputed)
            {
                PayPrice(state, plan, model, receipt.Executor, parameters);
                foreach (var verifier in matchers) plan.Credit(OwnerOf(state, verifier), verificationFee);
            }
            var summary = new InferenceRecordSummary(request.User, request.ModelId, receipt.Executor, receipt.OutputHash, request.Mode,
                matchers.Length, mismatchers.Length, fee, height, signed.Id, disputed ? InferenceRecordStatus.Disputed : InferenceRecordStatus.Final,
                root, root is null ? 0 : i);
            plan.Records.Add(s => s.SetInferenceRecord(requestId, summary));
            if (disputed)
            {
                var dispute = new Dispute(requestId, request.ModelId, request.InputHash, receipt.OutputHash, receipt.Executor, request.User, null,
                    matchers, mismatchers, model.Price, verificationFee, fee, anchorHash, height, DisputeOutcome.Pending, 0);
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
                throw Reject(ErrorCode.InsufficientBalance, signed, $"user {user} holds {balance} and owes {amount} in inference fees{(user == signed.Transaction.Sender ? " plus the transaction fee" : "")}");
        }
    }

    /// <summary>The sample ticket and the attestations must fit the mode and come from distinct selected verifiers.</summary>
    private static void CheckVerifiers(SignedTransaction signed, string field, InferenceRecord record, Hash256 requestId, IReadOnlyList<Address> selected, InferenceParameters parameters)
    {
        var mode = record.Request.Request.Mode;
        if (mode != VerificationMode.Sampled && record.SampleTicket is not null)
            throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}.sampleTicket is only allowed in sampled mode");
        var allowed = selected;
        if (mode == VerificationMode.Sampled)
        {
            if (selected.Count == 0) throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}: sampled mode needs a verifier and none is eligible");
            if (record.SampleTicket is not { } ticket) throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}.sampleTicket is required in sampled mode");
            if (!SampleTicket.Verify(signed.Transaction.ChainId, requestId, ticket, selected[0]))
                throw Reject(ErrorCode.InvalidRecordSignature, signed, $"{field}.sampleTicket is not signed by the selected verifier {selected[0]}");
            if (!SampleTicket.IsDrawn(ticket, parameters.SamplingRatePpm)) allowed = [];
        }
        var used = new HashSet<Address>();
        foreach (var attestation in record.Attestations)
        {
            if (!allowed.Contains(attestation.Verifier))
                throw Reject(ErrorCode.VerifierNotSelected, signed, mode switch
                {
                    VerificationMode.None => $"{field}: a request without verification carries no attestations",
                    VerificationMode.Sampled when allowed.Count == 0 => $"{field}: the sample ticket was not drawn, so no attestation is allowed",
                    _ => $"{field}: verifier {attestation.Verifier} was not selected for request {requestId}",
                });
            if (!used.Add(attestation.Verifier))
                throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}: verifier {attestation.Verifier} attests twice");
        }
    }

    private static void CheckAttestation(SignedTransaction signed, string field, Attestation attestation, Hash256 requestId, Hash256 modelId, Hash256 inputHash, Hash256 outputHash)
    {
        if (attestation.SubjectMismatch(requestId, modelId, inputHash, outputHash) is { } mismatch)
            throw Reject(ErrorCode.RecordMismatch, signed, $"{field}.{mismatch} is not the one of request {requestId} and executor output {outputHash}");
        if (!attestation.Verify(signed.Transaction.ChainId))
            throw Reject(ErrorCode.InvalidRecordSignature, signed, $"{field}.signature does not verify for verifier {attestation.Verifier}");
    }

    /// <summary>The hash of anchor block <paramref name="anchor"/>: a committed block no more than the anchor window old.</summary>
    private static Hash256 AnchorHash(SignedTransaction signed, ulong anchor, ulong height, InferenceParameters parameters, Func<ulong, Hash256?>? blockHash, string field)
    {
        if (anchor >= height) throw Reject(ErrorCode.InvalidAnchor, signed, $"{field} {anchor} is not a committed block (this block is {height})");
        if (height - anchor > parameters.AnchorWindow)
            throw Reject(ErrorCode.InvalidAnchor, signed, $"{field} {anchor} is more than {parameters.AnchorWindow} blocks before block {height}");
        return blockHash?.Invoke(anchor) ?? throw Reject(ErrorCode.InvalidAnchor, signed, $"{field}: the hash of block {anchor} is not known here");
    }

    /// <summary>The price split: owner and executor shares rounded down, the treasury gets its share plus the dust.</summary>
    private static void PayPrice(IStateView state, InferencePlan plan, ModelRecord model, Address executor, InferenceParameters parameters)
    {
        var ownerShare = InferenceParameters.Share(model.Price, parameters.OwnerShareBps);
        var executorShare = InferenceParameters.Share(model.Price, parameters.ExecutorShareBps);
        plan.Credit(model.Owner, ownerShare);
        plan.Credit(OwnerOf(state, executor), executorShare);
        plan.Credit(InferenceParameters.Treasury, model.Price - ownerShare - executorShare);
    }

    /// <summary>Node rewards go to the coldkey that owns the node (it controls the node's stake too).</summary>
    private static Address OwnerOf(IStateView state, Address hotkey) => state.GetNode(hotkey)?.Owner ?? hotkey;

    private static void PlanResolution(IStateView state, SignedTransaction signed, ResolveDisputePayload payload, ulong height, InferencePlan plan)
    {
        var id = payload.DisputeId;
        var dispute = state.GetDispute(id) ?? throw Reject(ErrorCode.DisputeNotFound, signed, $"no dispute has id {id}");
        if (dispute.Outcome != DisputeOutcome.Pending) throw Closed(signed, id, dispute);
        var parameters = state.GetInferenceParameters();
        var quorum = VerifierSelection.DisputeQuorum(state, id, dispute, parameters);
        var voters = new Dictionary<Address, AttestationVerdict>();
        for (var i = 0; i < payload.QuorumAttestations.Count; i++)
        {
            var attestation = payload.QuorumAttestations[i];
            var field = $"quorumAttestations[{i}]";
            if (!quorum.Contains(attestation.Verifier))
                throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}: verifier {attestation.Verifier} is not in the quorum of dispute {id}");
            if (voters.ContainsKey(attestation.Verifier))
                throw Reject(ErrorCode.VerifierNotSelected, signed, $"{field}: verifier {attestation.Verifier} attests twice");
            CheckAttestation(signed, field, attestation, dispute.RequestId, dispute.ModelId, dispute.InputHash, dispute.DisputedOutputHash);
            voters[attestation.Verifier] = attestation.Verdict;
        }
        var needed = parameters.DisputeQuorum / 2 + 1;
        var wrongVotes = voters.Values.Count(v => v == AttestationVerdict.Mismatch);
        var rightVotes = voters.Values.Count(v => v == AttestationVerdict.Match);
        var outcome = wrongVotes >= needed ? DisputeOutcome.OutputWrong
            : rightVotes >= needed ? DisputeOutcome.OutputRight
            : throw Reject(ErrorCode.NoQuorumMajority, signed, $"{wrongVotes} mismatch and {rightVotes} match votes; one verdict needs {needed} of a quorum of {parameters.DisputeQuorum}");
        var majority = voters.Where(v => v.Value == (outcome == DisputeOutcome.OutputWrong ? AttestationVerdict.Mismatch : AttestationVerdict.Match))
            .Select(v => v.Key).Order().ToArray();

        if (dispute.IsAudit) PlanAuditSettlement(state, plan, dispute, outcome, parameters);
        else PlanInferenceSettlement(state, plan, dispute, outcome, majority, parameters);

        var resolved = dispute with { Outcome = outcome, ResolvedAt = height };
        plan.Records.Add(s => s.SetDispute(id, resolved));
        if (!dispute.IsAudit && state.GetInferenceRecord(dispute.RequestId) is { } summary)
            plan.Records.Add(s => s.SetInferenceRecord(dispute.RequestId, summary with { Status = InferenceRecordStatus.Final }));
    }

    /// <summary>
    /// A dispute pending for more than the dispute window ends as <see cref="DisputeOutcome.Expired"/>. Nobody was proven
    /// right or wrong, so nobody is paid and nobody is slashed: the escrow goes back in full to whoever put it in, the user
    /// (its whole fee, verification fees included, since no verification settled anything) or the reporter (its bond).
    /// </summary>
    private static void PlanExpiry(IStateView state, SignedTransaction signed, ExpireDisputePayload payload, ulong height, InferencePlan plan)
    {
        var id = payload.DisputeId;
        var dispute = state.GetDispute(id) ?? throw Reject(ErrorCode.DisputeNotFound, signed, $"no dispute has id {id}");
        if (dispute.Outcome != DisputeOutcome.Pending) throw Closed(signed, id, dispute);
        var parameters = state.GetInferenceParameters();
        var allowedFrom = parameters.DisputeExpirableFrom(dispute.OpenedAt);
        if (height < allowedFrom)
            throw Reject(ErrorCode.DisputeNotExpired, signed,
                $"dispute {id} opened at block {dispute.OpenedAt} may be expired from block {allowedFrom} (dispute window {parameters.DisputeWindow} blocks); this is block {height}");
        plan.Credit(dispute.Reporter ?? dispute.User, dispute.Escrow);
        var expired = dispute with { Outcome = DisputeOutcome.Expired, ResolvedAt = height };
        plan.Records.Add(s => s.SetDispute(id, expired));
        if (!dispute.IsAudit && state.GetInferenceRecord(dispute.RequestId) is { } summary)
            plan.Records.Add(s => s.SetInferenceRecord(dispute.RequestId, summary with { Status = InferenceRecordStatus.Final }));
    }

    private static LedgerException Closed(SignedTransaction signed, Hash256 id, Dispute dispute) =>
        Reject(ErrorCode.DisputeClosed, signed, dispute.Outcome == DisputeOutcome.Expired
            ? $"dispute {id} expired at block {dispute.ResolvedAt}"
            : $"dispute {id} was resolved at block {dispute.ResolvedAt}");

    /// <summary>
    /// Output wrong: the executor and every false matcher are slashed; the user gets the escrow back except the honest
    /// mismatchers' verification fees; the slashed stake is shared equally by the mismatchers and the majority quorum.
    /// Output right: every false mismatcher is slashed; the escrow pays out as an undisputed record would (the false
    /// mismatchers' fees go back to the user); the slashed stake is shared by the executor and the majority quorum.
    /// Shares go to the nodes' owner coldkeys; the division's dust goes to the treasury.
    /// </summary>
    private static void PlanInferenceSettlement(IStateView state, InferencePlan plan, Dispute dispute, DisputeOutcome outcome, IReadOnlyList<Address> majority, InferenceParameters parameters)
    {
        var executor = dispute.Executor!.Value;
        var slashed = Amount.Zero;
        var rewarded = new List<Address>();
        if (outcome == DisputeOutcome.OutputWrong)
        {
            slashed += Slash(state, plan, executor, parameters);
            foreach (var matcher in dispute.Matchers) slashed += Slash(state, plan, matcher, parameters);
            var mismatcherFees = new Amount(checked(dispute.VerificationFee.BaseUnits * (ulong)dispute.Mismatchers.Count));
            plan.Credit(dispute.User, dispute.Escrow - mismatcherFees);
            foreach (var mismatcher in dispute.Mismatchers) plan.Credit(OwnerOf(state, mismatcher), dispute.VerificationFee);
            rewarded.AddRange(dispute.Mismatchers);
        }
        else
        {
            foreach (var mismatcher in dispute.Mismatchers) slashed += Slash(state, plan, mismatcher, parameters);
            var model = state.GetModel(dispute.ModelId)!;
            PayPrice(state, plan, model with { Price = dispute.Price }, executor, parameters);
            foreach (var matcher in dispute.Matchers) plan.Credit(OwnerOf(state, matcher), dispute.VerificationFee);
            plan.Credit(dispute.User, new Amount(checked(dispute.VerificationFee.BaseUnits * (ulong)dispute.Mismatchers.Count)));
            rewarded.Add(executor);
        }
        rewarded.AddRange(majority);
        Share(state, plan, slashed, rewarded);
    }

    /// <summary>Output wrong (the verifier matched a planted wrong output): it is slashed and the reporter gets its bond plus the slash. Output right: the bond goes to the verifier's owner.</summary>
    private static void PlanAuditSettlement(IStateView state, InferencePlan plan, Dispute dispute, DisputeOutcome outcome, InferenceParameters parameters)
    {
        var verifier = dispute.Matchers[0];
        if (outcome == DisputeOutcome.OutputWrong)
            plan.Credit(dispute.Reporter!.Value, dispute.Escrow + Slash(state, plan, verifier, parameters));
        else
            plan.Credit(OwnerOf(state, verifier), dispute.Escrow);
    }

    /// <summary>Plans taking <see cref="InferenceParameters.SlashBps"/> of the stake the node's owner holds on it; returns the amount.</summary>
    private static Amount Slash(IStateView state, InferencePlan plan, Address hotkey, InferenceParameters parameters)
    {
        if (state.GetNode(hotkey) is not { } node) return Amount.Zero;
        var amount = InferenceParameters.Share(state.GetStake(node.Owner, hotkey), parameters.SlashBps);
        if (amount != Amount.Zero) plan.Slashes.Add((node.Owner, hotkey, amount));
        return amount;
    }

    /// <summary>Splits <paramref name="amount"/> equally among the owners of <paramref name="hotkeys"/>; the remainder goes to the treasury.</summary>
    private static void Share(IStateView state, InferencePlan plan, Amount amount, IReadOnlyList<Address> hotkeys)
    {
        if (hotkeys.Count == 0)
        {
            plan.Credit(InferenceParameters.Treasury, amount);
            return;
        }
        var each = new Amount(amount.BaseUnits / (ulong)hotkeys.Count);
        foreach (var hotkey in hotkeys) plan.Credit(OwnerOf(state, hotkey), each);
        plan.Credit(InferenceParameters.Treasury, amount - new Amount(each.BaseUnits * (ulong)hotkeys.Count));
    }

    private static void PlanReport(IStateView state, SignedTransaction signed, ReportAttestationPayload payload, ulong height, Func<ulong, Hash256?>? blockHash, InferencePlan plan)
    {
        var evidence = payload.Evidence;
        if (evidence.Verdict != AttestationVerdict.Match)
            throw Reject(ErrorCode.InvalidField, signed, "evidence.verdict must be match: only a false match of a planted output can be reported");
        if (!evidence.Verify(signed.Transaction.ChainId))
            throw Reject(ErrorCode.InvalidRecordSignature, signed, $"evidence.signature does not verify for verifier {evidence.Verifier}");
        var node = state.GetNode(evidence.Verifier) ?? throw Reject(ErrorCode.HotkeyNotRegistered, signed, $"evidence.verifier {evidence.Verifier} is not a registered node");
        if (!node.Roles.HasFlag(NodeRoles.Verifier))
            throw Reject(ErrorCode.MissingNodeRole, signed, $"evidence.verifier {evidence.Verifier} does not have the verifier role");
        if (state.GetModel(evidence.ModelId) is null)
            throw Reject(ErrorCode.ModelNotFound, signed, $"evidence.modelId: no model has contentId {evidence.ModelId}");
        var id = evidence.Hash();
        if (state.GetDispute(id) is not null) throw Reject(ErrorCode.DisputeClosed, signed, $"this attestation was already reported (dispute {id})");
        var parameters = state.GetInferenceParameters();
        // Execution checked this already; admission has only the fee in the mempool's balance check, so repeat it here.
        var balance = state.GetAccount(signed.Transaction.Sender).Balance;
        if (balance < parameters.ReportBond || balance - parameters.ReportBond < signed.Transaction.Fee)
            throw Reject(ErrorCode.InsufficientBalance, signed, $"the account holds {balance} and the report bond is {parameters.ReportBond} plus the fee {signed.Transaction.Fee}");
        var anchor = height == 0 ? null : blockHash?.Invoke(height - 1);
        if (anchor is not { } anchorHash) throw Reject(ErrorCode.InvalidAnchor, signed, $"the hash of block {height - 1} is not known here");
        var reporter = signed.Transaction.Sender;
        var dispute = new Dispute(evidence.RequestId, evidence.ModelId, evidence.InputHash, evidence.ExecutorOutputHash, null, reporter, reporter,
            [evidence.Verifier], [], Amount.Zero, Amount.Zero, parameters.ReportBond, anchorHash, height, DisputeOutcome.Pending, 0);
        // The bond already left the sender's balance with the fee (it is the transaction's spend); the dispute now holds it.
        plan.Records.Add(s => s.SetDispute(id, dispute));
    }

    public static void Apply(IStateView state, InferencePlan plan) => plan.Apply(state);

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) => TransactionExecutor.Reject(code, signed, reason);
}
