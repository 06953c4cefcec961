using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Inference.Models;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// The access layer. For each request: resolve the model, check the inputs against its signature and the user's
/// signed authorisation naming this gateway (before anything runs), quote the fee against the user's balance, sign the
/// draw ticket and draw the verifiers by the ledger's rule, dispatch the request to an inference node and to the
/// verifiers at the same time, show the verifiers the executor's output only after they committed to their own, and
/// answer with outputs, receipt, attestations and state. A request whose drawn verifiers do not all attest is not
/// answered (nor charged): outputs never go out without the verification the user paid for. The record then goes to
/// the ledger in the background.
/// </summary>
internal sealed partial class GatewayService(
    RoleIdentity identity,
    ModelCatalog catalog,
    IInferenceLedger ledger,
    RoleHttp http,
    ExecutorRouter router,
    InferenceResultStore results,
    LedgerRecorder recorder,
    AuditService audits,
    PendingCharges charges,
    RoleOptions options,
    ILogger<GatewayService> log
)
{
    private static readonly TimeSpan VerifierTimeout = TimeSpan.FromSeconds(30);
    private long _inFlight;
    private long _served;

    public async Task<InferenceApiResponse> InferAsync(JsonBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await ServeAsync(body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public InferenceApiResponse Get(Hash256 requestId) =>
        results.Get(requestId)?.Response ?? throw ApiException.NotFound($"This gateway has no request {requestId}.");

    public RoleHealthResponse Health() =>
        new(
            nameof(ServerRole.Gateway).ToLowerInvariant(),
            identity.Address.ToString(),
            "",
            (int)Interlocked.Read(ref _inFlight),
            Interlocked.Read(ref _served)
        );

    private async Task<InferenceApiResponse> ServeAsync(JsonBody body, CancellationToken cancellationToken)
    {
        // The user's signature is checked on the small fields first; the tensors are parsed only once it holds.
        var head = body.Read(BodyPartsJsonContext.Default.InferenceHead, "inference request");
        var mode = InferenceViews.ParseMode(head.Mode);
        var batch = (head.Record ?? options.DefaultRecord) switch
        {
            "single" => false,
            "batch" => true,
            var other => throw ApiException.BadRequest($"record must be 'single' or 'batch', got '{other}'."),
        };
        var model = await catalog
            .ResolveAsync(head.Model ?? throw ApiException.BadRequest("model is missing."), cancellationToken)
            .ConfigureAwait(false);
        var parameters = await ledger.GetParametersAsync(cancellationToken).ConfigureAwait(false);
        var signed = await AuthorizeAsync(head.Authorization, model, mode, parameters, cancellationToken)
            .ConfigureAwait(false);
        var request = signed.Request;

        var inputs = WireTensors.Decode(
            body.Read(BodyPartsJsonContext.Default.InputsPart, "inference request").Inputs,
            model.Signature.Inputs,
            options.MaxRequestBytes
        );
        try
        {
            ModelInputValidator.Validate(model.Signature, inputs, options.MaxRequestBytes);
        }
        catch (InputValidationException e)
        {
            throw ApiException.BadInput($"model {model.Reference}: {e.Message}", e);
        }
        if (TensorHash.Compute(inputs) != request.InputHash)
            throw ApiException.BadInput(
                $"inputs do not hash to authorization.inputHash {request.InputHash}: they are not the inputs the user signed for."
            );
        var requestId = request.Id(identity.ChainId);
        // A replayed request is refused before anything runs (the ledger would refuse to record it twice anyway).
        if (results.Contains(requestId))
            throw Duplicate(requestId);
        await ReserveAsync(requestId, request, model, mode, parameters, cancellationToken).ConfigureAwait(false);
        try
        {
            return await AnswerAsync(
                    new Admitted(signed, requestId, model, mode, parameters, inputs, batch),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch
        {
            // Not answered: the user owes nothing for it, and nothing will be recorded to report an audit against.
            charges.Release(requestId);
            audits.NotRecorded(requestId, "the request was not answered");
            throw;
        }
    }

    /// <summary>A request that passed every check and whose maximum cost is reserved: what answering it needs.</summary>
    private sealed record Admitted(
        SignedInferenceRequest Signed,
        Hash256 RequestId,
        LedgerModel Model,
        VerificationMode Mode,
        InferenceParameters Parameters,
        IReadOnlyList<NamedTensor> Inputs,
        bool Batch
    );

    /// <summary>Draws the verifiers, runs the request on an executor and the verifiers, and answers and records it.</summary>
    private async Task<InferenceApiResponse> AnswerAsync(Admitted admitted, CancellationToken cancellationToken)
    {
        var (signed, requestId, model, mode, parameters, inputs, batch) = admitted;
        var request = signed.Request;
        var requestText = Convert.ToBase64String(signed.Encode());
        var wireInputs = WireTensors.Encode(inputs);
        var ticket = DrawTicket.Create(identity.ChainId, requestId, identity.Key);
        var ticketText = Convert.ToBase64String(ticket.Span);

        // The draw leaves out the executor (a node may hold both roles), so it is made for each executor tried. Verifiers
        // get the request at the same moment as that executor, so their work does not wait on it; a verifier drawn for
        // two executors commits once.
        var commits = new Dictionary<Address, Task<CommitResponse>>();
        async Task<IReadOnlyList<LedgerNode>> DrawFor(LedgerNode executor)
        {
            if (mode == VerificationMode.None)
                return [];
            IReadOnlyList<LedgerNode> drawn;
            try
            {
                drawn = await ledger
                    .SelectVerifiersAsync(
                        requestId,
                        request.AnchorHeight,
                        ticket,
                        mode,
                        executor.Hotkey,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            catch (NoEligibleVerifierException e)
            {
                throw ApiException.Unavailable($"{e.Message} Use mode none or try later.", e);
            }
            foreach (var verifier in drawn)
                if (!commits.ContainsKey(verifier.Hotkey))
                    commits[verifier.Hotkey] = CommitAsync(
                        verifier,
                        new CommitRequest(
                            requestText,
                            wireInputs,
                            executor.Hotkey.ToString(),
                            ticketText,
                            identity.Dispatch(requestId, verifier.Hotkey)
                        ),
                        cancellationToken
                    );
            return drawn;
        }
        Execution execution;
        IReadOnlyList<LedgerNode> verifiers;
        try
        {
            (execution, verifiers) = await ExecuteAsync(
                    model,
                    requestId,
                    request,
                    requestText,
                    wireInputs,
                    DrawFor,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch
        {
            // No executor answered: the verifiers' commitments are not needed; observe them so none faults unseen.
            foreach (var commit in commits.Values)
                Forget(commit);
            throw;
        }
        var verifications = await Task.WhenAll(
                verifiers.Select(v =>
                    VerifyAsync(v, commits[v.Hotkey], requestId, request, model, inputs, execution, cancellationToken)
                )
            )
            .ConfigureAwait(false);
        // Commitments to verifiers drawn only for an executor that failed are not used; observe them so none faults unseen.
        foreach (var (hotkey, commit) in commits)
            if (verifiers.All(v => v.Hotkey != hotkey))
                Forget(commit);

        var missing = verifiers.Where((_, i) => verifications[i] is null).Select(v => v.Hotkey).ToArray();
        if (missing.Length > 0)
            throw ApiException.Unavailable(
                $"Drawn verifier(s) {string.Join(", ", missing)} did not attest request {requestId}, so it cannot be verified as mode {InferenceViews.Mode(mode)} requires; nothing is returned or charged. Retry with a new nonce."
            );
        var attestations = verifications.Select(v => v!).ToList();
        var state =
            attestations.Any(a => a.Verdict == AttestationVerdict.Mismatch) ? InferenceStates.Disputed
            : attestations.Count > 0 ? InferenceStates.Verified
            : InferenceStates.Returned;
        var fee = parameters.RequestFee(model.Price, attestations.Count);
        var response = new InferenceApiResponse(
            requestId.ToString(),
            state,
            InferenceViews.Mode(mode),
            model.ContentId.ToString(),
            model.Reference,
            fee.ToString(),
            execution.WireOutputs,
            InferenceViews.Receipt(execution.Receipt, execution.Node.Endpoint),
            attestations.Select(InferenceViews.Attestation).ToArray(),
            ticketText,
            mode == VerificationMode.Sampled ? verifiers.Count > 0 : null
        );
        if (!results.TryAdd(requestId, new StoredInference(response, model, inputs, execution.Outputs)))
            throw Duplicate(requestId);
        recorder.Enqueue(new InferenceRecord(signed, execution.Receipt, ticket, attestations), batch);
        Interlocked.Increment(ref _served);
        return response;
    }

    /// <summary>Leaves a call whose answer is not needed to finish on its own, observing its failure so none goes unseen.</summary>
    private static void Forget(Task task) => _ = task.ContinueWith(static t => t.Exception, TaskScheduler.Default);

    private static ApiException Duplicate(Hash256 requestId) =>
        new(
            ErrorCode.DuplicateRequest,
            $"Request {requestId} was already served: sign each request with a fresh nonce."
        );

    /// <summary>
    /// Rebuilds the request the user signed from what the gateway sees (model, the input hash the user states, mode, and
    /// the hash of the anchor block on this chain) and checks the signature over it. The caller then checks the inputs
    /// hash to that input hash.
    /// </summary>
    private async Task<SignedInferenceRequest> AuthorizeAsync(
        InferenceAuthorization? authorization,
        LedgerModel model,
        VerificationMode mode,
        InferenceParameters parameters,
        CancellationToken cancellationToken
    )
    {
        if (authorization is null)
            throw ApiException.BadRequest(
                "authorization is missing: the user signs each request (user, maxFee, anchorHeight, nonce, signature)."
            );
        if (!Address.TryParse(authorization.User, out var user, out var userError))
            throw ApiException.BadRequest($"authorization.user: {userError}");
        if (!Amount.TryParseTokens(authorization.MaxFee, out var maxFee, out var feeError))
            throw ApiException.BadRequest($"authorization.maxFee: {feeError}");
        if (authorization.InputHash is null)
            throw ApiException.BadRequest(
                "authorization.inputHash is missing: send the hash of the inputs the user signed (64 hex characters)."
            );
        if (!Hash256.TryParse(authorization.InputHash, out var inputHash))
            throw ApiException.BadRequest("authorization.inputHash is not a 64-character hex hash.");
        Signature signature;
        try
        {
            signature = new Signature(Convert.FromBase64String(authorization.Signature));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw ApiException.BadRequest("authorization.signature is not a base64 Ed25519 signature (64 bytes).");
        }
        var anchorHash = await AnchorHashAsync(authorization.AnchorHeight, parameters, cancellationToken)
            .ConfigureAwait(false);
        var request = new InferenceRequest(
            user,
            identity.Address,
            model.ContentId,
            inputHash,
            mode,
            maxFee,
            authorization.AnchorHeight,
            anchorHash,
            authorization.Nonce
        );
        var signed = new SignedInferenceRequest(request, signature);
        if (!signed.Verify(identity.ChainId))
            throw ApiException.Unauthorized(
                $"authorization.signature does not verify for user {user}: it must sign this gateway ({identity.Address}), this model ({model.ContentId}), these inputs, mode {InferenceViews.Mode(mode)}, max fee, anchor height, the hash of block {request.AnchorHeight} ({anchorHash}) and nonce on chain '{identity.ChainId}'."
            );
        return signed;
    }

    /// <summary>
    /// Checks the fee and reserves it (<see cref="PendingCharges"/>): <c>maxFee</c> must cover the most this mode can
    /// cost, and the user's balance, less what it already owes this gateway for answered requests not yet recorded, must
    /// hold that much.
    /// </summary>
    private async Task ReserveAsync(
        Hash256 requestId,
        InferenceRequest request,
        LedgerModel model,
        VerificationMode mode,
        InferenceParameters parameters,
        CancellationToken cancellationToken
    )
    {
        var quote = parameters.MaximumFee(model.Price, mode);
        if (request.MaxFee < quote)
            throw ApiException.Payment(
                $"authorization.maxFee {request.MaxFee} is below what this request may cost: {quote} (price {model.Price} of {model.Reference}, mode {InferenceViews.Mode(mode)})."
            );
        var balance = await ledger.GetBalanceAsync(request.User, cancellationToken).ConfigureAwait(false);
        if (!charges.TryReserve(requestId, request.User, quote, balance, out var owed))
            throw charges.Holds(requestId) ? Duplicate(requestId)
            : owed == Amount.Zero
                ? ApiException.Payment(
                    $"Insufficient balance: {request.User} holds {balance}, and this request may cost {quote}."
                )
            : ApiException.Payment(
                $"Insufficient balance: {request.User} holds {balance} and owes {owed} for requests this gateway answered and has not recorded yet, and this request may cost {quote}."
            );
    }

    /// <summary>The hash of anchor block <paramref name="anchorHeight"/>, which must be a recent block of this chain.</summary>
    private async Task<Hash256> AnchorHashAsync(
        ulong anchorHeight,
        InferenceParameters parameters,
        CancellationToken cancellationToken
    )
    {
        var head = await ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        // The client may have seen a block newer than this gateway's cached head.
        if (anchorHeight > head.Height)
            head = await ledger.GetHeadAsync(fresh: true, cancellationToken).ConfigureAwait(false);
        if (anchorHeight > head.Height || head.Height - anchorHeight > parameters.AnchorWindow)
            throw ApiException.BadRequest(
                $"authorization.anchorHeight {anchorHeight} must be a recent block: between {(head.Height > parameters.AnchorWindow ? head.Height - parameters.AnchorWindow : 0)} and {head.Height}."
            );
        return await ledger.GetBlockHashAsync(anchorHeight, cancellationToken).ConfigureAwait(false);
    }

    private sealed record Execution(
        LedgerNode Node,
        InferenceReceipt Receipt,
        IReadOnlyList<NamedTensor> Outputs,
        IReadOnlyList<WireTensor> WireOutputs
    );

    /// <summary>
    /// Tries the model's inference nodes in the router's order until one returns a well-formed, correctly signed result;
    /// <paramref name="drawFor"/> draws (and starts) the verifiers of each node before it is asked. Returns the result with
    /// the verifiers drawn for the node that gave it.
    /// </summary>
    private async Task<(Execution Execution, IReadOnlyList<LedgerNode> Verifiers)> ExecuteAsync(
        LedgerModel model,
        Hash256 requestId,
        InferenceRequest request,
        string requestText,
        IReadOnlyList<WireTensor> inputs,
        Func<LedgerNode, Task<IReadOnlyList<LedgerNode>>> drawFor,
        CancellationToken cancellationToken
    )
    {
        var servers = await ledger.GetServersAsync(model.ContentId, cancellationToken).ConfigureAwait(false);
        if (servers.Count == 0)
            throw ApiException.Unavailable($"No inference node serves model {model.Reference}.");
        var failures = new List<string>();
        foreach (var node in router.Order(servers))
        {
            var verifiers = await drawFor(node).ConfigureAwait(false);
            var attempt = router.Begin(node.Hotkey);
            try
            {
                var answer = await http.PostAsync(
                        node.Endpoint,
                        "v1/execute",
                        new ExecuteRequest(requestText, inputs, identity.Dispatch(requestId, node.Hotkey)),
                        RoleJsonContext.Default.ExecuteRequest,
                        RoleJsonContext.Default.ExecuteResponse,
                        TimeSpan.FromMilliseconds(options.ExecutorTimeoutMs),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                var execution = CheckExecution(node, answer, model, requestId, request);
                attempt.Succeeded();
                return (execution, verifiers);
            }
            catch (RoleCallException e) when (e.IsClientError)
            {
                attempt.Failed();
                throw new ApiException(
                    Enum.TryParse<ErrorCode>(e.Code, out var code) ? code : ErrorCode.InvalidInput,
                    $"The inference node refused the request: {e.Message}",
                    e
                );
            }
            catch (Exception e) when (e is RoleCallException or InvalidExecutionException)
            {
                attempt.Failed();
                failures.Add($"{node.Hotkey} ({e.Message})");
                Log.ExecutorFailed(log, node.Hotkey.ToString(), node.Endpoint, e.Message);
            }
        }
        throw ApiException.Unavailable(
            $"No inference node could serve model {model.Reference}: tried {string.Join("; ", failures)}."
        );
    }

    private Execution CheckExecution(
        LedgerNode node,
        ExecuteResponse answer,
        LedgerModel model,
        Hash256 requestId,
        InferenceRequest request
    )
    {
        InferenceReceipt receipt;
        try
        {
            receipt = InferenceReceipt.Decode(Convert.FromBase64String(answer.Receipt));
        }
        catch (Exception e) when (e is FormatException or CanonicalEncodingException)
        {
            throw new InvalidExecutionException($"its receipt is malformed: {e.Message}");
        }
        if (receipt.Executor != node.Hotkey)
            throw new InvalidExecutionException(
                $"its receipt is signed by {receipt.Executor}, not by the node's hotkey"
            );
        if (!receipt.Verify(identity.ChainId))
            throw new InvalidExecutionException("its receipt's signature does not verify");
        if (receipt.SubjectMismatch(requestId, model.ContentId, request.InputHash) is { } field)
            throw new InvalidExecutionException($"its receipt's {field} is not this request's");
        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = WireTensors.Decode(answer.Outputs, model.Signature.Outputs, long.MaxValue, "outputs");
        }
        catch (ApiException e)
        {
            throw new InvalidExecutionException($"its outputs are malformed: {e.Message}");
        }
        if (TensorHash.Compute(outputs) != receipt.OutputHash)
            throw new InvalidExecutionException("its outputs do not hash to its receipt's output hash");
        return new Execution(node, receipt, outputs, WireTensors.Encode(outputs));
    }

    private Task<CommitResponse> CommitAsync(
        LedgerNode verifier,
        CommitRequest body,
        CancellationToken cancellationToken
    ) =>
        http.PostAsync(
            verifier.Endpoint,
            "v1/verify/commit",
            body,
            RoleJsonContext.Default.CommitRequest,
            RoleJsonContext.Default.CommitResponse,
            VerifierTimeout,
            cancellationToken
        );

    /// <summary>
    /// Waits for the verifier's commitment, then shows it the executor's output and checks its attestation; on an audit
    /// (<see cref="AuditService.ShouldAudit"/>) it first shows a planted wrong output and hands the answer to the audits.
    /// Null for a verifier that fails, or whose attestation does not carry the output it committed to.
    /// </summary>
    private async Task<Attestation?> VerifyAsync(
        LedgerNode verifier,
        Task<CommitResponse> commitTask,
        Hash256 requestId,
        InferenceRequest request,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        Execution execution,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var commit = await commitTask.ConfigureAwait(false);
            var commitment = OutputCommitment.Decode(
                Convert.FromBase64String(
                    commit.Commitment ?? throw new InvalidExecutionException("it sent no commitment")
                )
            );
            if (
                commitment.Verifier != verifier.Hotkey
                || commitment.RequestId != requestId
                || !commitment.Verify(identity.ChainId)
            )
                throw new InvalidExecutionException("its commitment is not signed by it for this request");
            if (audits.ShouldAudit())
            {
                var planted = AuditService.Perturb(execution.Outputs);
                var answer = await AttestAsync(
                        verifier,
                        requestId,
                        request,
                        WireTensors.Encode(planted),
                        TensorHash.Compute(planted),
                        execution.Receipt.ProfileHash,
                        commitment,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                audits.Judge(verifier.Hotkey, request, requestId, answer, model, inputs, planted);
            }
            return await AttestAsync(
                    verifier,
                    requestId,
                    request,
                    execution.WireOutputs,
                    execution.Receipt.OutputHash,
                    execution.Receipt.ProfileHash,
                    commitment,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (Exception e)
            when (e
                    is RoleCallException
                        or InvalidExecutionException
                        or FormatException
                        or CanonicalEncodingException
                        or ArgumentException
            )
        {
            Log.VerifierFailed(log, verifier.Hotkey.ToString(), verifier.Endpoint, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Shows the verifier <paramref name="outputs"/> (hashing to <paramref name="outputHash"/>) and returns its attestation,
    /// checked: signed by it, about this request and these outputs, and carrying the output it committed to.
    /// </summary>
    private async Task<Attestation> AttestAsync(
        LedgerNode verifier,
        Hash256 requestId,
        InferenceRequest request,
        IReadOnlyList<WireTensor> outputs,
        Hash256 outputHash,
        Hash256 executorProfile,
        OutputCommitment commitment,
        CancellationToken cancellationToken
    )
    {
        var answer = await http.PostAsync(
                verifier.Endpoint,
                "v1/verify/attest",
                new AttestRequest(
                    requestId.ToString(),
                    outputs,
                    executorProfile.ToString(),
                    identity.Dispatch(requestId, verifier.Hotkey)
                ),
                RoleJsonContext.Default.AttestRequest,
                RoleJsonContext.Default.AttestResponse,
                VerifierTimeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        var attestation = Attestation.Decode(Convert.FromBase64String(answer.Attestation));
        if (attestation.Verifier != verifier.Hotkey || !attestation.Verify(identity.ChainId))
            throw new InvalidExecutionException("its attestation is not signed by it");
        if (attestation.SubjectMismatch(requestId, request.ModelId, request.InputHash, outputHash) is { } field)
            throw new InvalidExecutionException($"its attestation's {field} is not this request's");
        if (attestation.VerifierOutputHash != commitment.VerifierOutputHash)
            throw new InvalidExecutionException("its attestation carries another output than the one it committed to");
        return attestation;
    }

    /// <summary>A role server's answer that does not hold up: the gateway drops it (and tries another executor).</summary>
    private sealed class InvalidExecutionException(string message) : Exception(message);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Inference node {Hotkey} at {Endpoint} failed: {Reason}")]
        public static partial void ExecutorFailed(ILogger logger, string hotkey, string endpoint, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Verifier {Hotkey} at {Endpoint} left out: {Reason}")]
        public static partial void VerifierFailed(ILogger logger, string hotkey, string endpoint, string reason);
    }
}
