using Veritensor.Core;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;

namespace Veritensor.Ledger.Tests;

/// <summary>The seam the Yuma epoch plugs into: called at each subnet's epoch blocks, in produced and imported blocks alike.</summary>
[UnitTest]
public sealed class SubnetEpochSeamTests
{
    /// <summary>Records its calls and gives every uid an emission equal to the block height, as a stand-in for Yuma.</summary>
    private sealed class RecordingEpoch : ISubnetEpoch
    {
        public List<(ushort Netuid, ulong Height)> Calls { get; } = [];

        public void Run(IStateView state, ushort netuid, ulong height)
        {
            Calls.Add((netuid, height));
            var subnet = state.GetSubnet(netuid)!;
            for (ushort uid = 0; uid < subnet.N; uid++)
                state.SetEpochOutputs(netuid, uid, new EpochOutputs(true, 1, 2, 3, new Amount(height), 4));
        }
    }

    [Fact]
    public void The_epoch_runs_at_the_legacy_epoch_blocks_and_its_outputs_reach_the_metagraph_state_and_an_importing_node()
    {
        var epoch = new RecordingEpoch();
        using var chain = new TestChain(epoch: epoch);
        chain.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        chain.Produce(Tx.RegisterNeuron(Keys.Alice, Keys.NodeA, 1, 1));
        // Netuid 1, tempo 360: (b + 2) mod 361 == 0 at b = 359.
        while (chain.Chain.Head.Height < 360)
            chain.Produce();

        Assert.Equal([((ushort)1, 359UL)], epoch.Calls);
        var neuron = chain.Chain.ReadState(view => view.GetNeuron(1, 0))!;
        Assert.Equal(
            (true, (ushort)1, (ushort)2, (ushort)3, new Amount(359), (ushort)4),
            (
                neuron.ValidatorPermit,
                neuron.Consensus,
                neuron.Incentive,
                neuron.Dividends,
                neuron.Emission,
                neuron.ValidatorTrust
            )
        );

        // A node with the same epoch imports every block and reaches the same state roots (it would reject a mismatch).
        var replica = new RecordingEpoch();
        using var other = new TestChain(epoch: replica);
        for (var height = 1UL; height <= 360; height++)
            other.Chain.Import(chain.Chain.Store.ReadBlock(height)!);
        Assert.Equal(chain.Chain.Head.StateRoot, other.Chain.Head.StateRoot);
        Assert.Equal([((ushort)1, 359UL)], replica.Calls);
    }
}
