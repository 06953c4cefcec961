using System.Text.Json;

namespace Veritensor.Consensus.Tests;

/// <summary>
/// The public vectors live in the shared folder cloned beside the repository (../shared/yuma/vectors.json relative to
/// the directory holding Veritensor.slnx). A missing file fails the tests: silently skipping would hide a regression.
/// </summary>
internal static class VectorsFile
{
    private static readonly Lazy<string> LazyPath = new(Locate);
    private static readonly Lazy<string> LazyText = new(() => File.ReadAllText(Path));

    public static string Path => LazyPath.Value;
    public static string Text => LazyText.Value;

    public static JsonElement Root => JsonDocument.Parse(Text).RootElement;

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(directory.FullName, "Veritensor.slnx"))) continue;
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory.FullName, "..", "shared", "yuma", "vectors.json"));
            if (File.Exists(candidate)) return candidate;
            Assert.Fail($"Yuma vectors not found at {candidate} (expected the shared folder cloned beside the repository at {directory.FullName}).");
        }
        Assert.Fail($"No Veritensor.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/yuma/vectors.json.");
        return "";
    }
}
