using System.Runtime.CompilerServices;

namespace Veritensor.Consensus;

/// <summary>
/// subtensor's <c>exp_safe</c> over substrate-fixed's <c>transcendental::exp</c>: the input is clamped to [−20, 20];
/// exp(x) for x &gt; 0 is 1 + x + Σ_{i=2}^{31} term_i with term_i = checked(term_{i−1} · x) / i (I32F32 floor multiply,
/// truncating divide); exp(−x) = 1 / exp(x). An overflow inside the series yields 0 for x ≤ 0 and MAX otherwise.
/// </summary>
internal static class FixedExp
{
    private static readonly I32F32 MinInput = I32F32.FromInt(-20);
    private static readonly I32F32 MaxInput = I32F32.FromInt(20);

    /// <summary>⌊(2^64 − 1) / i⌋ for the series divisors i = 2..31: a quotient estimate never above and at most one below the exact one.</summary>
    private static readonly ulong[] TermReciprocals = BuildTermReciprocals();

    private static ulong[] BuildTermReciprocals()
    {
        var table = new ulong[I32F32.FracBits];
        for (var i = 1; i < table.Length; i++)
            table[i] = ulong.MaxValue / (ulong)i;
        return table;
    }

    public static I32F32 ExpSafe(I32F32 input)
    {
        var safe = I32F32.Clamp(input, MinInput, MaxInput);
        if (TryExp(safe, out var result))
            return result;
        return safe <= I32F32.Zero ? I32F32.Zero : I32F32.MaxValue;
    }

    /// <summary>
    /// substrate-fixed <c>exp</c>, failing (false) wherever the Rust code returns <c>Err</c>. The series runs on raw 64-bit
    /// bits: the checked multiply fails exactly when the high word of the 128-bit product leaves the 32-bit signed range,
    /// the divisor i·2^32 makes the checked division a plain truncating long division (it cannot overflow), and once a
    /// term is zero every later term is zero too, so the loop stops early with the same sum.
    /// <see cref="TryExpReference"/> is the step-by-step form the tests compare this with.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryExp(I32F32 operand, out I32F32 result)
    {
        result = I32F32.Zero;
        if (operand == I32F32.Zero)
        {
            result = I32F32.One;
            return true;
        }
        if (operand < I32F32.Zero)
        {
            if (operand == I32F32.MinValue)
                return false;
            return TryExp(I32F32.Zero - operand, out var inverse) && I32F32.TryDivide(I32F32.One, inverse, out result);
        }
        const long one = 1L << I32F32.FracBits;
        var x = operand.Bits;
        if (x > long.MaxValue - one)
            return false;
        var sum = x + one;
        var term = x;
        for (var i = 2; i < I32F32.FracBits; i++)
        {
            var high = Math.BigMul(term, x, out var low);
            if (high > int.MaxValue || high < int.MinValue)
                return false;
            // The product is non-negative here, so ⌊product / i⌋ is the reciprocal estimate plus its exact correction.
            var product = (ulong)((high << I32F32.FracBits) | (long)(unchecked((ulong)low) >> I32F32.FracBits));
            var quotient = Math.BigMul(product, TermReciprocals[i], out _);
            var remainder = product - quotient * (ulong)i;
            while (remainder >= (ulong)i)
            {
                quotient++;
                remainder -= (ulong)i;
            }
            term = (long)quotient;
            var next = unchecked(sum + term);
            if (((sum ^ next) & (term ^ next)) < 0)
                return false;
            sum = next;
            if (term == 0)
                break;
        }
        result = I32F32.FromBits(sum);
        return true;
    }

    /// <summary>The series exactly as written in substrate-fixed, one checked operation at a time (reference for tests).</summary>
    internal static bool TryExpReference(I32F32 operand, out I32F32 result)
    {
        result = I32F32.Zero;
        if (operand == I32F32.Zero)
        {
            result = I32F32.One;
            return true;
        }
        if (operand < I32F32.Zero)
        {
            if (operand == I32F32.MinValue)
                return false;
            return TryExpReference(I32F32.Zero - operand, out var inverse)
                && I32F32.TryDivide(I32F32.One, inverse, out result);
        }
        if (!I32F32.TryAdd(operand, I32F32.One, out var sum))
            return false;
        var term = operand;
        for (var i = 2; i < I32F32.FracBits; i++)
        {
            if (!I32F32.TryMultiply(term, operand, out term))
                return false;
            if (!I32F32.TryDivide(term, I32F32.FromInt(i), out term))
                return false;
            if (!I32F32.TryAdd(sum, term, out sum))
                return false;
        }
        result = sum;
        return true;
    }
}
