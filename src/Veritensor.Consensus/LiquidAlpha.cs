using System.Runtime.CompilerServices;

namespace Veritensor.Consensus;

/// <summary>
/// Yuma3's per-bond EMA rate (<c>alpha_sigmoid</c>): fast (towards alpha_high) when a validator weights a miner above
/// consensus or sells a bond it holds above its weight, slow (alpha_low) otherwise.
/// </summary>
public static class LiquidAlpha
{
    private static readonly I32F32 Half = I32F32.FromBits(1L << 31);
    private static readonly I32F32 Hundred = I32F32.FromInt(100);

    /// <summary>
    /// d = clamp(w − c, 0, 1) when w ≥ b, else clamp(b − w, 0, 1);
    /// a = lo + (hi − lo) · 1/(1 + exp_safe(−(steepness/100)·(d − 0.5))), clamped to [lo, hi].
    /// </summary>
    // Called once per bond entry: compiled optimised at once, since tiered start-up code made the first Yuma3 epochs ~8x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static I32F32 Sigmoid(
        I32F32 consensus,
        I32F32 weight,
        I32F32 bond,
        I32F32 alphaLow,
        I32F32 alphaHigh,
        I32F32 steepness
    ) => FromDifference(Difference(consensus, weight, bond), steepness / (I32F32.Zero - Hundred), alphaLow, alphaHigh);

    private static I32F32 Difference(I32F32 consensus, I32F32 weight, I32F32 bond)
    {
        var diffBuy = I32F32.Clamp(weight - consensus, I32F32.Zero, I32F32.One);
        var diffSell = I32F32.Clamp(bond - weight, I32F32.Zero, I32F32.One);
        return weight >= bond ? diffBuy : diffSell;
    }

    private static I32F32 FromDifference(I32F32 diff, I32F32 rate, I32F32 alphaLow, I32F32 alphaHigh)
    {
        var exponent = rate * (diff - Half);
        var sigmoid = I32F32.One / (I32F32.One + FixedExp.ExpSafe(exponent));
        var alpha = alphaLow + sigmoid * (alphaHigh - alphaLow);
        return I32F32.Clamp(alpha, alphaLow, alphaHigh);
    }

    /// <summary>
    /// <see cref="Sigmoid"/> for one epoch's fixed alpha_low, alpha_high and steepness: the rate steepness/−100 is divided
    /// once, and since alpha depends on the inputs only through d, the last d and its alpha are remembered (clipped
    /// weights often sit exactly at consensus, so d = 0 repeats).
    /// </summary>
    internal sealed class Evaluator(I32F32 alphaLow, I32F32 alphaHigh, I32F32 steepness)
    {
        private readonly I32F32 _rate = steepness / (I32F32.Zero - Hundred);
        private I32F32 _lastDiff = I32F32.MinValue;
        private I32F32 _lastAlpha;

        public I32F32 Alpha(I32F32 consensus, I32F32 weight, I32F32 bond)
        {
            var diff = Difference(consensus, weight, bond);
            // diff lies in [0, 1], so the MinValue sentinel never matches before the first evaluation.
            if (diff == _lastDiff)
                return _lastAlpha;
            _lastAlpha = FromDifference(diff, _rate, alphaLow, alphaHigh);
            _lastDiff = diff;
            return _lastAlpha;
        }
    }
}
