namespace Veritensor.Consensus;

/// <summary>The subnet hyperparameters one epoch reads (spec §3–4). Proportions are the chain's u16 encodings.</summary>
/// <param name="Tempo">Blocks per epoch; used for <c>last_tempo</c> when no epoch has run yet.</param>
/// <param name="ActivityCutoff">A uid is inactive when last_update + cutoff &lt; block.</param>
/// <param name="Kappa">Consensus majority as a u16 proportion (32 767 ≈ 0.5).</param>
/// <param name="BondsPenalty">β as a u16 proportion: 0 = bonds from raw weights, 65 535 = from clipped weights.</param>
/// <param name="BondsMovingAverage">EMA memory in millionths; alpha = 1 − bma / 10^6.</param>
/// <param name="MaxAllowedValidators">K of the top-K validator permits.</param>
/// <param name="Yuma3">Absolute bonds and stake-weighted dividends (§5.9b) instead of classic Yuma (§5.9a).</param>
/// <param name="LiquidAlpha">Per-bond alpha from <see cref="LiquidAlpha"/> (Yuma3 only).</param>
/// <param name="AlphaLow">Liquid alpha lower bound as a u16 proportion.</param>
/// <param name="AlphaHigh">Liquid alpha upper bound as a u16 proportion.</param>
/// <param name="AlphaSigmoidSteepness">Steepness; the sigmoid uses steepness / 100.</param>
/// <param name="StakeThreshold">Minimum raw stake (integer part) for a non-owner uid's stake to count.</param>
/// <param name="LastMechanismStepBlock">Block of the last successful epoch, 0 if none.</param>
/// <param name="OwnerUid">The subnet owner's uid, if registered: keeps its permit, self-weight and stake below the threshold.</param>
public sealed record EpochHyperparameters(
    ulong Tempo,
    ulong ActivityCutoff,
    ushort Kappa,
    ushort BondsPenalty,
    ulong BondsMovingAverage,
    int MaxAllowedValidators,
    bool Yuma3,
    bool LiquidAlpha,
    ushort AlphaLow,
    ushort AlphaHigh,
    short AlphaSigmoidSteepness,
    ulong StakeThreshold,
    ulong LastMechanismStepBlock,
    int? OwnerUid
);
