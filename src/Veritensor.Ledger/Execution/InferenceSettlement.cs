using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// Where an inference's money goes: the price split between model owner, executor and treasury, slashes of proven liars
/// and the equal shares of a slash. Every amount is integer; division dust goes to the treasury.
/// </summary>
internal static class InferenceSettlement
{
    /// <summary>The price split: owner and executor shares rounded down, the treasury gets its share plus the dust.</summary>
    internal static void PayPrice(
        IStateView state,
        InferencePlan plan,
        ModelRecord model,
        Address executor,
        InferenceParameters parameters
    )
    {
        var ownerShare = InferenceParameters.Share(model.Price, parameters.OwnerShareBps);
        var executorShare = InferenceParameters.Share(model.Price, parameters.ExecutorShareBps);
        plan.Credit(model.Owner, ownerShare);
        plan.Credit(OwnerOf(state, executor), executorShare);
        plan.Credit(InferenceParameters.Treasury, model.Price - ownerShare - executorShare);
    }

    /// <summary>Node rewards go to the coldkey that owns the node (it controls the node's stake too).</summary>
    internal static Address OwnerOf(IStateView state, Address hotkey) => state.GetNode(hotkey)?.Owner ?? hotkey;

    /// <summary>
    /// Output wrong: the executor and every false matcher are slashed; the user gets the escrow back except the honest
    /// mismatchers' verification fees; the slashed stake is shared equally by the mismatchers and the majority quorum.
    /// Output right: every false mismatcher is slashed; the escrow pays out as an undisputed record would (the false
    /// mismatchers' fees go back to the user); the slashed stake is shared by the executor and the majority quorum.
    /// Shares go to the nodes' owner coldkeys; the division's dust goes to the treasury.
    /// </summary>
    internal static void PlanInferenceSettlement(
        IStateView state,
        InferencePlan plan,
        Dispute dispute,
        DisputeOutcome outcome,
        IReadOnlyList<Address> majority,
        InferenceParameters parameters
    )
    {
        var executor = dispute.Executor!.Value;
        var slashed = Amount.Zero;
        var rewarded = new List<Address>();
        if (outcome == DisputeOutcome.OutputWrong)
        {
            slashed += Slash(state, plan, executor, parameters);
            foreach (var matcher in dispute.Matchers)
                slashed += Slash(state, plan, matcher, parameters);
            var mismatcherFees = new Amount(
                checked(dispute.VerificationFee.BaseUnits * (ulong)dispute.Mismatchers.Count)
            );
            plan.Credit(dispute.User, dispute.Escrow - mismatcherFees);
            foreach (var mismatcher in dispute.Mismatchers)
                plan.Credit(OwnerOf(state, mismatcher), dispute.VerificationFee);
            rewarded.AddRange(dispute.Mismatchers);
        }
        else
        {
            foreach (var mismatcher in dispute.Mismatchers)
                slashed += Slash(state, plan, mismatcher, parameters);
            var model = state.GetModel(dispute.ModelId)!;
            PayPrice(state, plan, model with { Price = dispute.Price }, executor, parameters);
            foreach (var matcher in dispute.Matchers)
                plan.Credit(OwnerOf(state, matcher), dispute.VerificationFee);
            plan.Credit(
                dispute.User,
                new Amount(checked(dispute.VerificationFee.BaseUnits * (ulong)dispute.Mismatchers.Count))
            );
            rewarded.Add(executor);
        }
        rewarded.AddRange(majority);
        Share(state, plan, slashed, rewarded);
    }

    /// <summary>Output wrong (the verifier matched a planted wrong output): it is slashed and the reporter gets its bond plus the slash. Output right: the bond goes to the verifier's owner.</summary>
    internal static void PlanAuditSettlement(
        IStateView state,
        InferencePlan plan,
        Dispute dispute,
        DisputeOutcome outcome,
        InferenceParameters parameters
    )
    {
        var verifier = dispute.Matchers[0];
        if (outcome == DisputeOutcome.OutputWrong)
            plan.Credit(dispute.Reporter!.Value, dispute.Escrow + Slash(state, plan, verifier, parameters));
        else
            plan.Credit(OwnerOf(state, verifier), dispute.Escrow);
    }

    /// <summary>
    /// Plans taking <see cref="InferenceParameters.SlashBps"/> of every stake on the node, its owner's and each
    /// nominator's alike (stake that is unbonding included: it is still staked), so whoever made the node eligible and
    /// weighted its draws shares the risk; returns the total.
    /// </summary>
    internal static Amount Slash(IStateView state, InferencePlan plan, Address hotkey, InferenceParameters parameters)
    {
        if (state.GetNode(hotkey) is null)
            return Amount.Zero;
        var total = Amount.Zero;
        foreach (var coldkey in state.GetNominators(hotkey))
        {
            var amount = InferenceParameters.Share(state.GetStake(coldkey, hotkey), parameters.SlashBps);
            if (amount == Amount.Zero)
                continue;
            plan.Slashes.Add((coldkey, hotkey, amount));
            total += amount;
        }
        return total;
    }

    /// <summary>Splits <paramref name="amount"/> equally among the owners of <paramref name="hotkeys"/>; the remainder goes to the treasury.</summary>
    internal static void Share(IStateView state, InferencePlan plan, Amount amount, IReadOnlyList<Address> hotkeys)
    {
        if (hotkeys.Count == 0)
        {
            plan.Credit(InferenceParameters.Treasury, amount);
            return;
        }
        var each = new Amount(amount.BaseUnits / (ulong)hotkeys.Count);
        foreach (var hotkey in hotkeys)
            plan.Credit(OwnerOf(state, hotkey), each);
        plan.Credit(InferenceParameters.Treasury, amount - new Amount(each.BaseUnits * (ulong)hotkeys.Count));
    }
}
