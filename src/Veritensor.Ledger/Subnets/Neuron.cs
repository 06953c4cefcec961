using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// One uid of a subnet. Registration writes the identity fields; <see cref="LastUpdate"/> moves with weights;
/// the rest are the epoch's outputs (u16 proportions of 65,535, emission in base units), zero until the epoch
/// (<see cref="ISubnetEpoch"/>) writes them.
/// </summary>
public sealed record Neuron(
    Address Hotkey,
    Address Coldkey,
    ushort Uid,
    ulong RegisteredAt,
    ulong LastUpdate,
    bool ValidatorPermit,
    ushort Consensus,
    ushort Incentive,
    ushort Dividends,
    Amount Emission,
    ushort ValidatorTrust
)
{
    public static Neuron Registered(Address hotkey, Address coldkey, ushort uid, ulong height) =>
        new(hotkey, coldkey, uid, height, height, false, 0, 0, 0, Amount.Zero, 0);

    public byte[] Encode() =>
        new CanonicalWriter(112)
            .WriteAddress(Hotkey)
            .WriteAddress(Coldkey)
            .WriteU16(Uid)
            .WriteU64(RegisteredAt)
            .WriteU64(LastUpdate)
            .WriteBool(ValidatorPermit)
            .WriteU16(Consensus)
            .WriteU16(Incentive)
            .WriteU16(Dividends)
            .WriteAmount(Emission)
            .WriteU16(ValidatorTrust)
            .ToArray();

    public static Neuron Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var neuron = new Neuron(
            reader.ReadAddress("hotkey"),
            reader.ReadAddress("coldkey"),
            reader.ReadU16("uid"),
            reader.ReadU64("registeredAt"),
            reader.ReadU64("lastUpdate"),
            reader.ReadBool("validatorPermit"),
            reader.ReadU16("consensus"),
            reader.ReadU16("incentive"),
            reader.ReadU16("dividends"),
            reader.ReadAmount("emission"),
            reader.ReadU16("validatorTrust")
        );
        reader.EnsureEnd("neuron");
        return neuron;
    }
}
