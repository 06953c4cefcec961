namespace Veritensor.Ledger.Subnets;

/// <summary>Chain-wide subnet constants. The lock cost, the emission schedule and the tempo floor are genesis parameters (<see cref="SubnetParameters"/>).</summary>
internal static class SubnetRules
{
    /// <summary>The subnet owner's share of each payout, in percent (yuma.md §9: 18%), rounded down.</summary>
    public const ulong OwnerCutPercent = 18;

    /// <summary>Minimum raw stake (base units) for a uid's stake to count in the epoch; 0 as in subtensor's default.</summary>
    public const ulong StakeThreshold = 0;

    /// <summary>Liquid alpha's sigmoid steepness (used as steepness/100); subtensor's default, not yet a hyperparameter.</summary>
    public const short AlphaSigmoidSteepness = 1_000;

    /// <summary>Netuid 0 is subtensor's root network, so user subnets start at 1; this value is never assigned.</summary>
    public const ushort NoMoreNetuids = ushort.MaxValue;
}
