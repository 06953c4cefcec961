using System.Numerics;

namespace Veritensor.Consensus;

/// <summary>
/// Signed fixed point with 64 integer and 64 fractional bits (substrate-fixed <c>I64F64</c>). subtensor uses it for raw
/// stake and its normalisation and for <c>bonds_moving_average / 10^6</c>; both then narrow to <see cref="I32F32"/>.
/// </summary>
public readonly struct I64F64 : IEquatable<I64F64>, IComparable<I64F64>
{
    public const int FracBits = 64;

    private I64F64(Int128 bits) => Bits = bits;

    /// <summary>Raw representation: value = Bits / 2^64.</summary>
    public Int128 Bits { get; }

    public static I64F64 Zero => default;
    public static I64F64 MaxValue => new(Int128.MaxValue);
    public static I64F64 MinValue => new(Int128.MinValue);

    public static I64F64 FromBits(Int128 bits) => new(bits);

    /// <summary>An unsigned integer, saturating at 2^63 − 2^-64 as <c>saturating_from_num(u64)</c> does.</summary>
    public static I64F64 FromUInt(ulong value) => value > long.MaxValue ? MaxValue : new((Int128)value << FracBits);

    private static I64F64 FromWide(BigInteger bits) =>
        bits > (BigInteger)Int128.MaxValue ? MaxValue
        : bits < (BigInteger)Int128.MinValue ? MinValue
        : new((Int128)bits);

    public static I64F64 operator +(I64F64 a, I64F64 b) => FromWide((BigInteger)a.Bits + b.Bits);

    public static I64F64 operator -(I64F64 a, I64F64 b) => FromWide((BigInteger)a.Bits - b.Bits);

    /// <summary>floor(a·b / 2^64) on the widened product, saturating.</summary>
    public static I64F64 operator *(I64F64 a, I64F64 b) => FromWide(((BigInteger)a.Bits * b.Bits) >> FracBits);

    /// <summary>trunc((a·2^64) / b) toward zero, saturating; BigInteger division truncates toward zero like Rust's.</summary>
    public static I64F64 operator /(I64F64 a, I64F64 b)
    {
        if (b.Bits == 0)
            throw new DivideByZeroException("I64F64 division by zero");
        return FromWide(((BigInteger)a.Bits << FracBits) / b.Bits);
    }

    public I64F64 SafeDiv(I64F64 divisor) => divisor.Bits == 0 ? Zero : this / divisor;

    /// <summary>Integer part, floored.</summary>
    public Int128 Floor() => Bits >> FracBits;

    /// <summary>Narrowing to I32F32 drops the low 32 fractional bits (floor) and saturates the integer part.</summary>
    public I32F32 ToI32F32() => I32F32.FromWide(Bits >> (FracBits - I32F32.FracBits));

    public static bool operator <(I64F64 a, I64F64 b) => a.Bits < b.Bits;

    public static bool operator >(I64F64 a, I64F64 b) => a.Bits > b.Bits;

    public static bool operator <=(I64F64 a, I64F64 b) => a.Bits <= b.Bits;

    public static bool operator >=(I64F64 a, I64F64 b) => a.Bits >= b.Bits;

    public static bool operator ==(I64F64 a, I64F64 b) => a.Bits == b.Bits;

    public static bool operator !=(I64F64 a, I64F64 b) => a.Bits != b.Bits;

    public bool Equals(I64F64 other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is I64F64 other && Equals(other);

    public override int GetHashCode() => Bits.GetHashCode();

    public int CompareTo(I64F64 other) => Bits.CompareTo(other.Bits);

    public override string ToString() => $"I64F64({Bits})";
}
