using System.Buffers.Binary;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// Which verifiers check a request (or settle a dispute): a stake-weighted draw without replacement among the
/// registered verifier nodes with enough stake, seeded by the request id and a committed block hash. Integer
/// arithmetic only, so every node, gateway and client computes the same set from the same state.
/// </summary>
public static class VerifierSelection
{
    private static readonly byte[] SeedDomain = "veritensor/verifier-selection/v1"u8.ToArray();
    private static readonly byte[] DisputeDomain = "veritensor/dispute-quorum/v1"u8.ToArray();

    public static Hash256 Seed(Hash256 requestId, Hash256 anchorBlockHash) => Derive(SeedDomain, requestId, anchorBlockHash);

    public static Hash256 DisputeSeed(Hash256 disputeId, Hash256 anchorBlockHash) => Derive(DisputeDomain, disputeId, anchorBlockHash);

    private static Hash256 Derive(byte[] domain, Hash256 id, Hash256 anchor)
    {
        var buffer = new byte[domain.Length + 2 * Hash256.Size];
        domain.CopyTo(buffer, 0);
        id.Span.CopyTo(buffer.AsSpan(domain.Length));
        anchor.Span.CopyTo(buffer.AsSpan(domain.Length + Hash256.Size));
        return Hash256.Compute(buffer);
    }

    /// <summary>
    /// The candidates: registered nodes with the verifier role whose hotkey stake is at least <paramref name="minStake"/>,
    /// minus <paramref name="exclude"/>, in ascending hotkey order, with their stakes.
    /// </summary>
    public static IReadOnlyList<(Address Hotkey, Amount Stake)> Candidates(IStateView state, IReadOnlySet<Address> exclude, Amount minStake)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(exclude);
        var candidates = new List<(Address, Amount)>();
        foreach (var hotkey in state.GetVerifierIndex())
        {
            if (exclude.Contains(hotkey)) continue;
            if (state.GetNode(hotkey) is not { } node || !node.Roles.HasFlag(NodeRoles.Verifier)) continue;
            var stake = state.GetHotkeyStake(hotkey);
            if (stake < minStake || stake == Amount.Zero) continue;
            candidates.Add((hotkey, stake));
        }
        return candidates;
    }

    /// <summary>
    /// Draws up to <paramref name="count"/> distinct verifiers (fewer when there are fewer candidates), in draw order.
    /// Draw k takes r = the first 8 bytes (LE) of SHA-256(seed ‖ k as u64 LE) and picks the candidate whose cumulative
    /// stake interval holds ⌊r × remaining total / 2^64⌋, then removes it.
    /// </summary>
    public static IReadOnlyList<Address> Select(IStateView state, Hash256 seed, int count, IReadOnlySet<Address> exclude, Amount minStake) =>
        Select(Candidates(state, exclude, minStake), seed, count);

    /// <summary>
    /// The same draw over a candidate list read elsewhere (a gateway's cached copy of the registered verifiers): it
    /// must be what <see cref="Candidates"/> returns, i.e. filtered and in ascending hotkey order.
    /// </summary>
    public static IReadOnlyList<Address> Select(IReadOnlyList<(Address Hotkey, Amount Stake)> candidates, Hash256 seed, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pool = new List<(Address Hotkey, Amount Stake)>(candidates);
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
                if (target < cumulative) break;
            }
            chosen.Add(pool[index].Hotkey);
            total -= pool[index].Stake.BaseUnits;
            pool.RemoveAt(index);
        }
        return chosen;
    }

    /// <summary>The verifiers that settle a dispute: drawn like a request's from the dispute seed, excluding the executor and every original verifier.</summary>
    public static IReadOnlyList<Address> SelectDisputeQuorum(IStateView state, Hash256 disputeId, Dispute dispute, InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        ArgumentNullException.ThrowIfNull(parameters);
        var exclude = new HashSet<Address>(dispute.OriginalVerifiers);
        if (dispute.Executor is { } executor) exclude.Add(executor);
        return Select(state, DisputeSeed(disputeId, dispute.AnchorHash), parameters.DisputeQuorum, exclude, parameters.MinNodeStake);
    }
}
