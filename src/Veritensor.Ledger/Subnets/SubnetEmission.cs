using Veritensor.Core;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// Where subnet emission comes from: every block accrues <see cref="SubnetRules.BlockEmission"/> into the pending
/// amounts of the subnets (<see cref="SubnetEmissionState.Pending"/>); the epoch pays it out. Pending emission is not
/// yet in total issuance: tokens exist only once they are paid to a balance or a stake.
/// </summary>
public static class SubnetEmission
{
    /// <summary>Adds this block's emission to every subnet's pending amount, equal shares, remainder to the lowest netuids.</summary>
    public static void Accrue(IStateView state, IReadOnlyList<ushort> netuids)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(netuids);
        if (netuids.Count == 0) return;
        var count = (ulong)netuids.Count;
        var share = SubnetRules.BlockEmission.BaseUnits / count;
        var remainder = SubnetRules.BlockEmission.BaseUnits % count;
        for (var i = 0; i < netuids.Count; i++)
        {
            // The division's remainder is spread one base unit at a time so that exactly BlockEmission accrues per block.
            var amount = new Amount(share + ((ulong)i < remainder ? 1UL : 0UL));
            var current = state.GetSubnetEmission(netuids[i]);
            state.SetSubnetEmission(netuids[i], current with { Pending = current.Pending + amount });
        }
    }

    /// <summary>The owner's cut of a payout: <see cref="SubnetRules.OwnerCutPercent"/> percent, rounded down.</summary>
    public static Amount OwnerCut(Amount pending) => new((ulong)((UInt128)pending.BaseUnits * SubnetRules.OwnerCutPercent / 100));
}
