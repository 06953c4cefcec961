namespace Veritensor.Testing;

/// <summary>
/// Where the tests find their data. Data committed with the project (<c>tests/data</c>) is copied next to each test
/// assembly; data fetched from Debian by <c>./test.sh</c> lives in the git-ignored <c>.testdata/</c> folder at the
/// repository root. A test whose fetched data is missing skips and names the command that fetches it.
/// </summary>
public static class TestData
{
    /// <summary>The command that fetches the Debian test data and runs the tests.</summary>
    public const string FetchCommand = "./test.sh";

    private const string DebianOnnxNodeSuite = "/usr/share/libonnx-testdata/data/node";

    /// <summary>A file of <c>tests/data</c>, as copied beside the test assembly; a missing one fails the test.</summary>
    public static string Committed(params string[] relative)
    {
        var path = Path.Combine([AppContext.BaseDirectory, "data", .. relative]);
        if (!File.Exists(path))
            Assert.Fail(
                $"Committed test data {Path.Combine(relative)} is not at {path}: the test project must copy tests/data."
            );
        return path;
    }

    /// <summary>
    /// The ONNX backend node tests of Debian's <c>libonnx-testdata</c>: unpacked into <c>.testdata/</c> by
    /// <c>./test.sh</c>, or installed system-wide. Skips the calling test when neither is there.
    /// </summary>
    public static string RequireOnnxNodeSuite()
    {
        foreach (var candidate in OnnxNodeSuiteCandidates())
            if (Directory.Exists(candidate))
                return candidate;
        Assert.Skip(
            $"ONNX conformance data (Debian's libonnx-testdata) is missing: run {FetchCommand} to fetch it into .testdata/."
        );
        return "";
    }

    private static IEnumerable<string> OnnxNodeSuiteCandidates()
    {
        if (Environment.GetEnvironmentVariable("VERITENSOR_TESTDATA") is { Length: > 0 } custom)
            yield return Path.Combine(custom, "libonnx-testdata", "usr", "share", "libonnx-testdata", "data", "node");
        if (RepositoryRoot() is { } root)
            yield return Path.Combine(
                root,
                ".testdata",
                "libonnx-testdata",
                "usr",
                "share",
                "libonnx-testdata",
                "data",
                "node"
            );
        yield return DebianOnnxNodeSuite;
    }

    /// <summary>The folder holding Veritensor.slnx above the test assembly, or null outside a source checkout.</summary>
    public static string? RepositoryRoot()
    {
        for (
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            directory is not null;
            directory = directory.Parent
        )
            if (File.Exists(Path.Combine(directory.FullName, "Veritensor.slnx")))
                return directory.FullName;
        return null;
    }
}
