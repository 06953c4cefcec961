using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles.Execution;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Verification;

/// <summary>
/// The honest verifier. For a sampled request it first signs its sample ticket (which the executor cannot
/// predict) and re-executes only when drawn. It commits to the hash of its own output before the gateway shows
/// it the executor's output, so it cannot copy; it then compares under the model's tolerance (bit for bit when
/// both ran the same execution profile) and signs the verdict with the largest error it found.
/// </summary>
internal sealed class VerificationService(
    RoleIdentity identity,
    ModelCatalog catalog,
    IModelRunner runner,
    IInferenceLedger ledger,
    RoleOptions options,
    TimeProvider time
) : IVerifier
{
    private const int MaxPending = 10_000;
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Hash256, PendingVerification> _pending = new();
    private long _inFlight;
    private long _served;

    private sealed record PendingVerification(
        SignedInferenceRequest Request,
        LedgerModel Model,
        IReadOnlyList<NamedTensor> Outputs,
        Hash256 OutputHash,
        DateTimeOffset Expires
    );

    public async Task<CommitResponse> CommitAsync(CommitRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var signed = SignedRequests.Decode(body.Request, identity.ChainId);
            var request = signed.Request;
            var requestId = request.Id(identity.ChainId);
            string? ticketText = null;
            if (request.Mode == VerificationMode.Sampled)
            {
                var ticket = SampleTicket.Create(identity.ChainId, requestId, identity.Key);
                ticketText = Convert.ToBase64String(ticket.Span);
                var parameters = await ledger.GetParametersAsync(cancellationToken).ConfigureAwait(false);
                if (!SampleTicket.IsDrawn(ticket, parameters.SamplingRatePpm))
                    return new CommitResponse(false, ticketText);
            }
            var model = await catalog.GetAsync(request.ModelId, cancellationToken).ConfigureAwait(false);
            var inputs = WireTensors.Decode(body.Inputs, model.Signature.Inputs, options.MaxRequestBytes);
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
            return new CommitResponse(true, ticketText, Convert.ToBase64String(commitment.Encode()));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<AttestResponse> AttestAsync(AttestRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Hash256.TryParse(body.RequestId, out var requestId))
            throw ApiException.BadRequest("requestId is not a 64-character hex hash.");
        if (!_pending.TryRemove(requestId, out var pending) || pending.Expires < time.GetUtcNow())
            throw ApiException.NotFound(
                $"This verifier holds no commitment for request {requestId}: commit first (POST /v1/verify/commit), and attest within {PendingLifetime.TotalMinutes} minutes."
            );
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
        return Task.FromResult(new AttestResponse(Convert.ToBase64String(attestation.Encode())));
    }

    public async Task<AttestResponse> JudgeAsync(JudgeRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Hash256.TryParse(body.RequestId, out var requestId))
            throw ApiException.BadRequest("requestId is not a 64-character hex hash.");
        if (!Hash256.TryParse(body.ModelId, out var modelId))
            throw ApiException.BadRequest("modelId is not a 64-character hex hash.");
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
            Interlocked.Increment(ref _served);
            return new AttestResponse(Convert.ToBase64String(attestation.Encode()));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
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
