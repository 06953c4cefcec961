using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.State;

/// <summary>Typed reads and writes of the state layout in <see cref="StateKeys"/>.</summary>
public static class StateAccessors
{
    public static AccountState GetAccount(this IStateView state, Address address) =>
        state.Get(StateKeys.Account(address)) is { } bytes ? AccountState.Decode(bytes) : default;

    public static void SetAccount(this IStateView state, Address address, AccountState account)
    {
        // An account with nothing in it is not stored, so empty accounts cost nothing and do not change the root.
        if (account == default)
            state.Delete(StateKeys.Account(address));
        else
            state.Set(StateKeys.Account(address), account.Encode());
    }

    public static Amount GetStake(this IStateView state, Address coldkey, Address hotkey) =>
        ReadAmount(state, StateKeys.Stake(coldkey, hotkey));

    /// <summary>Writes a coldkey's stake on a hotkey and keeps the hotkey's nominator index (<see cref="StateKeys.Nominators"/>) in step.</summary>
    public static void SetStake(this IStateView state, Address coldkey, Address hotkey, Amount amount)
    {
        var had = state.GetStake(coldkey, hotkey) != Amount.Zero;
        WriteAmount(state, StateKeys.Stake(coldkey, hotkey), amount);
        var has = amount != Amount.Zero;
        if (had != has)
            DelegationAccessors.UpdateNominators(state, hotkey, coldkey, has);
    }

    /// <summary>Decodes one entry of a scan over <see cref="StateKeys.StakesOf"/>: the hotkey and the amount staked on it.</summary>
    public static (Address Hotkey, Amount Amount) DecodeStake(KeyValuePair<byte[], byte[]> entry)
    {
        if (entry.Key.Length != 1 + 2 * Address.Size || entry.Key[0] != StateKeys.StakeNamespace)
            throw new ArgumentException("Not a stake entry.", nameof(entry));
        return (new Address(entry.Key.AsSpan(1 + Address.Size)), DecodeAmount(entry.Value));
    }

    public static Amount GetHotkeyStake(this IStateView state, Address hotkey) =>
        ReadAmount(state, StateKeys.HotkeyStake(hotkey));

    /// <summary>Writes a hotkey's total stake; a verifier node enters or leaves the verifier index as it crosses the minimum.</summary>
    public static void SetHotkeyStake(this IStateView state, Address hotkey, Amount amount)
    {
        WriteAmount(state, StateKeys.HotkeyStake(hotkey), amount);
        state.RefreshVerifierIndex(hotkey);
    }

    /// <summary>Adds to a coldkey's stake on a hotkey and to the hotkey's total together, so the two never disagree.</summary>
    public static void AddStake(this IStateView state, Address coldkey, Address hotkey, Amount amount)
    {
        state.SetStake(coldkey, hotkey, state.GetStake(coldkey, hotkey) + amount);
        state.SetHotkeyStake(hotkey, state.GetHotkeyStake(hotkey) + amount);
    }

    public static NodeRecord? GetNode(this IStateView state, Address hotkey) =>
        state.Get(StateKeys.Node(hotkey)) is { } bytes ? NodeRecord.Decode(bytes) : null;

    public static void SetNode(this IStateView state, Address hotkey, NodeRecord node) =>
        state.Set(StateKeys.Node(hotkey), node.Encode());

    public static ChainParameters GetParameters(this IStateView state) =>
        state.Get(StateKeys.Parameters) is { } bytes
            ? ChainParameters.Decode(bytes)
            : throw new InvalidOperationException(
                "The state has no chain parameters: it was not initialised from a genesis."
            );

    public static void SetParameters(this IStateView state, ChainParameters parameters) =>
        state.Set(StateKeys.Parameters, parameters.Encode());

    public static Amount GetTotalIssuance(this IStateView state) => ReadAmount(state, StateKeys.TotalIssuance);

    public static void SetTotalIssuance(this IStateView state, Amount amount) =>
        WriteAmount(state, StateKeys.TotalIssuance, amount);

    private static Amount ReadAmount(IStateView state, byte[] key) =>
        state.Get(key) is { } bytes ? DecodeAmount(bytes) : Amount.Zero;

    private static Amount DecodeAmount(byte[] bytes)
    {
        var reader = new CanonicalReader(bytes);
        var amount = reader.ReadAmount("amount");
        reader.EnsureEnd("amount");
        return amount;
    }

    private static void WriteAmount(IStateView state, byte[] key, Amount amount)
    {
        if (amount == Amount.Zero)
            state.Delete(key);
        else
            state.Set(key, new CanonicalWriter(8).WriteAmount(amount).ToArray());
    }
}
