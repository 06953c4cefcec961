using Veritensor.Core;

namespace Veritensor.Ledger.Subnets;

/// <summary>What one epoch produces for one uid; see <see cref="ISubnetEpoch"/>.</summary>
public readonly record struct EpochOutputs(
    bool ValidatorPermit,
    ushort Consensus,
    ushort Incentive,
    ushort Dividends,
    Amount Emission,
    ushort ValidatorTrust
);
