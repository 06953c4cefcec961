using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Inference;

/// <summary>Whether a hotkey may execute a model: a registered inference node, with enough stake, that serves the model.</summary>
internal static class ExecutorEligibility
{
    /// <summary>Null when <paramref name="executor"/> may execute <paramref name="modelId"/>, else why not.</summary>
    public static string? Problem(IStateView state, Address executor, Hash256 modelId, InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        if (state.GetNode(executor) is not { } node)
            return $"executor {executor} is not a registered node";
        if (!node.Roles.HasFlag(NodeRoles.Inference))
            return $"executor {executor} does not have the inference role";
        var stake = state.GetHotkeyStake(executor);
        if (stake < parameters.MinNodeStake)
            return $"executor {executor} has stake {stake}, below the minimum {parameters.MinNodeStake}";
        if (!state.IsServing(modelId, executor))
            return $"executor {executor} does not serve model {modelId}";
        return null;
    }

    public static bool IsEligible(
        IStateView state,
        Address executor,
        Hash256 modelId,
        InferenceParameters parameters
    ) => Problem(state, executor, modelId, parameters) is null;
}
