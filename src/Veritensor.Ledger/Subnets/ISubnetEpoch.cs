using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// The seam for the Yuma epoch (issue 3's consensus project): given the state after a block's transactions,
/// run the epoch of a subnet when <see cref="EpochSchedule.IsEpochBlock"/> says so, reading
/// neurons (<see cref="SubnetAccessors.GetNeuron"/>), weights (<see cref="SubnetAccessors.GetWeights"/>) and
/// hotkey stakes, and writing each neuron's outputs with <see cref="SubnetAccessors.SetEpochOutputs"/>.
/// <see cref="SubnetEpochStep"/> calls it in every block, produced or imported, after the transactions; pass the
/// <see cref="YumaSubnetEpoch"/> is the one every chain runs; only the seam's own tests open a chain with another.
/// It must be deterministic and integer-only (fixed point), and any exception it throws fails the block.
/// </summary>
internal interface ISubnetEpoch
{
    void Run(IStateView state, ushort netuid, ulong height);
}
