using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// A subnet's tunable rules (yuma.md §4, with subtensor's <c>init_new_network</c> overrides as defaults). The
/// owner replaces the whole set at once with SetSubnetHyperparameters; <see cref="Validate"/> holds the ranges.
/// u16 "proportions" (kappa, bonds penalty, alpha) are fractions of 65,535, as in subtensor.
/// </summary>
public sealed record SubnetHyperparameters
{
    public const ushort MaxTempo = 50_400;
    public const ushort MinMaxAllowedUids = 64;
    public const ushort MaxMaxAllowedUids = 4096;
    public const uint MinActivityCutoffFactorMilli = 1_000;
    public const uint MaxActivityCutoffFactorMilli = 50_000;
    public const ulong MaxBondsMovingAverage = 1_000_000;
    public const ushort MaxRevealPeriodEpochs = 100;
    public const ushort MinAlphaLow = 1_638;

    /// <summary>Blocks between epochs.</summary>
    public ushort Tempo { get; init; } = 360;
    public ushort MaxAllowedUids { get; init; } = 256;
    public ushort MaxAllowedValidators { get; init; } = 64;

    /// <summary>Blocks after (re)registration during which a neuron cannot be replaced.</summary>
    public ulong ImmunityPeriod { get; init; } = 5_000;

    /// <summary>Activity cutoff in thousandths of a tempo: cutoff = max(factor · tempo / 1000, 1) blocks (5,000 at tempo 360).</summary>
    public uint ActivityCutoffFactorMilli { get; init; } = 13_889;
    public ushort Kappa { get; init; } = 32_767;

    /// <summary>Parts per million; α = 1 − bma/10⁶.</summary>
    public ulong BondsMovingAverage { get; init; } = 900_000;
    public ushort BondsPenalty { get; init; } = 65_535;

    /// <summary>Blocks a hotkey must wait after its last weights update (set or commit).</summary>
    public ulong WeightsRateLimit { get; init; } = 100;
    public ushort MinAllowedWeights { get; init; } = 1;

    /// <summary>The largest share (of 65,535) one uid may get in a normalised row; 65,535 = no cap.</summary>
    public ushort MaxWeightLimit { get; init; } = 65_535;

    /// <summary>Weights carrying a lower version key are rejected.</summary>
    public ulong WeightsVersionKey { get; init; }
    public bool CommitRevealEnabled { get; init; } = true;

    /// <summary>A commit is revealed exactly this many epochs after the epoch it was made in.</summary>
    public ushort RevealPeriodEpochs { get; init; } = 1;
    public bool Yuma3Enabled { get; init; } = true;
    public bool LiquidAlphaEnabled { get; init; }
    public ushort AlphaLow { get; init; } = 45_875;
    public ushort AlphaHigh { get; init; } = 58_982;

    /// <summary>The activity cutoff in blocks (yuma.md §3).</summary>
    public ulong ActivityCutoff => Math.Max((ulong)ActivityCutoffFactorMilli * Tempo / 1000, 1);

    /// <summary>
    /// The first rule the set breaks, or null when every value is in range. <paramref name="minTempo"/> is the chain's
    /// floor on tempo (<see cref="SubnetParameters.MinTempo"/>, a genesis parameter).
    /// </summary>
    public string? Validate(ushort minTempo = SubnetParameters.DefaultMinTempo)
    {
        if (Tempo < minTempo || Tempo > MaxTempo)
            return $"tempo must be between {minTempo} and {MaxTempo}, got {Tempo}";
        if (MaxAllowedUids is < MinMaxAllowedUids or > MaxMaxAllowedUids)
            return $"maxAllowedUids must be between {MinMaxAllowedUids} and {MaxMaxAllowedUids}, got {MaxAllowedUids}";
        if (MaxAllowedValidators < 1 || MaxAllowedValidators > MaxAllowedUids)
            return $"maxAllowedValidators must be between 1 and maxAllowedUids ({MaxAllowedUids}), got {MaxAllowedValidators}";
        if (ImmunityPeriod > MaxTempo)
            return $"immunityPeriod must be at most {MaxTempo} blocks, got {ImmunityPeriod}";
        if (ActivityCutoffFactorMilli is < MinActivityCutoffFactorMilli or > MaxActivityCutoffFactorMilli)
            return $"activityCutoffFactorMilli must be between {MinActivityCutoffFactorMilli} and {MaxActivityCutoffFactorMilli}, got {ActivityCutoffFactorMilli}";
        if (BondsMovingAverage > MaxBondsMovingAverage)
            return $"bondsMovingAverage must be at most {MaxBondsMovingAverage}, got {BondsMovingAverage}";
        if (MinAllowedWeights > MaxAllowedUids)
            return $"minAllowedWeights must be at most maxAllowedUids ({MaxAllowedUids}), got {MinAllowedWeights}";
        if (MaxWeightLimit == 0)
            return "maxWeightLimit must be positive";
        if (RevealPeriodEpochs is < 1 or > MaxRevealPeriodEpochs)
            return $"revealPeriodEpochs must be between 1 and {MaxRevealPeriodEpochs}, got {RevealPeriodEpochs}";
        if (AlphaLow < MinAlphaLow || AlphaLow > AlphaHigh)
            return $"alphaLow must be between {MinAlphaLow} and alphaHigh ({AlphaHigh}), got {AlphaLow}";
        return null;
    }

    public void Write(CanonicalWriter writer) =>
        writer
            .WriteU16(Tempo)
            .WriteU16(MaxAllowedUids)
            .WriteU16(MaxAllowedValidators)
            .WriteU64(ImmunityPeriod)
            .WriteU32(ActivityCutoffFactorMilli)
            .WriteU16(Kappa)
            .WriteU64(BondsMovingAverage)
            .WriteU16(BondsPenalty)
            .WriteU64(WeightsRateLimit)
            .WriteU16(MinAllowedWeights)
            .WriteU16(MaxWeightLimit)
            .WriteU64(WeightsVersionKey)
            .WriteBool(CommitRevealEnabled)
            .WriteU16(RevealPeriodEpochs)
            .WriteBool(Yuma3Enabled)
            .WriteBool(LiquidAlphaEnabled)
            .WriteU16(AlphaLow)
            .WriteU16(AlphaHigh);

    public static SubnetHyperparameters Read(ref CanonicalReader reader) =>
        new()
        {
            Tempo = reader.ReadU16("tempo"),
            MaxAllowedUids = reader.ReadU16("maxAllowedUids"),
            MaxAllowedValidators = reader.ReadU16("maxAllowedValidators"),
            ImmunityPeriod = reader.ReadU64("immunityPeriod"),
            ActivityCutoffFactorMilli = reader.ReadU32("activityCutoffFactorMilli"),
            Kappa = reader.ReadU16("kappa"),
            BondsMovingAverage = reader.ReadU64("bondsMovingAverage"),
            BondsPenalty = reader.ReadU16("bondsPenalty"),
            WeightsRateLimit = reader.ReadU64("weightsRateLimit"),
            MinAllowedWeights = reader.ReadU16("minAllowedWeights"),
            MaxWeightLimit = reader.ReadU16("maxWeightLimit"),
            WeightsVersionKey = reader.ReadU64("weightsVersionKey"),
            CommitRevealEnabled = reader.ReadBool("commitRevealEnabled"),
            RevealPeriodEpochs = reader.ReadU16("revealPeriodEpochs"),
            Yuma3Enabled = reader.ReadBool("yuma3Enabled"),
            LiquidAlphaEnabled = reader.ReadBool("liquidAlphaEnabled"),
            AlphaLow = reader.ReadU16("alphaLow"),
            AlphaHigh = reader.ReadU16("alphaHigh"),
        };
}
