using System.Security.Cryptography;
using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.State;

/// <summary>
/// The authenticated commitment to the whole state. Keys fall into 2^12 buckets by the first 12 bits of
/// SHA-256(key); a bucket's hash covers its entries' leaf hashes in key order; a binary Merkle tree over
/// the buckets gives the root. Updating k keys costs k leaf hashes plus the dirty buckets and their
/// paths, not a pass over the whole state, and a key's inclusion is provable with its bucket and 12 siblings.
/// Hash inputs: leaf = SHA-256(0x00 ‖ u32 key length ‖ key ‖ value), bucket = SHA-256(0x02 ‖ leaf hashes),
/// node = SHA-256(0x01 ‖ left ‖ right); an empty bucket and a node over two empty children are all-zero.
/// </summary>
internal sealed class StateTree
{
    public const int BucketBits = 12;
    private const int BucketCount = 1 << BucketBits;
    private readonly SortedList<byte[], byte[]>?[] _buckets = new SortedList<byte[], byte[]>?[BucketCount];
    private readonly byte[]?[] _nodes = new byte[]?[2 * BucketCount];
    private readonly HashSet<int> _dirtyBuckets = [];

    public int Count { get; private set; }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, or removes it when the value is null.</summary>
    public void Set(byte[] key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var index = BucketOf(key);
        var bucket = _buckets[index];
        if (value is null)
        {
            if (bucket is not null && bucket.Remove(key))
            {
                Count--;
                _dirtyBuckets.Add(index);
            }
            return;
        }
        bucket ??= _buckets[index] = new SortedList<byte[], byte[]>(ByteArrayComparer.Instance);
        var leaf = LeafHash(key, value);
        if (bucket.TryGetValue(key, out var existing))
        {
            if (existing.AsSpan().SequenceEqual(leaf))
                return;
        }
        else
        {
            Count++;
        }
        bucket[key] = leaf;
        _dirtyBuckets.Add(index);
    }

    /// <summary>Re-hashes what changed since the last call and returns the root.</summary>
    public Hash256 ComputeRoot()
    {
        if (_dirtyBuckets.Count > 0)
        {
            var dirty = new List<int>(_dirtyBuckets.Count);
            foreach (var bucket in _dirtyBuckets)
            {
                _nodes[BucketCount + bucket] = BucketHash(_buckets[bucket]);
                dirty.Add(BucketCount + bucket);
            }
            _dirtyBuckets.Clear();
            var buffer = new byte[1 + 2 * Hash256.Size];
            while (dirty[0] > 1)
            {
                var parents = new List<int>(dirty.Count);
                var seen = new HashSet<int>();
                foreach (var node in dirty)
                {
                    var parent = node >> 1;
                    if (seen.Add(parent))
                        parents.Add(parent);
                }
                foreach (var parent in parents)
                    _nodes[parent] = NodeHash(_nodes[2 * parent], _nodes[2 * parent + 1], buffer);
                dirty = parents;
            }
        }
        return _nodes[1] is { } root ? new Hash256(root) : Hash256.Zero;
    }

    private static int BucketOf(byte[] key)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(key, digest);
        return ((digest[0] << 8) | digest[1]) >> (16 - BucketBits);
    }

    private static byte[] LeafHash(byte[] key, byte[] value)
    {
        var preimage = new byte[1 + 4 + key.Length + value.Length];
        preimage[0] = 0x00;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(preimage.AsSpan(1), (uint)key.Length);
        key.CopyTo(preimage, 5);
        value.CopyTo(preimage, 5 + key.Length);
        return SHA256.HashData(preimage);
    }

    private static byte[]? BucketHash(SortedList<byte[], byte[]>? bucket)
    {
        if (bucket is null || bucket.Count == 0)
            return null;
        var preimage = new byte[1 + bucket.Count * Hash256.Size];
        preimage[0] = 0x02;
        var offset = 1;
        foreach (var leaf in bucket.Values)
        {
            leaf.CopyTo(preimage, offset);
            offset += Hash256.Size;
        }
        return SHA256.HashData(preimage);
    }

    private static byte[]? NodeHash(byte[]? left, byte[]? right, byte[] buffer)
    {
        if (left is null && right is null)
            return null;
        buffer[0] = 0x01;
        if (left is null)
            buffer.AsSpan(1, Hash256.Size).Clear();
        else
            left.CopyTo(buffer, 1);
        if (right is null)
            buffer.AsSpan(1 + Hash256.Size).Clear();
        else
            right.CopyTo(buffer, 1 + Hash256.Size);
        return SHA256.HashData(buffer);
    }
}
