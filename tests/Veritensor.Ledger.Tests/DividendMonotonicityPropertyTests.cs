using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// Staking more on a validator never lowers what it is paid as validator emission (dividends): two chains built from the
/// same seed, identical except that the second adds extra stake on validator 0's hotkey, are run to their second epoch
/// (the first to count weights); validator 0's paid emission in the second must be at least the first's.
/// </summary>
[UnitTest]
public sealed class DividendMonotonicityPropertyTests
{
    private const ushort Netuid = 1;

    // Netuid 1, tempo 360: epochs run where (b + 2) mod 361 == 0.
    private const ulong SecondEpoch = 720;

    private static readonly KeyPair[] Validators =
    [
        KeyPair.FromDevelopmentName("mono-v1"),
        KeyPair.FromDevelopmentName("mono-v2"),
        KeyPair.FromDevelopmentName("mono-v3"),
    ];
    private static readonly KeyPair[] Miners =
    [
        .. Enumerable.Range(1, 4).Select(i => KeyPair.FromDevelopmentName($"mono-m{i}")),
    ];

    /// <summary>Validator 0's paid emission at the second epoch; <paramref name="extra"/> tokens more are staked on it.</summary>
    private static Amount ValidatorZeroEmission(int seed, ulong extra)
    {
        var random = new Random(seed);
        var stakes = Validators.Select(_ => (ulong)random.Next(10, 300)).ToArray();
        var weights = Validators.Select(_ => Miners.Select(_ => (ushort)random.Next(0, 1000)).ToArray()).ToArray();
        var take = (ushort)random.Next(0, DelegateTake.Max + 1);

        using var test = new TestChain();
        test.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        var rules = new SubnetHyperparameters { CommitRevealEnabled = false, WeightsRateLimit = 0 };
        ulong bob = 0,
            charlie = 0,
            dave = 0;
        var setup = new List<SignedTransaction>
        {
            Tx.Sign(Keys.Alice, 1, new SetSubnetHyperparametersPayload(Netuid, rules)),
            Tx.Transfer(Keys.Alice, Keys.Dave.Address, Tx.Tokens(200), 2),
        };
        setup.AddRange(Validators.Select(v => Tx.RegisterNeuron(Keys.Bob, v, Netuid, bob++)));
        setup.AddRange(Miners.Select(m => Tx.RegisterNeuron(Keys.Charlie, m, Netuid, charlie++)));
        // The validators pay the fees of their weights.
        setup.AddRange(Validators.Select(v => Tx.Transfer(Keys.Bob, v.Address, Tx.Tokens(1), bob++)));
        test.Produce([.. setup]);
        var stakeTxs = new List<SignedTransaction>();
        for (var i = 0; i < Validators.Length; i++)
            stakeTxs.Add(Tx.AddStake(Keys.Bob, Validators[i].Address, Tx.Tokens(stakes[i]), bob++));
        stakeTxs.Add(Tx.Sign(Keys.Bob, bob++, new SetDelegateTakePayload(Validators[0].Address, take)));
        // The extra stake is a nominator's (Dave's), so the payout really is split.
        if (extra > 0)
            stakeTxs.Add(Tx.AddStake(Keys.Dave, Validators[0].Address, Tx.Tokens(extra), dave++));
        test.Produce([.. stakeTxs]);
        test.Produce([
            .. Validators.Select((v, i) => Tx.Sign(v, 0, new SetWeightsPayload(Netuid, [3, 4, 5, 6], weights[i], 0))),
        ]);
        while (test.Chain.Head.Height < SecondEpoch - 1)
            test.Produce();
        var hotkey = Validators[0].Address;
        var (daveBefore, totalBefore) = test.Chain.ReadState(view =>
            (view.GetStake(Keys.Dave.Address, hotkey), view.GetHotkeyStake(hotkey))
        );
        test.Produce();
        return test.Chain.ReadState(view =>
        {
            Assert.All(Enumerable.Range(0, Validators.Length), uid =>
                Assert.Equal((ushort)0, view.GetNeuron(Netuid, (ushort)uid)!.Incentive)
            );
            var paid = view.GetNeuron(Netuid, 0)!.Emission.BaseUnits;
            // No incentive, so all of it is validator emission: the take off the top, the rest pro-rata to the stake before.
            var shared = paid - (ulong)((UInt128)paid * take / 65_535);
            var daveShare = (ulong)((UInt128)shared * daveBefore.BaseUnits / totalBefore.BaseUnits);
            Assert.Equal(daveBefore + new Amount(daveShare), view.GetStake(Keys.Dave.Address, hotkey));
            Assert.Equal(totalBefore + new Amount(paid), view.GetHotkeyStake(hotkey));
            if (extra > 0)
                Assert.NotEqual(0UL, daveShare);
            return new Amount(paid);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void More_stake_on_a_validator_never_lowers_its_paid_dividends(int seed)
    {
        var extra = (ulong)new Random(seed * 7919).Next(1, 150);
        var baseline = ValidatorZeroEmission(seed, 0);
        var staked = ValidatorZeroEmission(seed, extra);
        Assert.NotEqual(Amount.Zero, baseline);
        Assert.True(
            staked >= baseline,
            $"seed {seed}: {extra} more tokens of stake lowered the dividends from {baseline} to {staked}"
        );
    }
}
