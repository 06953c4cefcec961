using System.CommandLine;
using Veritensor.Client;

namespace Veritensor.Cli.Commands;

/// <summary>One option per hyperparameter for <c>subnet set</c>; <see cref="Apply"/> overlays those given on the current values.</summary>
internal sealed class HyperparameterOptions
{
    private readonly Option<int?> _tempo = new("--tempo")
    {
        Description = "Blocks per epoch (the chain's minTempo, 360 unless its genesis says otherwise, up to 50400).",
    };
    private readonly Option<int?> _maxAllowedUids = new("--max-allowed-uids")
    {
        Description = "Uids in the subnet (64..4096).",
    };
    private readonly Option<int?> _maxAllowedValidators = new("--max-allowed-validators")
    {
        Description = "Validator permits per epoch (1..max uids).",
    };
    private readonly Option<ulong?> _immunityPeriod = new("--immunity-period")
    {
        Description = "Blocks a new neuron cannot be replaced (0..50400).",
    };
    private readonly Option<uint?> _activityCutoff = new("--activity-cutoff-factor")
    {
        Description = "Activity cutoff in thousandths of a tempo (1000..50000).",
    };
    private readonly Option<int?> _kappa = new("--kappa") { Description = "Consensus majority, of 65535." };
    private readonly Option<ulong?> _bondsMovingAverage = new("--bonds-moving-average")
    {
        Description = "Parts per million (0..1000000).",
    };
    private readonly Option<int?> _bondsPenalty = new("--bonds-penalty") { Description = "Of 65535." };
    private readonly Option<ulong?> _weightsRateLimit = new("--weights-rate-limit")
    {
        Description = "Blocks between weight updates of one hotkey.",
    };
    private readonly Option<int?> _minAllowedWeights = new("--min-allowed-weights")
    {
        Description = "Fewest entries in a weight row.",
    };
    private readonly Option<int?> _maxWeightLimit = new("--max-weight-limit")
    {
        Description = "Largest normalised weight, of 65535 (1..65535).",
    };
    private readonly Option<ulong?> _weightsVersionKey = new("--weights-version-key")
    {
        Description = "Lowest version key accepted with weights.",
    };
    private readonly Option<bool?> _commitReveal = new("--commit-reveal")
    {
        Description = "Weights must be committed then revealed (true/false).",
    };
    private readonly Option<int?> _revealPeriod = new("--reveal-period")
    {
        Description = "Epochs between commit and reveal (1..100).",
    };
    private readonly Option<bool?> _yuma3 = new("--yuma3") { Description = "Use Yuma 3 bonds (true/false)." };
    private readonly Option<bool?> _liquidAlpha = new("--liquid-alpha")
    {
        Description = "Use liquid alpha (true/false).",
    };
    private readonly Option<int?> _alphaLow = new("--alpha-low")
    {
        Description = "Of 65535 (at least 1638, at most --alpha-high).",
    };
    private readonly Option<int?> _alphaHigh = new("--alpha-high") { Description = "Of 65535." };

    public static HyperparameterOptions Create() => new();

    public IEnumerable<Option> All =>
        [
            _tempo,
            _maxAllowedUids,
            _maxAllowedValidators,
            _immunityPeriod,
            _activityCutoff,
            _kappa,
            _bondsMovingAverage,
            _bondsPenalty,
            _weightsRateLimit,
            _minAllowedWeights,
            _maxWeightLimit,
            _weightsVersionKey,
            _commitReveal,
            _revealPeriod,
            _yuma3,
            _liquidAlpha,
            _alphaLow,
            _alphaHigh,
        ];

    public HyperparametersView Apply(ParseResult pr, HyperparametersView current)
    {
        ArgumentNullException.ThrowIfNull(pr);
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            Tempo = pr.GetValue(_tempo) ?? current.Tempo,
            MaxAllowedUids = pr.GetValue(_maxAllowedUids) ?? current.MaxAllowedUids,
            MaxAllowedValidators = pr.GetValue(_maxAllowedValidators) ?? current.MaxAllowedValidators,
            ImmunityPeriod = pr.GetValue(_immunityPeriod) ?? current.ImmunityPeriod,
            ActivityCutoffFactorMilli = pr.GetValue(_activityCutoff) ?? current.ActivityCutoffFactorMilli,
            Kappa = pr.GetValue(_kappa) ?? current.Kappa,
            BondsMovingAverage = pr.GetValue(_bondsMovingAverage) ?? current.BondsMovingAverage,
            BondsPenalty = pr.GetValue(_bondsPenalty) ?? current.BondsPenalty,
            WeightsRateLimit = pr.GetValue(_weightsRateLimit) ?? current.WeightsRateLimit,
            MinAllowedWeights = pr.GetValue(_minAllowedWeights) ?? current.MinAllowedWeights,
            MaxWeightLimit = pr.GetValue(_maxWeightLimit) ?? current.MaxWeightLimit,
            WeightsVersionKey = pr.GetValue(_weightsVersionKey) ?? current.WeightsVersionKey,
            CommitRevealEnabled = pr.GetValue(_commitReveal) ?? current.CommitRevealEnabled,
            RevealPeriodEpochs = pr.GetValue(_revealPeriod) ?? current.RevealPeriodEpochs,
            Yuma3Enabled = pr.GetValue(_yuma3) ?? current.Yuma3Enabled,
            LiquidAlphaEnabled = pr.GetValue(_liquidAlpha) ?? current.LiquidAlphaEnabled,
            AlphaLow = pr.GetValue(_alphaLow) ?? current.AlphaLow,
            AlphaHigh = pr.GetValue(_alphaHigh) ?? current.AlphaHigh,
        };
    }
}
