using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// A subnet: its owner coldkey, creation block, the tokens locked to create it (still part of total issuance,
/// held here rather than in a balance), the registration burn as of <see cref="BurnUpdatedAt"/>, the number of
/// uids in use and its hyperparameters.
/// </summary>
public sealed record Subnet(
    Address Owner,
    ulong CreatedAt,
    Amount Locked,
    Amount Burn,
    ulong BurnUpdatedAt,
    ushort N,
    SubnetHyperparameters Hyperparameters
)
{
    /// <summary>The burn a registration pays at <paramref name="height"/>.</summary>
    public Amount BurnAt(ulong height) => BurnSchedule.At(Burn, BurnUpdatedAt, height).Burn;

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(160)
            .WriteAddress(Owner)
            .WriteU64(CreatedAt)
            .WriteAmount(Locked)
            .WriteAmount(Burn)
            .WriteU64(BurnUpdatedAt)
            .WriteU16(N);
        Hyperparameters.Write(writer);
        return writer.ToArray();
    }

    public static Subnet Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var subnet = new Subnet(
            reader.ReadAddress("owner"),
            reader.ReadU64("createdAt"),
            reader.ReadAmount("locked"),
            reader.ReadAmount("burn"),
            reader.ReadU64("burnUpdatedAt"),
            reader.ReadU16("n"),
            SubnetHyperparameters.Read(ref reader)
        );
        reader.EnsureEnd("subnet");
        return subnet;
    }
}
