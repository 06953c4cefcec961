using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class StateTreeTests
{
    /// <summary>Distinct keys (1 to 24 bytes) with values (0 to 24 bytes).</summary>
    private static readonly Gen<(byte[] Key, byte[] Value)[]> GenEntries = Gen.Select(
            Gen.Byte.Array[1, 24],
            Gen.Byte.Array[0, 24]
        )
        .Array[0, 80]
        .Select(entries => entries.DistinctBy(e => Convert.ToHexString(e.Item1)).ToArray());

    /// <summary>
    /// The root as documented on <see cref="StateTree"/>, written independently: leaf = SHA-256(0x00 ‖ u32 key length ‖ key ‖ value),
    /// bucket (first 12 bits of SHA-256(key)) = SHA-256(0x02 ‖ leaf hashes in key order), node = SHA-256(0x01 ‖ left ‖ right),
    /// an empty bucket and a node over two empty children are empty, and an empty side hashes as 32 zero bytes.
    /// </summary>
    private static Hash256 ReferenceRoot(IEnumerable<(byte[] Key, byte[] Value)> entries)
    {
        var buckets = new SortedDictionary<byte[], byte[]>?[1 << 12];
        foreach (var (key, value) in entries)
        {
            var digest = SHA256.HashData(key);
            var index = ((digest[0] << 8) | digest[1]) >> 4;
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)key.Length);
            (buckets[index] ??= new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance))[key] =
                SHA256.HashData([0x00, .. length, .. key, .. value]);
        }
        var level = buckets
            .Select(b => b is null ? null : SHA256.HashData([0x02, .. b.Values.SelectMany(leaf => leaf)]))
            .ToArray();
        while (level.Length > 1)
        {
            var next = new byte[]?[level.Length / 2];
            for (var i = 0; i < next.Length; i++)
            {
                var (left, right) = (level[2 * i], level[2 * i + 1]);
                next[i] =
                    left is null && right is null
                        ? null
                        : SHA256.HashData([0x01, .. left ?? new byte[32], .. right ?? new byte[32]]);
            }
            level = next;
        }
        return level[0] is { } root ? new Hash256(root) : Hash256.Zero;
    }

    private static StateTree TreeOf(IEnumerable<(byte[] Key, byte[] Value)> entries)
    {
        var tree = new StateTree();
        foreach (var (key, value) in entries)
            tree.Set(key, value);
        return tree;
    }

    [Fact]
    public void An_empty_tree_has_the_zero_root()
    {
        Assert.Equal(Hash256.Zero, new StateTree().ComputeRoot());
        Assert.Equal(Hash256.Zero, new WorldState().Root);
    }

    [Fact]
    public void The_root_matches_the_documented_construction() =>
        GenEntries.Sample(entries => Assert.Equal(ReferenceRoot(entries), TreeOf(entries).ComputeRoot()));

    [Fact]
    public void The_root_matches_the_documented_construction_when_buckets_hold_many_keys()
    {
        // 20,000 keys in 4,096 buckets: every bucket holds several, so the in-bucket key order matters.
        var random = new Random(20240601);
        var entries = Enumerable
            .Range(0, 20_000)
            .Select(_ =>
            {
                var key = new byte[random.Next(1, 8)];
                random.NextBytes(key);
                return (Key: key, Value: BitConverter.GetBytes(random.Next()));
            })
            .DistinctBy(e => Convert.ToHexString(e.Key))
            .ToArray();
        Assert.Equal(ReferenceRoot(entries), TreeOf(entries).ComputeRoot());
    }

    [Fact]
    public void The_root_does_not_depend_on_insertion_order_or_on_when_it_was_computed() =>
        GenEntries
            .SelectMany(entries => Gen.Int.Select(seed => (entries, seed)))
            .Sample(
                (entries, seed) =>
                {
                    var random = new Random(seed);
                    var shuffled = entries.OrderBy(_ => random.Next()).ToArray();
                    var incremental = new StateTree();
                    foreach (var (key, value) in shuffled)
                    {
                        incremental.Set(key, value);
                        if (random.Next(4) == 0)
                            incremental.ComputeRoot();
                    }
                    Assert.Equal(TreeOf(entries).ComputeRoot(), incremental.ComputeRoot());
                    Assert.Equal(entries.Length, incremental.Count);
                }
            );

    [Fact]
    public void Adding_then_deleting_a_key_restores_the_previous_root() =>
        Gen.Select(GenEntries, Gen.Byte.Array[25, 30], Gen.Byte.Array[0, 10])
            .Sample(
                (entries, newKey, value) =>
                {
                    var tree = TreeOf(entries);
                    var before = tree.ComputeRoot();
                    tree.Set(newKey, value);
                    Assert.NotEqual(before, tree.ComputeRoot());
                    Assert.Equal(entries.Length + 1, tree.Count);
                    tree.Set(newKey, null);
                    Assert.Equal(before, tree.ComputeRoot());
                    Assert.Equal(entries.Length, tree.Count);
                }
            );

    [Fact]
    public void Deleting_a_key_gives_the_root_of_the_set_without_it() =>
        GenEntries
            .Where(e => e.Length > 0)
            .SelectMany(entries => Gen.Int[0, entries.Length - 1].Select(i => (entries, i)))
            .Sample(
                (entries, i) =>
                {
                    var tree = TreeOf(entries);
                    tree.ComputeRoot();
                    tree.Set(entries[i].Key, null);
                    Assert.Equal(TreeOf(entries.Where((_, j) => j != i)).ComputeRoot(), tree.ComputeRoot());
                }
            );

    [Fact]
    public void Deleting_every_key_returns_to_the_zero_root() =>
        GenEntries.Sample(entries =>
        {
            var tree = TreeOf(entries);
            tree.ComputeRoot();
            foreach (var (key, _) in entries)
                tree.Set(key, null);
            Assert.Equal(Hash256.Zero, tree.ComputeRoot());
            Assert.Equal(0, tree.Count);
        });

    [Fact]
    public void Deleting_an_absent_key_or_rewriting_the_same_value_changes_nothing() =>
        Gen.Select(GenEntries.Where(e => e.Length > 0), Gen.Byte.Array[25, 30])
            .Sample(
                (entries, absent) =>
                {
                    var tree = TreeOf(entries);
                    var before = tree.ComputeRoot();
                    tree.Set(absent, null);
                    tree.Set(entries[0].Key, (byte[])entries[0].Value.Clone());
                    Assert.Equal(before, tree.ComputeRoot());
                    Assert.Equal(entries.Length, tree.Count);
                }
            );

    [Fact]
    public void Changing_one_value_changes_the_root_and_changing_it_back_restores_it() =>
        GenEntries
            .Where(e => e.Length > 0)
            .Sample(entries =>
            {
                var tree = TreeOf(entries);
                var before = tree.ComputeRoot();
                tree.Set(entries[0].Key, [.. entries[0].Value, 0x5A]);
                Assert.NotEqual(before, tree.ComputeRoot());
                tree.Set(entries[0].Key, entries[0].Value);
                Assert.Equal(before, tree.ComputeRoot());
            });

    [Fact]
    public void Key_and_value_boundaries_are_unambiguous()
    {
        // Same concatenated bytes, split differently between key and value.
        var a = TreeOf([(new byte[] { 1, 2 }, new byte[] { 3 })]).ComputeRoot();
        var b = TreeOf([(new byte[] { 1 }, new byte[] { 2, 3 })]).ComputeRoot();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Undoing_an_applied_change_set_restores_the_root_and_the_entries() =>
        Gen.Select(GenEntries, GenEntries, Gen.Int)
            .Sample(
                (initial, updates, seed) =>
                {
                    var world = new WorldState();
                    world.Apply(initial.ToDictionary(e => e.Key, e => (byte[]?)e.Value, ByteArrayComparer.Instance));
                    var root = world.Root;
                    var entriesBefore = world
                        .Entries.Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value))
                        .Order()
                        .ToArray();

                    // Overwrite, delete and add keys.
                    var random = new Random(seed);
                    var changes = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
                    foreach (var (key, value) in updates)
                        changes[key] = value;
                    foreach (var (key, _) in initial)
                        if (random.Next(3) == 0)
                            changes[key] = random.Next(2) == 0 ? null : [7, 7];
                    var undo = world.Apply(changes);
                    world.Undo(undo);

                    Assert.Equal(root, world.Root);
                    Assert.Equal(
                        entriesBefore,
                        world
                            .Entries.Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value))
                            .Order()
                            .ToArray()
                    );
                }
            );

    [Fact]
    public void World_state_root_equals_the_tree_root_of_its_entries() =>
        Gen.Select(GenEntries, GenEntries)
            .Sample(
                (first, second) =>
                {
                    var world = new WorldState();
                    world.Apply(first.ToDictionary(e => e.Key, e => (byte[]?)e.Value, ByteArrayComparer.Instance));
                    world.Apply(second.ToDictionary(e => e.Key, e => (byte[]?)e.Value, ByteArrayComparer.Instance));
                    var merged = first
                        .Concat(second)
                        .GroupBy(e => Convert.ToHexString(e.Key))
                        .Select(g => g.Last())
                        .ToArray();
                    Assert.Equal(merged.Length, world.Count);
                    Assert.Equal(ReferenceRoot(merged), world.Root);
                }
            );
}
