using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// The chain-wide subnet rules fixed by genesis (sections <c>emission</c> and <c>subnets</c>): the emission schedule,
/// what CreateSubnet locks, and the smallest tempo an owner may set. Stored in the state under
/// <see cref="State.StateKeys.SubnetParameters"/> only when they differ from <see cref="Default"/>, so chains with the
/// default rules keep the state roots they had before these became parameters.
/// </summary>
/// <param name="Emission">New tokens per block for all subnets together.</param>
/// <param name="LockCost">
/// What CreateSubnet locks from the owner's balance. It stays in total issuance, held by the subnet record
/// (subtensor's lock cost is dynamic and is returned when a subnet is dissolved; neither exists here yet).
/// </param>
/// <param name="MinTempo">The smallest tempo SetSubnetHyperparameters accepts (<see cref="LowestMinTempo"/>..<see cref="SubnetHyperparameters.MaxTempo"/>).</param>
public sealed record SubnetParameters(EmissionSchedule Emission, Amount LockCost, ushort MinTempo)
{
    /// <summary>The default floor on tempo: 360 blocks (subtensor's default tempo).</summary>
    public const ushort DefaultMinTempo = 360;

    /// <summary>The lowest floor a genesis may set; subtensor's epoch logic itself has none beyond tempo ≥ 1.</summary>
    public const ushort LowestMinTempo = 1;

    /// <summary>Default schedule, 100 tokens lock cost, tempo at least 360.</summary>
    public static SubnetParameters Default { get; } =
        new(EmissionSchedule.Default, Amount.FromTokens(100), DefaultMinTempo);

    /// <summary>The first rule broken, as "field: problem" with the genesis field name, or null when valid.</summary>
    public string? Validate(Amount genesisIssuance)
    {
        if (MinTempo is < LowestMinTempo or > SubnetHyperparameters.MaxTempo)
            return $"subnets.minTempo must be between {LowestMinTempo} and {SubnetHyperparameters.MaxTempo}, got {MinTempo}";
        if (Emission.MaxIssuance < genesisIssuance)
            return $"emission.maxIssuance ({Emission.MaxIssuance}) is below the genesis issuance ({genesisIssuance}) of balances and stakes";
        return null;
    }

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(40);
        Emission.Write(writer);
        return writer.WriteAmount(LockCost).WriteU16(MinTempo).ToArray();
    }

    public static SubnetParameters Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var parameters = new SubnetParameters(
            EmissionSchedule.Read(ref reader),
            reader.ReadAmount("lockCost"),
            reader.ReadU16("minTempo")
        );
        reader.EnsureEnd("subnet parameters");
        return parameters;
    }
}
