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
    }

    public I32F32 Divide(I32F32 numerator)
    {
        var bits = numerator.Bits;
        var d = _divisor.Bits;
        if (d > 0 && bits >= 0 && bits <= uint.MaxValue)
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
        return numerator / _divisor;
    }
}
