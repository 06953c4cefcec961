using System.Text.Json;

namespace Veritensor.Consensus.Tests;

/// <summary>
/// subtensor's public Yuma vectors, committed as test data under tests/data/yuma (format and origin in its README)
/// and copied beside the test assembly. A missing file fails the tests: silently skipping would hide a regression.
/// </summary>
internal static class VectorsFile
{
    private static readonly Lazy<string> LazyText = new(() => File.ReadAllText(Path));

    public static string Path => TestData.Committed("yuma", "vectors.json");
    public static string Text => LazyText.Value;

    public static JsonElement Root => JsonDocument.Parse(Text).RootElement;
}
