using Veritensor.Core;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>PublishModel and ServeModel: who may publish a name's versions, and which registered inference nodes serve a model.</summary>
internal static class ModelTransactions
{
    internal static void ValidatePublish(IStateView state, SignedTransaction signed, PublishModelPayload publish)
    {
        if (!ModelNames.IsValidName(publish.Name))
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                $"model name '{publish.Name}' must match [a-z0-9][a-z0-9._-]{{0,63}}"
            );
        if (!ModelNames.IsValidVersion(publish.Version))
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                $"model version '{publish.Version}' must match [0-9A-Za-z][0-9A-Za-z._-]{{0,31}}"
            );
        if (publish.ContentId.IsZero)
            throw Reject(ErrorCode.InvalidField, signed, "contentId is zero");
        if (publish.SizeBytes == 0)
            throw Reject(ErrorCode.InvalidField, signed, "sizeBytes is zero");
        if (publish.Signature.Problem() is { } problem)
            throw Reject(ErrorCode.InvalidField, signed, $"signature: {problem}");
        if (state.GetModel(publish.ContentId) is { } existing)
            throw Reject(
                ErrorCode.ModelAlreadyPublished,
                signed,
                $"contentId {publish.ContentId} is already published as {existing.Name}:{existing.Version}"
            );
        if (state.GetModelId(publish.Name, publish.Version) is not null)
            throw Reject(
                ErrorCode.ModelAlreadyPublished,
                signed,
                $"model {publish.Name}:{publish.Version} is already published"
            );
        if (
            state.GetLatestVersion(publish.Name) is { } latest
            && state.GetModelId(publish.Name, latest) is { } latestId
            && state.GetModel(latestId) is { } first
            && first.Owner != signed.Transaction.Sender
        )
            throw Reject(ErrorCode.NotModelOwner, signed, $"model name '{publish.Name}' belongs to {first.Owner}");
    }

    internal static void ValidateServe(IStateView state, SignedTransaction signed, ServeModelPayload serve)
    {
        var node = state.GetNode(serve.Hotkey)
            ?? throw Reject(ErrorCode.HotkeyNotRegistered, signed, $"hotkey {serve.Hotkey} is not a registered node");
        if (node.Owner != signed.Transaction.Sender)
            throw Reject(
                ErrorCode.HotkeyOwnedByAnother,
                signed,
                $"hotkey {serve.Hotkey} belongs to coldkey {node.Owner}"
            );
        if (!node.Roles.HasFlag(NodeRoles.Inference))
            throw Reject(ErrorCode.MissingNodeRole, signed, $"hotkey {serve.Hotkey} does not have the inference role");
        if (state.GetModel(serve.ContentId) is null)
            throw Reject(ErrorCode.ModelNotFound, signed, $"no model has contentId {serve.ContentId}");
        // Starting to serve needs the stake serving needs, so unstaked registrations cannot crowd a model's server list.
        var minimum = state.GetInferenceParameters().MinNodeStake;
        if (
            serve.Serving
            && state.GetHotkeyStake(serve.Hotkey) is var stake
            && (stake < minimum || stake == Amount.Zero)
        )
            throw Reject(
                ErrorCode.InsufficientStake,
                signed,
                $"hotkey {serve.Hotkey} has stake {stake}; serving a model needs at least {minimum}"
            );
    }

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
