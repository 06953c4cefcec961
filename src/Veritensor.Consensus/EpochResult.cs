namespace Veritensor.Consensus;

/// <summary>What one epoch produces and stores (spec §5.10). Fixed-point vectors are kept beside their u16 storage form.</summary>
public sealed record EpochResult(
    I32F32[] Stake,
    I32F32[] ActiveStake,
    I32F32[] Consensus,
    I32F32[] Incentive,
    I32F32[] Dividends,
    I32F32[] ValidatorTrust,
    ulong[] Emission,
    ulong[] ServerEmission,
    ulong[] ValidatorEmission,
    bool[] NewValidatorPermit,
    U16Entry[][] Bonds
)
{
    public ushort[] ConsensusU16 => ToU16(Consensus);
    public ushort[] IncentiveU16 => ToU16(Incentive);
    public ushort[] DividendsU16 => ToU16(Dividends);
    public ushort[] ValidatorTrustU16 => ToU16(ValidatorTrust);

    private static ushort[] ToU16(I32F32[] values) => Array.ConvertAll(values, v => v.ToU16Proportion());
}
