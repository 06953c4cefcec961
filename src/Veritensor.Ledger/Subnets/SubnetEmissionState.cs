using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// A subnet's emission bookkeeping, kept beside (not inside) the <see cref="Subnet"/> record so that the subnet
/// encoding, and every state root of chains that run no epoch, stay as they were.
/// </summary>
/// <param name="Pending">Emission accrued since the last payout, not yet part of total issuance.</param>
/// <param name="LastEpochBlock">The block of the last epoch that ran; 0 before the first (Yuma's <c>LastMechanismStepBlock</c>).</param>
public sealed record SubnetEmissionState(Amount Pending, ulong LastEpochBlock)
{
    public static SubnetEmissionState Empty { get; } = new(Amount.Zero, 0);

    public byte[] Encode() => new CanonicalWriter(16).WriteAmount(Pending).WriteU64(LastEpochBlock).ToArray();

    public static SubnetEmissionState Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var state = new SubnetEmissionState(reader.ReadAmount("pending"), reader.ReadU64("lastEpochBlock"));
        reader.EnsureEnd("subnet emission");
        return state;
    }
}
