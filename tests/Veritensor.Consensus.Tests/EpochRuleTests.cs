using Veritensor.Cli.Yuma;

namespace Veritensor.Consensus.Tests;

/// <summary>Masks and carry-over rules the public vectors do not reach: commit-reveal, last_tempo from the last epoch, bond column resets.</summary>
[UnitTest]
public sealed class EpochRuleTests
{
    private static EpochHyperparameters Parameters(bool yuma3 = false, ulong lastMechanismStepBlock = 0) =>
        new(
            Tempo: 10,
            ActivityCutoff: 5000,
            Kappa: 32767,
            BondsPenalty: 65535,
            BondsMovingAverage: 900_000,
            MaxAllowedValidators: 64,
            Yuma3: yuma3,
            LiquidAlpha: false,
            AlphaLow: 45875,
            AlphaHigh: 58982,
            AlphaSigmoidSteepness: 1000,
            StakeThreshold: 0,
            LastMechanismStepBlock: lastMechanismStepBlock,
            OwnerUid: null
        );

    /// <summary>Validator 0 (all the stake) weights miners 1 and 2 equally; miner 2 registered at block 50.</summary>
    private static EpochInput Subnet(EpochHyperparameters parameters, U16Entry[][] bonds, ulong?[]? commits = null) =>
        new(
            3,
            100,
            parameters,
            [I64F64.FromUInt(1000), I64F64.Zero, I64F64.Zero],
            [0, 0, 50],
            [90, 0, 50],
            [true, false, false],
            [
                [new U16Entry(1, 65535), new U16Entry(2, 65535)],
                [],
                [],
            ],
            bonds,
            1_000_000_000,
            commits
        );

    [Fact]
    public void Weights_committed_before_the_target_registered_are_masked_under_commit_reveal()
    {
        var early = YumaEpoch.Run(
            Subnet(
                Parameters(),
                [
                    [],
                    [],
                    [],
                ],
                [40, null, null]
            )
        );
        var late = YumaEpoch.Run(
            Subnet(
                Parameters(),
                [
                    [],
                    [],
                    [],
                ],
                [60, null, null]
            )
        );
        // Commit at block 40 < registration 50: the weight on uid 2 was about its previous occupant.
        Assert.Equal(I32F32.Zero, early.Incentive[2]);
        Assert.Equal(I32F32.One, early.Incentive[1]);
        Assert.Equal(late.Incentive[1], late.Incentive[2]);
        Assert.NotEqual(I32F32.Zero, late.Incentive[2]);
    }

    [Fact]
    public void Bonds_on_a_uid_registered_since_the_last_epoch_are_discarded()
    {
        U16Entry[][] bonds =
        [
            [new U16Entry(1, 30000), new U16Entry(2, 30000)],
            [],
            [],
        ];
        // last_tempo = LMS + 1: 50 ≤ REG[2] = 50 discards column 2; 51 keeps it.
        var discarded = YumaEpoch.Run(Subnet(Parameters(yuma3: true, lastMechanismStepBlock: 49), bonds));
        var kept = YumaEpoch.Run(Subnet(Parameters(yuma3: true, lastMechanismStepBlock: 50), bonds));
        ushort Bond(EpochResult r, int j) => r.Bonds[0].Single(e => e.Column == j).Value;
        Assert.Equal(Bond(kept, 1), Bond(discarded, 1));
        Assert.True(
            Bond(kept, 2) > Bond(discarded, 2),
            $"kept {Bond(kept, 2)} should exceed discarded {Bond(discarded, 2)}"
        );
        // Without the old bond, the fixed-alpha Yuma3 EMA gives alpha · weight = 0.1 · 0.5 → floor(0.05 · 65535) = 3276.
        Assert.Equal(3276, Bond(discarded, 2));
    }

    [Fact]
    public void Reset_bond_column_makes_the_next_epoch_start_that_column_from_zero()
    {
        static YumaCase Case(bool reset)
        {
            var setWeights = new SetWeightsAction("test", 0, [1, 2], [65535, 65535], [65535, 65535], null);
            YumaAction[] second = reset ? [new ResetBondColumnAction("test", 2, null)] : [];
            return new YumaCase(
                "reset",
                Parameters(yuma3: true),
                new YumaInitialState(
                    3,
                    20,
                    [1000, 0, 0],
                    [0, 0, 0],
                    [0, 0, 0],
                    [true, false, false],
                    [
                        [],
                        [],
                        [],
                    ],
                    [
                        [],
                        [],
                        [],
                    ]
                ),
                [
                    new YumaStep(20, [setWeights], 1_000_000_000, null, null),
                    new YumaStep(21, second, 1_000_000_000, null, null),
                ]
            );
        }
        var plain = YumaReplayer.Replay(Case(reset: false)).ToArray();
        var reset = YumaReplayer.Replay(Case(reset: true)).ToArray();
        ushort Bond(YumaStepOutput o, int j) => o.Result.Bonds[0].Single(e => e.Column == j).Value;
        // Column 1 keeps growing in both; column 2 after the reset equals a first-epoch bond again.
        Assert.Equal(Bond(plain[1], 1), Bond(reset[1], 1));
        Assert.True(Bond(plain[1], 2) > Bond(plain[0], 2));
        Assert.Equal(Bond(plain[0], 2), Bond(reset[1], 2));
    }
}
