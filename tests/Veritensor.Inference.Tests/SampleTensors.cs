using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

/// <summary>One small tensor of every supported element type, with distinct, type-appropriate values.</summary>
internal static class SampleTensors
{
    public static IEnumerable<TensorElementType> AllTypes => Enum.GetValues<TensorElementType>();

    public static TheoryData<TensorElementType> AllTypesData => new(AllTypes);

    /// <summary>A [2,3] tensor of <paramref name="type"/>; numeric elements are derived from <paramref name="seed"/> so tests can vary them.</summary>
    public static Tensor Of(TensorElementType type, int seed = 1)
    {
        long[] shape = [2, 3];
        if (type == TensorElementType.String)
            return Tensor.FromStrings(shape, ["a", "", "ü€", $"s{seed}", "x y", "z"]);
        var size = TensorElementTypes.SizeOf(type);
        var bytes = new byte[6 * size];
        var random = new Random(seed);
        if (type == TensorElementType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)(random.Next(2));
        }
        else if (TensorElementTypes.IsFloating(type))
        {
            var values = Enumerable.Range(0, 6).Select(_ => (random.NextDouble() * 20) - 10).ToArray();
            for (var i = 0; i < 6; i++)
            {
                var slot = bytes.AsSpan(i * size, size);
                switch (type)
                {
                    case TensorElementType.Float:
                        BitConverter.TryWriteBytes(slot, (float)values[i]);
                        break;
                    case TensorElementType.Double:
                        BitConverter.TryWriteBytes(slot, values[i]);
                        break;
                    case TensorElementType.Float16:
                        BitConverter.TryWriteBytes(slot, (Half)values[i]);
                        break;
                    default:
                        BitConverter.TryWriteBytes(slot, BFloat16.FromSingle((float)values[i]));
                        break;
                }
            }
        }
        else
        {
            random.NextBytes(bytes);
        }
        return Tensor.FromRaw(type, shape, bytes);
    }
}
