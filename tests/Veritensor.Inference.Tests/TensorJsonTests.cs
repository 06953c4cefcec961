using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class TensorJsonTests
{
    [Theory]
    [MemberData(nameof(SampleTensors.AllTypesData), MemberType = typeof(SampleTensors))]
    public void Every_element_type_round_trips(TensorElementType type)
    {
        var tensor = new NamedTensor("t", SampleTensors.Of(type));
        var back = TensorJson.Parse(TensorJson.Serialize(tensor));
        Assert.Equal("t", back.Name);
        Assert.True(tensor.Tensor.BitEquals(back.Tensor), $"{type} changed in the JSON round trip");
    }

    [Fact]
    public void Reads_the_documented_form()
    {
        var tensor = TensorJson.Parse("""{"name":"x","type":"float32","shape":[1,4],"data":[1,2.5,-3,4]}""");
        Assert.Equal("x", tensor.Name);
        Assert.True(Tensor.FromFloats([1, 4], [1, 2.5f, -3, 4]).BitEquals(tensor.Tensor));
        var flags = TensorJson.Parse("""{"name":"b","type":"bool","shape":[2],"data":[true,false]}""");
        Assert.True(Tensor.FromBools([2], [true, false]).BitEquals(flags.Tensor));
    }

    [Fact]
    public void Int64_extremes_and_non_finite_floats_survive()
    {
        var ints = new NamedTensor("i", Tensor.FromInt64s([2], [long.MinValue, long.MaxValue]));
        Assert.True(ints.Tensor.BitEquals(TensorJson.Parse(TensorJson.Serialize(ints)).Tensor));
        var floats = new NamedTensor(
            "f",
            Tensor.FromFloats([3], [float.NaN, float.PositiveInfinity, float.NegativeInfinity])
        );
        var back = TensorJson.Parse(TensorJson.Serialize(floats)).Tensor;
        Assert.True(double.IsNaN(back.GetDouble(0)));
        Assert.Equal(double.PositiveInfinity, back.GetDouble(1));
        Assert.Equal(double.NegativeInfinity, back.GetDouble(2));
    }

    [Fact]
    public void An_array_gives_several_tensors()
    {
        var tensors = TensorJson.ParseMany(
            """[{"name":"a","type":"int32","shape":[1],"data":[7]},{"name":"b","type":"string","shape":[],"data":["hi"]}]"""
        );
        Assert.Equal(["a", "b"], tensors.Select(t => t.Name));
        Assert.Equal("hi", tensors[1].Tensor.Strings[0]);
    }

    [Theory]
    [InlineData(
        """{"name":"x","type":"float32","shape":[2],"data":[1]}""",
        "tensor 'x': shape [2] needs 2 elements, data has 1"
    )]
    [InlineData("""{"name":"x","type":"complex","shape":[1],"data":[1]}""", "tensor 'x': unknown type 'complex'")]
    [InlineData("""{"name":"x","type":"uint8","shape":[1],"data":[300]}""", "tensor 'x'")]
    [InlineData("""{"name":"x","type":"float32","data":[1]}""", "tensor 'x': missing \"shape\"")]
    [InlineData("not json", "not valid JSON")]
    public void Errors_name_the_tensor_and_the_problem(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<TensorFormatException>(() => TensorJson.ParseMany(json)).Message);
}
