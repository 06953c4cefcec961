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
    public static string RequireOnnxNodeSuite() =>
        RequireDebian("libonnx-testdata", "usr/share/libonnx-testdata/data/node", "ONNX conformance data");

    /// <summary>Fashion-MNIST's IDX files (Debian's <c>dataset-fashion-mnist</c>, gzipped): the folder holding them.</summary>
    public static string RequireFashionMnist() =>
        RequireDebian("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist", "Fashion-MNIST");

    /// <summary>scikit-learn's 8×8 digits as CSV, gzipped (Debian's <c>python3-sklearn</c>).</summary>
    public static string RequireSklearnDigits() =>
        RequireDebian(
            "python3-sklearn",
            "usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz",
            "scikit-learn's digits"
        );

    /// <summary>
    /// A file or folder of Debian package <paramref name="package"/>, at <paramref name="path"/> inside it: unpacked by
    /// <c>./test.sh</c> into <c>.testdata/PACKAGE/</c> (or <c>$VERITENSOR_TESTDATA/PACKAGE/</c>), or installed. Skips the
    /// calling test, naming what is missing and how to fetch it, when none is there.
    /// </summary>
    public static string RequireDebian(string package, string path, string what)
    {
        foreach (var candidate in Candidates(package, path))
            if (File.Exists(candidate) || Directory.Exists(candidate))
                return candidate;
        Assert.Skip($"{what} (Debian's {package}) is missing: run {FetchCommand} to fetch it into .testdata/.");
        return "";
    }

    private static IEnumerable<string> Candidates(string package, string path)
    {
        if (Environment.GetEnvironmentVariable("VERITENSOR_TESTDATA") is { Length: > 0 } custom)
            yield return Path.Combine(custom, package, path);
        if (RepositoryRoot() is { } root)
            yield return Path.Combine(root, ".testdata", package, path);
        yield return "/" + path;
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
