using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// A subnet's emission bookkeeping, kept beside (not inside) the <see cref="Subnet"/> record so that the subnet
/// encoding stays as it was.
/// </summary>
/// <param name="Pending">Emission accrued since the last payout, not yet part of total issuance.</param>
/// <param name="LastEpochBlock">The block of the last epoch that ran; 0 before the first (Yuma's <c>LastMechanismStepBlock</c>).</param>
/// <param name="Backing">
/// The stake behind the subnet's validators as its last epoch measured it (<see cref="SubnetBacking"/>): what the
/// subnet's share of each block's emission is proportional to until its next epoch.
/// </param>
public sealed record SubnetEmissionState(Amount Pending, ulong LastEpochBlock, Amount Backing)
{
    public static SubnetEmissionState Empty { get; } = new(Amount.Zero, 0, Amount.Zero);

    public byte[] Encode() =>
        new CanonicalWriter(24).WriteAmount(Pending).WriteU64(LastEpochBlock).WriteAmount(Backing).ToArray();

    public static SubnetEmissionState Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var state = new SubnetEmissionState(
            reader.ReadAmount("pending"),
            reader.ReadU64("lastEpochBlock"),
            reader.ReadAmount("backing")
        );
        reader.EnsureEnd("subnet emission");
        return state;
    }
}
