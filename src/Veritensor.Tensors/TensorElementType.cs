namespace Veritensor.Tensors;

/// <summary>
/// A tensor's element type. The values are ONNX's <c>TensorProto.DataType</c> numbers, so a model's
/// signature on the ledger reads the same as in the ONNX file. Values are wire format: never renumber.
/// </summary>
public enum TensorElementType : byte
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}

/// <summary>Names and sizes of <see cref="TensorElementType"/> values.</summary>
public static class TensorElementTypes
{
    /// <summary>Bytes per element, or 0 for <see cref="TensorElementType.String"/> (variable length).</summary>
    public static int SizeOf(TensorElementType type) =>
        type switch
        {
            TensorElementType.Bool or TensorElementType.UInt8 or TensorElementType.Int8 => 1,
            TensorElementType.UInt16
            or TensorElementType.Int16
            or TensorElementType.Float16
            or TensorElementType.BFloat16 => 2,
            TensorElementType.Int32 or TensorElementType.UInt32 or TensorElementType.Float => 4,
            TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
            TensorElementType.String => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a supported tensor element type"),
        };

    public static bool IsDefined(TensorElementType type) =>
        type is >= TensorElementType.Float and <= TensorElementType.UInt64 or TensorElementType.BFloat16;

    /// <summary>True for the floating types, which are compared under a tolerance; every other type compares exactly.</summary>
    public static bool IsFloating(TensorElementType type) =>
        type
            is TensorElementType.Float
                or TensorElementType.Double
                or TensorElementType.Float16
                or TensorElementType.BFloat16;

    /// <summary>The lower-case name used in JSON and messages ("float32", "int64", "bfloat16", ...).</summary>
    public static string Name(TensorElementType type) =>
        type switch
        {
            TensorElementType.Float => "float32",
            TensorElementType.Double => "float64",
            TensorElementType.Float16 => "float16",
            TensorElementType.BFloat16 => "bfloat16",
            TensorElementType.Bool => "bool",
            TensorElementType.String => "string",
            _ => type.ToString().ToLowerInvariant(),
        };

    /// <summary>Parses a name written by <see cref="Name"/> (also "float" and "double").</summary>
    public static bool TryParse(string name, out TensorElementType type)
    {
        foreach (var candidate in Enum.GetValues<TensorElementType>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        (var known, type) = name.ToLowerInvariant() switch
        {
            "float" => (true, TensorElementType.Float),
            "double" => (true, TensorElementType.Double),
            _ => (false, default),
        };
        return known;
    }
}
