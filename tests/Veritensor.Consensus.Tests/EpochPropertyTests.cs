namespace Veritensor.Consensus.Tests;

/// <summary>Properties of the epoch that must hold for any subnet, checked on random subnets with fixed seeds.</summary>
[UnitTest]
public sealed class EpochPropertyTests
{
    private const int Iterations = 300;

    public static TheoryData<bool, bool> Variants() =>
        new()
        {
            { false, false },
            { true, false },
            { true, true },
        };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Permuting_uids_permutes_every_result(bool yuma3, bool liquidAlpha)
    {
        var random = new Random(20260630);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var input = RandomSubnet.Create(random, yuma3, liquidAlpha);
            var permutation = Enumerable.Range(0, input.N).ToArray();
            random.Shuffle(permutation);
            var original = YumaEpoch.Run(input);
            var permuted = YumaEpoch.Run(RandomSubnet.Permute(input, permutation));
            void Same<T>(T[] before, T[] after, string what)
            {
                for (var i = 0; i < before.Length; i++)
                    Assert.True(
                        Equals(before[i], after[permutation[i]]),
                        $"iteration {iteration}: {what}[{i}] {before[i]} became {after[permutation[i]]} at uid {permutation[i]}"
                    );
            }
            Same(original.Consensus, permuted.Consensus, "consensus");
            Same(original.Incentive, permuted.Incentive, "incentive");
            Same(original.Dividends, permuted.Dividends, "dividends");
            Same(original.ValidatorTrust, permuted.ValidatorTrust, "validator trust");
            Same(original.Emission, permuted.Emission, "emission");
            Same(original.ServerEmission, permuted.ServerEmission, "server emission");
            Same(original.ValidatorEmission, permuted.ValidatorEmission, "validator emission");
            Same(original.NewValidatorPermit, permuted.NewValidatorPermit, "permit");
            for (var i = 0; i < input.N; i++)
            {
                var expected = original.Bonds[i].Select(e => (permutation[e.Column], e.Value)).Order();
                var actual = permuted.Bonds[permutation[i]].Select(e => (e.Column, e.Value)).Order();
                Assert.Equal(expected, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Server_and_validator_emission_sum_to_the_epoch_emission_less_rounding_dust(bool yuma3, bool liquidAlpha)
    {
        var random = new Random(425);
        var nonFallback = 0;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var input = RandomSubnet.Create(random, yuma3, liquidAlpha);
            var result = YumaEpoch.Run(input);
            var rao = (UInt128)input.RaoEmission;
            var n = (UInt128)input.N;
            // Each share is truncated (< 2^-32 lost per uid and vector) and each rao amount floored (< 1 rao).
            var dust = 2 * n + (2 * n * rao + (UInt128.One << 32) - 1) / (UInt128.One << 32);
            var split =
                result.ServerEmission.Aggregate(UInt128.Zero, (s, v) => s + v)
                + result.ValidatorEmission.Aggregate(UInt128.Zero, (s, v) => s + v);
            var combined = result.Emission.Aggregate(UInt128.Zero, (s, v) => s + v);
            Assert.InRange(split, rao - dust, rao);
            Assert.InRange(combined, rao - dust, rao);
            if (result.ServerEmission.Any(v => v > 0))
                nonFallback++;
        }
        // The property must have been exercised on epochs that pay miners, not only on the stake fallback.
        Assert.True(nonFallback > Iterations / 10, $"only {nonFallback} epochs paid miners");
    }

    [Fact]
    public void Self_weights_only_pay_everything_to_validators_by_stake()
    {
        var n = 4;
        var parameters = new EpochHyperparameters(
            360,
            5000,
            32767,
            65535,
            900_000,
            64,
            false,
            false,
            45875,
            58982,
            1000,
            0,
            0,
            null
        );
        var input = new EpochInput(
            n,
            10,
            parameters,
            [I64F64.FromUInt(1), I64F64.FromUInt(1), I64F64.FromUInt(1), I64F64.FromUInt(1)],
            [0, 0, 0, 0],
            [5, 5, 5, 5],
            [true, true, true, true],
            Enumerable.Range(0, n).Select(i => new[] { new U16Entry(i, 65535) }).ToArray(),
            [
                [],
                [],
                [],
                [],
            ],
            1_000_000_000
        );
        var result = YumaEpoch.Run(input);
        Assert.All(result.Incentive, v => Assert.Equal(I32F32.Zero, v));
        Assert.All(result.ServerEmission, v => Assert.Equal(0UL, v));
        // Normalised stake 0.25 is exact, so each validator gets exactly a quarter.
        Assert.All(result.ValidatorEmission, v => Assert.Equal(250_000_000UL, v));
    }

    [Fact]
    public void The_owner_keeps_its_permit_and_self_weight_and_is_exempt_from_the_stake_threshold()
    {
        EpochInput Subnet(int? owner) =>
            new(
                3,
                10,
                new EpochHyperparameters(
                    360,
                    5000,
                    32767,
                    65535,
                    900_000,
                    1,
                    false,
                    false,
                    45875,
                    58982,
                    1000,
                    StakeThreshold: 1000,
                    0,
                    OwnerUid: owner
                ),
                [I64F64.FromUInt(10), I64F64.FromUInt(5000), I64F64.FromUInt(0)],
                [0, 0, 0],
                [5, 5, 5],
                [true, true, false],
                [
                    [new U16Entry(0, 65535)],
                    [new U16Entry(0, 65535)],
                    [],
                ],
                [
                    [],
                    [],
                    [],
                ],
                1_000_000_000
            );

        var withOwner = YumaEpoch.Run(Subnet(0));
        // Stake 10 is below the threshold of 1000 but counts for the owner; K = 1 yet the owner keeps a permit;
        // its self-weight survives and agrees with consensus, so its validator trust is exactly 1.
        Assert.NotEqual(I32F32.Zero, withOwner.Stake[0]);
        Assert.Equal([true, true, false], withOwner.NewValidatorPermit);
        Assert.Equal(I32F32.One, withOwner.ValidatorTrust[0]);

        var withoutOwner = YumaEpoch.Run(Subnet(null));
        Assert.Equal(I32F32.Zero, withoutOwner.Stake[0]);
        Assert.Equal([false, true, false], withoutOwner.NewValidatorPermit);
        Assert.Equal(I32F32.Zero, withoutOwner.ValidatorTrust[0]);
    }

    [Fact]
    public void Stored_entries_pointing_past_n_are_ignored()
    {
        var parameters = new EpochHyperparameters(
            360,
            5000,
            32767,
            65535,
            900_000,
            64,
            false,
            false,
            45875,
            58982,
            1000,
            0,
            0,
            null
        );
        EpochInput Subnet(U16Entry[] extraWeights, U16Entry[] extraBonds) =>
            new(
                2,
                10,
                parameters,
                [I64F64.FromUInt(5), I64F64.FromUInt(0)],
                [0, 0],
                [5, 5],
                [true, false],
                [
                    [new U16Entry(1, 65535), .. extraWeights],
                    [],
                ],
                [
                    [new U16Entry(1, 40000), .. extraBonds],
                    [],
                ],
                1_000_000_000
            );
        var plain = YumaEpoch.Run(Subnet([], []));
        var extra = YumaEpoch.Run(Subnet([new U16Entry(7, 65535)], [new U16Entry(9, 65535)]));
        Assert.Equal(plain.Incentive, extra.Incentive);
        Assert.Equal(plain.Dividends, extra.Dividends);
        Assert.Equal(plain.Emission, extra.Emission);
        Assert.Equal(plain.Bonds.SelectMany(r => r), extra.Bonds.SelectMany(r => r));
        Assert.InRange(plain.Emission.Aggregate(0UL, (sum, v) => sum + v), 1_000_000_000UL - 5, 1_000_000_000UL);
    }
}
