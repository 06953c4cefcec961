using System.Globalization;
using Veritensor.Client;
using Veritensor.Ledger.Subnets;

namespace Veritensor.Node.Api;

/// <summary>Maps subnet state to API contracts and back (the CLI edits hyperparameters through the view).</summary>
public static class SubnetViews
{
    public static HyperparametersView Hyperparameters(SubnetHyperparameters h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new(
            h.Tempo,
            h.MaxAllowedUids,
            h.MaxAllowedValidators,
            h.ImmunityPeriod,
            h.ActivityCutoffFactorMilli,
            h.ActivityCutoff,
            h.Kappa,
            h.BondsMovingAverage,
            h.BondsPenalty,
            h.WeightsRateLimit,
            h.MinAllowedWeights,
            h.MaxWeightLimit,
            h.WeightsVersionKey,
            h.CommitRevealEnabled,
            h.RevealPeriodEpochs,
            h.Yuma3Enabled,
            h.LiquidAlphaEnabled,
            h.AlphaLow,
            h.AlphaHigh
        );
    }

    /// <summary>The ledger form of a view; values that do not fit their type throw <see cref="OverflowException"/>.</summary>
    public static SubnetHyperparameters Hyperparameters(HyperparametersView v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new()
        {
            Tempo = checked((ushort)v.Tempo),
            MaxAllowedUids = checked((ushort)v.MaxAllowedUids),
            MaxAllowedValidators = checked((ushort)v.MaxAllowedValidators),
            ImmunityPeriod = v.ImmunityPeriod,
            ActivityCutoffFactorMilli = v.ActivityCutoffFactorMilli,
            Kappa = checked((ushort)v.Kappa),
            BondsMovingAverage = v.BondsMovingAverage,
            BondsPenalty = checked((ushort)v.BondsPenalty),
            WeightsRateLimit = v.WeightsRateLimit,
            MinAllowedWeights = checked((ushort)v.MinAllowedWeights),
            MaxWeightLimit = checked((ushort)v.MaxWeightLimit),
            WeightsVersionKey = v.WeightsVersionKey,
            CommitRevealEnabled = v.CommitRevealEnabled,
            RevealPeriodEpochs = checked((ushort)v.RevealPeriodEpochs),
            Yuma3Enabled = v.Yuma3Enabled,
            LiquidAlphaEnabled = v.LiquidAlphaEnabled,
            AlphaLow = checked((ushort)v.AlphaLow),
            AlphaHigh = checked((ushort)v.AlphaHigh),
        };
    }

    public static SubnetResponse Subnet(ushort netuid, Subnet subnet, SubnetEmissionState emission, ulong nextHeight)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(emission);
        var burn = subnet.BurnAt(nextHeight);
        return new SubnetResponse(
            netuid,
            subnet.Owner.ToString(),
            subnet.CreatedAt.ToString(CultureInfo.InvariantCulture),
            subnet.Locked.ToString(),
            burn.ToString(),
            burn.BaseUnits.ToString(CultureInfo.InvariantCulture),
            subnet.N,
            Hyperparameters(subnet.Hyperparameters),
            emission.Pending.ToString(),
            emission.LastEpochBlock.ToString(CultureInfo.InvariantCulture)
        );
    }
}
