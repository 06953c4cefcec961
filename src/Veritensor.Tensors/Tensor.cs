using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Veritensor.Tensors;

/// <summary>
/// An immutable tensor: element type, shape and data. Numeric, bool, float16 and bfloat16 data are raw
/// little-endian element bytes (the layout of ONNX <c>raw_data</c>); string tensors hold one string per element.
/// The constructor checks that the data holds exactly product(shape) elements.
/// </summary>
public sealed class Tensor
{
    /// <summary>The most elements a tensor may hold; keeps product(shape) far from overflow.</summary>
    public const long MaxElements = 1L << 40;

    private readonly long[] _shape;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<long> _readOnlyShape;
    private readonly string[]? _strings;

    private Tensor(TensorElementType elementType, long[] shape, ReadOnlyMemory<byte> data, string[]? strings)
    {
        ElementType = elementType;
        _shape = shape;
        _readOnlyShape = shape.AsReadOnly();
        Data = data;
        _strings = strings;
    }

    public TensorElementType ElementType { get; }

    /// <summary>The dimensions (read-only: a tensor never changes).</summary>
    public IReadOnlyList<long> Shape => _readOnlyShape;

    public int Rank => _shape.Length;

    /// <summary>Raw little-endian element bytes; empty for string tensors.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The elements of a string tensor; empty for every other type.</summary>
    public IReadOnlyList<string> Strings => _strings ?? [];

    public long ElementCount => ElementCountOf(_shape);

    public bool IsString => ElementType == TensorElementType.String;

    public string ShapeText => "[" + string.Join(",", _shape) + "]";

    public override string ToString() => $"{TensorElementTypes.Name(ElementType)}{ShapeText}";

    /// <summary>A numeric, bool, float16 or bfloat16 tensor over raw little-endian bytes (copied).</summary>
    public static Tensor FromRaw(TensorElementType elementType, IReadOnlyList<long> shape, ReadOnlySpan<byte> data)
    {
        if (!TensorElementTypes.IsDefined(elementType))
            throw new ArgumentException($"unsupported element type {(byte)elementType}", nameof(elementType));
        if (elementType == TensorElementType.String)
            throw new ArgumentException("string tensors are built with FromStrings", nameof(elementType));
        var dims = CheckShape(shape);
        var expected = checked(ElementCountOf(dims) * TensorElementTypes.SizeOf(elementType));
        if (data.Length != expected)
            throw new ArgumentException(
                $"a {TensorElementTypes.Name(elementType)}[{string.Join(",", dims)}] tensor needs {expected} data bytes, got {data.Length}",
                nameof(data)
            );
        if (elementType == TensorElementType.Bool && data.IndexOfAnyExcept((byte)0, (byte)1) >= 0)
            throw new ArgumentException("bool elements must be 0 or 1", nameof(data));
        return new Tensor(elementType, dims, data.ToArray(), null);
    }

    public static Tensor FromStrings(IReadOnlyList<long> shape, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dims = CheckShape(shape);
        if (values.Count != ElementCountOf(dims))
            throw new ArgumentException(
                $"a string[{string.Join(",", dims)}] tensor needs {ElementCountOf(dims)} elements, got {values.Count}",
                nameof(values)
            );
        var copy = values.ToArray();
        if (copy.Any(v => v is null))
            throw new ArgumentException("string elements may not be null", nameof(values));
        return new Tensor(TensorElementType.String, dims, ReadOnlyMemory<byte>.Empty, copy);
    }

    public static Tensor FromFloats(IReadOnlyList<long> shape, ReadOnlySpan<float> values) =>
        FromRaw(TensorElementType.Float, shape, MemoryMarshal.AsBytes(values));

    public static Tensor FromDoubles(IReadOnlyList<long> shape, ReadOnlySpan<double> values) =>
        FromRaw(TensorElementType.Double, shape, MemoryMarshal.AsBytes(values));

    public static Tensor FromInt32s(IReadOnlyList<long> shape, ReadOnlySpan<int> values) =>
        FromRaw(TensorElementType.Int32, shape, MemoryMarshal.AsBytes(values));

    public static Tensor FromInt64s(IReadOnlyList<long> shape, ReadOnlySpan<long> values) =>
        FromRaw(TensorElementType.Int64, shape, MemoryMarshal.AsBytes(values));

    public static Tensor FromUInt8s(IReadOnlyList<long> shape, ReadOnlySpan<byte> values) =>
        FromRaw(TensorElementType.UInt8, shape, values);

    public static Tensor FromHalves(IReadOnlyList<long> shape, ReadOnlySpan<Half> values) =>
        FromRaw(TensorElementType.Float16, shape, MemoryMarshal.AsBytes(values));

    public static Tensor FromBools(IReadOnlyList<long> shape, ReadOnlySpan<bool> values)
    {
        var bytes = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        return FromRaw(TensorElementType.Bool, shape, bytes);
    }

    /// <summary>Element <paramref name="index"/> (flat, row-major) as a double; for float and integer types (int64/uint64 may round).</summary>
    public double GetDouble(long index)
    {
        var size = TensorElementTypes.SizeOf(ElementType);
        var bytes = Data.Span.Slice(checked((int)(index * size)), size);
        return ElementType switch
        {
            TensorElementType.Float => BinaryPrimitives.ReadSingleLittleEndian(bytes),
            TensorElementType.Double => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            TensorElementType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            TensorElementType.BFloat16 => BitConverter.Int32BitsToSingle(
                BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16
            ),
            TensorElementType.UInt8 or TensorElementType.Bool => bytes[0],
            TensorElementType.Int8 => unchecked((sbyte)bytes[0]),
            TensorElementType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            TensorElementType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
            TensorElementType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            TensorElementType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            TensorElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
            TensorElementType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            _ => throw new InvalidOperationException(
                $"{TensorElementTypes.Name(ElementType)} elements have no numeric value"
            ),
        };
    }

    /// <summary>Element <paramref name="index"/> as display text: exact integers, round-trip floats, true/false, or the string.</summary>
    public string FormatElement(long index)
    {
        if (IsString)
            return _strings![index];
        var size = TensorElementTypes.SizeOf(ElementType);
        var bytes = Data.Span.Slice(checked((int)(index * size)), size);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return ElementType switch
        {
            TensorElementType.Bool => bytes[0] != 0 ? "true" : "false",
            TensorElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes).ToString(invariant),
            TensorElementType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes).ToString(invariant),
            TensorElementType.Float => BinaryPrimitives.ReadSingleLittleEndian(bytes).ToString("R", invariant),
            _ => GetDouble(index).ToString("R", invariant),
        };
    }

    /// <summary>True when both tensors have the same type, shape and bit-identical data.</summary>
    public bool BitEquals(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ElementType == other.ElementType
            && _shape.AsSpan().SequenceEqual(other._shape)
            && Data.Span.SequenceEqual(other.Data.Span)
            && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);
    }

    internal static long ElementCountOf(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
            count = checked(count * dim);
        return count;
    }

    private static long[] CheckShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count > TensorSpec.MaxRank)
            throw new ArgumentException($"rank {shape.Count} is above the maximum {TensorSpec.MaxRank}", nameof(shape));
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
                throw new ArgumentException(
                    $"shape [{string.Join(",", shape)}] has a negative dimension",
                    nameof(shape)
                );
            if (dim > 0 && count > MaxElements / dim)
                throw new ArgumentException(
                    $"shape [{string.Join(",", shape)}] has more than {MaxElements} elements",
                    nameof(shape)
                );
            count *= dim;
        }
        return shape.ToArray();
    }
}
