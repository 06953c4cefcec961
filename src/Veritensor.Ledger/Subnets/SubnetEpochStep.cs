using Veritensor.Ledger.Execution;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// What a block does for subnets after its transactions: accrue emission (<see cref="SubnetEmission.Accrue"/>), then run the epoch of every subnet whose epoch falls on this
/// block (<see cref="EpochSchedule.IsEpochBlock"/>). Both block paths of <see cref="Chain.Blockchain"/> call it, so a
/// produced and an imported block compute the same state. Without an <see cref="ISubnetEpoch"/> it does nothing.
/// </summary>
public static class SubnetEpochStep
{
    public static void Run(IStateView state, BlockContext block, ISubnetEpoch? epoch)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        // Emission accrues only on chains that run an epoch to pay it out: otherwise it would pile up unpayable, and
        // chains opened without one (tools, older tests) keep the state roots they had.
        if (epoch is null) return;
        var netuids = state.GetNetuids().ToList();
        SubnetEmission.Accrue(state, netuids, block.Height);
        foreach (var netuid in netuids)
            if (EpochSchedule.IsEpochBlock(netuid, state.GetSubnet(netuid)!.Hyperparameters.Tempo, block.Height))
                epoch.Run(state, netuid, block.Height);
    }
}
