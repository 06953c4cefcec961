using Xunit.v3;

namespace Veritensor.Testing;

/// <summary>
/// The test categories, as the xUnit trait <c>Category</c>, so that <c>dotnet test --filter</c> can pick them:
/// <c>Category=Unit</c> runs in memory (seconds), <c>Category=Network</c> talks to real servers on 127.0.0.1,
/// <c>Category=Process</c> starts and kills child processes.
/// </summary>
public static class TestCategory
{
    public const string Key = "Category";
    public const string Unit = nameof(Unit);
    public const string Network = nameof(Network);
    public const string Process = nameof(Process);
}

/// <summary>Pure, in-memory tests: no sockets, no child processes.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class UnitTestAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(TestCategory.Key, TestCategory.Unit)];
}

/// <summary>Tests that run real servers on loopback ports and talk to them over HTTP.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NetworkTestAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() =>
        [new(TestCategory.Key, TestCategory.Network)];
}

/// <summary>Tests that start the <c>veritensor</c> program as a child process (and may kill it).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ProcessTestAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() =>
        [new(TestCategory.Key, TestCategory.Process)];
}
