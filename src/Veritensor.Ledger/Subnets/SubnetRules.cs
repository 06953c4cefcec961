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

    /// <summary>Netuid 0 is subtensor's root network, so user subnets start at 1; this value is never assigned.</summary>
    public const ushort NoMoreNetuids = ushort.MaxValue;
}
