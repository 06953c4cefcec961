using Veritensor.Core;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// Where subnet emission comes from: every block accrues the genesis <see cref="EmissionSchedule"/>'s amount into the
/// pending amounts of the subnets (<see cref="SubnetEmissionState.Pending"/>), in proportion to each subnet's backing
/// (<see cref="SubnetBacking"/>); the epoch pays it out. Pending emission
/// is not yet in total issuance: tokens exist only once they are paid to a balance or a stake.
/// </summary>
internal static class SubnetEmission
{
    /// <summary>
    /// Adds block <paramref name="height"/>'s emission to every subnet's pending amount, split by backing
    /// (<see cref="SubnetBacking.Split"/>). The emission is clipped so that total issuance plus all pending emission stays within the cap.
    /// </summary>
    public static void Accrue(IStateView state, IReadOnlyList<ushort> netuids, ulong height)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(netuids);
        if (netuids.Count == 0)
            return;
        var pending = new SubnetEmissionState[netuids.Count];
        var issuedAndPending = state.GetTotalIssuance();
        for (var i = 0; i < netuids.Count; i++)
        {
            pending[i] = state.GetSubnetEmission(netuids[i]);
            issuedAndPending += pending[i].Pending;
        }
        var emission = state.GetSubnetParameters().Emission.At(height, issuedAndPending);
        if (emission == Amount.Zero)
            return;

        var shares = SubnetBacking.Split(emission, Array.ConvertAll(pending, p => p.Backing));
        for (var i = 0; i < netuids.Count; i++)
            if (shares[i] != 0)
                state.SetSubnetEmission(
                    netuids[i],
                    pending[i] with
                    {
                        Pending = pending[i].Pending + new Amount(shares[i]),
                    }
                );
    }

    /// <summary>The owner's cut of a payout: <see cref="SubnetRules.OwnerCutPercent"/> percent, rounded down.</summary>
    public static Amount OwnerCut(Amount pending) =>
        new((ulong)((UInt128)pending.BaseUnits * SubnetRules.OwnerCutPercent / 100));
}
