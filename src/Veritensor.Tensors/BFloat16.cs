namespace Veritensor.Tensors;

/// <summary>bfloat16 bit patterns: the top 16 bits of an IEEE float32.</summary>
public static class BFloat16
{
    /// <summary>Rounds to nearest even, as ONNX and PyTorch do; NaN stays a quiet NaN.</summary>
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)(unchecked(bits + rounding) >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
