using System.Buffers.Binary;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// Which verifiers check a request (or settle a dispute): a stake-weighted draw without replacement among the
/// registered verifier nodes with enough stake, never one with the executor's owner. A request's draw is seeded by its
/// id, its anchor block's hash and the gateway's <see cref="DrawTicket"/> (the user cannot grind it, the executor does
/// not know it before it answers); a dispute's quorum by the hash of the block that opened the dispute (fixed after
/// every party's signature). Integer arithmetic only, so every node, gateway and client computes the same set.
/// </summary>
public static class VerifierSelection
{
    public const uint PartsPerMillion = 1_000_000;
    private static readonly byte[] SeedDomain = "veritensor/verifier-selection/v2"u8.ToArray();
    private static readonly byte[] SampleDomain = "veritensor/sample-draw/v1"u8.ToArray();
    private static readonly byte[] DisputeDomain = "veritensor/dispute-quorum/v2"u8.ToArray();

    public static Hash256 Seed(Hash256 requestId, Hash256 anchorBlockHash, Signature drawTicket) =>
        Derive(SeedDomain, requestId.Span, anchorBlockHash.Span, drawTicket.Span);

    public static Hash256 DisputeSeed(Hash256 disputeId, Hash256 openingBlockHash) =>
        Derive(DisputeDomain, disputeId.Span, openingBlockHash.Span, []);

    /// <summary>
    /// Whether a sampled request with this seed is re-executed: the first 8 bytes (LE) of SHA-256(domain ‖ seed) are
    /// below <paramref name="samplingRatePpm"/> × ⌊2^64 / 10^6⌋.
    /// </summary>
    public static bool IsSampled(Hash256 seed, uint samplingRatePpm)
    {
        var draw = BinaryPrimitives.ReadUInt64LittleEndian(Derive(SampleDomain, seed.Span, [], []).Span);
        var threshold = (UInt128)samplingRatePpm * ((UInt128.One << 64) / PartsPerMillion);
        return draw < threshold;
    }

    private static Hash256 Derive(byte[] domain, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var buffer = new byte[domain.Length + a.Length + b.Length + c.Length];
        domain.CopyTo(buffer, 0);
        a.CopyTo(buffer.AsSpan(domain.Length));
        b.CopyTo(buffer.AsSpan(domain.Length + a.Length));
        c.CopyTo(buffer.AsSpan(domain.Length + a.Length + b.Length));
        return Hash256.Compute(buffer);
    }

    /// <summary>The candidate filter: a node with the verifier role and a nonzero hotkey stake of at least <paramref name="minStake"/>.</summary>
    public static bool IsCandidate(NodeRoles roles, Amount stake, Amount minStake) =>
        roles.HasFlag(NodeRoles.Verifier) && stake >= minStake && stake != Amount.Zero;

    /// <summary>How many verifiers a request in <paramref name="mode"/> draws: k in full mode, one in sampled mode, none otherwise.</summary>
    public static int VerifierCount(VerificationMode mode, InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return mode switch
        {
            VerificationMode.Full => parameters.FullVerifiers,
            VerificationMode.Sampled => 1,
            _ => 0,
        };
    }

    /// <summary>The candidates in <paramref name="state"/> now (the verifier index, which holds exactly the nodes <see cref="IsCandidate"/> accepts) with their hotkey stakes: what a dispute quorum is drawn from. A request's verifiers are drawn from the index at its anchor (<see cref="VerifierHistory.CandidatesAt"/>).</summary>
    public static IReadOnlyList<VerifierCandidate> Candidates(IStateView state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var candidates = new List<VerifierCandidate>();
        foreach (var hotkey in state.GetVerifierIndex())
            candidates.Add(
                new VerifierCandidate(
                    hotkey,
                    state.GetNode(hotkey)!.Owner,
                    state.GetIndexedVerifierStake(hotkey)!.Value
                )
            );
        return candidates;
    }

    /// <summary>
    /// The verifiers that must attest one request: <see cref="VerifierCount"/> of them drawn from
    /// <paramref name="candidates"/> with the request's seed (none for a sampled request the seed does not sample), never
    /// the executor itself (a node may hold both roles) nor a node of the executor's owner (one owner must not check its
    /// own work). The ledger, the gateway, the verifiers and the SDK all call this, on candidates read from state or
    /// from the API.
    /// </summary>
    public static IReadOnlyList<Address> ForRequest(
        IReadOnlyCollection<VerifierCandidate> candidates,
        RequestDraw draw,
        VerificationMode mode,
        InferenceParameters parameters
    )
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!NeedsVerification(draw, mode, parameters))
            return [];
        var exclude = candidates
            .Where(c => c.Owner == draw.ExecutorOwner)
            .Select(c => c.Hotkey)
            .Append(draw.Executor)
            .ToHashSet();
        return Draw(
            candidates,
            Seed(draw.RequestId, draw.AnchorHash, draw.Ticket),
            VerifierCount(mode, parameters),
            exclude
        );
    }

    /// <summary>
    /// Whether a request must be re-executed: always in full mode, in sampled mode when its seed samples it, never in mode
    /// none. Such a request cannot be served (nor recorded) when <see cref="ForRequest"/> finds no verifier.
    /// </summary>
    public static bool NeedsVerification(RequestDraw draw, VerificationMode mode, InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(parameters);
        return mode switch
        {
            VerificationMode.Full => true,
            VerificationMode.Sampled => IsSampled(
                Seed(draw.RequestId, draw.AnchorHash, draw.Ticket),
                parameters.SamplingRatePpm
            ),
            _ => false,
        };
    }

    /// <summary>
    /// Draws up to <paramref name="count"/> distinct verifiers from <paramref name="candidates"/> minus <paramref name="exclude"/>
    /// (fewer when there are fewer), in draw order. The pool is ordered by hotkey first, so the caller's order does not
    /// matter. Draw k takes r = the first 8 bytes (LE) of SHA-256(seed ‖ k as u64 LE) and picks the candidate whose
    /// cumulative stake interval holds ⌊r × remaining total / 2^64⌋, then removes it.
    /// </summary>
    public static IReadOnlyList<Address> Draw(
        IReadOnlyCollection<VerifierCandidate> candidates,
        Hash256 seed,
        int count,
        IReadOnlySet<Address> exclude
    )
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(exclude);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pool = candidates
            .Where(c => !exclude.Contains(c.Hotkey) && c.Stake != Amount.Zero)
            .OrderBy(c => c.Hotkey)
            .ToList();
        var total = pool.Aggregate(UInt128.Zero, (sum, c) => sum + c.Stake.BaseUnits);
        var chosen = new List<Address>(Math.Min(count, pool.Count));
        Span<byte> buffer = stackalloc byte[Hash256.Size + 8];
        seed.Span.CopyTo(buffer);
        for (ulong draw = 0; chosen.Count < count && pool.Count > 0; draw++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[Hash256.Size..], draw);
            var random = BinaryPrimitives.ReadUInt64LittleEndian(Hash256.Compute(buffer).Span);
            var target = random * total >> 64;
            var index = 0;
            var cumulative = UInt128.Zero;
            for (; index < pool.Count - 1; index++)
            {
                cumulative += pool[index].Stake.BaseUnits;
                if (target < cumulative)
                    break;
            }
            chosen.Add(pool[index].Hotkey);
            total -= pool[index].Stake.BaseUnits;
            pool.RemoveAt(index);
        }
        return chosen;
    }

    /// <summary>
    /// The verifiers that settle a dispute: drawn like a request's from the dispute seed (with the hash of the block that
    /// opened it, <paramref name="openingBlockHash"/>), excluding the executor and every original verifier.
    /// </summary>
    public static IReadOnlyList<Address> DisputeQuorum(
        IStateView state,
        Hash256 disputeId,
        Dispute dispute,
        Hash256 openingBlockHash,
        InferenceParameters parameters
    )
    {
        ArgumentNullException.ThrowIfNull(dispute);
        ArgumentNullException.ThrowIfNull(parameters);
        var exclude = new HashSet<Address>(dispute.OriginalVerifiers);
        if (dispute.Executor is { } executor)
            exclude.Add(executor);
        return Draw(Candidates(state), DisputeSeed(disputeId, openingBlockHash), parameters.DisputeQuorum, exclude);
    }
}
