using Google.Protobuf;
using Onnx;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class TensorProtoCodecTests
{
    [Theory]
    [MemberData(nameof(SampleTensors.AllTypesData), MemberType = typeof(SampleTensors))]
    public void Every_element_type_round_trips(TensorElementType type)
    {
        var tensor = new NamedTensor("t", SampleTensors.Of(type));
        var decoded = TensorProtoCodec.Decode(TensorProtoCodec.Encode(tensor));
        Assert.Equal("t", decoded.Name);
        Assert.True(tensor.Tensor.BitEquals(decoded.Tensor), $"{type} changed in the round trip");
    }

    [Fact]
    public void Typed_fields_decode_to_the_same_values_as_raw_data()
    {
        var floats = new TensorProto
        {
            Name = "f",
            DataType = (int)TensorElementType.Float,
            Dims = { 2 },
            FloatData = { 1.5f, -2 },
        };
        Assert.True(Tensor.FromFloats([2], [1.5f, -2]).BitEquals(Decode(floats)));

        var int8 = new TensorProto
        {
            DataType = (int)TensorElementType.Int8,
            Dims = { 3 },
            Int32Data = { -128, 0, 127 },
        };
        Assert.Equal(new byte[] { 0x80, 0, 0x7F }, Decode(int8).Data.ToArray());

        var uint16 = new TensorProto
        {
            DataType = (int)TensorElementType.UInt16,
            Dims = { 1 },
            Int32Data = { 65535 },
        };
        Assert.Equal(new byte[] { 0xFF, 0xFF }, Decode(uint16).Data.ToArray());

        var half = new TensorProto
        {
            DataType = (int)TensorElementType.Float16,
            Dims = { 1 },
            Int32Data = { BitConverter.HalfToUInt16Bits((Half)0.5) },
        };
        Assert.Equal(0.5, Decode(half).GetDouble(0));

        var bools = new TensorProto
        {
            DataType = (int)TensorElementType.Bool,
            Dims = { 2 },
            Int32Data = { 1, 0 },
        };
        Assert.True(Tensor.FromBools([2], [true, false]).BitEquals(Decode(bools)));

        var int64 = new TensorProto
        {
            DataType = (int)TensorElementType.Int64,
            Dims = { 1 },
            Int64Data = { long.MinValue },
        };
        Assert.Equal(BitConverter.GetBytes(long.MinValue), Decode(int64).Data.ToArray());

        var uint64 = new TensorProto
        {
            DataType = (int)TensorElementType.UInt64,
            Dims = { 1 },
            Uint64Data = { ulong.MaxValue },
        };
        Assert.Equal(BitConverter.GetBytes(ulong.MaxValue), Decode(uint64).Data.ToArray());

        var doubles = new TensorProto
        {
            DataType = (int)TensorElementType.Double,
            Dims = { 1 },
            DoubleData = { Math.PI },
        };
        Assert.Equal(Math.PI, Decode(doubles).GetDouble(0));

        var strings = new TensorProto
        {
            DataType = (int)TensorElementType.String,
            Dims = { 2 },
            StringData = { ByteString.CopyFromUtf8("é"), ByteString.Empty },
        };
        Assert.Equal(["é", ""], Decode(strings).Strings);
    }

    [Fact]
    public void Errors_name_the_tensor_and_the_problem()
    {
        var shortData = new TensorProto
        {
            Name = "w",
            DataType = (int)TensorElementType.Float,
            Dims = { 3 },
            FloatData = { 1, 2 },
        };
        var e = Assert.Throws<TensorFormatException>(() => TensorProtoCodec.Decode(shortData.ToByteArray()));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains("float_data has 2", e.Message);

        var external = new TensorProto
        {
            Name = "big",
            DataType = (int)TensorElementType.Float,
            Dims = { 1 },
            DataLocation = TensorProto.Types.DataLocation.External,
        };
        Assert.Contains(
            "tensor 'big': external data",
            Assert.Throws<TensorFormatException>(() => TensorProtoCodec.Decode(external.ToByteArray())).Message
        );

        var badType = new TensorProto
        {
            Name = "c",
            DataType = 14,
            Dims = { 1 },
        }; // complex64
        Assert.Contains(
            "unsupported data_type 14",
            Assert.Throws<TensorFormatException>(() => TensorProtoCodec.Decode(badType.ToByteArray())).Message
        );

        Assert.Contains(
            "not an ONNX TensorProto",
            Assert.Throws<TensorFormatException>(() => TensorProtoCodec.Decode([0xFF, 0xFF, 0xFF])).Message
        );
    }

    [Fact]
    public void Size_limit_is_enforced_before_parsing()
    {
        var bytes = TensorProtoCodec.Encode(new NamedTensor("x", Tensor.FromFloats([100], new float[100])));
        var e = Assert.Throws<TensorFormatException>(() => TensorProtoCodec.Decode(bytes, maxBytes: 100));
        Assert.Contains("over the limit of 100 bytes", e.Message);
    }

    [Fact]
    public void Real_onnx_test_data_decodes()
    {
        var suite = TestData.RequireOnnxNodeSuite();
        var directory = Path.Combine(suite, "test_add", "test_data_set_0");
        var input = TensorProtoCodec.DecodeFile(Path.Combine(directory, "input_0.pb"));
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorElementType.Float, input.Tensor.ElementType);
        Assert.Equal([3L, 4, 5], input.Tensor.Shape);
        // Re-encoding writes raw_data; the values must survive unchanged.
        Assert.True(input.Tensor.BitEquals(TensorProtoCodec.Decode(TensorProtoCodec.Encode(input)).Tensor));

        // test_cast_FLOAT_to_STRING's expected output is a string tensor.
        var strings = TensorProtoCodec.DecodeFile(
            Path.Combine(suite, "test_cast_FLOAT_to_STRING", "test_data_set_0", "output_0.pb")
        );
        Assert.Equal(TensorElementType.String, strings.Tensor.ElementType);
        Assert.Equal(strings.Tensor.ElementCount, strings.Tensor.Strings.Count);
    }

    private static Tensor Decode(TensorProto proto) => TensorProtoCodec.Decode(proto.ToByteArray()).Tensor;
}
