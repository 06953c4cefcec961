using System.Globalization;
using System.Text.Json;

namespace Veritensor.Consensus.Tests;

/// <summary>
/// Test-side conversions. The helper vectors are Rust f32 literals converted to I32F32 with round-to-nearest (ties to
/// even), so a literal is parsed as float32 first and its exact binary value rounded to 32 fractional bits.
/// Comparisons with tolerance use decimal, never double.
/// </summary>
internal static class Fixed
{
    public static I32F32 FromF32(float value)
    {
        var raw = BitConverter.SingleToInt32Bits(value);
        var negative = raw < 0;
        var exponent = (raw >> 23) & 0xFF;
        long mantissa = raw & 0x7FFFFF;
        if (exponent == 0)
            exponent = 1;
        else
            mantissa |= 1L << 23;
        // value = mantissa · 2^(exponent − 150); bits = value · 2^32.
        var shift = exponent - 150 + 32;
        Int128 bits;
        if (shift >= 0)
        {
            bits = (Int128)mantissa << shift;
        }
        else
        {
            var s = -shift;
            if (s > 60)
                return I32F32.Zero;
            var quotient = mantissa >> s;
            var remainder = mantissa & ((1L << s) - 1);
            var half = 1L << (s - 1);
            if (remainder > half || (remainder == half && (quotient & 1) == 1))
                quotient++;
            bits = quotient;
        }
        return I32F32.FromBits((long)(negative ? -bits : bits));
    }

    public static I32F32 FromF32(JsonElement literal) =>
        FromF32(float.Parse(literal.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));

    public static I32F32[] VectorF32(JsonElement list) => list.EnumerateArray().Select(FromF32).ToArray();

    public static decimal ToDecimal(I32F32 value) => value.Bits / 4294967296m;

    public static decimal Decimal(JsonElement literal) =>
        decimal.Parse(literal.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>An expected f32 literal as the Rust test sees it: rounded to f32, then to I32F32.</summary>
    public static decimal F32Decimal(JsonElement literal) => ToDecimal(FromF32(literal));

    public static void Near(decimal expected, I32F32 actual, decimal tolerance, string what) =>
        Assert.True(
            Math.Abs(expected - ToDecimal(actual)) <= tolerance,
            $"{what}: expected {expected} ± {tolerance}, got {ToDecimal(actual)}"
        );
}
