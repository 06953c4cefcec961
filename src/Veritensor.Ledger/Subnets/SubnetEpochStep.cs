using Veritensor.Ledger.Execution;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// What a block does for subnets after its transactions: accrue emission (<see cref="SubnetEmission.Accrue"/>), then run the epoch of every subnet whose epoch falls on this
/// block (<see cref="EpochSchedule.IsEpochBlock"/>). Both block paths of <see cref="Chain.Blockchain"/> call it, so a
/// produced and an imported block compute the same state. Every chain runs it: the epoch is part of the state machine.
/// </summary>
internal static class SubnetEpochStep
{
    public static void Run(IStateView state, BlockContext block, ISubnetEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(epoch);
        var netuids = state.GetNetuids().ToList();
        SubnetEmission.Accrue(state, netuids, block.Height);
        foreach (var netuid in netuids)
            if (EpochSchedule.IsEpochBlock(netuid, state.GetSubnet(netuid)!.Hyperparameters.Tempo, block.Height))
                epoch.Run(state, netuid, block.Height);
    }
}
