using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.State;

/// <summary>A coldkey's stake on a hotkey added at or after <see cref="Since"/>: <see cref="Amount"/> of it is still fresh.</summary>
public sealed record FreshStake(Amount Amount, ulong Since);

/// <summary>
/// Which stake earns a nominator share of an epoch: only stake held through the whole tempo, from the subnet's
/// previous epoch to this one (security.md, "just-in-time stake"). Without it, stake added one block before an epoch
/// and removed one block after takes a share of dividends it never backed. Each AddStake marks the added amount fresh
/// at its block; later adds join it and restart its clock (so stake added in steps counts from the latest step);
/// a removal takes fresh stake first. Stake on its way out (unbonding) earns nothing either. Genesis stake and
/// payouts are never fresh. Fresh records are kept under <see cref="StateKeys.FreshStakeNamespace"/>, one per
/// coldkey and hotkey, and deleted once nothing of them is left.
/// </summary>
public static class StakeMaturity
{
    public static FreshStake? GetFreshStake(this IStateView state, Address coldkey, Address hotkey)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Get(StateKeys.FreshStake(coldkey, hotkey)) is not { } bytes)
            return null;
        var reader = new CanonicalReader(bytes);
        var fresh = new FreshStake(reader.ReadAmount("amount"), reader.ReadU64("since"));
        reader.EnsureEnd("fresh stake");
        return fresh;
    }

    /// <summary>Marks <paramref name="amount"/> just added by a transaction at <paramref name="height"/> as fresh.</summary>
    public static void Added(IStateView state, Address coldkey, Address hotkey, Amount amount, ulong height)
    {
        var before = state.GetFreshStake(coldkey, hotkey)?.Amount ?? Amount.Zero;
        Write(state, coldkey, hotkey, new FreshStake(before + amount, height));
    }

    /// <summary>Takes <paramref name="amount"/>, just removed from the stake, out of its fresh part first.</summary>
    public static void Removed(IStateView state, Address coldkey, Address hotkey, Amount amount)
    {
        if (state.GetFreshStake(coldkey, hotkey) is not { } fresh)
            return;
        var left = fresh.Amount > amount ? fresh.Amount - amount : Amount.Zero;
        Write(state, coldkey, hotkey, fresh with { Amount = left });
    }

    /// <summary>
    /// The part of the coldkey's stake on the hotkey that was held through every block after
    /// <paramref name="previousEpoch"/> and is not unbonding: what a nominator share is computed on.
    /// </summary>
    public static Amount HeldSince(IStateView state, Address coldkey, Address hotkey, ulong previousEpoch)
    {
        var stake = state.GetStake(coldkey, hotkey);
        var excluded = state.GetWithdrawal(coldkey, hotkey)?.Amount ?? Amount.Zero;
        if (state.GetFreshStake(coldkey, hotkey) is { } fresh && fresh.Since > previousEpoch)
            excluded += fresh.Amount;
        return stake > excluded ? stake - excluded : Amount.Zero;
    }

    /// <summary>
    /// <see cref="HeldSince"/> for every nominator of <paramref name="hotkey"/>, in the nominator index's order (base
    /// units): what the epoch's dividends and the subnet's backing are computed on.
    /// </summary>
    public static (Address Coldkey, ulong Held)[] HeldByNominators(
        IStateView state,
        Address hotkey,
        ulong previousEpoch
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        var nominators = state.GetNominators(hotkey);
        var held = new (Address, ulong)[nominators.Count];
        for (var i = 0; i < held.Length; i++)
            held[i] = (nominators[i], HeldSince(state, nominators[i], hotkey, previousEpoch).BaseUnits);
        return held;
    }

    private static void Write(IStateView state, Address coldkey, Address hotkey, FreshStake fresh)
    {
        var key = StateKeys.FreshStake(coldkey, hotkey);
        if (fresh.Amount == Amount.Zero)
        {
            state.Delete(key);
            return;
        }
        state.Set(key, new CanonicalWriter(16).WriteAmount(fresh.Amount).WriteU64(fresh.Since).ToArray());
    }
}
