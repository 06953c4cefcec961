namespace Veritensor.Client;

/// <summary>GET /v1/subnets: every subnet, in netuid order.</summary>
public sealed record SubnetListResponse(IReadOnlyList<SubnetSummaryView> Subnets);

public sealed record SubnetSummaryView(
    int Netuid,
    string Owner,
    int N,
    int MaxAllowedUids,
    int Tempo,
    string Burn,
    string Locked
);

/// <summary>
/// GET /v1/subnets/{netuid}: owner, lock, current registration burn (at the next block), uid count and hyperparameters;
/// the emission accrued since the last epoch (not yet in total issuance) and the block of that epoch (0 before the first).
/// </summary>
public sealed record SubnetResponse(
    int Netuid,
    string Owner,
    string CreatedAt,
    string Locked,
    string Burn,
    string BurnBaseUnits,
    int N,
    HyperparametersView Hyperparameters,
    string PendingEmission,
    string LastEpochBlock
);

/// <summary>A subnet's hyperparameters (see docs/ledger.md for ranges). u16 proportions are out of 65,535.</summary>
public sealed record HyperparametersView(
    int Tempo,
    int MaxAllowedUids,
    int MaxAllowedValidators,
    ulong ImmunityPeriod,
    uint ActivityCutoffFactorMilli,
    ulong ActivityCutoff,
    int Kappa,
    ulong BondsMovingAverage,
    int BondsPenalty,
    ulong WeightsRateLimit,
    int MinAllowedWeights,
    int MaxWeightLimit,
    ulong WeightsVersionKey,
    bool CommitRevealEnabled,
    int RevealPeriodEpochs,
    bool Yuma3Enabled,
    bool LiquidAlphaEnabled,
    int AlphaLow,
    int AlphaHigh
);

/// <summary>GET /v1/subnets/{netuid}/metagraph: one row per uid, as of <see cref="Block"/>.</summary>
public sealed record MetagraphResponse(int Netuid, string Block, int N, IReadOnlyList<NeuronView> Neurons);

/// <summary>
/// One uid. Stake is the hotkey's total stake; consensus, incentive, dividends and validator trust are u16 proportions
/// and emission a token amount, all written by the epoch (zero until it runs). Active: last update within the
/// activity cutoff. Weights only with ?weights=true, the bond row the last epoch stored only with ?bonds=true.
/// </summary>
public sealed record NeuronView(
    int Uid,
    string Hotkey,
    string Coldkey,
    string Stake,
    int Consensus,
    int Incentive,
    int Dividends,
    string Emission,
    int ValidatorTrust,
    bool ValidatorPermit,
    bool Active,
    string LastUpdate,
    string RegisteredAt,
    string? Endpoint = null,
    IReadOnlyList<WeightView>? Weights = null,
    IReadOnlyList<WeightView>? Bonds = null
);

/// <summary>One stored weight (target uid and max-upscaled u16 value) or bond (target uid and u16 bond).</summary>
public sealed record WeightView(int Uid, int Value);
