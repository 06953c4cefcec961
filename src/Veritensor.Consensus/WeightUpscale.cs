namespace Veritensor.Consensus;

/// <summary>
/// How <c>set_weights</c> stores a submitted row (<c>vec_max_upscale_to_u16</c>): scaled so the largest value becomes
/// 65535. The two branches (ratio first above 32768, multiply first below) are kept because they round differently.
/// </summary>
public static class WeightUpscale
{
    private static readonly I32F32 U16Max = I32F32.FromInt(ushort.MaxValue);
    private static readonly I32F32 Threshold = I32F32.FromInt(32768);

    public static ushort[] MaxUpscaleToU16(ReadOnlySpan<I32F32> values)
    {
        if (values.IsEmpty)
            return [];
        var max = values[0];
        foreach (var value in values)
            max = I32F32.Max(max, value);
        var result = new ushort[values.Length];
        if (max == I32F32.Zero)
        {
            for (var i = 0; i < values.Length; i++)
                result[i] = (values[i] * U16Max).SaturatingToU16();
            return result;
        }
        if (max > Threshold)
        {
            var ratio = U16Max / max;
            for (var i = 0; i < values.Length; i++)
                result[i] = (values[i] * ratio).Round().SaturatingToU16();
            return result;
        }
        for (var i = 0; i < values.Length; i++)
            result[i] = (values[i] * U16Max / max).Round().SaturatingToU16();
        return result;
    }

    /// <summary><c>vec_u16_max_upscale_to_u16</c>: the submitted u16 values read as integers, then upscaled.</summary>
    public static ushort[] MaxUpscaleToU16(ReadOnlySpan<ushort> values)
    {
        var fixedValues = new I32F32[values.Length];
        for (var i = 0; i < values.Length; i++)
            fixedValues[i] = I32F32.FromInt(values[i]);
        return MaxUpscaleToU16(fixedValues);
    }
}
