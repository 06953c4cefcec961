using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// The subnet transactions on a <see cref="StateOverlay"/>, each at a chosen block height. Alice and Bob hold a million
/// tokens; the neuron hotkeys hold 10 tokens each (they pay the fees of the weights they set).
/// </summary>
[UnitTest]
public sealed class SubnetExecutorTests
{
    private const ulong Rich = 1_000_000;
    private const ulong HotkeyTokens = 10;
    private static readonly KeyPair[] Neurons = Enumerable
        .Range(0, 80)
        .Select(i => KeyPair.FromDevelopmentName($"neuron-{i}"))
        .ToArray();
    private static readonly Amount GenesisIssuance = Amount.FromTokens(
        2 * Rich + 80 * HotkeyTokens + TestChain.ValidatorStakeTokens
    );
    private readonly WorldState _world = new();
    private readonly StateOverlay _state;
    private readonly ChainParameters _parameters;
    private readonly Dictionary<Address, ulong> _nonces = [];

    public SubnetExecutorTests()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Balances.Clear();
        genesis.Balances.Add(
            new()
            {
                Address = Keys.Alice.Address.ToString(),
                Amount = Rich.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        genesis.Balances.Add(
            new()
            {
                Address = Keys.Bob.Address.ToString(),
                Amount = Rich.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        foreach (var neuron in Neurons)
            genesis.Balances.Add(
                new()
                {
                    Address = neuron.Address.ToString(),
                    Amount = HotkeyTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }
            );
        var (_, changes, parameters) = GenesisState.Build(genesis);
        _world.Apply(changes);
        _state = new StateOverlay(_world);
        _parameters = parameters;
    }

    private BlockContext Block(ulong height) =>
        new(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            height,
            TestChain.GenesisTime + (long)height * 1000,
            Keys.Validator.Address,
            _parameters
        );

    private ulong Nonce(KeyPair key) => _nonces.GetValueOrDefault(key.Address);

    private SignedTransaction Sign(KeyPair from, TransactionPayload payload) => Tx.Sign(from, Nonce(from), payload);

    private void Apply(SignedTransaction signed, ulong height)
    {
        TransactionExecutor.Execute(_state, VerifiedTransaction.Verify(signed).Signed, Block(height));
        _nonces[signed.Transaction.Sender] = signed.Transaction.Nonce + 1;
    }

    private void Apply(KeyPair from, TransactionPayload payload, ulong height) => Apply(Sign(from, payload), height);

    /// <summary>Executes a transaction that must fail with <paramref name="code"/> and checks that it changed nothing.</summary>
    private LedgerException Rejected(KeyPair from, TransactionPayload payload, ulong height, ErrorCode code)
    {
        var signed = Sign(from, payload);
        var before = StateSnapshot.Of(_state);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_state, signed, Block(height)));
        Assert.Equal(code, e.Code);
        Assert.Contains(signed.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, StateSnapshot.Of(_state));
        return e;
    }

    private ushort CreateSubnet(KeyPair owner, ulong height = 1)
    {
        var netuid = _state.GetNextNetuid();
        Apply(owner, new CreateSubnetPayload(), height);
        return netuid;
    }

    private void Register(KeyPair coldkey, KeyPair hotkey, ushort netuid, ulong height) =>
        Apply(coldkey, RegisterNeuronPayload.Create(TestChain.ChainId, coldkey.Address, hotkey, netuid), height);

    private void SetHyperparameters(
        ushort netuid,
        ulong height,
        Func<SubnetHyperparameters, SubnetHyperparameters> change
    ) =>
        Apply(
            Keys.Alice,
            new SetSubnetHyperparametersPayload(netuid, change(_state.GetSubnet(netuid)!.Hyperparameters)),
            height
        );

    /// <summary>A subnet owned by Alice with <paramref name="count"/> neurons (Alice's coldkey, hotkeys Neurons[0..]) registered at block 2.</summary>
    private ushort SubnetWithNeurons(int count, Func<SubnetHyperparameters, SubnetHyperparameters>? change = null)
    {
        var netuid = CreateSubnet(Keys.Alice);
        if (change is not null)
            SetHyperparameters(netuid, 1, change);
        for (var i = 0; i < count; i++)
            Register(Keys.Alice, Neurons[i], netuid, 2);
        return netuid;
    }

    private Amount Balances()
    {
        var total = Amount.Zero;
        foreach (var key in new[] { Keys.Alice, Keys.Bob, Keys.Validator, Keys.ValidatorCold }.Concat(Neurons))
            total += _state.GetAccount(key.Address).Balance;
        return total + _state.GetHotkeyStake(Keys.Validator.Address);
    }

    private Amount Locked() =>
        _state.GetNetuids().Aggregate(Amount.Zero, (sum, netuid) => sum + _state.GetSubnet(netuid)!.Locked);

    private void AssertConserved()
    {
        Assert.Equal(_state.GetTotalIssuance(), Balances() + Locked());
        Assert.Equal(GenesisIssuance, _state.GetTotalIssuance() + _state.GetTotalBurned());
    }

    [Fact]
    public void CreateSubnet_locks_the_cost_assigns_netuids_from_1_and_records_owner_block_and_defaults()
    {
        Assert.Equal(1, CreateSubnet(Keys.Alice, 5));
        Assert.Equal(2, CreateSubnet(Keys.Bob, 6));

        var subnet = _state.GetSubnet(1)!;
        Assert.Equal(Keys.Alice.Address, subnet.Owner);
        Assert.Equal(5UL, subnet.CreatedAt);
        Assert.Equal(SubnetParameters.Default.LockCost, subnet.Locked);
        Assert.Equal(BurnSchedule.Initial, subnet.Burn);
        Assert.Equal(0, subnet.N);
        Assert.Equal(new SubnetHyperparameters(), subnet.Hyperparameters);
        Assert.Equal(Keys.Bob.Address, _state.GetSubnet(2)!.Owner);
        Assert.Equal([(ushort)1, (ushort)2], _state.GetNetuids());
        Assert.Equal(
            Amount.FromTokens(Rich) - SubnetParameters.Default.LockCost - Tx.MinFee,
            _state.GetAccount(Keys.Alice.Address).Balance
        );
        AssertConserved();
    }

    [Fact]
    public void The_defaults_are_the_specs_new_subnet_values()
    {
        var d = new SubnetHyperparameters();
        Assert.Equal((ushort)360, d.Tempo);
        Assert.Equal((ushort)256, d.MaxAllowedUids);
        Assert.Equal((ushort)64, d.MaxAllowedValidators);
        Assert.Equal(5000UL, d.ImmunityPeriod);
        Assert.Equal(5000UL, d.ActivityCutoff);
        Assert.Equal((ushort)32767, d.Kappa);
        Assert.Equal(900_000UL, d.BondsMovingAverage);
        Assert.Equal((ushort)65535, d.BondsPenalty);
        Assert.Equal(100UL, d.WeightsRateLimit);
        Assert.Equal((ushort)1, d.MinAllowedWeights);
        Assert.Equal((ushort)65535, d.MaxWeightLimit);
        Assert.True(d.CommitRevealEnabled);
        Assert.Equal((ushort)1, d.RevealPeriodEpochs);
        Assert.True(d.Yuma3Enabled);
        Assert.False(d.LiquidAlphaEnabled);
        Assert.Equal(((ushort)45875, (ushort)58982), (d.AlphaLow, d.AlphaHigh));
        Assert.Null(d.Validate());
    }

    [Fact]
    public void CreateSubnet_without_the_lock_cost_is_rejected()
    {
        Rejected(Neurons[0], new CreateSubnetPayload(), 1, ErrorCode.InsufficientBalance);
    }

    [Fact]
    public void The_owner_sets_hyperparameters_within_range()
    {
        var netuid = CreateSubnet(Keys.Alice);
        SetHyperparameters(netuid, 2, h =>
            h with
            {
                Tempo = 720,
                Kappa = 40_000,
                CommitRevealEnabled = false,
                WeightsVersionKey = 7,
            }
        );
        var set = _state.GetSubnet(netuid)!.Hyperparameters;
        Assert.Equal((ushort)720, set.Tempo);
        Assert.Equal((ushort)40_000, set.Kappa);
        Assert.False(set.CommitRevealEnabled);
        Assert.Equal(7UL, set.WeightsVersionKey);
        Assert.Equal(10_000UL, set.ActivityCutoff);
    }

    [Fact]
    public void Only_the_owner_sets_hyperparameters_of_an_existing_subnet()
    {
        var netuid = CreateSubnet(Keys.Alice);
        Rejected(
            Keys.Bob,
            new SetSubnetHyperparametersPayload(netuid, new SubnetHyperparameters()),
            2,
            ErrorCode.NotSubnetOwner
        );
        Rejected(
            Keys.Alice,
            new SetSubnetHyperparametersPayload(9, new SubnetHyperparameters()),
            2,
            ErrorCode.SubnetNotFound
        );
    }

    public static TheoryData<string> OutOfRange =>
        [
            "tempo",
            "maxAllowedUids",
            "maxAllowedValidators",
            "immunityPeriod",
            "activityCutoff",
            "bondsMovingAverage",
            "minAllowedWeights",
            "maxWeightLimit",
            "revealPeriodEpochs",
            "alphaLow",
            "alphaHigh",
        ];

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Hyperparameters_out_of_range_are_rejected(string which)
    {
        var netuid = CreateSubnet(Keys.Alice);
        var d = new SubnetHyperparameters();
        var bad = which switch
        {
            "tempo" => d with { Tempo = 359 },
            "maxAllowedUids" => d with { MaxAllowedUids = 63 },
            "maxAllowedValidators" => d with { MaxAllowedValidators = 257 },
            "immunityPeriod" => d with { ImmunityPeriod = 50_401 },
            "activityCutoff" => d with { ActivityCutoffFactorMilli = 999 },
            "bondsMovingAverage" => d with { BondsMovingAverage = 1_000_001 },
            "minAllowedWeights" => d with { MinAllowedWeights = 257 },
            "maxWeightLimit" => d with { MaxWeightLimit = 0 },
            "revealPeriodEpochs" => d with { RevealPeriodEpochs = 0 },
            "alphaLow" => d with { AlphaLow = 1637 },
            _ => d with { AlphaHigh = 40_000, AlphaLow = 45_000 },
        };
        var e = Rejected(
            Keys.Alice,
            new SetSubnetHyperparametersPayload(netuid, bad),
            2,
            ErrorCode.InvalidHyperparameter
        );
        Assert.Contains(which, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_burns_the_current_burn_assigns_uids_in_order_and_raises_the_burn()
    {
        var netuid = CreateSubnet(Keys.Alice);
        var balance = _state.GetAccount(Keys.Bob.Address).Balance;
        var issuance = _state.GetTotalIssuance();
        Register(Keys.Bob, Neurons[0], netuid, 10);
        Register(Keys.Bob, Neurons[1], netuid, 10);
        Register(Keys.Alice, Neurons[2], netuid, 11);

        var first = BurnSchedule.Initial;
        var second = new Amount(1_260_000_000);
        var third = new Amount(1_587_600_000);
        Assert.Equal(balance - first - second - Tx.MinFee - Tx.MinFee, _state.GetAccount(Keys.Bob.Address).Balance);
        Assert.Equal(issuance - first - second - third, _state.GetTotalIssuance());
        Assert.Equal(first + second + third, _state.GetTotalBurned());
        Assert.Equal(new Amount(2_000_376_000), _state.GetSubnet(netuid)!.Burn);
        Assert.Equal(3, _state.GetSubnet(netuid)!.N);
        for (ushort uid = 0; uid < 3; uid++)
        {
            var neuron = _state.GetNeuron(netuid, uid)!;
            Assert.Equal(Neurons[uid].Address, neuron.Hotkey);
            Assert.Equal(uid, _state.GetUid(netuid, Neurons[uid].Address));
            Assert.Equal(neuron.RegisteredAt, neuron.LastUpdate);
            Assert.Equal(
                (false, (ushort)0, (ushort)0, (ushort)0, Amount.Zero, (ushort)0),
                (
                    neuron.ValidatorPermit,
                    neuron.Consensus,
                    neuron.Incentive,
                    neuron.Dividends,
                    neuron.Emission,
                    neuron.ValidatorTrust
                )
            );
        }
        Assert.Equal(Keys.Bob.Address, _state.GetNeuron(netuid, 0)!.Coldkey);
        Assert.Equal(11UL, _state.GetNeuron(netuid, 2)!.RegisteredAt);
        AssertConserved();
    }

    [Fact]
    public void The_burn_halves_every_half_life_without_registrations_and_stays_within_its_bounds()
    {
        Assert.Equal((new Amount(8_000_000), 100UL), BurnSchedule.At(new Amount(8_000_000), 100, 459));
        Assert.Equal((new Amount(2_000_000), 820UL), BurnSchedule.At(new Amount(8_000_000), 100, 900));
        Assert.Equal(
            (BurnSchedule.Min, 100UL + 360 * 70),
            BurnSchedule.At(Amount.FromTokens(50), 100, 100 + 360 * 70 + 5)
        );
        Assert.Equal(BurnSchedule.Max, BurnSchedule.AfterRegistration(Amount.FromTokens(90)));

        // On the chain: a registration two half-lives later pays a quarter of the raised burn.
        var netuid = CreateSubnet(Keys.Alice);
        Register(Keys.Bob, Neurons[0], netuid, 1);
        var burned = _state.GetTotalBurned();
        Register(Keys.Bob, Neurons[1], netuid, 1 + 2 * BurnSchedule.HalfLifeBlocks);
        Assert.Equal(new Amount(1_260_000_000UL / 4), _state.GetTotalBurned() - burned);
        Assert.Equal(new Amount(1_260_000_000UL / 4 * 126 / 100), _state.GetSubnet(netuid)!.Burn);
        AssertConserved();
    }

    [Fact]
    public void Registration_rejections_change_nothing()
    {
        var netuid = CreateSubnet(Keys.Alice);
        Register(Keys.Bob, Neurons[0], netuid, 2);
        var other = CreateSubnet(Keys.Alice);

        Rejected(
            Keys.Bob,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Bob.Address, Neurons[1], 7),
            3,
            ErrorCode.SubnetNotFound
        );
        Rejected(
            Keys.Bob,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Bob.Address, Neurons[0], netuid),
            3,
            ErrorCode.NeuronAlreadyRegistered
        );
        // Neurons[0] belongs to Bob now: Alice cannot register it anywhere.
        Rejected(
            Keys.Alice,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Alice.Address, Neurons[0], other),
            3,
            ErrorCode.HotkeyOwnedByAnother
        );
        // A node hotkey belongs to its node's coldkey.
        Rejected(
            Keys.Alice,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Alice.Address, Keys.Validator, netuid),
            3,
            ErrorCode.HotkeyOwnedByAnother
        );
        // Neurons[5] holds 10 tokens, less than fee plus burn after it rose: fine; but a 0-balance key cannot pay.
        Rejected(
            Keys.Dave,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Dave.Address, Neurons[1], netuid),
            3,
            ErrorCode.InsufficientBalance
        );
    }

    [Fact]
    public void Max_allowed_uids_cannot_drop_below_the_uids_in_use()
    {
        var netuid = SubnetWithNeurons(3, h => h with { MaxAllowedUids = 64 });
        SetHyperparameters(netuid, 3, h => h with { MaxAllowedUids = 64 });
        Assert.Equal(3, _state.GetSubnet(netuid)!.N);
        // 64 is the floor of the range anyway; use a subnet filled to 65 on a larger limit.
        var big = SubnetWithNeurons(0, h => h with { MaxAllowedUids = 65 });
        for (var i = 3; i < 68; i++)
            Register(Keys.Alice, Neurons[i], big, 2);
        var e = Rejected(
            Keys.Alice,
            new SetSubnetHyperparametersPayload(big, new SubnetHyperparameters { MaxAllowedUids = 64 }),
            3,
            ErrorCode.InvalidHyperparameter
        );
        Assert.Contains("65 uids in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_neuron_hotkey_cannot_become_another_coldkeys_node()
    {
        var netuid = CreateSubnet(Keys.Alice);
        Register(Keys.Alice, Neurons[0], netuid, 2);
        var before = StateSnapshot.Of(_state);
        var signed = Tx.Register(Keys.Bob, Neurons[0], Nonce(Keys.Bob));
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_state, signed, Block(3)));
        Assert.Equal(ErrorCode.HotkeyOwnedByAnother, e.Code);
        Assert.Equal(before, StateSnapshot.Of(_state));
        Apply(Tx.Register(Keys.Alice, Neurons[0], Nonce(Keys.Alice)), 3);
    }

    [Fact]
    public void Admission_checks_the_burn_against_the_balance()
    {
        var netuid = CreateSubnet(Keys.Alice);
        var signed = Tx.RegisterNeuron(Keys.Dave, Neurons[0], netuid, 0);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.ValidatePayload(_state, signed, 2));
        Assert.Equal(ErrorCode.InsufficientBalance, e.Code);
        Assert.Contains("burn", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_whose_hotkey_did_not_consent_fails_its_signature_check()
    {
        var forged = new RegisterNeuronPayload(
            1,
            Neurons[0].Address,
            Neurons[1]
                .Sign(RegisterNeuronPayload.ProofMessage(TestChain.ChainId, Keys.Bob.Address, Neurons[0].Address, 1))
        );
        Assert.Equal(SignatureCheck.InvalidHotkeyProof, Tx.Sign(Keys.Bob, 0, forged).VerifySignatures());
        var otherNetuid = new RegisterNeuronPayload(
            2,
            Neurons[0].Address,
            Neurons[0]
                .Sign(RegisterNeuronPayload.ProofMessage(TestChain.ChainId, Keys.Bob.Address, Neurons[0].Address, 1))
        );
        Assert.Equal(SignatureCheck.InvalidHotkeyProof, Tx.Sign(Keys.Bob, 0, otherNetuid).VerifySignatures());
        Assert.Equal(SignatureCheck.Valid, Tx.RegisterNeuron(Keys.Bob, Neurons[0], 1, 0).VerifySignatures());
    }

    [Fact]
    public void A_full_subnet_replaces_the_non_immune_neuron_with_the_lowest_emission_then_earliest_registration_then_lowest_uid()
    {
        var netuid = CreateSubnet(Keys.Alice);
        SetHyperparameters(netuid, 1, h => h with { MaxAllowedUids = 64, ImmunityPeriod = 100 });
        // uids 0..31 at block 10, 32..63 at block 20.
        for (var i = 0; i < 64; i++)
            Register(Keys.Alice, Neurons[i], netuid, i < 32 ? 10UL : 20UL);
        Assert.Equal(64, _state.GetSubnet(netuid)!.N);

        // Everyone is immune until block 110.
        var e = Rejected(
            Keys.Alice,
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Alice.Address, Neurons[64], netuid),
            109,
            ErrorCode.SubnetFull
        );
        Assert.Contains("immunity", e.Message, StringComparison.Ordinal);

        // All emissions 0: the earliest registered, lowest uid goes first (uid 0), and only the block-10 group is eligible at 115.
        Register(Keys.Alice, Neurons[64], netuid, 115);
        Assert.Equal(Neurons[64].Address, _state.GetNeuron(netuid, 0)!.Hotkey);
        Assert.Null(_state.GetUid(netuid, Neurons[0].Address));
        Assert.Equal((ushort)0, _state.GetUid(netuid, Neurons[64].Address));
        Assert.Equal(64, _state.GetSubnet(netuid)!.N);

        // Emission decides before registration block: give every neuron emission except uid 40 (registered later).
        for (ushort uid = 0; uid < 64; uid++)
            _state.SetEpochOutputs(
                netuid,
                uid,
                new EpochOutputs(false, 0, 0, 0, uid == 40 ? Amount.Zero : new Amount(1000UL + uid), 0)
            );
        Register(Keys.Alice, Neurons[65], netuid, 130);
        Assert.Equal(Neurons[65].Address, _state.GetNeuron(netuid, 40)!.Hotkey);
        Assert.Equal(Amount.Zero, _state.GetNeuron(netuid, 40)!.Emission);

        // Next lowest emission among non-immune: uid 1 (1001); uid 0 and 40 are newly registered, so immune.
        Register(Keys.Alice, Neurons[66], netuid, 131);
        Assert.Equal(Neurons[66].Address, _state.GetNeuron(netuid, 1)!.Hotkey);
        AssertConserved();
    }

    [Fact]
    public void Replacing_a_neuron_drops_its_weights_bonds_and_commit()
    {
        var netuid = SubnetWithNeurons(64, h =>
            h with
            {
                MaxAllowedUids = 64,
                ImmunityPeriod = 10,
                WeightsRateLimit = 0,
                CommitRevealEnabled = false,
            }
        );
        Apply(Neurons[0], new SetWeightsPayload(netuid, [1, 2], [10, 20], 0), 20);
        Assert.NotEmpty(_state.GetWeights(netuid, 0));
        // As if an epoch had given uid 0 bonds.
        _state.SetBonds(netuid, 0, [(1, 500)]);
        // uid 0 set weights but emission is zero for all, registration ties: lowest uid, so uid 0 is replaced.
        Register(Keys.Alice, Neurons[70], netuid, 30);
        Assert.Equal(Neurons[70].Address, _state.GetNeuron(netuid, 0)!.Hotkey);
        Assert.Empty(_state.GetWeights(netuid, 0));
        Assert.Empty(_state.GetBonds(netuid, 0));
        Assert.Equal(30UL, _state.GetNeuron(netuid, 0)!.LastUpdate);
    }

    [Fact]
    public void SetWeights_stores_max_upscaled_values_and_moves_last_update()
    {
        var netuid = SubnetWithNeurons(4, h => h with { CommitRevealEnabled = false, WeightsRateLimit = 5 });
        Apply(Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 2, 0], 0), 7);
        Assert.Equal(
            [((ushort)1, (ushort)32768), ((ushort)2, (ushort)65535), ((ushort)3, (ushort)0)],
            _state.GetWeights(netuid, 0)
        );
        Assert.Equal(7UL, _state.GetNeuron(netuid, 0)!.LastUpdate);
        Assert.Equal(2UL, _state.GetNeuron(netuid, 1)!.LastUpdate);
    }

    [Fact]
    public void Max_upscaling_follows_subtensors_fixed_point_rounding()
    {
        Assert.Equal([32768, 65535], WeightMath.MaxUpscale([1, 2]));
        Assert.Equal([0, 0], WeightMath.MaxUpscale([0, 0]));
        Assert.Equal([65535, 100], WeightMath.MaxUpscale([65535, 100]));
        // m > 32768: 65535/m is truncated to 32 fraction bits first, so 20000·(65535/40000) = 32767.4999… rounds down.
        Assert.Equal([65535, 32767], WeightMath.MaxUpscale([40000, 20000]));
        Assert.Equal([65535, 21845], WeightMath.MaxUpscale([3, 1]));
    }

    public static TheoryData<string, ErrorCode> WeightRejections =>
        new()
        {
            { "length mismatch", ErrorCode.InvalidWeights },
            { "duplicate uid", ErrorCode.InvalidWeights },
            { "uid out of range", ErrorCode.InvalidWeights },
            { "too few", ErrorCode.TooFewWeights },
            { "version too low", ErrorCode.WeightsVersionTooLow },
            { "rate limited", ErrorCode.WeightsRateLimited },
            { "over max weight", ErrorCode.MaxWeightLimitExceeded },
            { "not registered", ErrorCode.NeuronNotRegistered },
            { "no subnet", ErrorCode.SubnetNotFound },
            { "commit-reveal on", ErrorCode.CommitRevealEnabled },
        };

    [Theory]
    [MemberData(nameof(WeightRejections))]
    public void SetWeights_rejections_change_nothing(string rule, ErrorCode code)
    {
        var netuid = SubnetWithNeurons(4, h =>
            h with
            {
                CommitRevealEnabled = rule == "commit-reveal on",
                MinAllowedWeights = 3,
                MaxWeightLimit = 30_000,
                WeightsVersionKey = 5,
                WeightsRateLimit = 10,
            }
        );
        var (signer, payload, height) = rule switch
        {
            "length mismatch" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1], 5), 20UL),
            "duplicate uid" => (Neurons[0], new SetWeightsPayload(netuid, [1, 1, 3], [1, 1, 1], 5), 20UL),
            "uid out of range" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 4], [1, 1, 1], 5), 20UL),
            "too few" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2], [1, 1], 5), 20UL),
            "version too low" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1, 1], 4), 20UL),
            "rate limited" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1, 1], 5), 11UL),
            "over max weight" => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [2, 1, 1], 5), 20UL),
            "not registered" => (Neurons[9], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1, 1], 5), 20UL),
            "no subnet" => (Neurons[0], new SetWeightsPayload(9, [1, 2, 3], [1, 1, 1], 5), 20UL),
            _ => (Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1, 1], 5), 20UL),
        };
        Rejected(signer, payload, height, code);
        // The same neuron can set a valid row afterwards (the rejection used no nonce and moved nothing).
        if (rule is not ("not registered" or "no subnet" or "commit-reveal on"))
            Apply(Neurons[0], new SetWeightsPayload(netuid, [1, 2, 3], [1, 1, 1], 5), 20);
    }

    [Fact]
    public void A_single_self_weight_is_allowed_below_the_minimum()
    {
        var netuid = SubnetWithNeurons(4, h =>
            h with
            {
                CommitRevealEnabled = false,
                MinAllowedWeights = 3,
                WeightsRateLimit = 0,
                MaxWeightLimit = 100,
            }
        );
        Apply(Neurons[2], new SetWeightsPayload(netuid, [2], [9], 0), 3);
        Assert.Equal([((ushort)2, (ushort)65535)], _state.GetWeights(netuid, 2));
    }

    private static byte[] Salt(byte seed) => Enumerable.Repeat(seed, WeightsCommitment.SaltSize).ToArray();

    private static CommitWeightsPayload Commit(
        ushort netuid,
        KeyPair hotkey,
        ushort[] uids,
        ushort[] values,
        byte[] salt,
        ulong versionKey = 0
    ) => new(netuid, WeightsCommitment.Compute(hotkey.Address, netuid, uids, values, salt, versionKey));

    /// <summary>Netuid 1 at tempo 360: epoch boundaries at blocks b with (b + 2) mod 361 == 0, so epoch 1 spans blocks 359..719.</summary>
    private ushort CommitRevealSubnet() => SubnetWithNeurons(4, h => h with { WeightsRateLimit = 0 });

    [Fact]
    public void Commit_then_reveal_in_the_next_epoch_stores_the_weights_and_last_update_is_the_commit_block()
    {
        var netuid = CommitRevealSubnet();
        Assert.Equal(0UL, EpochSchedule.EpochIndex(netuid, 360, 358));
        Assert.Equal(1UL, EpochSchedule.EpochIndex(netuid, 360, 359));
        Assert.True(EpochSchedule.IsEpochBlock(netuid, 360, 359));

        Apply(Neurons[0], Commit(netuid, Neurons[0], [1, 2], [10, 20], Salt(1)), 100);
        Assert.Equal(100UL, _state.GetNeuron(netuid, 0)!.LastUpdate);
        Apply(Neurons[0], new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0), 400);
        Assert.Equal([((ushort)1, (ushort)32768), ((ushort)2, (ushort)65535)], _state.GetWeights(netuid, 0));
        Assert.Null(_state.GetWeightCommit(netuid, Neurons[0].Address));
        Assert.Equal(100UL, _state.GetNeuron(netuid, 0)!.LastUpdate);
    }

    [Fact]
    public void A_reveal_that_does_not_match_is_too_early_or_too_late_is_rejected()
    {
        var netuid = CommitRevealSubnet();
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0),
            400,
            ErrorCode.NoWeightsCommit
        );
        Apply(Neurons[0], Commit(netuid, Neurons[0], [1, 2], [10, 20], Salt(1)), 100);

        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0),
            358,
            ErrorCode.WeightsRevealTooEarly
        );
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 21], Salt(1), 0),
            400,
            ErrorCode.WeightsCommitMismatch
        );
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(2), 0),
            400,
            ErrorCode.WeightsCommitMismatch
        );
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 1),
            400,
            ErrorCode.WeightsCommitMismatch
        );
        Rejected(
            Neurons[1],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0),
            400,
            ErrorCode.NoWeightsCommit
        );
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0),
            720,
            ErrorCode.WeightsCommitExpired
        );
        // The last block of the reveal epoch still works.
        Apply(Neurons[0], new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0), 719);
    }

    [Fact]
    public void An_unrevealed_commit_blocks_a_new_one_until_it_expires_then_is_replaced()
    {
        var netuid = CommitRevealSubnet();
        Apply(Neurons[0], Commit(netuid, Neurons[0], [1, 2], [10, 20], Salt(1)), 100);
        Rejected(Neurons[0], Commit(netuid, Neurons[0], [1], [1], Salt(3)), 500, ErrorCode.WeightsCommitPending);

        // Expired at epoch 2 (from block 720): a new commit replaces it, and the old one can no longer be revealed.
        Apply(Neurons[0], Commit(netuid, Neurons[0], [3], [1], Salt(3)), 800);
        Assert.Equal(800UL, _state.GetWeightCommit(netuid, Neurons[0].Address)!.CommittedAt);
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1, 2], [10, 20], Salt(1), 0),
            1100,
            ErrorCode.WeightsCommitMismatch
        );
        Apply(Neurons[0], new RevealWeightsPayload(netuid, [3], [1], Salt(3), 0), 1100);
    }

    [Fact]
    public void Commit_reveal_rules_reject_without_changes()
    {
        var netuid = SubnetWithNeurons(4, h => h with { WeightsRateLimit = 50 });
        Rejected(Neurons[0], Commit(netuid, Neurons[0], [1], [1], Salt(1)), 10, ErrorCode.WeightsRateLimited);
        Rejected(Neurons[9], Commit(netuid, Neurons[9], [1], [1], Salt(1)), 100, ErrorCode.NeuronNotRegistered);
        Rejected(Neurons[0], Commit(9, Neurons[0], [1], [1], Salt(1)), 100, ErrorCode.SubnetNotFound);

        // A revealed row must still obey the weights rules.
        SetHyperparameters(netuid, 60, h => h with { MinAllowedWeights = 2 });
        Apply(Neurons[0], Commit(netuid, Neurons[0], [1], [1], Salt(1)), 100);
        Rejected(Neurons[0], new RevealWeightsPayload(netuid, [1], [1], Salt(1), 0), 400, ErrorCode.TooFewWeights);

        SetHyperparameters(netuid, 401, h => h with { CommitRevealEnabled = false });
        Rejected(Neurons[1], Commit(netuid, Neurons[1], [1], [1], Salt(1)), 500, ErrorCode.CommitRevealDisabled);
        Rejected(
            Neurons[0],
            new RevealWeightsPayload(netuid, [1], [1], Salt(1), 0),
            500,
            ErrorCode.CommitRevealDisabled
        );
    }

    [Fact]
    public void Subnet_payloads_round_trip_through_the_canonical_encoding()
    {
        TransactionPayload[] payloads =
        [
            new CreateSubnetPayload(),
            new SetSubnetHyperparametersPayload(
                3,
                new SubnetHyperparameters
                {
                    Tempo = 999,
                    LiquidAlphaEnabled = true,
                    WeightsVersionKey = ulong.MaxValue,
                }
            ),
            RegisterNeuronPayload.Create(TestChain.ChainId, Keys.Bob.Address, Neurons[0], 3),
            new SetWeightsPayload(3, [0, 5, 65535], [1, 2, 3], 9),
            new CommitWeightsPayload(3, Hash256.Compute([1, 2, 3])),
            new RevealWeightsPayload(3, [4], [5], Salt(7), 11),
        ];
        foreach (var payload in payloads)
        {
            var signed = Tx.Sign(Keys.Bob, 4, payload);
            var decoded = SignedTransaction.Decode(signed.Encoded, 4096);
            Assert.Equal(signed.Id, decoded.Id);
            Assert.Equal(payload.Kind, decoded.Transaction.Kind);
            Assert.Equal(signed.Encoded, decoded.Encoded);
        }
    }
}
