using Veritensor.Core;

namespace Veritensor.Ledger.Subnets;

/// <summary>Chain-wide subnet constants. They are constants rather than genesis parameters so that existing genesis files and state roots stay valid; making them configurable is a later, consensus-changing step.</summary>
public static class SubnetRules
{
    /// <summary>
    /// What CreateSubnet locks from the owner's balance: 100 tokens. It stays in total issuance, held by the subnet
    /// record (subtensor's lock cost is dynamic and is returned when a subnet is dissolved; neither exists here yet).
    /// </summary>
    public static readonly Amount LockCost = Amount.FromTokens(100);

    /// <summary>
    /// New tokens per block for all subnets together: 1 token, split equally among the subnets that exist (the
    /// remainder of the division goes one base unit each to the lowest netuids, so exactly this much accrues).
    /// Nothing accrues while there is no subnet. A fixed amount rather than subtensor's halving schedule; a chain
    /// parameter would change the parameters encoding and every state root, so it is a constant for now.
    /// </summary>
    public static readonly Amount BlockEmission = Amount.FromTokens(1);

    /// <summary>The subnet owner's share of each payout, in percent (yuma.md §9: 18%), rounded down.</summary>
    public const ulong OwnerCutPercent = 18;

    /// <summary>Minimum raw stake (base units) for a uid's stake to count in the epoch; 0 as in subtensor's default.</summary>
    public const ulong StakeThreshold = 0;

    /// <summary>Liquid alpha's sigmoid steepness (used as steepness/100); subtensor's default, not yet a hyperparameter.</summary>
    public const short AlphaSigmoidSteepness = 1_000;

    /// <summary>Netuid 0 is subtensor's root network, so user subnets start at 1; this value is never assigned.</summary>
    public const ushort NoMoreNetuids = ushort.MaxValue;
}
