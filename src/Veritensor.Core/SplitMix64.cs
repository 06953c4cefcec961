namespace Veritensor.Core;

/// <summary>
/// SplitMix64: a tiny, fully specified pseudo-random generator, identical on every runtime (unlike
/// <see cref="Random"/>, whose algorithm may change), so seeded weights and data are byte-identical everywhere.
/// Not for secrets.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [-1, 1): 24 random bits, exactly representable as a float.</summary>
    public float NextSignedUnit() => ((Next() >> 40) / (float)(1 << 23)) - 1f;

    /// <summary>Uniform in [0, <paramref name="bound"/>), by rejection so every value is equally likely.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
        ulong value;
        do value = Next();
        while (value >= limit);
        return (int)(value % (ulong)bound);
    }
}
