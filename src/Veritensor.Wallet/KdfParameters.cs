namespace Veritensor.Wallet;

/// <summary>
/// Argon2id cost parameters for the coldkey keystore (parallelism is always 1). They are stored in each keystore
/// file, so files written with older or cheaper parameters keep opening after the default changes.
/// </summary>
/// <param name="MemoryKiB">Memory in KiB (default 64 MiB).</param>
/// <param name="Passes">Number of passes over the memory (default 3).</param>
public sealed record KdfParameters(long MemoryKiB, long Passes)
{
    /// <summary>libsodium's lower bound for Argon2id memory.</summary>
    public const long MinMemoryKiB = 8;

    /// <summary>An upper bound that keeps a hostile keystore file from asking for absurd amounts of memory (4 GiB).</summary>
    public const long MaxMemoryKiB = 4L * 1024 * 1024;

    public const long MinPasses = 1;

    /// <summary>An upper bound that keeps a hostile keystore file from asking for absurd amounts of time.</summary>
    public const long MaxPasses = 64;

    /// <summary>m = 64 MiB, t = 3, p = 1: what new keystores use.</summary>
    public static KdfParameters Default { get; } = new(64 * 1024, 3);

    public bool IsWithinLimits =>
        MemoryKiB is >= MinMemoryKiB and <= MaxMemoryKiB && Passes is >= MinPasses and <= MaxPasses;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a parameter is outside the accepted range.</summary>
    public KdfParameters EnsureWithinLimits()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryKiB, MinMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MemoryKiB, MaxMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfLessThan(Passes, MinPasses);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Passes, MaxPasses);
        return this;
    }
}
