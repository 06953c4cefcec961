using Veritensor.Ledger.Execution;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// What a block does for subnets after its transactions: run the epoch of every subnet whose epoch falls on this
/// block (<see cref="EpochSchedule.IsEpochBlock"/>). Both block paths of <see cref="Chain.Blockchain"/> call it, so a
/// produced and an imported block compute the same state. Without an <see cref="ISubnetEpoch"/> it does nothing.
/// </summary>
public static class SubnetEpochStep
{
    public static void Run(IStateView state, BlockContext block, ISubnetEpoch? epoch)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        if (epoch is null) return;
        foreach (var netuid in state.GetNetuids().ToList())
            if (EpochSchedule.IsEpochBlock(netuid, state.GetSubnet(netuid)!.Hyperparameters.Tempo, block.Height))
                epoch.Run(state, netuid, block.Height);
    }
}
