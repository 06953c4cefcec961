using System.Text.Json.Nodes;
using Veritensor.Tensors;

namespace Veritensor.Client;

/// <summary>Converts tensors between the wire (<see cref="WireTensor"/>: TensorProto in base64, or JSON) and <see cref="NamedTensor"/>.</summary>
public static class WireTensors
{
    /// <summary>
    /// Decodes a list of wire tensors, naming each error by its position ("inputs[1]"). Tensors without a name
    /// take the name of the model tensor at the same position, as ONNX test data (input_0.pb ...) expects.
    /// </summary>
    public static IReadOnlyList<NamedTensor> Decode(
        IReadOnlyList<WireTensor>? wire,
        IReadOnlyList<TensorSpec>? positional,
        long maxTotalBytes,
        string field = "inputs"
    )
    {
        if (wire is null || wire.Count == 0)
            throw ApiException.BadInput($"{field} is empty: send at least one tensor.");
        var tensors = new NamedTensor[wire.Count];
        long total = 0;
        for (var i = 0; i < wire.Count; i++)
        {
            var tensor = DecodeOne(wire[i], $"{field}[{i}]", maxTotalBytes);
            if (tensor.Name.Length == 0)
            {
                if (positional is null || i >= positional.Count)
                    throw ApiException.BadInput(
                        $"{field}[{i}] has no name and the model has no {Ordinal(i)} tensor to take it from."
                    );
                tensor = tensor with { Name = positional[i].Name };
            }
            total += tensor.Tensor.Data.Length + tensor.Tensor.Strings.Sum(s => (long)s.Length);
            if (total > maxTotalBytes)
                throw ApiException.TooLarge($"{field} hold more than {maxTotalBytes} bytes of tensor data.");
            tensors[i] = tensor;
        }
        return tensors;
    }

    public static WireTensor Encode(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new WireTensor(tensor.Name, Convert.ToBase64String(TensorProtoCodec.Encode(tensor)));
    }

    public static IReadOnlyList<WireTensor> Encode(IReadOnlyList<NamedTensor> tensors) =>
        tensors.Select(Encode).ToArray();

    private static NamedTensor DecodeOne(WireTensor wire, string field, long maxBytes)
    {
        try
        {
            if (wire.Proto is { } proto)
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(proto);
                }
                catch (FormatException)
                {
                    throw ApiException.BadInput($"{field}.proto is not base64.");
                }
                var decoded = TensorProtoCodec.Decode(bytes, maxBytes, field);
                return string.IsNullOrEmpty(wire.Name) ? decoded : decoded with { Name = wire.Name };
            }
            if (wire.Type is null || wire.Shape is null || wire.Data is null)
                throw ApiException.BadInput(
                    $"{field} needs either \"proto\" (a TensorProto in base64) or \"type\", \"shape\" and \"data\"."
                );
            var json = new JsonObject
            {
                ["name"] = wire.Name ?? "",
                ["type"] = wire.Type,
                ["shape"] = new JsonArray(wire.Shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data"] = JsonNode.Parse(wire.Data.Value.GetRawText()),
            };
            return TensorJson.FromJson(json);
        }
        catch (TensorFormatException e)
        {
            throw ApiException.BadInput($"{field}: {e.Message}", e);
        }
    }

    private static string Ordinal(int index) =>
        index switch
        {
            0 => "first",
            1 => "second",
            2 => "third",
            _ => $"{index + 1}th",
        };
}
