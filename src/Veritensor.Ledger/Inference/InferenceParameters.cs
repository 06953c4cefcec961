using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The economics of verified inference, fixed by genesis (its optional <c>inference</c> section) and stored in the state.
/// <para>Fee split: a user pays the model's price plus one verification fee per attestation recorded. The price goes
/// <see cref="OwnerShareBps"/> to the model owner, <see cref="ExecutorShareBps"/> to the executor node's owner and the rest
/// (<see cref="TreasuryShareBps"/> plus any rounding dust) to the <see cref="Treasury"/>; the three shares sum to 10,000 bps.
/// Each attesting verifier's owner receives the verification fee, <see cref="VerificationFeeBps"/> of the price.</para>
/// <para>A proven lie costs <see cref="SlashBps"/> of the stake the offender's owner coldkey holds on its hotkey.</para>
/// </summary>
public sealed record InferenceParameters
{
    public const uint BasisPoints = 10_000;

    /// <summary>The model owner's share of the price. Default 2000 bps.</summary>
    public uint OwnerShareBps { get; init; } = 2000;

    /// <summary>The executor's share of the price. Default 7000 bps.</summary>
    public uint ExecutorShareBps { get; init; } = 7000;

    /// <summary>The treasury's share of the price (it also receives the rounding dust). Default 1000 bps.</summary>
    public uint TreasuryShareBps { get; init; } = 1000;

    /// <summary>What one verification costs, as a fraction of the price, paid to that verifier. Default 10,000 bps (the price).</summary>
    public uint VerificationFeeBps { get; init; } = 10_000;

    /// <summary>How many verifiers a full-mode request selects. Default 2.</summary>
    public int FullVerifiers { get; init; } = 2;

    /// <summary>The probability that a sampled request is re-executed, in parts per million. Default 100,000 (p = 0.1).</summary>
    public uint SamplingRatePpm { get; init; } = 100_000;

    /// <summary>How many fresh verifiers settle a dispute; a strict majority of them decides. Default 3.</summary>
    public int DisputeQuorum { get; init; } = 3;

    /// <summary>The fraction of the offender's own stake on its hotkey that a proven lie costs. Default 1000 bps.</summary>
    public uint SlashBps { get; init; } = 1000;

    /// <summary>The least stake on a hotkey for it to execute or verify. Default 10 tokens.</summary>
    public Amount MinNodeStake { get; init; } = Amount.FromTokens(10);

    /// <summary>How many blocks old a request's anchor block may be when it is recorded. Default 64.</summary>
    public ulong AnchorWindow { get; init; } = 64;

    /// <summary>What a reporter locks when it reports an attestation. Default 1 token.</summary>
    public Amount ReportBond { get; init; } = Amount.FromTokens(1);

    /// <summary>
    /// How many blocks a dispute may stay pending before anyone may expire it (ExpireDispute), refunding the escrow without
    /// slashing. Without it a dispute that never gets a majority (too few verifiers, a silent quorum, a split vote) would lock
    /// its escrow forever. Default 600.
    /// </summary>
    public ulong DisputeWindow { get; init; } = 600;

    /// <summary>The treasury account: an ordinary balance at an address nobody holds the key to (SHA-256 of "veritensor/treasury").</summary>
    public static Address Treasury { get; } = new(Hash256.Compute("veritensor/treasury"u8).Span);

    public static InferenceParameters Default { get; } = new();

    /// <summary>The first block at which a dispute opened at <paramref name="openedAt"/> may be expired: more than <see cref="DisputeWindow"/> blocks later.</summary>
    public ulong DisputeExpirableFrom(ulong openedAt) => checked(openedAt + DisputeWindow + 1);

    /// <summary>The verification fee for a model of <paramref name="price"/>.</summary>
    public Amount VerificationFee(Amount price) => Share(price, VerificationFeeBps);

    /// <summary>What a request costs its user: the model's price plus one verification fee per attestation recorded.</summary>
    public Amount RequestFee(Amount price, int attestations) =>
        new(checked(price.BaseUnits + VerificationFee(price).BaseUnits * (ulong)attestations));

    /// <summary>The most a request in <paramref name="mode"/> can cost: every drawn verifier attests. Gateways quote this before running anything.</summary>
    public Amount MaximumFee(Amount price, VerificationMode mode) =>
        RequestFee(price, VerifierSelection.VerifierCount(mode, this));

    /// <summary>⌊<paramref name="amount"/> × <paramref name="bps"/> / 10,000⌋ in integer arithmetic.</summary>
    public static Amount Share(Amount amount, uint bps) => new((ulong)((UInt128)amount.BaseUnits * bps / BasisPoints));

    public byte[] Encode() =>
        new CanonicalWriter(64)
            .WriteU32(OwnerShareBps)
            .WriteU32(ExecutorShareBps)
            .WriteU32(TreasuryShareBps)
            .WriteU32(VerificationFeeBps)
            .WriteU32((uint)FullVerifiers)
            .WriteU32(SamplingRatePpm)
            .WriteU32((uint)DisputeQuorum)
            .WriteU32(SlashBps)
            .WriteAmount(MinNodeStake)
            .WriteU64(AnchorWindow)
            .WriteAmount(ReportBond)
            .WriteU64(DisputeWindow)
            .ToArray();

    public static InferenceParameters Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var parameters = new InferenceParameters
        {
            OwnerShareBps = reader.ReadU32("ownerShareBps"),
            ExecutorShareBps = reader.ReadU32("executorShareBps"),
            TreasuryShareBps = reader.ReadU32("treasuryShareBps"),
            VerificationFeeBps = reader.ReadU32("verificationFeeBps"),
            FullVerifiers = checked((int)reader.ReadU32("fullVerifiers")),
            SamplingRatePpm = reader.ReadU32("samplingRatePpm"),
            DisputeQuorum = checked((int)reader.ReadU32("disputeQuorum")),
            SlashBps = reader.ReadU32("slashBps"),
            MinNodeStake = reader.ReadAmount("minNodeStake"),
            AnchorWindow = reader.ReadU64("anchorWindow"),
            ReportBond = reader.ReadAmount("reportBond"),
            DisputeWindow = reader.ReadU64("disputeWindow"),
        };
        reader.EnsureEnd("inference parameters");
        return parameters;
    }

    /// <summary>Null when valid, else the first parameter out of range and why.</summary>
    public string? Problem()
    {
        if ((ulong)OwnerShareBps + ExecutorShareBps + TreasuryShareBps != BasisPoints)
            return $"ownerShareBps + executorShareBps + treasuryShareBps must be 10000, got {OwnerShareBps} + {ExecutorShareBps} + {TreasuryShareBps}";
        if (VerificationFeeBps > 100 * BasisPoints)
            return $"verificationFeeBps must be at most 1000000, got {VerificationFeeBps}";
        if (FullVerifiers is < 1 or > 8)
            return $"fullVerifiers must be between 1 and 8, got {FullVerifiers}";
        if (SamplingRatePpm > VerifierSelection.PartsPerMillion)
            return $"samplingRatePpm must be at most 1000000, got {SamplingRatePpm}";
        if (DisputeQuorum is < 1 or > 15)
            return $"disputeQuorum must be between 1 and 15, got {DisputeQuorum}";
        if (SlashBps > BasisPoints)
            return $"slashBps must be at most 10000, got {SlashBps}";
        if (AnchorWindow is < 1 or > 100_000)
            return $"anchorWindow must be between 1 and 100000 blocks, got {AnchorWindow}";
        if (DisputeWindow is < 1 or > 10_000_000)
            return $"disputeWindow must be between 1 and 10000000 blocks, got {DisputeWindow}";
        return null;
    }
}
