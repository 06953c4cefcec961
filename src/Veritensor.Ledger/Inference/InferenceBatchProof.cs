using System.Security.Cryptography;
using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// Inclusion proofs for the Merkle root of a batch of inference records (<see cref="MerkleTree.ComputeRoot"/> over
/// <see cref="InferenceRecord.Hash"/>): the sibling hashes from the leaf up. A level where the leaf's node is the odd
/// one out contributes no sibling (the tree promotes it unchanged), which <see cref="Verify"/> recomputes from the count.
/// </summary>
public static class InferenceBatchProof
{
    public static IReadOnlyList<Hash256> Build(IReadOnlyList<InferenceRecord> records, int index)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Build(records.Select(r => r.Hash()).ToArray(), index);
    }

    /// <summary>The proof for leaf <paramref name="index"/> of <paramref name="leaves"/> (record hashes).</summary>
    public static IReadOnlyList<Hash256> Build(IReadOnlyList<Hash256> leaves, int index)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var level = leaves.Select(LeafNode).ToList();
        var proof = new List<Hash256>();
        while (level.Count > 1)
        {
            var sibling = index ^ 1;
            if (sibling < level.Count)
                proof.Add(level[sibling]);
            var next = new List<Hash256>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? InnerNode(level[i], level[i + 1]) : level[i]);
            level = next;
            index /= 2;
        }
        return proof;
    }

    /// <summary>True when <paramref name="leafHash"/> is leaf <paramref name="index"/> of <paramref name="count"/> under <paramref name="root"/>.</summary>
    public static bool Verify(Hash256 root, Hash256 leafHash, int index, int count, IReadOnlyList<Hash256> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (count < 1 || index < 0 || index >= count)
            return false;
        var node = LeafNode(leafHash);
        var used = 0;
        var width = count;
        while (width > 1)
        {
            var sibling = index ^ 1;
            if (sibling < width)
            {
                if (used == proof.Count)
                    return false;
                node = (index & 1) == 0 ? InnerNode(node, proof[used]) : InnerNode(proof[used], node);
                used++;
            }
            index /= 2;
            width = (width + 1) / 2;
        }
        return used == proof.Count && node == root;
    }

    private static Hash256 LeafNode(Hash256 leaf)
    {
        Span<byte> buffer = stackalloc byte[1 + Hash256.Size];
        buffer[0] = 0x00;
        leaf.Span.CopyTo(buffer[1..]);
        return new Hash256(SHA256.HashData(buffer));
    }

    private static Hash256 InnerNode(Hash256 left, Hash256 right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Hash256.Size];
        buffer[0] = 0x01;
        left.Span.CopyTo(buffer[1..]);
        right.Span.CopyTo(buffer[(1 + Hash256.Size)..]);
        return new Hash256(SHA256.HashData(buffer));
    }
}
