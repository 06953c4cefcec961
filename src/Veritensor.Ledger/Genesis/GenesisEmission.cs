namespace Veritensor.Ledger.Genesis;

/// <summary>
/// The genesis <c>emission</c> section (see <see cref="Subnets.EmissionSchedule"/>). Amounts are token strings.
/// Left out, it is the default: 1 token per block, no halving, at most 21,000,000 tokens in issuance.
/// </summary>
public sealed class GenesisEmission
{
    /// <summary>Tokens per block before the first halving.</summary>
    public string InitialBlockEmission { get; set; } = "1";

    /// <summary>Blocks between halvings; 0 means the emission never halves.</summary>
    public ulong HalvingInterval { get; set; }

    /// <summary>The cap on total issuance plus pending subnet emission; must be at least the genesis issuance.</summary>
    public string MaxIssuance { get; set; } = "21000000";
}
