using Veritensor.Consensus;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// The Yuma epoch on the ledger: a subnet of 2 validators and 4 miners runs two epochs (the first hands out validator
/// permits, so the second is the first to count weights); the second's payouts, outputs and bonds must equal a direct
/// <see cref="YumaEpoch.Run"/> on inputs rebuilt here from the state before the epoch block.
/// </summary>
[UnitTest]
public sealed class YumaSubnetEpochTests
{
    private const ushort Netuid = 1;

    // Netuid 1, tempo 360: epochs run where (b + 2) mod 361 == 0.
    private const ulong FirstEpoch = 359;
    private const ulong SecondEpoch = 720;

    private static readonly KeyPair[] Validators =
    [
        KeyPair.FromDevelopmentName("yuma-v1"),
        KeyPair.FromDevelopmentName("yuma-v2"),
    ];
    private static readonly KeyPair[] Miners =
    [
        .. Enumerable.Range(1, 4).Select(i => KeyPair.FromDevelopmentName($"yuma-m{i}")),
    ];

    /// <summary>The subnet; with <paramref name="nominator"/>, Alice also stakes 50 tokens on validator 1's hotkey.</summary>
    private static TestChain BuildSubnet(bool nominator = false)
    {
        var chain = new TestChain();
        chain.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        var rules = new SubnetHyperparameters { CommitRevealEnabled = false, WeightsRateLimit = 0 };
        ulong bob = 0,
            charlie = 0;
        chain.Produce([
            Tx.Sign(Keys.Alice, 1, new SetSubnetHyperparametersPayload(Netuid, rules)),
            Tx.RegisterNeuron(Keys.Bob, Validators[0], Netuid, bob++),
            Tx.RegisterNeuron(Keys.Bob, Validators[1], Netuid, bob++),
            .. Miners.Select(m => Tx.RegisterNeuron(Keys.Charlie, m, Netuid, charlie++)),
            Tx.Transfer(Keys.Bob, Validators[0].Address, Tx.Tokens(1), bob++),
            Tx.Transfer(Keys.Bob, Validators[1].Address, Tx.Tokens(1), bob++),
            // The validators' hotkeys are nodes as well as neurons (stake would also go to a neuron hotkey alone).
            Tx.Register(Keys.Bob, Validators[0], bob++),
            Tx.Register(Keys.Bob, Validators[1], bob++),
            Tx.AddStake(Keys.Bob, Validators[0].Address, Tx.Tokens(300), bob++),
            Tx.AddStake(Keys.Bob, Validators[1].Address, Tx.Tokens(100), bob++),
            .. nominator
                ? [Tx.AddStake(Keys.Alice, Validators[1].Address, Tx.Tokens(50), 2)]
                : Array.Empty<SignedTransaction>(),
        ]);
        // Uids 0-1 are the validators, 2-5 the miners; the validators disagree on the miners' order.
        chain.Produce(
            Tx.Sign(Validators[0], 0, new SetWeightsPayload(Netuid, [2, 3, 4, 5], [10, 20, 30, 40], 0)),
            Tx.Sign(Validators[1], 0, new SetWeightsPayload(Netuid, [2, 3, 4, 5], [40, 30, 20, 10], 0))
        );
        while (chain.Chain.Head.Height < SecondEpoch - 1)
            chain.Produce();
        return chain;
    }

    /// <summary>The epoch's input rebuilt from raw state reads, as yuma.md §3 describes it.</summary>
    private static EpochInput InputBefore(IStateView view, ulong block, ulong rao)
    {
        var subnet = view.GetSubnet(Netuid)!;
        var h = subnet.Hyperparameters;
        var neurons = Enumerable.Range(0, subnet.N).Select(uid => view.GetNeuron(Netuid, (ushort)uid)!).ToArray();
        var parameters = new EpochHyperparameters(
            h.Tempo,
            h.ActivityCutoff,
            h.Kappa,
            h.BondsPenalty,
            h.BondsMovingAverage,
            h.MaxAllowedValidators,
            h.Yuma3Enabled,
            h.LiquidAlphaEnabled,
            h.AlphaLow,
            h.AlphaHigh,
            1_000,
            0,
            FirstEpoch,
            null
        );
        return new EpochInput(
            subnet.N,
            block,
            parameters,
            [.. neurons.Select(n => I64F64.FromUInt(view.GetHotkeyStake(n.Hotkey).BaseUnits))],
            [.. neurons.Select(n => n.RegisteredAt)],
            [.. neurons.Select(n => n.LastUpdate)],
            [.. neurons.Select(n => n.ValidatorPermit)],
            [
                .. neurons.Select(n =>
                    view.GetWeights(Netuid, n.Uid).Select(w => new U16Entry(w.Uid, w.Value)).ToArray()
                ),
            ],
            [.. neurons.Select(n => view.GetBonds(Netuid, n.Uid).Select(b => new U16Entry(b.Uid, b.Value)).ToArray())],
            rao
        );
    }

    [Fact]
    public void The_epoch_block_pays_the_owner_18_percent_and_each_uid_exactly_what_a_direct_Yuma_run_gives()
    {
        using var test = BuildSubnet();
        var chain = test.Chain;
        var before = chain.ReadState(view =>
        {
            var pending = view.GetSubnetEmission(Netuid).Pending;
            // The epoch block accrues its own share (1 token: this is the only subnet) before it pays.
            var atEpoch = pending + EmissionSchedule.Default.InitialBlockEmission;
            var ownerCut = new Amount(atEpoch.BaseUnits * 18 / 100);
            var stakes = Enumerable
                .Range(0, 6)
                .Select(uid => view.GetNeuron(Netuid, (ushort)uid)!)
                .Select(n => view.GetStake(n.Coldkey, n.Hotkey))
                .ToArray();
            return (
                Pending: atEpoch,
                OwnerCut: ownerCut,
                Input: InputBefore(view, SecondEpoch, (atEpoch - ownerCut).BaseUnits),
                Alice: view.GetAccount(Keys.Alice.Address).Balance,
                Issuance: view.GetTotalIssuance(),
                Minted: view.GetTotalMinted(),
                Stakes: stakes,
                LastEpoch: view.GetSubnetEmission(Netuid).LastEpochBlock
            );
        });
        Assert.Equal(FirstEpoch, before.LastEpoch);
        // 360 blocks have accrued since the first epoch; its dust stayed pending too.
        Assert.InRange(before.Pending.BaseUnits, Amount.FromTokens(361).BaseUnits, Amount.FromTokens(362).BaseUnits);
        // The first epoch gave permits to the staked validators only, so this epoch counts their weights.
        Assert.Equal([true, true, false, false, false, false], before.Input.ValidatorPermit);

        var expected = YumaEpoch.Run(before.Input);
        test.Produce();

        chain.ReadState(view =>
        {
            var paid = before.OwnerCut;
            for (ushort uid = 0; uid < 6; uid++)
            {
                var neuron = view.GetNeuron(Netuid, uid)!;
                var emission = new Amount(expected.Emission[uid]);
                Assert.Equal(emission, neuron.Emission);
                Assert.Equal(before.Stakes[uid] + emission, view.GetStake(neuron.Coldkey, neuron.Hotkey));
                Assert.Equal(
                    (
                        expected.NewValidatorPermit[uid],
                        expected.ConsensusU16[uid],
                        expected.IncentiveU16[uid],
                        expected.DividendsU16[uid],
                        expected.ValidatorTrustU16[uid]
                    ),
                    (
                        neuron.ValidatorPermit,
                        neuron.Consensus,
                        neuron.Incentive,
                        neuron.Dividends,
                        neuron.ValidatorTrust
                    )
                );
                Assert.Equal(expected.Bonds[uid].Select(b => ((ushort)b.Column, b.Value)), view.GetBonds(Netuid, uid));
                paid += emission;
            }
            // Miners earn incentive, validators dividends and bonds: the weights really counted.
            Assert.All(Enumerable.Range(2, 4), uid => Assert.NotEqual((ushort)0, neuron(view, uid).Incentive));
            Assert.All(Enumerable.Range(0, 2), uid => Assert.NotEqual((ushort)0, neuron(view, uid).Dividends));
            Assert.NotEmpty(view.GetBonds(Netuid, 0));

            Assert.Equal(before.Alice + before.OwnerCut, view.GetAccount(Keys.Alice.Address).Balance);
            Assert.Equal(before.Issuance + paid, view.GetTotalIssuance());
            Assert.Equal(before.Minted + paid, view.GetTotalMinted());
            // What the floors left over (dust) stays pending: nothing accrued is lost.
            var dust = view.GetSubnetEmission(Netuid).Pending;
            Assert.Equal(before.Pending, paid + dust);
            Assert.InRange(dust.BaseUnits, 0UL, 1_000UL);
            Assert.Equal(SecondEpoch, view.GetSubnetEmission(Netuid).LastEpochBlock);
            return 0;
        });

        static Neuron neuron(IStateView view, int uid) => view.GetNeuron(Netuid, (ushort)uid)!;
    }

    [Fact]
    public void A_nominator_gets_its_pro_rata_share_of_the_validator_part_after_the_default_take()
    {
        using var test = BuildSubnet(nominator: true);
        var chain = test.Chain;
        var hotkey = Validators[1].Address;
        var before = chain.ReadState(view =>
        {
            var atEpoch = view.GetSubnetEmission(Netuid).Pending + EmissionSchedule.Default.InitialBlockEmission;
            var ownerCut = new Amount(atEpoch.BaseUnits * 18 / 100);
            return (
                Input: InputBefore(view, SecondEpoch, (atEpoch - ownerCut).BaseUnits),
                Alice: view.GetStake(Keys.Alice.Address, hotkey),
                Bob: view.GetStake(Keys.Bob.Address, hotkey),
                Total: view.GetHotkeyStake(hotkey),
                Take: view.GetDelegateTake(hotkey)
            );
        });
        Assert.Equal(before.Total, before.Alice + before.Bob);
        Assert.Equal((ushort)11_796, before.Take);
        var expected = YumaEpoch.Run(before.Input);
        test.Produce();

        // Validator 1 (uid 1) earns no incentive: its emission is all validator part.
        var emission = expected.Emission[1];
        var validatorPart = Math.Min(expected.ValidatorEmission[1], emission);
        Assert.Equal(emission, validatorPart);
        var rest = validatorPart - (ulong)((UInt128)validatorPart * 11_796 / 65_535);
        var aliceShare = (ulong)((UInt128)rest * before.Alice.BaseUnits / before.Total.BaseUnits);
        Assert.NotEqual(0UL, aliceShare);
        chain.ReadState(view =>
        {
            Assert.Equal(new Amount(emission), view.GetNeuron(Netuid, 1)!.Emission);
            Assert.Equal(before.Alice + new Amount(aliceShare), view.GetStake(Keys.Alice.Address, hotkey));
            Assert.Equal(before.Bob + new Amount(emission - aliceShare), view.GetStake(Keys.Bob.Address, hotkey));
            Assert.Equal(before.Total + new Amount(emission), view.GetHotkeyStake(hotkey));
            return 0;
        });
    }

    [Fact]
    public void Every_token_accrued_is_paid_or_pending_and_an_importing_node_reaches_the_same_state_root()
    {
        using var test = BuildSubnet();
        test.Produce();
        var chain = test.Chain;
        var height = chain.Head.Height;

        var accounts = chain
            .Store.ScanState([StateKeys.AccountNamespace], int.MaxValue)
            .Aggregate(Amount.Zero, (s, e) => s + AccountState.Decode(e.Value).Balance);
        var (issuance, burned, minted, pending, locked, staked) = chain.ReadState(view =>
        {
            var stakes = chain
                .Store.ScanState([StateKeys.StakeNamespace], int.MaxValue)
                .Aggregate(Amount.Zero, (s, e) => s + StateAccessors.DecodeStake(e).Amount);
            return (
                view.GetTotalIssuance(),
                view.GetTotalBurned(),
                view.GetTotalMinted(),
                view.GetSubnetEmission(Netuid).Pending,
                view.GetSubnet(Netuid)!.Locked,
                stakes
            );
        });
        Assert.Equal(issuance, accounts + staked + locked);
        Assert.Equal(Amount.FromTokens(TestChain.IssuanceTokens) + minted, issuance + burned);
        // The subnet exists from block 1, and each block from then on accrued exactly one token.
        Assert.Equal(new Amount(EmissionSchedule.Default.InitialBlockEmission.BaseUnits * height), minted + pending);

        using var other = new TestChain();
        for (var h = 1UL; h <= height; h++)
            other.Chain.Import(chain.Store.ReadBlock(h)!);
        Assert.Equal(chain.Head.StateRoot, other.Chain.Head.StateRoot);
    }
}
