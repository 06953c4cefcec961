using Veritensor.Core;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>The genesis subnet rules: emission schedule (halving, cap), lock cost and minimum tempo.</summary>
[UnitTest]
public sealed class SubnetParametersTests
{
    private static readonly Amount Issuance = Amount.FromTokens(TestChain.IssuanceTokens);

    [Fact]
    public void Without_halving_the_schedule_pays_the_initial_emission_at_every_height()
    {
        var schedule = EmissionSchedule.Default with { HalvingInterval = 0 };
        Assert.Equal(Amount.FromTokens(1), schedule.ScheduledAt(0));
        Assert.Equal(Amount.FromTokens(1), schedule.ScheduledAt(ulong.MaxValue));
    }

    [Theory]
    [InlineData(0UL, 1_000_000_000UL)]
    [InlineData(99UL, 1_000_000_000UL)]
    [InlineData(100UL, 500_000_000UL)]
    [InlineData(199UL, 500_000_000UL)]
    [InlineData(200UL, 250_000_000UL)]
    [InlineData(2_999UL, 1_000_000_000UL >> 29)]
    [InlineData(3_000UL, 0UL)]
    public void The_emission_halves_every_interval(ulong height, ulong expected)
    {
        // 10⁹ < 2³⁰: the 30th halving leaves nothing.
        var schedule = new EmissionSchedule(Amount.FromTokens(1), 100, Amount.FromTokens(21_000_000));
        Assert.Equal(new Amount(expected), schedule.ScheduledAt(height));
    }

    [Fact]
    public void Sixty_four_halvings_leave_nothing_even_of_the_largest_emission()
    {
        // A ulong shift by 64 would be a shift by 0 in C#; the schedule must not wrap back to the initial amount.
        var schedule = new EmissionSchedule(new Amount(1UL << 63), 1, new Amount(ulong.MaxValue));
        Assert.Equal(new Amount(1), schedule.ScheduledAt(63));
        Assert.Equal(Amount.Zero, schedule.ScheduledAt(64));
        Assert.Equal(Amount.Zero, schedule.ScheduledAt(ulong.MaxValue));
    }

    [Theory]
    [InlineData(0UL, 10UL)]
    [InlineData(990UL, 10UL)]
    [InlineData(995UL, 5UL)]
    [InlineData(999UL, 1UL)]
    [InlineData(1_000UL, 0UL)]
    [InlineData(1_500UL, 0UL)]
    public void The_emission_is_clipped_to_the_room_under_the_cap(ulong issuedAndPending, ulong expected)
    {
        var schedule = new EmissionSchedule(new Amount(10), 0, new Amount(1_000));
        Assert.Equal(new Amount(expected), schedule.At(7, new Amount(issuedAndPending)));
    }

    private static Amount PendingAfter(GenesisEmission emission, int blocks)
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Emission = emission;
        using var test = new TestChain(genesis);
        test.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        while (test.Chain.Head.Height < (ulong)blocks)
            test.Produce();
        return test.Chain.ReadState(view => view.GetSubnetEmission(1).Pending);
    }

    [Fact]
    public void A_chain_accrues_the_halving_schedule_block_by_block()
    {
        // Blocks 1..4 with halving every 2 blocks: 1 + 0.5 + 0.5 + 0.25 (height / 2 = 0, 1, 1, 2).
        Assert.Equal(Amount.ParseTokens("2.25"), PendingAfter(new GenesisEmission { HalvingInterval = 2 }, 4));
    }

    [Fact]
    public void A_chain_stops_accruing_at_the_cap()
    {
        // 2.5 tokens of room: blocks 1 and 2 accrue 1 each, block 3 the last 0.5, block 4 nothing.
        var cap = (Issuance + Amount.ParseTokens("2.5")).ToString();
        Assert.Equal(Amount.ParseTokens("2.5"), PendingAfter(new GenesisEmission { MaxIssuance = cap }, 3));
        Assert.Equal(Amount.ParseTokens("2.5"), PendingAfter(new GenesisEmission { MaxIssuance = cap }, 5));
        Assert.Equal(Amount.ParseTokens("2"), PendingAfter(new GenesisEmission { MaxIssuance = cap }, 2));
    }

    [Fact]
    public void Default_sections_leave_the_genesis_as_it_was_and_others_are_stored()
    {
        var plain = TestChain.DefaultGenesis();
        var explicitDefaults = TestChain.DefaultGenesis();
        explicitDefaults.Emission = new GenesisEmission();
        explicitDefaults.Subnets = new GenesisSubnets();
        Assert.Equal(GenesisState.Build(plain).Block.Hash, GenesisState.Build(explicitDefaults).Block.Hash);

        var custom = TestChain.DefaultGenesis();
        custom.Emission = new GenesisEmission
        {
            InitialBlockEmission = "0.5",
            HalvingInterval = 1000,
            MaxIssuance = "5000",
        };
        custom.Subnets = new GenesisSubnets { LockCost = "7", MinTempo = 10 };
        var (block, changes, _) = GenesisState.Build(custom);
        Assert.NotEqual(GenesisState.Build(plain).Block.Hash, block.Hash);
        var world = new WorldState();
        world.Apply(changes);
        Assert.Equal(
            new SubnetParameters(
                new EmissionSchedule(Amount.ParseTokens("0.5"), 1000, Amount.FromTokens(5000)),
                Amount.FromTokens(7),
                10
            ),
            new StateOverlay(world).GetSubnetParameters()
        );
    }

    [Fact]
    public void The_sections_are_read_from_genesis_json()
    {
        var json =
            TestChain.DefaultGenesis().ToJson().TrimEnd().TrimEnd('}')
            + """, "emission": { "initialBlockEmission": "2", "halvingInterval": 10 }, "subnets": { "minTempo": 1 } }""";
        var parameters = SubnetGenesisParser.Parse(GenesisDocument.Parse(json), Issuance);
        Assert.Equal(
            new EmissionSchedule(Amount.FromTokens(2), 10, Amount.FromTokens(21_000_000)),
            parameters.Emission
        );
        Assert.Equal((ushort)1, parameters.MinTempo);
        Assert.Equal(Amount.FromTokens(100), parameters.LockCost);
    }

    [Theory]
    [InlineData("minTempo 0", "subnets.minTempo must be between 1 and 50400, got 0")]
    [InlineData("minTempo 50401", "subnets.minTempo must be between 1 and 50400, got 50401")]
    [InlineData("bad lock cost", "subnets.lockCost:")]
    [InlineData("bad emission", "emission.initialBlockEmission:")]
    [InlineData("bad cap", "emission.maxIssuance:")]
    [InlineData(
        "cap below issuance",
        "emission.maxIssuance (3099.000000000) is below the genesis issuance (3100.000000000)"
    )]
    public void Invalid_sections_are_refused_naming_the_field(string how, string message)
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Emission = new GenesisEmission();
        genesis.Subnets = new GenesisSubnets();
        switch (how)
        {
            case "minTempo 0":
                genesis.Subnets.MinTempo = 0;
                break;
            case "minTempo 50401":
                genesis.Subnets.MinTempo = 50_401;
                break;
            case "bad lock cost":
                genesis.Subnets.LockCost = "-1";
                break;
            case "bad emission":
                genesis.Emission.InitialBlockEmission = "one";
                break;
            case "bad cap":
                genesis.Emission.MaxIssuance = "1e9";
                break;
            default:
                genesis.Emission.MaxIssuance = "3099";
                break;
        }
        var e = Assert.Throws<GenesisException>(() => GenesisState.Build(genesis));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSubnet_locks_the_genesis_lock_cost()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Subnets = new GenesisSubnets { LockCost = "7" };
        using var test = new TestChain(genesis);
        test.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        var (subnet, balance) = test.Chain.ReadState(view =>
            (view.GetSubnet(1)!, view.GetAccount(Keys.Alice.Address).Balance)
        );
        Assert.Equal(Amount.FromTokens(7), subnet.Locked);
        Assert.Equal(Amount.FromTokens(TestChain.FundedTokens - 7) - Tx.MinFee, balance);
    }

    [Fact]
    public void The_genesis_minimum_tempo_bounds_the_hyperparameters()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Subnets = new GenesisSubnets { MinTempo = 10 };
        using var test = new TestChain(genesis);
        test.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        var defaults = test.Chain.ReadState(view => view.GetSubnet(1)!.Hyperparameters);
        Assert.Equal((ushort)360, defaults.Tempo);

        test.Produce(Tx.Sign(Keys.Alice, 1, new SetSubnetHyperparametersPayload(1, defaults with { Tempo = 10 })));
        Assert.Equal((ushort)10, test.Chain.ReadState(view => view.GetSubnet(1)!.Hyperparameters.Tempo));

        test.Produce(
            [Tx.Sign(Keys.Alice, 2, new SetSubnetHyperparametersPayload(1, defaults with { Tempo = 9 }))],
            out var rejected
        );
        var error = Assert.Single(rejected).Error;
        Assert.Equal(ErrorCode.InvalidHyperparameter, error.Code);
        Assert.Contains("tempo must be between 10 and 50400, got 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimum_tempo_above_the_default_lifts_a_new_subnets_tempo()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Subnets = new GenesisSubnets { MinTempo = 1000 };
        using var test = new TestChain(genesis);
        test.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        Assert.Equal((ushort)1000, test.Chain.ReadState(view => view.GetSubnet(1)!.Hyperparameters.Tempo));
    }
}
