using System.IO.Compression;

namespace Veritensor.Training.Tests;

/// <summary>IDX and CSV loaders: well-formed files load exactly, malformed ones are refused naming what is wrong.</summary>
[UnitTest]
public sealed class LoaderTests
{
    private static byte[] Idx(byte type, uint[] dims, byte[] values)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims)
            bytes.AddRange([(byte)(d >> 24), (byte)((d >> 16) & 0xFF), (byte)((d >> 8) & 0xFF), (byte)(d & 0xFF)]);
        bytes.AddRange(values);
        return [.. bytes];
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    [Fact]
    public void An_idx_image_and_label_pair_loads_scaled_with_its_labels()
    {
        var images = Idx(0x08, [3, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0]);
        var labels = Idx(0x08, [3], [2, 0, 1]);
        var set = IdxReader.ReadDataSet(new MemoryStream(Gzip(images)), new MemoryStream(Gzip(labels)), true, 3);
        Assert.Equal((3, 4, 3), (set.Count, set.Features, set.Classes));
        Assert.Equal([2, 0, 1], set.Labels);
        Assert.Equal([0f, 1f, 0.2f, 0.4f], set.Inputs.Take(4));
        Assert.Equal([0, 1], set.Slice(1, 2).Labels);
    }

    [Fact]
    public void Malformed_idx_files_are_refused_by_what_is_wrong()
    {
        string Error(byte[] bytes) =>
            Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(bytes))).Message;
        Assert.Contains("not an IDX file", Error([1, 0, 8, 1, 0, 0, 0, 1, 5]), StringComparison.Ordinal);
        Assert.Contains("only unsigned bytes", Error(Idx(0x0D, [1], [0, 0, 0, 0])), StringComparison.Ordinal);
        Assert.Contains("ends inside the 4 values", Error(Idx(0x08, [4], [1, 2])), StringComparison.Ordinal);
        // Dimensions that multiply beyond the bound are refused before anything is allocated.
        Assert.Contains("would hold", Error(Idx(0x08, [65536, 65536], [])), StringComparison.Ordinal);
        Assert.Contains("ends inside the header", Error([0, 0]), StringComparison.Ordinal);
        var mismatched = Assert.Throws<InvalidDataException>(() =>
            IdxReader.ReadDataSet(
                new MemoryStream(Idx(0x08, [2, 1], [0, 1])),
                new MemoryStream(Idx(0x08, [3], [0, 1, 0])),
                false,
                2
            )
        );
        Assert.Contains("not one label for each of the 2 images", mismatched.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_loads_with_its_label_column_and_bad_cells_are_named_by_line_and_column()
    {
        var set = CsvDataSetReader.Read(new StringReader("0,16,8,1\n4,4,4,0\n"), -1, 2, scale: 16);
        Assert.Equal((2, 3), (set.Count, set.Features));
        Assert.Equal([1, 0], set.Labels);
        Assert.Equal([0f, 1f, 0.5f, 0.25f, 0.25f, 0.25f], set.Inputs);
        string Error(string csv) =>
            Assert.Throws<InvalidDataException>(() => CsvDataSetReader.Read(new StringReader(csv), -1, 2)).Message;
        Assert.Contains("line 2, column 2: 'x'", Error("1,2,0\n1,x,1\n"), StringComparison.Ordinal);
        Assert.Contains("line 2 has 2 columns", Error("1,2,0\n1,1\n"), StringComparison.Ordinal);
        Assert.Contains("label 7 is not a class below 2", Error("1,2,7\n"), StringComparison.Ordinal);
        Assert.Contains("no rows", Error(""), StringComparison.Ordinal);
    }
}
