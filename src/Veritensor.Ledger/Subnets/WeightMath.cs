namespace Veritensor.Ledger.Subnets;

/// <summary>The integer rules SetWeights applies to a row of u16 values (yuma.md §2, subtensor's <c>set_weights</c>).</summary>
internal static class WeightMath
{
    private const ulong Half = 1UL << 31;

    /// <summary>
    /// Max-upscales <paramref name="values"/> as subtensor stores them: m = max; if m &gt; 32768 then
    /// round(v · (65535/m)) else round((v·65535)/m), in I32F32 (divisions truncate to 32 fraction bits, the
    /// final round is half away from zero, which for these non-negative values is +½ then floor); m = 0 gives zeros.
    /// </summary>
    public static ushort[] MaxUpscale(IReadOnlyList<ushort> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ulong max = 0;
        foreach (var v in values)
            max = Math.Max(max, v);
        var result = new ushort[values.Count];
        if (max == 0)
            return result;
        var ratio = max > 32_768 ? (65_535UL << 32) / max : 0;
        for (var i = 0; i < values.Count; i++)
        {
            ulong v = values[i];
            var scaled = max > 32_768 ? v * ratio : ((v * 65_535) << 32) / max;
            result[i] = (ushort)Math.Min((scaled + Half) >> 32, ushort.MaxValue);
        }
        return result;
    }

    /// <summary>
    /// subtensor's <c>check_max_weight_limit</c>: with a limit below 65,535 the largest value of the row normalised
    /// to sum 65,535 (floor) must not exceed it.
    /// </summary>
    public static bool WithinMaxWeightLimit(IReadOnlyList<ushort> values, ushort limit)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (limit == ushort.MaxValue)
            return true;
        ulong sum = 0,
            max = 0;
        foreach (var v in values)
        {
            sum += v;
            max = Math.Max(max, v);
        }
        if (sum == 0)
            return true;
        return max * 65_535 / sum <= limit;
    }
}
