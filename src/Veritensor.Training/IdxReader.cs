using System.Buffers.Binary;
using System.IO.Compression;

namespace Veritensor.Training;

/// <summary>
/// The IDX format MNIST and Fashion-MNIST ship in: a magic of two zero bytes, a type byte (0x08 = unsigned byte, the
/// only one read here) and a dimension count, then each dimension as a big-endian u32, then the values. Everything is
/// checked before it is trusted: a data set file is input like any other.
/// </summary>
public static class IdxReader
{
    /// <summary>At most this many values are read from one file (the Fashion-MNIST training images are 47 million).</summary>
    public const long MaxValues = 256L * 1024 * 1024;

    /// <summary>Reads an unsigned-byte IDX array; <paramref name="gzipped"/> unpacks a .gz file on the way.</summary>
    public static (int[] Dimensions, byte[] Values) Read(Stream stream, bool gzipped = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var source = gzipped ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : null;
        var input = source ?? stream;
        Span<byte> header = stackalloc byte[4];
        ReadExactly(input, header, "the header");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"not an IDX file: it starts with {header[0]:x2} {header[1]:x2}, not 00 00");
        if (header[2] != 0x08)
            throw new InvalidDataException(
                $"IDX type 0x{header[2]:x2} is not supported; only unsigned bytes (0x08) are"
            );
        var rank = header[3];
        if (rank is 0 or > 4)
            throw new InvalidDataException($"an IDX array of {rank} dimensions is not supported (1 to 4)");
        var dimensions = new int[rank];
        long count = 1;
        Span<byte> dimension = stackalloc byte[4];
        for (var i = 0; i < rank; i++)
        {
            ReadExactly(input, dimension, $"dimension {i}");
            var size = BinaryPrimitives.ReadUInt32BigEndian(dimension);
            count *= size;
            if (size == 0 || count > MaxValues)
                throw new InvalidDataException(
                    $"dimension {i} is {size}: the array would hold {count} values (1 to {MaxValues})"
                );
            dimensions[i] = (int)size;
        }
        var values = new byte[count];
        ReadExactly(input, values, $"the {count} values");
        return (dimensions, values);
    }

    /// <summary>
    /// A classifier data set from an IDX image file ([count, rows, columns], bytes scaled to [0, 1]) and an IDX label file
    /// ([count]); <paramref name="maxRows"/> keeps the first rows only.
    /// </summary>
    public static DataSet ReadDataSet(Stream images, Stream labels, bool gzipped, int classes, int? maxRows = null)
    {
        var (imageDims, pixels) = Read(images, gzipped);
        var (labelDims, labelBytes) = Read(labels, gzipped);
        if (imageDims.Length < 2)
            throw new InvalidDataException("the image file must hold [count, ...] images");
        if (labelDims.Length != 1 || labelDims[0] != imageDims[0])
            throw new InvalidDataException(
                $"the label file holds [{string.Join(", ", labelDims)}], not one label for each of the {imageDims[0]} images"
            );
        var features = imageDims.Skip(1).Aggregate(1, (a, b) => a * b);
        var rows = Math.Min(imageDims[0], maxRows ?? int.MaxValue);
        var inputs = new float[rows * features];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = pixels[i] / 255f;
        var result = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            if (labelBytes[i] >= classes)
                throw new InvalidDataException($"label {labelBytes[i]} of row {i} is not below {classes} classes");
            result[i] = labelBytes[i];
        }
        return new DataSet(inputs, result, features, classes);
    }

    private static void ReadExactly(Stream input, Span<byte> buffer, string what)
    {
        try
        {
            input.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"the IDX file ends inside {what}", e);
        }
    }
}
