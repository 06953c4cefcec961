using System.Globalization;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Consensus;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Api;
using Veritensor.Node.Hosting;

namespace Veritensor.Node.Tests;

/// <summary>
/// The competitive-training loop on a real node over HTTP, with the devnet's short tempo: a subnet with 2 staked
/// validators and 4 miners; one validator sets weights directly, the other by commit-reveal. Blocks are produced
/// through POST /v1/dev/blocks, one at a time, so every height is chosen, not timed. At each of two epoch blocks
/// the test reads the state back through the API, runs <see cref="YumaEpoch.Run"/> on it, and checks that the
/// node paid exactly that: each hotkey's stake, the owner cut, the nominator's dividend share, the stored epoch
/// outputs and bonds, and total issuance.
/// </summary>
[NetworkTest]
public sealed class SubnetEpochApiTests : IAsyncLifetime
{
    private const ushort Netuid = 1;
    private static readonly KeyPair[] ValidatorColdkeys =
    [
        KeyPair.FromDevelopmentName("epoch-api/validator-cold-0"),
        KeyPair.FromDevelopmentName("epoch-api/validator-cold-1"),
    ];
    private static readonly KeyPair[] ValidatorHotkeys =
    [
        KeyPair.FromDevelopmentName("epoch-api/validator-hot-0"),
        KeyPair.FromDevelopmentName("epoch-api/validator-hot-1"),
    ];
    private static readonly KeyPair MinerColdkey = KeyPair.FromDevelopmentName("epoch-api/miner-cold");
    private static readonly KeyPair[] MinerHotkeys =
    [
        .. Enumerable.Range(0, 4).Select(i => KeyPair.FromDevelopmentName($"epoch-api/miner-hot-{i}")),
    ];
    private static readonly byte[] Salt = [.. Enumerable.Range(1, WeightsCommitment.SaltSize).Select(i => (byte)i)];
    private TestNode _node = null!;
    private KeyPair _owner = null!;
    private KeyPair _nominator = null!;
    private string _chainId = "";
    private Amount _fee;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(BlockProductionMode.Manual);
        _owner = _node.Coldkey("alice");
        _nominator = _node.Coldkey("bob");
        var status = await _node.Client.GetStatusAsync(Ct);
        _chainId = status.ChainId;
        _fee = Amount.ParseTokens(status.MinFee);
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        _nominator.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<Hash256> SendAsync(KeyPair from, TransactionPayload payload)
    {
        // The account's next nonce counts the sender's transactions already waiting in the mempool.
        var account = await _node.Client.GetAccountAsync(from.Address, Ct);
        var signed = new Transaction(
            _chainId,
            _node.GenesisHash,
            from.Address,
            ulong.Parse(account.NextNonce, CultureInfo.InvariantCulture),
            _fee,
            payload
        ).Sign(from);
        return Hash256.Parse((await _node.Client.SubmitAsync(signed, Ct)).Id);
    }

    private async Task<ulong> ProduceAsync() =>
        ulong.Parse((await _node.Client.ProduceBlockAsync(Ct)).Height, CultureInfo.InvariantCulture);

    /// <summary>Produces one block and checks that it included every one of <paramref name="ids"/>.</summary>
    private async Task<ulong> IncludeAsync(params Hash256[] ids)
    {
        var height = await ProduceAsync();
        foreach (var id in ids)
        {
            var status = await _node.Client.GetTransactionAsync(id, cancellationToken: Ct);
            Assert.True(
                status.Status == "included",
                $"{id}: {status.Status} {status.Error?.Code} {status.Error?.Message}"
            );
        }
        return height;
    }

    private async Task ProduceUntilAsync(ulong height)
    {
        var head = ulong.Parse((await _node.Client.GetStatusAsync(Ct)).Height, CultureInfo.InvariantCulture);
        Assert.True(head <= height, $"the chain is at {head}, past {height}");
        while (head < height)
            head = await ProduceAsync();
    }

    private async Task<SubnetHyperparameters> HyperparametersAsync() =>
        SubnetViews.Hyperparameters((await _node.Client.GetSubnetAsync(Netuid, Ct)).Hyperparameters);

    [Fact]
    public async Task Emissions_after_each_tempo_equal_a_direct_Yuma_epoch_on_the_state_read_back_from_the_api()
    {
        // The devnet genesis: default schedule and lock cost, tempo floor 10. Nothing accrues before a subnet exists.
        var rules = await _node.Client.GetEmissionAsync(Ct);
        Assert.Equal(
            (
                DevnetSetup.MinTempo,
                Amount.FromTokens(100),
                Amount.FromTokens(1),
                "0",
                Amount.FromTokens(21_000_000),
                Amount.Zero
            ),
            (
                rules.MinTempo,
                Amount.ParseTokens(rules.LockCost),
                Amount.ParseTokens(rules.InitialBlockEmission),
                rules.HalvingInterval,
                Amount.ParseTokens(rules.MaxIssuance),
                Amount.ParseTokens(rules.NextBlockEmission)
            )
        );

        // Block 1: the subnet, and funds for the coldkeys (stake, burns) and hotkeys (weight fees).
        var setup = new List<Hash256> { await SendAsync(_owner, new CreateSubnetPayload()) };
        foreach (
            var (key, tokens) in new[]
            {
                (ValidatorColdkeys[0], 3000UL),
                (ValidatorColdkeys[1], 3000UL),
                (MinerColdkey, 100UL),
                (ValidatorHotkeys[0], 10UL),
                (ValidatorHotkeys[1], 10UL),
            }
        )
            setup.Add(await SendAsync(_owner, new TransferPayload(key.Address, Amount.FromTokens(tokens))));
        Assert.Equal(1UL, await IncludeAsync([.. setup]));

        // Block 2: the devnet's floor lets the owner set tempo 10 (not 9); weights directly, no rate limit. Registrations.
        var hyperparameters = await HyperparametersAsync() with
        {
            Tempo = DevnetSetup.MinTempo,
            CommitRevealEnabled = false,
            WeightsRateLimit = 0,
        };
        var tooShort = await Assert.ThrowsAsync<NodeClientException>(() =>
            SendAsync(_owner, new SetSubnetHyperparametersPayload(Netuid, hyperparameters with { Tempo = 9 }))
        );
        Assert.Equal("InvalidHyperparameter", tooShort.Code);
        var registrations = new List<Hash256>
        {
            await SendAsync(_owner, new SetSubnetHyperparametersPayload(Netuid, hyperparameters)),
        };
        for (var i = 0; i < 2; i++)
            registrations.Add(
                await SendAsync(
                    ValidatorColdkeys[i],
                    RegisterNeuronPayload.Create(_chainId, ValidatorColdkeys[i].Address, ValidatorHotkeys[i], Netuid)
                )
            );
        foreach (var miner in MinerHotkeys)
            registrations.Add(
                await SendAsync(
                    MinerColdkey,
                    RegisterNeuronPayload.Create(_chainId, MinerColdkey.Address, miner, Netuid)
                )
            );
        await IncludeAsync([.. registrations]);
        Assert.Equal((ushort)10, (await HyperparametersAsync()).Tempo);

        // Block 3: the validators stake on their own hotkeys; Bob nominates validator 0.
        await IncludeAsync(
            await SendAsync(
                ValidatorColdkeys[0],
                new StakePayload(TransactionKind.AddStake, ValidatorHotkeys[0].Address, Amount.FromTokens(2000))
            ),
            await SendAsync(
                ValidatorColdkeys[1],
                new StakePayload(TransactionKind.AddStake, ValidatorHotkeys[1].Address, Amount.FromTokens(1200))
            ),
            await SendAsync(
                _nominator,
                new StakePayload(TransactionKind.AddStake, ValidatorHotkeys[0].Address, Amount.FromTokens(700))
            )
        );

        var uids = (await _node.Client.GetMetagraphAsync(Netuid, cancellationToken: Ct)).Neurons.ToDictionary(
            n => n.Hotkey,
            n => (ushort)n.Uid
        );
        var miners = MinerHotkeys.Select(m => uids[m.Address.ToString()]).ToArray();

        // Netuid 1, tempo 10: epochs at blocks b with (b + 2) mod 11 = 0, i.e. 9, 20, 31, 42. The first (block 9)
        // writes the permits the later ones mask with.
        await ProduceUntilAsync(9);
        ushort[] directValues = [10, 20, 30, 40];
        await IncludeAsync(
            await SendAsync(ValidatorHotkeys[0], new SetWeightsPayload(Netuid, miners, directValues, 0))
        );
        await IncludeAsync(
            await SendAsync(
                _owner,
                new SetSubnetHyperparametersPayload(Netuid, hyperparameters with { CommitRevealEnabled = true })
            )
        );

        // Block 12 is in epoch (12 + 2) / 11 = 1; the commit is revealed in epoch 2, blocks 20 to 30.
        ushort[] revealUids = [miners[0], miners[1], miners[3]];
        ushort[] revealValues = [40, 20, 10];
        var commitment = WeightsCommitment.Compute(
            ValidatorHotkeys[1].Address,
            Netuid,
            revealUids,
            revealValues,
            Salt,
            0
        );
        Assert.Equal(
            12UL,
            await IncludeAsync(await SendAsync(ValidatorHotkeys[1], new CommitWeightsPayload(Netuid, commitment)))
        );
        var early = await Assert.ThrowsAsync<NodeClientException>(() =>
            SendAsync(ValidatorHotkeys[1], new RevealWeightsPayload(Netuid, revealUids, revealValues, Salt, 0))
        );
        Assert.Equal("WeightsRevealTooEarly", early.Code);
        await ProduceUntilAsync(20);
        await IncludeAsync(
            await SendAsync(ValidatorHotkeys[1], new RevealWeightsPayload(Netuid, revealUids, revealValues, Salt, 0))
        );

        var metagraph = await _node.Client.GetMetagraphAsync(Netuid, weights: true, bonds: false, Ct);
        Assert.Equal(
            miners.Zip(directValues, (uid, v) => ((int)uid, MaxUpscaled(v, directValues.Max()))).ToList(),
            Row(metagraph.Neurons[uids[ValidatorHotkeys[0].Address.ToString()]].Weights)
        );
        Assert.Equal(
            revealUids.Zip(revealValues, (uid, v) => ((int)uid, MaxUpscaled(v, revealValues.Max()))).ToList(),
            Row(metagraph.Neurons[uids[ValidatorHotkeys[1].Address.ToString()]].Weights)
        );

        var genesis = GenesisDocument.Load(_node.Layout.GenesisPath);
        var genesisIssuance = genesis
            .Balances.Select(b => Amount.ParseTokens(b.Amount))
            .Concat(genesis.Validators.Select(v => Amount.ParseTokens(v.Stake)))
            .Aggregate(Amount.Zero, (sum, a) => sum + a);
        var paidInTotal = Amount.Zero;
        foreach (var epochBlock in new ulong[] { 31, 42 })
        {
            var paid = await AssertEpochMatchesYumaAsync(epochBlock, uids);
            paidInTotal += paid;
            var emission = await _node.Client.GetEmissionAsync(Ct);
            Assert.Equal(
                genesisIssuance + Amount.ParseTokens(emission.TotalMinted),
                Amount.ParseTokens(emission.TotalIssuance) + Amount.ParseTokens(emission.TotalBurned)
            );
        }
        Assert.True(paidInTotal > Amount.FromTokens(10), $"two epochs of about 11 tokens each paid only {paidInTotal}");
    }

    /// <summary>The state the epoch reads and the accounts it pays, all from the API.</summary>
    private sealed record Snapshot(
        SubnetResponse Subnet,
        MetagraphResponse Metagraph,
        EmissionResponse Emission,
        Amount OwnerBalance,
        Amount NominatorStake,
        Amount ValidatorOwnStake,
        ushort DelegateTake
    );

    private async Task<Snapshot> ReadAsync()
    {
        var nominator = await _node.Client.GetAccountAsync(_nominator.Address, Ct);
        var validatorCold = await _node.Client.GetAccountAsync(ValidatorColdkeys[0].Address, Ct);
        var validatorHot = await _node.Client.GetAccountAsync(ValidatorHotkeys[0].Address, Ct);
        return new Snapshot(
            await _node.Client.GetSubnetAsync(Netuid, Ct),
            await _node.Client.GetMetagraphAsync(Netuid, weights: true, bonds: true, Ct),
            await _node.Client.GetEmissionAsync(Ct),
            Amount.ParseTokens((await _node.Client.GetAccountAsync(_owner.Address, Ct)).Balance),
            StakeOn(nominator, ValidatorHotkeys[0].Address),
            StakeOn(validatorCold, ValidatorHotkeys[0].Address),
            validatorHot.DelegateTake!.Value
        );
    }

    /// <summary>Produces <paramref name="epochBlock"/> (empty) and checks every payout against YumaEpoch.Run on the state before it; returns the total paid.</summary>
    private async Task<Amount> AssertEpochMatchesYumaAsync(ulong epochBlock, Dictionary<string, ushort> uids)
    {
        await ProduceUntilAsync(epochBlock - 1);
        var before = await ReadAsync();
        var block = await _node.Client.ProduceBlockAsync(Ct);
        Assert.Equal(epochBlock, ulong.Parse(block.Height, CultureInfo.InvariantCulture));
        Assert.Equal(0, block.TransactionCount);
        var after = await ReadAsync();

        var neurons = before.Metagraph.Neurons;
        var n = neurons.Count;
        Assert.Equal(6, n);
        // The epoch before this one stored bonds, so the EMA really starts from stored rows read back from the API.
        Assert.Contains(neurons, x => x.Bonds!.Count > 0);
        // The owner cut is 18% of what is pending once this block's emission has accrued; the rest is the epoch's.
        var pending =
            Amount.ParseTokens(before.Subnet.PendingEmission) + Amount.ParseTokens(before.Emission.NextBlockEmission);
        var ownerCut = new Amount((ulong)((UInt128)pending.BaseUnits * 18 / 100));
        // The owner (Alice's coldkey) holds no uid, so the epoch has no owner uid.
        Assert.DoesNotContain(neurons, x => x.Hotkey == before.Subnet.Owner);
        var h = before.Subnet.Hyperparameters;
        var input = new EpochInput(
            n,
            epochBlock,
            new EpochHyperparameters(
                (ulong)h.Tempo,
                h.ActivityCutoff,
                (ushort)h.Kappa,
                (ushort)h.BondsPenalty,
                h.BondsMovingAverage,
                h.MaxAllowedValidators,
                h.Yuma3Enabled,
                h.LiquidAlphaEnabled,
                (ushort)h.AlphaLow,
                (ushort)h.AlphaHigh,
                SubnetRules.AlphaSigmoidSteepness,
                SubnetRules.StakeThreshold,
                ulong.Parse(before.Subnet.LastEpochBlock, CultureInfo.InvariantCulture),
                OwnerUid: null
            ),
            [.. neurons.Select(x => I64F64.FromUInt(Amount.ParseTokens(x.Stake).BaseUnits))],
            [.. neurons.Select(x => ulong.Parse(x.RegisteredAt, CultureInfo.InvariantCulture))],
            [.. neurons.Select(x => ulong.Parse(x.LastUpdate, CultureInfo.InvariantCulture))],
            [.. neurons.Select(x => x.ValidatorPermit)],
            [.. neurons.Select(x => Entries(x.Weights))],
            [.. neurons.Select(x => Entries(x.Bonds))],
            (pending - ownerCut).BaseUnits,
            // Commit-reveal is on, and no commit is pending: the one made was revealed.
            new ulong?[n]
        );
        var expected = YumaEpoch.Run(input);

        var paid = ownerCut;
        for (var uid = 0; uid < n; uid++)
        {
            var emission = new Amount(expected.Emission[uid]);
            paid += emission;
            var was = neurons[uid];
            var now = after.Metagraph.Neurons[uid];
            Assert.Equal(was.Hotkey, now.Hotkey);
            Assert.Equal(emission, Amount.ParseTokens(now.Emission));
            Assert.Equal(Amount.ParseTokens(was.Stake) + emission, Amount.ParseTokens(now.Stake));
            Assert.Equal(expected.ConsensusU16[uid], now.Consensus);
            Assert.Equal(expected.IncentiveU16[uid], now.Incentive);
            Assert.Equal(expected.DividendsU16[uid], now.Dividends);
            Assert.Equal(expected.ValidatorTrustU16[uid], now.ValidatorTrust);
            Assert.Equal(expected.NewValidatorPermit[uid], now.ValidatorPermit);
            Assert.Equal(expected.Bonds[uid].Select(e => (e.Column, (int)e.Value)).ToList(), Row(now.Bonds));
        }
        // Both kinds of weights counted: every miner earns incentive and both validators dividends.
        foreach (var miner in MinerHotkeys)
            Assert.NotEqual(0, expected.IncentiveU16[uids[miner.Address.ToString()]]);
        foreach (var validator in ValidatorHotkeys)
            Assert.NotEqual(0, expected.DividendsU16[uids[validator.Address.ToString()]]);

        Assert.Equal(before.OwnerBalance + ownerCut, after.OwnerBalance);

        // Validator 0's dividends: its coldkey keeps the delegate take, the rest is shared by stake before the payout.
        var v0 = uids[ValidatorHotkeys[0].Address.ToString()];
        var validatorPart = Math.Min(expected.ValidatorEmission[v0], expected.Emission[v0]);
        var take = (ulong)((UInt128)validatorPart * before.DelegateTake / ushort.MaxValue);
        var nominatorShare = (ulong)(
            (UInt128)(validatorPart - take)
            * before.NominatorStake.BaseUnits
            / Amount.ParseTokens(neurons[v0].Stake).BaseUnits
        );
        Assert.NotEqual(0UL, nominatorShare);
        Assert.Equal(before.NominatorStake + new Amount(nominatorShare), after.NominatorStake);
        Assert.Equal(
            before.ValidatorOwnStake + new Amount(expected.Emission[v0] - nominatorShare),
            after.ValidatorOwnStake
        );

        // Issuance grows by exactly what was paid; what the floors left stays pending.
        Assert.Equal(
            Amount.ParseTokens(before.Emission.TotalIssuance) + paid,
            Amount.ParseTokens(after.Emission.TotalIssuance)
        );
        Assert.Equal(
            Amount.ParseTokens(before.Emission.TotalMinted) + paid,
            Amount.ParseTokens(after.Emission.TotalMinted)
        );
        Assert.Equal(pending - paid, Amount.ParseTokens(after.Subnet.PendingEmission));
        Assert.Equal(epochBlock.ToString(CultureInfo.InvariantCulture), after.Subnet.LastEpochBlock);
        Assert.True(pending - paid < new Amount(100), $"the epoch left {pending - paid} unpaid");
        return paid;
    }

    private static Amount StakeOn(AccountResponse account, Address hotkey) =>
        account
            .Stakes.Where(s => s.Hotkey == hotkey.ToString())
            .Select(s => Amount.ParseTokens(s.Amount))
            .SingleOrDefault();

    private static U16Entry[] Entries(IReadOnlyList<WeightView>? row) =>
        [.. row!.Select(w => new U16Entry(w.Uid, (ushort)w.Value))];

    private static List<(int, int)> Row(IReadOnlyList<WeightView>? row) => [.. row!.Select(w => (w.Uid, w.Value))];

    /// <summary>set_weights stores a row scaled so its largest value is 65535, rounded half away from zero.</summary>
    private static int MaxUpscaled(ushort value, ushort max) => (int)(((ulong)value * 65535 * 2 + max) / (2UL * max));
}
