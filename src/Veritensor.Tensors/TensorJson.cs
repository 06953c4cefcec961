using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Veritensor.Tensors;

/// <summary>
/// Small tensors as JSON: <c>{"name":"x","type":"float32","shape":[1,4],"data":[...]}</c>, data flat in row-major
/// order. Floats (float16/bfloat16 too) and integers (int64/uint64 too, exactly) are JSON numbers, bools are
/// true/false, strings are strings. Non-finite floats are the strings "NaN", "Infinity" and "-Infinity".
/// </summary>
public static class TensorJson
{
    public static JsonObject ToJson(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var t = tensor.Tensor;
        var data = new JsonArray();
        for (long i = 0; i < t.ElementCount; i++)
            data.Add(ElementNode(t, i));
        return new JsonObject
        {
            ["name"] = tensor.Name,
            ["type"] = TensorElementTypes.Name(t.ElementType),
            ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
            ["data"] = data,
        };
    }

    public static string Serialize(NamedTensor tensor) => ToJson(tensor).ToJsonString();

    /// <summary>Parses one JSON tensor object or an array of them.</summary>
    public static IReadOnlyList<NamedTensor> ParseMany(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TensorFormatException($"tensor JSON is not valid JSON: {e.Message}", e);
        }
        return root switch
        {
            JsonArray array => array
                .Select(
                    (node, i) =>
                        FromJson(
                            node as JsonObject ?? throw new TensorFormatException($"tensor JSON [{i}] is not an object")
                        )
                )
                .ToArray(),
            JsonObject single => [FromJson(single)],
            _ => throw new TensorFormatException("tensor JSON must be an object or an array of objects"),
        };
    }

    public static NamedTensor Parse(string json)
    {
        var tensors = ParseMany(json);
        return tensors.Count == 1
            ? tensors[0]
            : throw new TensorFormatException($"expected one JSON tensor, got {tensors.Count}");
    }

    public static NamedTensor FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var name = json["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : "";
        var label = name.Length > 0 ? $"tensor '{name}'" : "JSON tensor";
        try
        {
            var typeName = json["type"]?.GetValue<string>()
                ?? throw new TensorFormatException($"{label}: missing \"type\"");
            if (!TensorElementTypes.TryParse(typeName, out var type))
                throw new TensorFormatException($"{label}: unknown type '{typeName}'");
            var shape = (
                json["shape"] as JsonArray ?? throw new TensorFormatException($"{label}: missing \"shape\" array")
            )
                .Select(d => d!.GetValue<long>())
                .ToArray();
            var data = json["data"] as JsonArray ?? throw new TensorFormatException($"{label}: missing \"data\" array");
            var count = Tensor.ElementCountOf(shape);
            if (data.Count != count)
                throw new TensorFormatException(
                    $"{label}: shape [{string.Join(",", shape)}] needs {count} elements, data has {data.Count}"
                );
            if (type == TensorElementType.String)
                return new NamedTensor(
                    name,
                    Tensor.FromStrings(shape, data.Select(d => d!.GetValue<string>()).ToArray())
                );
            var size = TensorElementTypes.SizeOf(type);
            var bytes = new byte[checked(data.Count * size)];
            for (var i = 0; i < data.Count; i++)
                WriteElement(
                    type,
                    bytes.AsSpan(i * size, size),
                    data[i] ?? throw new TensorFormatException($"{label}: data[{i}] is null")
                );
            return new NamedTensor(name, Tensor.FromRaw(type, shape, bytes));
        }
        catch (Exception e)
            when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            throw new TensorFormatException($"{label}: {e.Message}", e);
        }
    }

    private static JsonNode? ElementNode(Tensor t, long index)
    {
        var size = TensorElementTypes.SizeOf(t.ElementType);
        var bytes = t.IsString ? default : t.Data.Span.Slice(checked((int)(index * size)), size);
        return t.ElementType switch
        {
            TensorElementType.String => JsonValue.Create(t.Strings[checked((int)index)]),
            TensorElementType.Bool => JsonValue.Create(bytes[0] != 0),
            TensorElementType.Int64 => JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
            TensorElementType.UInt64 => JsonValue.Create(BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
            TensorElementType.Float => FloatNode(BinaryPrimitives.ReadSingleLittleEndian(bytes)),
            _ when TensorElementTypes.IsFloating(t.ElementType) => FloatNode(t.GetDouble(index)),
            _ => JsonValue.Create((long)t.GetDouble(index)),
        };
    }

    private static JsonValue FloatNode(float value) =>
        float.IsFinite(value)
            ? JsonValue.Create(value)
            : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonValue FloatNode(double value) =>
        double.IsFinite(value)
            ? JsonValue.Create(value)
            : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static double ReadDouble(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String
            ? double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
            : node.GetValue<double>();

    private static void WriteElement(TensorElementType type, Span<byte> slot, JsonNode node)
    {
        switch (type)
        {
            case TensorElementType.Bool:
                slot[0] = node.GetValue<bool>() ? (byte)1 : (byte)0;
                break;
            case TensorElementType.Float:
                BinaryPrimitives.WriteSingleLittleEndian(slot, (float)ReadDouble(node));
                break;
            case TensorElementType.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(slot, ReadDouble(node));
                break;
            case TensorElementType.Float16:
                BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)ReadDouble(node));
                break;
            case TensorElementType.BFloat16:
                BinaryPrimitives.WriteUInt16LittleEndian(slot, BFloat16.FromSingle((float)ReadDouble(node)));
                break;
            case TensorElementType.Int8:
                slot[0] = unchecked((byte)node.GetValue<sbyte>());
                break;
            case TensorElementType.UInt8:
                slot[0] = node.GetValue<byte>();
                break;
            case TensorElementType.Int16:
                BinaryPrimitives.WriteInt16LittleEndian(slot, node.GetValue<short>());
                break;
            case TensorElementType.UInt16:
                BinaryPrimitives.WriteUInt16LittleEndian(slot, node.GetValue<ushort>());
                break;
            case TensorElementType.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(slot, node.GetValue<int>());
                break;
            case TensorElementType.UInt32:
                BinaryPrimitives.WriteUInt32LittleEndian(slot, node.GetValue<uint>());
                break;
            case TensorElementType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(slot, node.GetValue<long>());
                break;
            case TensorElementType.UInt64:
                BinaryPrimitives.WriteUInt64LittleEndian(slot, node.GetValue<ulong>());
                break;
            default:
                throw new FormatException($"unsupported type {TensorElementTypes.Name(type)}");
        }
    }
}
