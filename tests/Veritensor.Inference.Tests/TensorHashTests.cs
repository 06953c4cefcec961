using System.Security.Cryptography;
using Veritensor.Core.Encoding;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class TensorHashTests
{
    private static readonly NamedTensor A = new("a", Tensor.FromFloats([2], [1, 2]));
    private static readonly NamedTensor B = new("b", Tensor.FromStrings([1], ["x"]));
    private static readonly NamedTensor C = new("c", Tensor.FromInt64s([1, 1], [5]));

    [Fact]
    public void Order_of_the_list_does_not_matter()
    {
        Assert.Equal(TensorHash.Compute([A, B, C]), TensorHash.Compute([C, A, B]));
        Assert.Equal(TensorHash.Compute([A, B, C]), TensorHash.Compute([B, C, A]));
    }

    [Fact]
    public void Every_part_of_a_tensor_changes_the_hash()
    {
        var baseline = TensorHash.Compute([A]);
        NamedTensor[] variants =
        [
            new("a2", A.Tensor),
            new("a", Tensor.FromInt32s([2], [BitConverter.SingleToInt32Bits(1), BitConverter.SingleToInt32Bits(2)])), // same bytes, other type
            new("a", Tensor.FromFloats([1, 2], [1, 2])), // same bytes, other shape
            new(
                "a",
                Tensor.FromFloats([2], [1, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(2) ^ 1)])
            ), // one bit
        ];
        foreach (var variant in variants)
            Assert.NotEqual(baseline, TensorHash.Compute([variant]));
        Assert.NotEqual(
            TensorHash.Compute([B]),
            TensorHash.Compute([new NamedTensor("b", Tensor.FromStrings([1], ["y"]))])
        );
        Assert.NotEqual(TensorHash.Compute([A]), TensorHash.Compute([A, B]));
    }

    [Fact]
    public void Hash_is_sha256_of_the_documented_encoding()
    {
        var writer = new CanonicalWriter();
        writer.WriteString("veritensor/tensors/v1").WriteU32(2);
        writer.WriteString("a").WriteU8(1).WriteU8(1).WriteI64(2).WriteBytes([0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]);
        writer.WriteString("b").WriteU8(8).WriteU8(1).WriteI64(1).WriteU64(1).WriteString("x");
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(writer.ToArray())),
            TensorHash.Compute([B, A]).ToString()
        );
    }

    [Fact]
    public void Duplicate_names_are_refused() =>
        Assert.Contains(
            "'a' appears twice",
            Assert.Throws<ArgumentException>(() => TensorHash.Compute([A, A])).Message
        );

    [Fact]
    public void Every_type_hashes_and_differs_from_the_others()
    {
        var hashes = SampleTensors
            .AllTypes.Select(t => TensorHash.Compute([new NamedTensor("t", SampleTensors.Of(t))]))
            .ToArray();
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.Equal(Enum.GetValues<TensorElementType>().Length, hashes.Length);
    }
}
