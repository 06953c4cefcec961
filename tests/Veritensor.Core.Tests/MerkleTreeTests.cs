using System.Security.Cryptography;
using CsCheck;
using Veritensor.Core.Crypto;

namespace Veritensor.Core.Tests;

[UnitTest]
public sealed class MerkleTreeTests
{
    private static readonly Gen<Hash256> GenHash = Gen.Byte.Array[Hash256.Size].Select(b => new Hash256(b));

    private static byte[] Leaf(Hash256 h) => SHA256.HashData([0x00, .. h.Span]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>RFC 6962's recursive definition (split at the largest power of two below n), written independently.</summary>
    private static byte[] Reference(ReadOnlySpan<Hash256> leaves)
    {
        if (leaves.Length == 1)
            return Leaf(leaves[0]);
        var split = 1;
        while (split * 2 < leaves.Length)
            split *= 2;
        return Node(Reference(leaves[..split]), Reference(leaves[split..]));
    }

    [Fact]
    public void The_root_of_no_leaves_is_the_zero_hash() => Assert.Equal(Hash256.Zero, MerkleTree.ComputeRoot([]));

    [Fact]
    public void The_root_of_one_leaf_is_the_domain_separated_leaf_hash_not_the_leaf() =>
        GenHash.Sample(leaf =>
        {
            var root = MerkleTree.ComputeRoot([leaf]);
            Assert.NotEqual(leaf, root);
            Assert.Equal(Leaf(leaf), root.ToArray());
        });

    [Fact]
    public void The_root_of_two_leaves_hashes_an_inner_node_over_both_leaf_hashes() =>
        Gen.Select(GenHash, GenHash)
            .Sample((a, b) => Assert.Equal(Node(Leaf(a), Leaf(b)), MerkleTree.ComputeRoot([a, b]).ToArray()));

    [Fact]
    public void Roots_match_the_RFC_6962_definition_for_every_size() =>
        GenHash
            .Array[1, 70]
            .Sample(leaves => Assert.Equal(Reference(leaves), MerkleTree.ComputeRoot(leaves).ToArray()));

    [Fact]
    public void Swapping_two_different_leaves_changes_the_root() =>
        GenHash
            .Array[2, 40]
            .SelectMany(leaves =>
                Gen.Int[0, leaves.Length - 1]
                    .SelectMany(i =>
                        Gen.Int[0, leaves.Length - 1].Where(j => leaves[i] != leaves[j]).Select(j => (leaves, i, j))
                    )
            )
            .Sample(
                (leaves, i, j) =>
                {
                    var swapped = (Hash256[])leaves.Clone();
                    (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                    Assert.NotEqual(MerkleTree.ComputeRoot(leaves), MerkleTree.ComputeRoot(swapped));
                }
            );

    [Fact]
    public void Different_lists_give_different_roots() =>
        Gen.Select(GenHash.Array[0, 20], GenHash.Array[0, 20])
            .Where((a, b) => !a.SequenceEqual(b))
            .Sample((a, b) => Assert.NotEqual(MerkleTree.ComputeRoot(a), MerkleTree.ComputeRoot(b)));

    [Fact]
    public void Appending_a_leaf_or_dropping_the_last_changes_the_root() =>
        Gen.Select(GenHash.Array[1, 33], GenHash)
            .Sample(
                (leaves, extra) =>
                {
                    var root = MerkleTree.ComputeRoot(leaves);
                    Assert.NotEqual(root, MerkleTree.ComputeRoot([.. leaves, extra]));
                    Assert.NotEqual(root, MerkleTree.ComputeRoot(leaves[..^1]));
                }
            );

    [Fact]
    public void An_inner_node_used_as_a_leaf_does_not_reproduce_the_root() =>
        Gen.Select(GenHash, GenHash)
            .Sample(
                (a, b) =>
                {
                    var root = MerkleTree.ComputeRoot([a, b]);
                    Assert.NotEqual(root, MerkleTree.ComputeRoot([root]));
                    Assert.NotEqual(root, MerkleTree.ComputeRoot([new Hash256(Leaf(a)), new Hash256(Leaf(b))]));
                }
            );

    [Fact]
    public void Computing_a_root_leaves_the_input_list_unchanged() =>
        GenHash
            .Array[1, 20]
            .Sample(leaves =>
            {
                var copy = (Hash256[])leaves.Clone();
                MerkleTree.ComputeRoot(leaves);
                Assert.Equal(copy, leaves);
            });
}
