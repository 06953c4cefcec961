using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class TensorTests
{
    [Fact]
    public void Data_length_must_match_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromRaw(TensorElementType.Float, [2, 3], new byte[20]));
        Assert.Contains("float32[2,3] tensor needs 24 data bytes, got 20", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.FromStrings([3], ["a", "b"]));
    }

    [Fact]
    public void Negative_dimensions_and_non_binary_bools_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Tensor.FromFloats([-1, 2], new float[2]));
        Assert.Throws<ArgumentException>(() => Tensor.FromRaw(TensorElementType.Bool, [2], [1, 2]));
    }

    [Fact]
    public void Tensor_copies_its_data_so_later_changes_to_the_source_do_not_leak_in()
    {
        var source = new float[] { 1, 2 };
        var tensor = Tensor.FromFloats([2], source);
        source[0] = 99;
        Assert.Equal(1, tensor.GetDouble(0));
    }

    [Fact]
    public void Scalar_has_one_element_and_zero_sized_tensor_none()
    {
        Assert.Equal(1, Tensor.FromInt64s([], [42]).ElementCount);
        Assert.Equal(0, Tensor.FromFloats([0, 5], []).ElementCount);
    }

    [Fact]
    public void BFloat16_rounds_to_nearest_even()
    {
        Assert.Equal(1f, BFloat16.ToSingle(BFloat16.FromSingle(1f)));
        // 1 + 2^-8 lies exactly between two bfloat16 values (1 and 1 + 2^-7); ties go to the even one, 1.
        Assert.Equal(1f, BFloat16.ToSingle(BFloat16.FromSingle(1f + (1f / 256))));
        Assert.Equal(1f + (1f / 128), BFloat16.ToSingle(BFloat16.FromSingle(1f + (3f / 512))));
        Assert.True(float.IsNaN(BFloat16.ToSingle(BFloat16.FromSingle(float.NaN))));
    }
}
