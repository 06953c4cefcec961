namespace Veritensor.Ledger.Genesis;

/// <summary>The genesis <c>subnets</c> section (see <see cref="Subnets.SubnetParameters"/>). Left out, it is the default.</summary>
public sealed class GenesisSubnets
{
    /// <summary>Tokens CreateSubnet locks from the owner's balance.</summary>
    public string LockCost { get; set; } = "100";

    /// <summary>The smallest tempo an owner may set, 1 to 50,400 blocks; devnets use 10 so that epochs come quickly.</summary>
    public int MinTempo { get; set; } = Subnets.SubnetParameters.DefaultMinTempo;
}
