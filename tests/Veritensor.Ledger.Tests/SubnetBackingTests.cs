using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// Emission farming (security.md): a subnet's share of emission follows the stake held behind its validators
/// (<see cref="SubnetBacking"/>), so a subnet created for its flat share, with one neuron and nothing staked, stops
/// earning once real subnets are backed; and one stake spread over several subnets backs no more than it would in one.
/// </summary>
[UnitTest]
public sealed class SubnetBackingTests
{
    private const ushort Honest = 1;
    private const ushort Farm = 2;

    // Tempo 360: netuid 1's epochs run where (b + 2) mod 361 == 0, netuid 2's where (b + 3) mod 361 == 0.
    private const ulong HonestSecondEpoch = 720;
    private const ulong FarmFirstEpoch = 1_080;

    private static readonly KeyPair Validator = KeyPair.FromDevelopmentName("backing-validator");
    private static readonly KeyPair Miner = KeyPair.FromDevelopmentName("backing-miner");
    private static readonly KeyPair Farmer = KeyPair.FromDevelopmentName("backing-farmer");
    private static readonly SubnetHyperparameters Rules = new() { CommitRevealEnabled = false, WeightsRateLimit = 0 };

    /// <summary>A running subnet: bob's validator with 300 tokens staked and a miner, weights set.</summary>
    private static TestChain BuildHonest()
    {
        var chain = new TestChain();
        chain.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        chain.Produce(
            Tx.Sign(Keys.Alice, 1, new SetSubnetHyperparametersPayload(Honest, Rules)),
            Tx.RegisterNeuron(Keys.Bob, Validator, Honest, 0),
            Tx.RegisterNeuron(Keys.Bob, Miner, Honest, 1),
            Tx.Transfer(Keys.Bob, Validator.Address, Tx.Tokens(1), 2),
            Tx.AddStake(Keys.Bob, Validator.Address, Tx.Tokens(300), 3)
        );
        chain.Produce(Tx.Sign(Validator, 0, new SetWeightsPayload(Honest, [1], [1], 0)));
        return chain;
    }

    private static SubnetEmissionState Emission(TestChain chain, ushort netuid) =>
        chain.Chain.ReadState(view => view.GetSubnetEmission(netuid));

    [Fact]
    public void A_farm_subnet_with_one_neuron_and_nothing_staked_earns_nothing_on_a_backed_network()
    {
        using var chain = BuildHonest();
        while (chain.Chain.Head.Height < HonestSecondEpoch)
            chain.Produce();
        // The second epoch measured bob's 300 tokens (held since block 2) and the first epoch's payouts behind the subnet.
        Assert.True(Emission(chain, Honest).Backing >= Tx.Tokens(300));

        // The farm: a subnet for a flat lock, one neuron of its owner's, nothing staked, weight on itself.
        chain.Produce(Tx.CreateSubnet(Keys.Charlie, 0));
        chain.Produce(
            Tx.Sign(Keys.Charlie, 1, new SetSubnetHyperparametersPayload(Farm, Rules)),
            Tx.RegisterNeuron(Keys.Charlie, Farmer, Farm, 2),
            Tx.Transfer(Keys.Charlie, Farmer.Address, Tx.Tokens(1), 3)
        );
        chain.Produce(Tx.Sign(Farmer, 0, new SetWeightsPayload(Farm, [0], [1], 0)));

        // Through the farm's first epoch and on, the honest subnet takes the whole block emission; the farm nothing.
        var perBlock = chain.Chain.ReadState(view => view.GetSubnetParameters().Emission.InitialBlockEmission);
        while (chain.Chain.Head.Height < FarmFirstEpoch + 5)
        {
            var before = Emission(chain, Honest);
            chain.Produce();
            var after = Emission(chain, Honest);
            if (after.LastEpochBlock == before.LastEpochBlock)
                Assert.Equal(before.Pending + perBlock, after.Pending);
            Assert.Equal(Amount.Zero, Emission(chain, Farm).Pending);
        }
        Assert.Equal(FarmFirstEpoch, Emission(chain, Farm).LastEpochBlock);
        Assert.Equal(Amount.Zero, chain.Chain.ReadState(view => view.GetStake(Keys.Charlie.Address, Farmer.Address)));
    }

    [Fact]
    public void One_stake_spread_over_several_subnets_backs_each_with_its_part()
    {
        using var chain = BuildHonest();
        chain.Produce(Tx.CreateSubnet(Keys.Charlie, 0));
        chain.Produce(Tx.RegisterNeuron(Keys.Bob, Validator, Farm, 4));
        chain.Chain.ReadState(view =>
        {
            Assert.Equal(2, view.GetSubnetCount(Validator.Address));
            Assert.Equal(1, view.GetSubnetCount(Miner.Address));
            // Bob's 300 held since block 2: each of the two subnets gets 150 of them.
            Assert.Equal(Tx.Tokens(150), SubnetBacking.Of(view, [Validator.Address], previousEpoch: 2));
            // Measured from before the stake was added, it has not been held through the tempo: it backs nothing.
            Assert.Equal(Amount.Zero, SubnetBacking.Of(view, [Validator.Address], previousEpoch: 1));
            return 0;
        });
    }

    [Theory]
    [InlineData(new ulong[] { 0, 0, 0 }, 10UL, new ulong[] { 4, 3, 3 })]
    [InlineData(new ulong[] { 1, 0, 2 }, 10UL, new ulong[] { 4, 0, 6 })]
    [InlineData(new ulong[] { 3, 3, 3 }, 10UL, new ulong[] { 4, 3, 3 })]
    [InlineData(new ulong[] { 0, 5, 0 }, 7UL, new ulong[] { 0, 7, 0 })]
    public void The_split_is_proportional_to_backing_and_pays_exactly_the_emission(
        ulong[] backing,
        ulong emission,
        ulong[] expected
    )
    {
        var shares = SubnetBacking.Split(new Amount(emission), [.. backing.Select(b => new Amount(b))]);
        Assert.Equal(expected, shares);
        Assert.Equal(emission, shares.Aggregate(0UL, (a, b) => a + b));
    }
}
