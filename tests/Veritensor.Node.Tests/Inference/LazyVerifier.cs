using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles;
using Veritensor.Node.Roles.Verification;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// A verifier that saves its compute: it commits to a random hash without running the model and attests a match
/// to whatever output it is shown, every message properly signed. Only audits (planted wrong outputs) expose it.
/// </summary>
internal sealed class LazyVerifier(RoleIdentity identity, ModelCatalog catalog) : IVerifier
{
    private static readonly Hash256 FakeProfile = Hash256.Compute("lazy-verifier-profile"u8);
    private readonly ConcurrentDictionary<Hash256, (SignedInferenceRequest Request, Hash256 Committed)> _pending =
        new();
    private long _committed;

    /// <summary>How many commitments it made (none of them backed by a run).</summary>
    public long Committed => Interlocked.Read(ref _committed);

    public async Task<CommitResponse> CommitAsync(JsonBody body, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var head = body.Read(BodyPartsJsonContext.Default.CommitHead, "commit request");
        var signed = SignedRequests.Decode(head.Request, identity.ChainId);
        var requestId = signed.Request.Id(identity.ChainId);
        var madeUp = Hash256.Compute(Guid.NewGuid().ToByteArray());
        _pending[requestId] = (signed, madeUp);
        Interlocked.Increment(ref _committed);
        var commitment = OutputCommitment.Create(identity.ChainId, requestId, madeUp, identity.Key);
        return new CommitResponse(Convert.ToBase64String(commitment.Encode()));
    }

    public async Task<AttestResponse> AttestAsync(AttestRequest body, CancellationToken cancellationToken)
    {
        var requestId = Hash256.Parse(body.RequestId);
        // Kept, not removed: an audited request shows it a planted output first and the real one after.
        if (!_pending.TryGetValue(requestId, out var pending))
            throw ApiException.NotFound($"no commitment for {requestId}");
        var request = pending.Request.Request;
        var model = await catalog.GetAsync(request.ModelId, cancellationToken);
        var shown = WireTensors.Decode(body.ExecutorOutputs, model.Signature.Outputs, long.MaxValue, "executorOutputs");
        return Sign(requestId, request.ModelId, request.InputHash, TensorHash.Compute(shown), pending.Committed);
    }

    public async Task<AttestResponse> JudgeAsync(JudgeRequest body, CancellationToken cancellationToken)
    {
        var modelId = Hash256.Parse(body.ModelId);
        var model = await catalog.GetAsync(modelId, cancellationToken);
        var inputs = WireTensors.Decode(body.Inputs, model.Signature.Inputs, long.MaxValue);
        var disputed = TensorHash.Compute(
            WireTensors.Decode(body.DisputedOutputs, model.Signature.Outputs, long.MaxValue, "disputedOutputs")
        );
        return Sign(Hash256.Parse(body.RequestId), modelId, TensorHash.Compute(inputs), disputed, disputed, vote: true);
    }

    public RoleHealthResponse Health() =>
        new("verifier", identity.Address.ToString(), FakeProfile.ToString(), 0, Committed);

    private AttestResponse Sign(
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        Hash256 shown,
        Hash256 own,
        bool vote = false
    )
    {
        var attestation = Attestation.Create(
            identity.ChainId,
            requestId,
            modelId,
            inputHash,
            shown,
            own,
            FakeProfile,
            AttestationVerdict.Match,
            0,
            0,
            identity.Key
        );
        if (vote)
            attestation = Attestation.CreateVote(identity.ChainId, attestation, identity.Key);
        return new AttestResponse(Convert.ToBase64String(attestation.Encode()));
    }
}
