using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// The writes an inference transaction will make, worked out (and every check made) by
/// <see cref="InferenceExecutor.Validate"/> before anything is written, then carried out by <see cref="Apply"/>.
/// Debits, slashes and credits are listed separately so the conservation of each transaction is easy to see.
/// </summary>
internal sealed class InferencePlan
{
    public List<(Address Account, Amount Amount)> Debits { get; } = [];
    public List<(Address Coldkey, Address Hotkey, Amount Amount)> Slashes { get; } = [];
    public List<(Address Account, Amount Amount)> Credits { get; } = [];
    public List<Action<IStateView>> Records { get; } = [];

    public void Credit(Address account, Amount amount)
    {
        if (amount != Amount.Zero)
            Credits.Add((account, amount));
    }

    /// <summary>Adds <paramref name="other"/>'s writes after this plan's.</summary>
    public void Append(InferencePlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Debits.AddRange(other.Debits);
        Slashes.AddRange(other.Slashes);
        Credits.AddRange(other.Credits);
        Records.AddRange(other.Records);
    }

    public void Apply(IStateView state)
    {
        foreach (var (account, amount) in Debits)
        {
            var before = state.GetAccount(account);
            state.SetAccount(account, before with { Balance = before.Balance - amount });
        }
        foreach (var (coldkey, hotkey, amount) in Slashes)
        {
            state.SetStake(coldkey, hotkey, state.GetStake(coldkey, hotkey) - amount);
            state.SetHotkeyStake(hotkey, state.GetHotkeyStake(hotkey) - amount);
        }
        foreach (var (account, amount) in Credits)
        {
            var before = state.GetAccount(account);
            state.SetAccount(account, before with { Balance = before.Balance + amount });
        }
        foreach (var write in Records)
            write(state);
    }
}
