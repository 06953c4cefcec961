using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace Veritensor.Tensors;

/// <summary>
/// Reads and writes ONNX <c>TensorProto</c> bytes: the format of the ONNX backend test data
/// (<c>input_0.pb</c>, <c>output_0.pb</c>) and of the CLI's <c>--input</c>/<c>--output-dir</c> files.
/// Decoding accepts <c>raw_data</c> and every typed field; encoding always writes name, dims, data_type and
/// <c>raw_data</c> (strings in <c>string_data</c>).
/// </summary>
public static class TensorProtoCodec
{
    /// <summary>Default upper bound on one encoded tensor: 256 MiB.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>Decodes a TensorProto. The name is empty when the file has none (inputs are then bound by position).</summary>
    public static NamedTensor Decode(
        ReadOnlySpan<byte> bytes,
        long maxBytes = DefaultMaxBytes,
        string source = "tensor"
    )
    {
        if (bytes.Length > maxBytes)
            throw new TensorFormatException($"{source}: {bytes.Length} bytes is over the limit of {maxBytes} bytes");
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new TensorFormatException($"{source}: not an ONNX TensorProto ({e.Message})", e);
        }
        var label = proto.Name.Length > 0 ? $"tensor '{proto.Name}'" : source;
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw new TensorFormatException($"{label}: external data is not supported; embed the data in the file");
        var type = (TensorElementType)proto.DataType;
        if (proto.DataType is < 0 or > byte.MaxValue || !TensorElementTypes.IsDefined(type))
            throw new TensorFormatException($"{label}: unsupported data_type {proto.DataType}");
        var shape = proto.Dims.ToArray();
        if (shape.Any(d => d < 0))
            throw new TensorFormatException($"{label}: negative dimension in [{string.Join(",", shape)}]");
        try
        {
            return new NamedTensor(proto.Name, Build(proto, type, shape, label));
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new TensorFormatException($"{label}: {e.Message}", e);
        }
    }

    public static NamedTensor DecodeFile(string path, long maxBytes = DefaultMaxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new TensorFormatException($"{path}: {length} bytes is over the limit of {maxBytes} bytes");
        return Decode(File.ReadAllBytes(path), maxBytes, path);
    }

    public static byte[] Encode(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var proto = new TensorProto { Name = tensor.Name, DataType = (int)tensor.Tensor.ElementType };
        proto.Dims.AddRange(tensor.Tensor.Shape);
        if (tensor.Tensor.IsString)
            proto.StringData.AddRange(tensor.Tensor.Strings.Select(ByteString.CopyFromUtf8));
        else
            proto.RawData = ByteString.CopyFrom(tensor.Tensor.Data.Span);
        return proto.ToByteArray();
    }

    private static Tensor Build(TensorProto proto, TensorElementType type, long[] shape, string label)
    {
        var count = Tensor.ElementCountOf(shape);
        if (type == TensorElementType.String)
        {
            if (proto.StringData.Count != count)
                throw new TensorFormatException(
                    $"{label}: shape [{string.Join(",", shape)}] needs {count} strings, string_data has {proto.StringData.Count}"
                );
            return Tensor.FromStrings(shape, proto.StringData.Select(s => s.ToStringUtf8()).ToArray());
        }
        if (!proto.RawData.IsEmpty || count == 0)
            return Tensor.FromRaw(type, shape, proto.RawData.Span);

        var size = TensorElementTypes.SizeOf(type);
        var (fieldName, fieldCount) = TypedField(proto, type);
        if (fieldCount != count)
            throw new TensorFormatException(
                $"{label}: shape [{string.Join(",", shape)}] needs {count} elements, {fieldName} has {fieldCount}"
            );
        var bytes = new byte[checked(count * size)];
        for (var i = 0; i < (int)count; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            switch (type)
            {
                case TensorElementType.Float:
                    BinaryPrimitives.WriteSingleLittleEndian(slot, proto.FloatData[i]);
                    break;
                case TensorElementType.Double:
                    BinaryPrimitives.WriteDoubleLittleEndian(slot, proto.DoubleData[i]);
                    break;
                case TensorElementType.Int64:
                    BinaryPrimitives.WriteInt64LittleEndian(slot, proto.Int64Data[i]);
                    break;
                case TensorElementType.UInt64:
                    BinaryPrimitives.WriteUInt64LittleEndian(slot, proto.Uint64Data[i]);
                    break;
                case TensorElementType.UInt32:
                    BinaryPrimitives.WriteUInt32LittleEndian(slot, checked((uint)proto.Uint64Data[i]));
                    break;
                case TensorElementType.Int32:
                    BinaryPrimitives.WriteInt32LittleEndian(slot, proto.Int32Data[i]);
                    break;
                // ONNX stores the narrow types (and float16/bfloat16 bit patterns) widened into int32_data.
                case TensorElementType.Int16:
                    BinaryPrimitives.WriteInt16LittleEndian(slot, checked((short)proto.Int32Data[i]));
                    break;
                case TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16:
                    BinaryPrimitives.WriteUInt16LittleEndian(slot, checked((ushort)proto.Int32Data[i]));
                    break;
                case TensorElementType.Int8:
                    slot[0] = unchecked((byte)checked((sbyte)proto.Int32Data[i]));
                    break;
                case TensorElementType.UInt8:
                    slot[0] = checked((byte)proto.Int32Data[i]);
                    break;
                case TensorElementType.Bool:
                    slot[0] = proto.Int32Data[i] != 0 ? (byte)1 : (byte)0;
                    break;
                default:
                    throw new TensorFormatException($"{label}: unsupported data_type {(int)type}");
            }
        }
        return Tensor.FromRaw(type, shape, bytes);
    }

    private static (string Field, int Count) TypedField(TensorProto proto, TensorElementType type) =>
        type switch
        {
            TensorElementType.Float => ("float_data", proto.FloatData.Count),
            TensorElementType.Double => ("double_data", proto.DoubleData.Count),
            TensorElementType.Int64 => ("int64_data", proto.Int64Data.Count),
            TensorElementType.UInt64 or TensorElementType.UInt32 => ("uint64_data", proto.Uint64Data.Count),
            _ => ("int32_data", proto.Int32Data.Count),
        };
}
