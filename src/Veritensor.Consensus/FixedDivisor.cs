using System.Numerics;
using System.Runtime.CompilerServices;

namespace Veritensor.Consensus;

/// <summary>
/// One I32F32 divisor applied to many numerators (a row or column sum, a normalisation total) with the same bits as
/// <c>a / divisor</c>. In the epoch's common case (0 ≤ a &lt; 1, divisor &gt; 0) the numerator a·2^32 fits a u64; the
/// quotient is then estimated with a precomputed reciprocal r = ⌊(2^64 − 1)/d⌋, which is never above ⌊N/d⌋ and at most
/// one below it, and corrected with the exact remainder, so the result is ⌊N/d⌋ exactly without a hardware division.
/// Anything else takes the ordinary operator.
/// </summary>
internal readonly struct FixedDivisor
{
    private readonly I32F32 _divisor;
    private readonly ulong _reciprocal;

    public FixedDivisor(I32F32 divisor)
    {
        _divisor = divisor;
        _reciprocal = divisor.Bits > 0 ? ulong.MaxValue / (ulong)divisor.Bits : 0;
        if (divisor.Bits > 0)
        {
            _shift = BitOperations.LeadingZeroCount((ulong)divisor.Bits);
            _normalized = (ulong)divisor.Bits << _shift;
            // Möller–Granlund's inverse of the normalised divisor: ⌊(2^128 − 1) / d'⌋ − 2^64 (d' ≥ 2^63, so it fits).
            _inverse = (ulong)(UInt128.MaxValue / _normalized - ((UInt128)1 << 64));
        }
    }

    private readonly int _shift;
    private readonly ulong _normalized;
    private readonly ulong _inverse;

    /// <summary>
    /// The common case inline (it runs once per matrix entry in every normalisation); the rest in
    /// <see cref="DivideWide"/>. quotient·d ≤ N &lt; 2^64, so none of the unchecked steps can wrap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public I32F32 Divide(I32F32 numerator)
    {
        var bits = numerator.Bits;
        var d = _divisor.Bits;
        if (d > 0 && bits >= 0 && bits <= uint.MaxValue)
        {
            unchecked
            {
                var wide = (ulong)bits << I32F32.FracBits;
                var quotient = Math.BigMul(wide, _reciprocal, out _);
                var remainder = wide - quotient * (ulong)d;
                while (remainder >= (ulong)d)
                {
                    quotient++;
                    remainder -= (ulong)d;
                }
                return quotient > long.MaxValue ? I32F32.MaxValue : I32F32.FromBits((long)quotient);
            }
        }
        return DivideWide(numerator);
    }

    private I32F32 DivideWide(I32F32 numerator)
    {
        var bits = numerator.Bits;
        var d = _divisor.Bits;
        if (d > 0 && bits > 0)
        {
            // N = a·2^32 as two words; the quotient fits 64 bits iff the high word is below d. Then one 2-by-1
            // division by the invariant divisor (Möller–Granlund 2011, Algorithm 4) gives ⌊N/d⌋ exactly.
            var high = (ulong)bits >> I32F32.FracBits;
            var low = (ulong)bits << I32F32.FracBits;
            if (high < (ulong)d)
            {
                unchecked
                {
                    if (_shift != 0)
                    {
                        high = (high << _shift) | (low >> (64 - _shift));
                        low <<= _shift;
                    }
                    var quotientHigh = Math.BigMul(high, _inverse, out var quotientLow);
                    var addedLow = quotientLow + low;
                    quotientHigh += high + 1 + (addedLow < quotientLow ? 1UL : 0UL);
                    quotientLow = addedLow;
                    var remainder = low - quotientHigh * _normalized;
                    if (remainder > quotientLow)
                    {
                        quotientHigh--;
                        remainder += _normalized;
                    }
                    if (remainder >= _normalized)
                        quotientHigh++;
                    return quotientHigh > long.MaxValue ? I32F32.MaxValue : I32F32.FromBits((long)quotientHigh);
                }
            }
        }
        return numerator / _divisor;
    }
}
