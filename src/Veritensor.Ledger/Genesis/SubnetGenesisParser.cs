using Veritensor.Core;
using Veritensor.Ledger.Subnets;

namespace Veritensor.Ledger.Genesis;

/// <summary>Reads the genesis <c>emission</c> and <c>subnets</c> sections into <see cref="SubnetParameters"/>, naming the field at fault.</summary>
internal static class SubnetGenesisParser
{
    /// <summary>The subnet rules of <paramref name="genesis"/>; <paramref name="genesisIssuance"/> bounds the cap from below.</summary>
    public static SubnetParameters Parse(GenesisDocument genesis, Amount genesisIssuance)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var emission = genesis.Emission ?? new GenesisEmission();
        var subnets = genesis.Subnets ?? new GenesisSubnets();
        var schedule = new EmissionSchedule(
            ParseAmount(emission.InitialBlockEmission, "emission.initialBlockEmission"),
            emission.HalvingInterval,
            ParseAmount(emission.MaxIssuance, "emission.maxIssuance")
        );
        if (subnets.MinTempo is < SubnetParameters.LowestMinTempo or > SubnetHyperparameters.MaxTempo)
            throw new GenesisException(
                $"subnets.minTempo must be between {SubnetParameters.LowestMinTempo} and {SubnetHyperparameters.MaxTempo}, got {subnets.MinTempo}."
            );
        var parameters = new SubnetParameters(
            schedule,
            ParseAmount(subnets.LockCost, "subnets.lockCost"),
            (ushort)subnets.MinTempo
        );
        if (parameters.Validate(genesisIssuance) is { } problem)
            throw new GenesisException(problem + ".");
        return parameters;
    }

    private static Amount ParseAmount(string text, string field) =>
        Amount.TryParseTokens(text, out var amount, out var error)
            ? amount
            : throw new GenesisException($"{field}: {error}");
}
