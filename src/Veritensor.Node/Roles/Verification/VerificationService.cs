using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles.Execution;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Verification;

/// <summary>
/// The honest verifier. It works only on a request the ledger's draw assigns to it (checked from the gateway's draw
/// ticket) and that the request's gateway dispatched to it. It commits to the hash of its own output before the
/// gateway shows it the executor's output, so it cannot copy; it then compares under the model's tolerance (bit for
/// bit when both ran the same execution profile) and signs the verdict with the largest error it found. As a dispute
/// quorum member it judges only disputes open on the ledger whose quorum holds it.
/// </summary>
internal sealed class VerificationService(
    RoleIdentity identity,
    DispatchAuthorization dispatch,
    ModelCatalog catalog,
    IModelRunner runner,
    IInferenceLedger ledger,
    RoleOptions options,
    TimeProvider time
) : IVerifier
{
    private const int MaxPending = 10_000;

    /// <summary>
    /// How many outputs one commitment may be shown: two, because an audited request shows a planted wrong output
    /// before the real one (<c>AuditService</c>). A match uses the commitment up.
    /// </summary>
    private const int MaxAttestsPerCommitment = 2;
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Hash256, PendingVerification> _pending = new();
    private long _inFlight;
    private long _served;

    private sealed record PendingVerification(
        SignedInferenceRequest Request,
        LedgerModel Model,
        IReadOnlyList<NamedTensor> Outputs,
        Hash256 OutputHash,
        DateTimeOffset Expires,
        int Attested = 0
    );

    public async Task<CommitResponse> CommitAsync(JsonBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var head = body.Read(BodyPartsJsonContext.Default.CommitHead, "commit request");
            var signed = await dispatch
                .AuthorizeAsync(head.Request, head.Dispatch, cancellationToken)
                .ConfigureAwait(false);
            var request = signed.Request;
            var requestId = request.Id(identity.ChainId);
            await CheckDrawnAsync(request, requestId, head, cancellationToken).ConfigureAwait(false);
            var model = await catalog.GetAsync(request.ModelId, cancellationToken).ConfigureAwait(false);
            var inputs = WireTensors.Decode(
                body.Read(BodyPartsJsonContext.Default.InputsPart, "commit request").Inputs,
                model.Signature.Inputs,
                options.MaxRequestBytes
            );
            if (TensorHash.Compute(inputs) != request.InputHash)
                throw ApiException.BadInput(
                    "The inputs do not hash to the request's input hash: they are not the inputs the user signed for."
                );
            var outputs = await runner.RunAsync(model, inputs, cancellationToken).ConfigureAwait(false);
            var outputHash = TensorHash.Compute(outputs);
            Remember(
                requestId,
                new PendingVerification(signed, model, outputs, outputHash, time.GetUtcNow() + PendingLifetime)
            );
            var commitment = OutputCommitment.Create(identity.ChainId, requestId, outputHash, identity.Key);
            Interlocked.Increment(ref _served);
            return new CommitResponse(Convert.ToBase64String(commitment.Encode()));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The ledger's draw for this request, with the gateway's ticket and the executor it names, must hold this verifier.</summary>
    private async Task CheckDrawnAsync(
        InferenceRequest request,
        Hash256 requestId,
        CommitHead body,
        CancellationToken cancellationToken
    )
    {
        if (request.Mode == VerificationMode.None)
            throw new ApiException(ErrorCode.VerifierNotSelected, "A request in mode none is not verified.");
        if (!Address.TryParse(body.Executor, out var executor, out var error))
            throw ApiException.BadRequest($"executor: {error}");
        var ticket = SignedRequests.ParseSignature(body.DrawTicket, "drawTicket")
            ?? throw ApiException.BadRequest("drawTicket is missing: send the gateway's draw ticket (base64).");
        if (!DrawTicket.Verify(identity.ChainId, requestId, ticket, request.Gateway))
            throw new ApiException(
                ErrorCode.InvalidRecordSignature,
                $"drawTicket is not signed by the request's gateway {request.Gateway}."
            );
        IReadOnlyList<LedgerNode> drawn;
        try
        {
            drawn = await ledger
                .SelectVerifiersAsync(
                    requestId,
                    request.AnchorHeight,
                    ticket,
                    request.Mode,
                    executor,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or NoEligibleVerifierException)
        {
            throw new ApiException(ErrorCode.VerifierNotSelected, e.Message, e);
        }
        if (drawn.All(v => v.Hotkey != identity.Address))
            throw new ApiException(
                ErrorCode.VerifierNotSelected,
                $"The ledger's draw for request {requestId} (executor {executor}) does not select this verifier {identity.Address}."
            );
    }

    public async Task<AttestResponse> AttestAsync(AttestRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Hash256.TryParse(body.RequestId, out var requestId))
            throw ApiException.BadRequest("requestId is not a 64-character hex hash.");
        if (!_pending.TryGetValue(requestId, out var pending) || pending.Expires < time.GetUtcNow())
            throw ApiException.NotFound(
                $"This verifier holds no commitment for request {requestId}: commit first (POST /v1/verify/commit), and attest within {PendingLifetime.TotalMinutes} minutes."
            );
        // Only the request's gateway may use up the commitment.
        await dispatch
            .CheckAsync(pending.Request.Request, requestId, body.Dispatch, cancellationToken)
            .ConfigureAwait(false);
        var claimed = pending with { Attested = pending.Attested + 1 };
        if (pending.Attested >= MaxAttestsPerCommitment || !_pending.TryUpdate(requestId, claimed, pending))
            throw ApiException.NotFound($"The commitment for request {requestId} was already used.");
        var executorOutputs = WireTensors.Decode(
            body.ExecutorOutputs,
            pending.Model.Signature.Outputs,
            options.MaxRequestBytes,
            "executorOutputs"
        );
        var sameProfile =
            body.ExecutorProfileHash is { } profile
            && Hash256.TryParse(profile, out var executorProfile)
            && executorProfile == runner.ProfileHash;
        var request = pending.Request.Request;
        var attestation = Attest(
            requestId,
            request.ModelId,
            request.InputHash,
            pending.Model,
            executorOutputs,
            pending.Outputs,
            pending.OutputHash,
            sameProfile
        );
        if (attestation.Verdict == AttestationVerdict.Match || claimed.Attested >= MaxAttestsPerCommitment)
            _pending.TryRemove(new KeyValuePair<Hash256, PendingVerification>(requestId, claimed));
        return new AttestResponse(Convert.ToBase64String(attestation.Encode()));
    }

    public async Task<AttestResponse> JudgeAsync(JudgeRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Hash256.TryParse(body.RequestId, out var requestId))
            throw ApiException.BadRequest("requestId is not a 64-character hex hash.");
        if (!Hash256.TryParse(body.ModelId, out var modelId))
            throw ApiException.BadRequest("modelId is not a 64-character hex hash.");
        var disputeId = requestId;
        if (body.DisputeId is not null && !Hash256.TryParse(body.DisputeId, out disputeId))
            throw ApiException.BadRequest("disputeId is not a 64-character hex hash.");
        var dispute = await OpenDisputeAsync(disputeId, cancellationToken).ConfigureAwait(false);
        if (dispute.RequestId != requestId)
            throw new ApiException(
                ErrorCode.RecordMismatch,
                $"Dispute {disputeId} is about request {dispute.RequestId}, not {requestId}."
            );
        if (dispute.ModelId != modelId)
            throw new ApiException(
                ErrorCode.RecordMismatch,
                $"Dispute {requestId} is about model {dispute.ModelId}, not {modelId}."
            );
        Interlocked.Increment(ref _inFlight);
        try
        {
            var model = await catalog.GetAsync(modelId, cancellationToken).ConfigureAwait(false);
            var inputs = WireTensors.Decode(body.Inputs, model.Signature.Inputs, options.MaxRequestBytes);
            var disputed = WireTensors.Decode(
                body.DisputedOutputs,
                model.Signature.Outputs,
                options.MaxRequestBytes,
                "disputedOutputs"
            );
            if (TensorHash.Compute(inputs) != dispute.InputHash)
                throw new ApiException(
                    ErrorCode.RecordMismatch,
                    $"The inputs do not hash to the input hash dispute {disputeId} names."
                );
            if (TensorHash.Compute(disputed) != dispute.DisputedOutputHash)
                throw new ApiException(
                    ErrorCode.RecordMismatch,
                    $"disputedOutputs do not hash to the output hash dispute {disputeId} names."
                );
            var own = await runner.RunAsync(model, inputs, cancellationToken).ConfigureAwait(false);
            // A quorum member cannot know the disputed executor's profile for sure, so it always judges under the tolerance.
            var attestation = Attest(
                requestId,
                modelId,
                TensorHash.Compute(inputs),
                model,
                disputed,
                own,
                TensorHash.Compute(own),
                sameProfile: false
            );
            attestation = Attestation.CreateVote(identity.ChainId, attestation, identity.Key);
            Interlocked.Increment(ref _served);
            return new AttestResponse(Convert.ToBase64String(attestation.Encode()));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The dispute, when it is open on the ledger and its quorum holds this verifier; a refusal otherwise.</summary>
    private async Task<LedgerDispute> OpenDisputeAsync(Hash256 disputeId, CancellationToken cancellationToken)
    {
        var dispute = await ledger.GetDisputeAsync(disputeId, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(ErrorCode.DisputeNotFound, $"The ledger has no dispute {disputeId} to judge.");
        if (dispute.Outcome != DisputeOutcome.Pending)
            throw new ApiException(ErrorCode.DisputeClosed, $"Dispute {disputeId} is already {dispute.Outcome}.");
        var quorum = await ledger.GetDisputeQuorumAsync(disputeId, cancellationToken).ConfigureAwait(false);
        if (quorum.All(v => v.Hotkey != identity.Address))
            throw new ApiException(
                ErrorCode.VerifierNotSelected,
                $"This verifier {identity.Address} is not in the quorum of dispute {disputeId}."
            );
        return dispute;
    }

    public RoleHealthResponse Health() =>
        new(
            nameof(ServerRole.Verifier).ToLowerInvariant(),
            identity.Address.ToString(),
            runner.ProfileHash.ToString(),
            (int)Interlocked.Read(ref _inFlight),
            Interlocked.Read(ref _served)
        );

    private Attestation Attest(
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        LedgerModel model,
        IReadOnlyList<NamedTensor> executorOutputs,
        IReadOnlyList<NamedTensor> own,
        Hash256 ownHash,
        bool sameProfile
    )
    {
        var comparison = OutputComparer.Compare(executorOutputs, own, model.Tolerance, sameProfile);
        return Attestation.Create(
            identity.ChainId,
            requestId,
            modelId,
            inputHash,
            TensorHash.Compute(executorOutputs),
            ownHash,
            runner.ProfileHash,
            comparison.Match ? AttestationVerdict.Match : AttestationVerdict.Mismatch,
            BitConverter.DoubleToUInt64Bits(comparison.MaxAbsError),
            comparison.MaxUlpDistance,
            identity.Key
        );
    }

    private void Remember(Hash256 requestId, PendingVerification pending)
    {
        if (_pending.Count >= MaxPending)
        {
            var now = time.GetUtcNow();
            foreach (var entry in _pending)
            {
                if (entry.Value.Expires < now)
                    _pending.TryRemove(entry.Key, out _);
            }
            if (_pending.Count >= MaxPending)
                throw ApiException.Unavailable(
                    "This verifier holds too many uncompleted verifications; try again shortly."
                );
        }
        _pending[requestId] = pending;
    }
}
