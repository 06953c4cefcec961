using System.Security.Cryptography;

namespace Veritensor.Core.Crypto;

/// <summary>
/// Binary Merkle root over an ordered list of hashes. Leaves are hashed with a 0x00 prefix and inner nodes with 0x01,
/// as in RFC 6962, so a leaf can never pass for a node; unlike RFC 6962's split at the largest power of two, the tree
/// pairs nodes level by level and promotes an odd last node unchanged.
/// </summary>
public static class MerkleTree
{
    public static Hash256 ComputeRoot(IReadOnlyList<Hash256> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
            return Hash256.Zero;
        var level = new byte[leaves.Count][];
        Span<byte> buffer = stackalloc byte[1 + 2 * Hash256.Size];
        for (var i = 0; i < leaves.Count; i++)
        {
            buffer[0] = 0x00;
            leaves[i].Span.CopyTo(buffer[1..]);
            level[i] = SHA256.HashData(buffer[..(1 + Hash256.Size)]);
        }
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i < count; i += 2)
            {
                if (i + 1 == count)
                {
                    level[next++] = level[i];
                    continue;
                }
                buffer[0] = 0x01;
                level[i].CopyTo(buffer[1..]);
                level[i + 1].CopyTo(buffer[(1 + Hash256.Size)..]);
                level[next++] = SHA256.HashData(buffer);
            }
            count = next;
        }
        return new Hash256(level[0]);
    }
}
