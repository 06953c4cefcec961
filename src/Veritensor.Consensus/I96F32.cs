using System.Numerics;

namespace Veritensor.Consensus;

/// <summary>
/// Signed fixed point with 96 integer and 32 fractional bits (substrate-fixed <c>I96F32</c>, i128 storage). subtensor
/// widens an emission share to it and multiplies by the epoch's rao emission, then floors to u64.
/// </summary>
internal readonly struct I96F32 : IEquatable<I96F32>
{
    public const int FracBits = 32;

    private I96F32(Int128 bits) => Bits = bits;

    public Int128 Bits { get; }

    public static I96F32 MaxValue => new(Int128.MaxValue);
    public static I96F32 MinValue => new(Int128.MinValue);

    public static I96F32 FromBits(Int128 bits) => new(bits);

    /// <summary>Widening from I32F32 is exact (same fractional bits).</summary>
    public static I96F32 From(I32F32 value) => new(value.Bits);

    /// <summary>A u64 is always representable (96 integer bits).</summary>
    public static I96F32 FromUInt(ulong value) => new((Int128)value << FracBits);

    private static I96F32 FromWide(BigInteger bits) =>
        bits > (BigInteger)Int128.MaxValue ? MaxValue
        : bits < (BigInteger)Int128.MinValue ? MinValue
        : new((Int128)bits);

    public static I96F32 operator +(I96F32 a, I96F32 b) => FromWide((BigInteger)a.Bits + b.Bits);

    /// <summary>floor(a·b / 2^32), saturating. The common case (both below 2^63) stays in Int128; the rest widens to BigInteger.</summary>
    public static I96F32 operator *(I96F32 a, I96F32 b)
    {
        if (a.Bits >= long.MinValue && a.Bits <= long.MaxValue && b.Bits >= long.MinValue && b.Bits <= long.MaxValue)
            return new((a.Bits * b.Bits) >> FracBits);
        return FromWide(((BigInteger)a.Bits * b.Bits) >> FracBits);
    }

    /// <summary>Fixed → u64: floor, saturating to [0, 2^64−1] (<c>saturating_to_num::&lt;u64&gt;</c>).</summary>
    public ulong SaturatingToUInt64()
    {
        var integer = Bits >> FracBits;
        return integer < 0 ? 0
            : integer > ulong.MaxValue ? ulong.MaxValue
            : (ulong)integer;
    }

    public bool Equals(I96F32 other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is I96F32 other && Equals(other);

    public override int GetHashCode() => Bits.GetHashCode();

    public static bool operator ==(I96F32 a, I96F32 b) => a.Bits == b.Bits;

    public static bool operator !=(I96F32 a, I96F32 b) => a.Bits != b.Bits;

    public override string ToString() => $"I96F32({Bits})";
}
