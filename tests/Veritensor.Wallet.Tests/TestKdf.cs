namespace Veritensor.Wallet.Tests;

/// <summary>Argon2id parameters cheap enough for tests (64 KiB, one pass); production uses <see cref="KdfParameters.Default"/>.</summary>
internal static class TestKdf
{
    public static KdfParameters Cheap { get; } = new(64, 1);
}
