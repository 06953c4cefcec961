namespace Veritensor.Tensors;

/// <summary>
/// Distance in units in the last place: how many representable values lie between two floats. Bit patterns are
/// mapped to integers that order like the values (negative floats reversed), so +0 and -0 are 0 apart and the
/// distance across zero is the sum of both sides. A NaN against a non-NaN is <see cref="ulong.MaxValue"/>.
/// </summary>
internal static class UlpDistance
{
    public static ulong Between(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : ulong.MaxValue;
        return Distance(Ordered(BitConverter.DoubleToInt64Bits(a)), Ordered(BitConverter.DoubleToInt64Bits(b)));
    }

    public static ulong Between(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : ulong.MaxValue;
        return Distance(Ordered32(BitConverter.SingleToInt32Bits(a)), Ordered32(BitConverter.SingleToInt32Bits(b)));
    }

    /// <summary>For the 16-bit formats (float16, bfloat16), given their bit patterns and whether each is NaN.</summary>
    public static ulong Between16(ushort a, bool aIsNaN, ushort b, bool bIsNaN)
    {
        if (aIsNaN || bIsNaN)
            return aIsNaN && bIsNaN ? 0 : ulong.MaxValue;
        return Distance(Ordered16(a), Ordered16(b));
    }

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static long Ordered32(int bits) => bits < 0 ? (long)int.MinValue - bits : bits;

    private static long Ordered16(ushort bits) => (bits & 0x8000) != 0 ? -(long)(bits & 0x7FFF) : bits;

    private static ulong Distance(long x, long y) =>
        x >= y ? unchecked((ulong)x - (ulong)y) : unchecked((ulong)y - (ulong)x);
}
