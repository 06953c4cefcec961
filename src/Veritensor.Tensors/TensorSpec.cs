using Veritensor.Core.Encoding;

namespace Veritensor.Tensors;

/// <summary>
/// One input or output of a model: its name, element type and shape. A dimension of -1 is symbolic
/// (any size, such as a batch dimension); every other dimension must match exactly.
/// </summary>
public sealed record TensorSpec(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape)
{
    public const int MaxNameBytes = 128;
    public const int MaxRank = 16;
    public const long SymbolicDimension = -1;

    public string ShapeText =>
        "["
        + string.Join(
            ",",
            Shape.Select(d =>
                d == SymbolicDimension ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            )
        )
        + "]";

    public override string ToString() => $"{Name}: {TensorElementTypes.Name(ElementType)}{ShapeText}";

    public bool Equals(TensorSpec? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType && Shape.SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Shape.Count);

    internal void Write(CanonicalWriter writer)
    {
        writer.WriteString(Name).WriteU8((byte)ElementType).WriteU8(checked((byte)Shape.Count));
        foreach (var dim in Shape)
            writer.WriteI64(dim);
    }

    internal static TensorSpec Read(ref CanonicalReader reader, string field)
    {
        var name = reader.ReadString(field + ".name", MaxNameBytes);
        var type = (TensorElementType)reader.ReadU8(field + ".type");
        var rank = reader.ReadU8(field + ".rank");
        if (rank > MaxRank)
            throw new CanonicalEncodingException($"{field} has rank {rank}; at most {MaxRank} is allowed.");
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
            shape[i] = reader.ReadI64(field + ".shape");
        return new TensorSpec(name, type, shape);
    }

    /// <summary>Null when valid, else what is wrong.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(Name))
            return "a tensor name is empty";
        if (System.Text.Encoding.UTF8.GetByteCount(Name) > MaxNameBytes)
            return $"tensor name '{Name}' is longer than {MaxNameBytes} bytes";
        if (!TensorElementTypes.IsDefined(ElementType))
            return $"tensor '{Name}' has unsupported element type {(byte)ElementType}";
        if (Shape.Count > MaxRank)
            return $"tensor '{Name}' has rank {Shape.Count}; at most {MaxRank} is allowed";
        if (Shape.Any(d => d < SymbolicDimension))
            return $"tensor '{Name}' has a negative dimension";
        return null;
    }
}
