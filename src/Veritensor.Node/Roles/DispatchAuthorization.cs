using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Roles;

/// <summary>
/// The rule every inference and verification node applies before it works: the user signed the request, and the
/// gateway the user named in it (a node registered with the gateway role, the only account that may record and
/// charge the request) signed a <see cref="GatewayDispatch"/> to this node. Nobody else gets a model run.
/// </summary>
internal sealed class DispatchAuthorization(RoleIdentity identity, IInferenceLedger ledger)
{
    public async Task<SignedInferenceRequest> AuthorizeAsync(
        string? request,
        string? dispatch,
        CancellationToken cancellationToken
    )
    {
        var signed = SignedRequests.Decode(request, identity.ChainId);
        await CheckAsync(signed.Request, signed.Id(identity.ChainId), dispatch, cancellationToken)
            .ConfigureAwait(false);
        return signed;
    }

    public async Task CheckAsync(
        InferenceRequest request,
        Hash256 requestId,
        string? dispatch,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        var signature = SignedRequests.ParseSignature(dispatch, "dispatch")
            ?? throw ApiException.Unauthorized(
                "dispatch is missing: a node works only on requests their gateway dispatched to it (the gateway's signature, base64)."
            );
        if (!GatewayDispatch.Verify(identity.ChainId, requestId, identity.Address, signature, request.Gateway))
            throw new ApiException(
                ErrorCode.NotRequestGateway,
                $"dispatch is not signed by gateway {request.Gateway}, which the user named in request {requestId}, for this node {identity.Address}."
            );
        if (
            !await IsGatewayAsync(request.Gateway, fresh: false, cancellationToken).ConfigureAwait(false)
            // A cached view may predate the gateway's registration.
            && !await IsGatewayAsync(request.Gateway, fresh: true, cancellationToken).ConfigureAwait(false)
        )
            throw new ApiException(
                ErrorCode.NotRequestGateway,
                $"the request's gateway {request.Gateway} is not a node registered with the gateway role."
            );
    }

    private async Task<bool> IsGatewayAsync(Address hotkey, bool fresh, CancellationToken cancellationToken) =>
        await ledger.GetNodeAsync(hotkey, fresh, cancellationToken).ConfigureAwait(false) is { } node
        && node.Roles.HasFlag(NodeRoles.Gateway);
}
