using System.Globalization;

namespace Veritensor.Consensus;

/// <summary>
/// Signed fixed-point number with 32 integer and 32 fractional bits, bit-compatible with substrate-fixed v0.6.0's
/// <c>I32F32</c> as subtensor uses it: every operation saturates, multiplication floors the widened product
/// (arithmetic shift) and division truncates toward zero. Every epoch vector and matrix is made of these.
/// </summary>
public readonly struct I32F32 : IEquatable<I32F32>, IComparable<I32F32>
{
    public const int FracBits = 32;

    private I32F32(long bits) => Bits = bits;

    /// <summary>The raw two's-complement representation: value = Bits / 2^32.</summary>
    public long Bits { get; }

    public static I32F32 Zero => default;
    public static I32F32 One => new(1L << FracBits);
    public static I32F32 MaxValue => new(long.MaxValue);
    public static I32F32 MinValue => new(long.MinValue);

    public static I32F32 FromBits(long bits) => new(bits);

    /// <summary>An integer as a fixed-point value, saturating outside ±2^31 (<c>saturating_from_num</c>).</summary>
    public static I32F32 FromInt(long value) => FromWide((Int128)value << FracBits);

    /// <summary>Clamps a widened bit pattern into range; this is what makes every operation saturating.</summary>
    internal static I32F32 FromWide(Int128 bits) =>
        bits > long.MaxValue ? MaxValue
        : bits < long.MinValue ? MinValue
        : new((long)bits);

    public static I32F32 operator +(I32F32 a, I32F32 b)
    {
        var sum = unchecked(a.Bits + b.Bits);
        // Overflow happened iff both operands have the sign the result lacks; saturate toward that sign.
        if (((a.Bits ^ sum) & (b.Bits ^ sum)) < 0)
            return a.Bits < 0 ? MinValue : MaxValue;
        return new(sum);
    }

    public static I32F32 operator -(I32F32 a, I32F32 b)
    {
        var difference = unchecked(a.Bits - b.Bits);
        if (((a.Bits ^ b.Bits) & (a.Bits ^ difference)) < 0)
            return a.Bits < 0 ? MinValue : MaxValue;
        return new(difference);
    }

    /// <summary>floor(a·b / 2^32): the arithmetic shift of the 128-bit product floors toward −∞ as substrate-fixed does.</summary>
    public static I32F32 operator *(I32F32 a, I32F32 b)
    {
        var high = Math.BigMul(a.Bits, b.Bits, out var low);
        // floor(product / 2^32) fits 64 bits iff the high word fits 32 signed bits; otherwise saturate to its sign.
        if (high > int.MaxValue)
            return MaxValue;
        if (high < int.MinValue)
            return MinValue;
        return new((high << FracBits) | (long)(unchecked((ulong)low) >> FracBits));
    }

    /// <summary>trunc((a·2^32) / b) toward zero, saturating; dividing by zero throws as Rust's saturating_div panics.</summary>
    public static I32F32 operator /(I32F32 a, I32F32 b)
    {
        if (b.Bits == 0)
            throw new DivideByZeroException("I32F32 division by zero");
        return FromWide(Divide(a.Bits, b.Bits));
    }

    /// <summary>The widened, shifted product: Math.BigMul gives the exact 128-bit product without Int128 arithmetic.</summary>
    private static Int128 Multiply(long a, long b)
    {
        var high = Math.BigMul(a, b, out var low);
        return new Int128(unchecked((ulong)high), unchecked((ulong)low)) >> FracBits;
    }

    /// <summary>
    /// The widened quotient. Most epoch numerators are non-negative and below 1 (2^32 bits), where (a·2^32) fits a u64 and a
    /// 64-bit division is exact; anything else takes the 128-bit path. All paths truncate toward zero.
    /// </summary>
    private static Int128 Divide(long a, long b)
    {
        if (a >= 0 && b > 0 && a <= uint.MaxValue)
            return ((ulong)a << FracBits) / (ulong)b;
        // One / b (the sigmoid's two reciprocals): 2^64 = (2^64 − 1) + 1, so the quotient is (2^64 − 1) / b, plus one
        // when the remainder of 2^64 − 1 is b − 1. Exact for b ≥ 2; b = 1 overflows and saturates on the wide path.
        if (a == 1L << FracBits && b > 1)
        {
            var quotient = ulong.MaxValue / (ulong)b;
            return ulong.MaxValue - quotient * (ulong)b == (ulong)b - 1 ? (Int128)quotient + 1 : quotient;
        }
        // An integer divisor k·2^32: (a·2^32) / (k·2^32) truncates exactly like a / k (the exp series divides by i).
        var integerDivisor = b >> FracBits;
        if ((b & uint.MaxValue) == 0 && integerDivisor != -1)
            return a / integerDivisor;
        return ((Int128)a << FracBits) / b;
    }

    /// <summary>subtensor's <c>safe_div</c>: x / 0 = 0.</summary>
    public I32F32 SafeDiv(I32F32 divisor) => divisor.Bits == 0 ? Zero : this / divisor;

    /// <summary>Multiplication that reports overflow instead of saturating (<c>checked_mul</c>).</summary>
    public static bool TryMultiply(I32F32 a, I32F32 b, out I32F32 result)
    {
        var wide = Multiply(a.Bits, b.Bits);
        result = FromWide(wide);
        return wide >= long.MinValue && wide <= long.MaxValue;
    }

    /// <summary>Division that reports overflow or a zero divisor instead of saturating (<c>checked_div</c>).</summary>
    public static bool TryDivide(I32F32 a, I32F32 b, out I32F32 result)
    {
        result = Zero;
        if (b.Bits == 0)
            return false;
        var wide = Divide(a.Bits, b.Bits);
        result = FromWide(wide);
        return wide >= long.MinValue && wide <= long.MaxValue;
    }

    /// <summary>Addition that reports overflow (<c>checked_add</c>).</summary>
    public static bool TryAdd(I32F32 a, I32F32 b, out I32F32 result)
    {
        var wide = (Int128)a.Bits + b.Bits;
        result = FromWide(wide);
        return wide >= long.MinValue && wide <= long.MaxValue;
    }

    /// <summary>Integer part, floored (fixed → integer conversion).</summary>
    public long Floor() => Bits >> FracBits;

    /// <summary>Round half away from zero (<c>round()</c>), saturating.</summary>
    public I32F32 Round()
    {
        const long half = 1L << (FracBits - 1);
        const long fracMask = (1L << FracBits) - 1;
        Int128 magnitude = Bits < 0 ? -(Int128)Bits : Bits;
        var rounded = (magnitude + half) & ~(Int128)fracMask;
        return FromWide(Bits < 0 ? -rounded : rounded);
    }

    /// <summary>Proportion → u16: floor(x · 65535) with the fixed-point multiply (<c>fixed_proportion_to_u16</c>), saturating to [0, 65535].</summary>
    public ushort ToU16Proportion() => SaturateToU16((this * FromInt(ushort.MaxValue)).Floor());

    /// <summary>u16 → proportion: fixdiv(u, 65535) (<c>u16_proportion_to_fixed</c>).</summary>
    public static I32F32 FromU16Proportion(ushort value) => U16Proportions[value];

    /// <summary>The division <see cref="FromU16Proportion"/> stands for; its 65 536 results are tabulated once.</summary>
    internal static I32F32 FromU16ProportionByDivision(ushort value) =>
        FromInt(value).SafeDiv(FromInt(ushort.MaxValue));

    private static readonly I32F32[] U16Proportions = BuildU16Proportions();

    private static I32F32[] BuildU16Proportions()
    {
        var table = new I32F32[ushort.MaxValue + 1];
        for (var v = 0; v <= ushort.MaxValue; v++)
            table[v] = FromU16ProportionByDivision((ushort)v);
        return table;
    }

    /// <summary>Floor to an integer, saturating into u16 (<c>saturating_to_num::&lt;u16&gt;</c>).</summary>
    public ushort SaturatingToU16() => SaturateToU16(Floor());

    private static ushort SaturateToU16(long value) =>
        value < 0 ? (ushort)0
        : value > ushort.MaxValue ? ushort.MaxValue
        : (ushort)value;

    public static I32F32 Min(I32F32 a, I32F32 b) => a.Bits <= b.Bits ? a : b;

    public static I32F32 Max(I32F32 a, I32F32 b) => a.Bits >= b.Bits ? a : b;

    public static I32F32 Clamp(I32F32 value, I32F32 low, I32F32 high) =>
        value < low ? low
        : value > high ? high
        : value;

    public static bool operator <(I32F32 a, I32F32 b) => a.Bits < b.Bits;

    public static bool operator >(I32F32 a, I32F32 b) => a.Bits > b.Bits;

    public static bool operator <=(I32F32 a, I32F32 b) => a.Bits <= b.Bits;

    public static bool operator >=(I32F32 a, I32F32 b) => a.Bits >= b.Bits;

    public static bool operator ==(I32F32 a, I32F32 b) => a.Bits == b.Bits;

    public static bool operator !=(I32F32 a, I32F32 b) => a.Bits != b.Bits;

    public bool Equals(I32F32 other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is I32F32 other && Equals(other);

    public override int GetHashCode() => Bits.GetHashCode();

    public int CompareTo(I32F32 other) => Bits.CompareTo(other.Bits);

    /// <summary>Exact decimal rendering (2^-32 has a finite decimal expansion; decimal keeps 28 digits, enough for display).</summary>
    public override string ToString() => ((decimal)Bits / 4294967296m).ToString(CultureInfo.InvariantCulture);
}
