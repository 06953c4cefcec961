using System.Globalization;
using System.Text.Json;

namespace Veritensor.Cli.Yuma;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> that fail with the JSON path of the offending value. Numbers are read
/// as exact integers only: consensus inputs never pass through binary floating point.
/// </summary>
internal static class JsonFields
{
    public static JsonElement Required(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new YumaFormatException($"{path}: expected an object, got {Kind(obj)}");
        if (!obj.TryGetProperty(name, out var value))
            throw new YumaFormatException($"{path}.{name}: missing");
        return value;
    }

    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static ulong UInt64(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var result)
            ? result
            : throw new YumaFormatException($"{path}: expected a non-negative integer, got {Describe(value)}");

    public static ulong UInt64(JsonElement obj, string name, string path) =>
        UInt64(Required(obj, name, path), $"{path}.{name}");

    public static ushort UInt16(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt16(out var result)
            ? result
            : throw new YumaFormatException($"{path}: expected an integer 0..65535, got {Describe(value)}");

    public static ushort UInt16(JsonElement obj, string name, string path) =>
        UInt16(Required(obj, name, path), $"{path}.{name}");

    public static int Int32(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result) && result >= 0
            ? result
            : throw new YumaFormatException($"{path}.{name}: expected a non-negative integer, got {Describe(value)}");
    }

    public static short Int16(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out var result)
            ? result
            : throw new YumaFormatException($"{path}.{name}: expected an integer −32768..32767, got {Describe(value)}");
    }

    /// <summary>A decimal number parsed from its JSON text (never through double).</summary>
    public static decimal Decimal(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return
            value.ValueKind == JsonValueKind.Number
            && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new YumaFormatException($"{path}.{name}: expected a number, got {Describe(value)}");
    }

    public static bool Boolean(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new YumaFormatException($"{path}.{name}: expected true or false, got {Describe(value)}");
    }

    public static string String(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new YumaFormatException($"{path}.{name}: expected a string, got {Describe(value)}");
    }

    public static JsonElement Array(JsonElement obj, string name, string path)
    {
        var value = Required(obj, name, path);
        return value.ValueKind == JsonValueKind.Array
            ? value
            : throw new YumaFormatException($"{path}.{name}: expected a list, got {Describe(value)}");
    }

    public static T[] List<T>(JsonElement obj, string name, string path, Func<JsonElement, string, T> read)
    {
        var list = Array(obj, name, path);
        var result = new T[list.GetArrayLength()];
        var k = 0;
        foreach (var item in list.EnumerateArray())
        {
            result[k] = read(item, $"{path}.{name}[{k}]");
            k++;
        }
        return result;
    }

    public static bool Bool(JsonElement value, string path) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new YumaFormatException($"{path}: expected true or false, got {Describe(value)}");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length > 40 ? $"{Kind(value)} {text[..40]}…" : $"{Kind(value)} {text}";
    }
}
