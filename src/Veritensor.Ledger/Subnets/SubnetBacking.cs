using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// What a subnet's share of emission follows (security.md, "emission farming"): the stake behind its permitted
/// validators, so that a subnet earns in proportion to capital that chose to back it, not one equal share per subnet
/// for a flat lock. Only stake held through the whole tempo counts (<see cref="StakeMaturity.HeldSince"/>), so stake
/// parked on a hotkey for the moment of an epoch buys nothing; and a hotkey registered in several subnets backs each
/// with an equal part of its stake (<see cref="SubnetAccessors.GetSubnetCount"/>), so spreading one stake over many
/// subnets of one's own backs no more in total than leaving it in one. Integer arithmetic only.
/// </summary>
internal static class SubnetBacking
{
    /// <summary>The backing of a subnet whose validators (uids with a permit) are <paramref name="validators"/>.</summary>
    public static Amount Of(IStateView state, IEnumerable<Address> validators, ulong previousEpoch)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(validators);
        var total = (UInt128)0;
        foreach (var hotkey in validators)
        {
            var held = (UInt128)0;
            foreach (var (_, amount) in StakeMaturity.HeldByNominators(state, hotkey, previousEpoch))
                held += amount;
            total += held / (ulong)Math.Max(1, state.GetSubnetCount(hotkey));
        }
        return new Amount(total > ulong.MaxValue ? ulong.MaxValue : (ulong)total);
    }

    /// <summary>
    /// Splits <paramref name="emission"/> among subnets in proportion to <paramref name="backing"/>, each share floored,
    /// the remainder one base unit at a time to the first backed subnets, so exactly the emission is split. While no
    /// subnet has backing (a young chain) it is split equally, remainder to the first.
    /// </summary>
    public static ulong[] Split(Amount emission, IReadOnlyList<Amount> backing)
    {
        ArgumentNullException.ThrowIfNull(backing);
        var shares = new ulong[backing.Count];
        if (backing.Count == 0)
            return shares;
        var total = (UInt128)0;
        foreach (var b in backing)
            total += b.BaseUnits;
        var given = 0UL;
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] =
                total == 0
                    ? emission.BaseUnits / (ulong)shares.Length
                    : (ulong)((UInt128)emission.BaseUnits * backing[i].BaseUnits / total);
            given += shares[i];
        }
        // Each floor loses less than one base unit, so fewer units are left than there are (backed) subnets.
        var left = emission.BaseUnits - given;
        for (var i = 0; left > 0; i++)
            if (total == 0 || backing[i] != Amount.Zero)
            {
                shares[i]++;
                left--;
            }
        return shares;
    }
}
