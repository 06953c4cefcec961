using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Tests.Support;

internal static class StateSnapshot
{
    /// <summary>The overlay's pending changes as sorted hex pairs, for exact before/after comparisons.</summary>
    public static IReadOnlyList<(string Key, string? Value)> Of(StateOverlay overlay) =>
        overlay
            .Changes.Select(c =>
                (Key: Convert.ToHexString(c.Key), Value: c.Value is null ? null : Convert.ToHexString(c.Value))
            )
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToArray();
}
