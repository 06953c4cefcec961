using Veritensor.Client;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Execution;

/// <summary>
/// The inference node's work: check that the request's gateway dispatched it here (<see cref="DispatchAuthorization"/>)
/// and that the ledger has this node serving the model, check the inputs against the request, run the model, and
/// sign a receipt binding request, model, input, output and execution profile.
/// </summary>
internal sealed class ExecutionService(
    RoleIdentity identity,
    DispatchAuthorization dispatch,
    IInferenceLedger ledger,
    ModelCatalog catalog,
    IModelRunner runner,
    RoleOptions options,
    TimeProvider time
)
{
    private long _inFlight;
    private long _served;

    public int InFlight => (int)Interlocked.Read(ref _inFlight);
    public long Served => Interlocked.Read(ref _served);

    public async Task<ExecuteResponse> ExecuteAsync(JsonBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var head = body.Read(BodyPartsJsonContext.Default.ExecuteHead, "execute request");
            var signed = await dispatch
                .AuthorizeAsync(head.Request, head.Dispatch, cancellationToken)
                .ConfigureAwait(false);
            var request = signed.Request;
            var servers = await ledger.GetServersAsync(request.ModelId, cancellationToken).ConfigureAwait(false);
            if (servers.All(s => s.Hotkey != identity.Address))
                throw new ApiException(
                    ErrorCode.ExecutorNotEligible,
                    $"This node ({identity.Address}) is not registered on the ledger to serve model {request.ModelId}."
                );
            var model = await catalog.GetAsync(request.ModelId, cancellationToken).ConfigureAwait(false);
            var inputs = WireTensors.Decode(
                body.Read(BodyPartsJsonContext.Default.InputsPart, "execute request").Inputs,
                model.Signature.Inputs,
                options.MaxRequestBytes
            );
            if (TensorHash.Compute(inputs) != request.InputHash)
                throw ApiException.BadInput(
                    "The inputs do not hash to the request's input hash: they are not the inputs the user signed for."
                );
            var outputs = await runner.RunAsync(model, inputs, cancellationToken).ConfigureAwait(false);
            var receipt = InferenceReceipt.Create(
                identity.ChainId,
                request.Id(identity.ChainId),
                request.ModelId,
                request.InputHash,
                TensorHash.Compute(outputs),
                runner.ProfileHash,
                (ulong)time.GetUtcNow().ToUnixTimeMilliseconds(),
                identity.Key
            );
            Interlocked.Increment(ref _served);
            return new ExecuteResponse(Convert.ToBase64String(receipt.Encode()), WireTensors.Encode(outputs));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public RoleHealthResponse Health() =>
        new(
            nameof(ServerRole.Inference).ToLowerInvariant(),
            identity.Address.ToString(),
            runner.ProfileHash.ToString(),
            InFlight,
            Served
        );
}
