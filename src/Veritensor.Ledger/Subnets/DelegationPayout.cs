using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// How one uid's epoch emission reaches the stakes on its hotkey (bittensor.md §6). The miner part (incentive) goes to
/// the owning coldkey's stake on the hotkey. Of the validator part (dividends) the owner keeps the hotkey's delegate take
/// (floor of part × take / 65535); the rest is shared among every coldkey staking on the hotkey pro-rata to the stake
/// it held through the whole tempo (<see cref="StakeMaturity.HeldSince"/>: not added since the subnet's previous epoch,
/// not unbonding), each share floored, and the dust left by the floors goes to the owner, as does the whole shared part
/// when no stake was held through the tempo. The amounts paid add up to exactly the uid's emission. Integer arithmetic only.
/// </summary>
internal static class DelegationPayout
{
    public static void Pay(
        IStateView state,
        Address owner,
        Address hotkey,
        Amount minerPart,
        Amount validatorPart,
        ulong previousEpoch
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        var ownerAmount = minerPart.BaseUnits;
        var take = (ulong)((UInt128)validatorPart.BaseUnits * state.GetDelegateTake(hotkey) / ushort.MaxValue);
        var shared = validatorPart.BaseUnits - take;
        ownerAmount += take;

        // Every share is computed from the stakes before any is credited.
        var held = StakeMaturity.HeldByNominators(state, hotkey, previousEpoch);
        var total = 0UL;
        foreach (var (_, amount) in held)
            total += amount;
        var shares = new List<(Address Coldkey, ulong Amount)>(held.Length);
        var distributed = 0UL;
        if (total != 0 && shared != 0)
        {
            foreach (var (coldkey, amount) in held)
            {
                var share = (ulong)((UInt128)shared * amount / total);
                if (share == 0)
                    continue;
                shares.Add((coldkey, share));
                distributed += share;
            }
        }
        // The shares are floors of parts of one total, so they never exceed what is shared; the dust goes to the owner.
        ownerAmount += shared - distributed;

        foreach (var (coldkey, share) in shares)
            state.AddStake(coldkey, hotkey, new Amount(share));
        if (ownerAmount != 0)
            state.AddStake(owner, hotkey, new Amount(ownerAmount));
    }
}
