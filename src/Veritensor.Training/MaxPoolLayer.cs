using System.Runtime.CompilerServices;

namespace Veritensor.Training;

/// <summary>
/// 2-D max pooling with a square window and the same stride, no padding: [channels, height, width] to
/// [channels, ⌊height / size⌋, ⌊width / size⌋]; the gradient goes to the position that held each maximum (the first, on ties).
/// </summary>
public sealed class MaxPoolLayer : ILayer
{
    private int[] _argmax = [];

    public MaxPoolLayer(int channels, int height, int width, int size = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        (Channels, Height, Width, Size) = (channels, height, width, size);
        OutputHeight = height / size;
        OutputWidth = width / size;
        if (OutputHeight == 0 || OutputWidth == 0)
            throw new ArgumentException($"a {size}×{size} window does not fit a {height}×{width} input");
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Size { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    public int InputSize => Channels * Height * Width;
    public int OutputSize => Channels * OutputHeight * OutputWidth;
    public IReadOnlyList<Parameter> Parameters => [];

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Forward(float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"expected {batch} × {InputSize} inputs, got {input.Length}", nameof(input));
        var output = new float[batch * OutputSize];
        _argmax = new int[output.Length];
        for (var outIndex = 0; outIndex < output.Length; outIndex++)
        {
            // outIndex = ((row · channels + c) · outputHeight + oy) · outputWidth + ox.
            var ox = outIndex % OutputWidth;
            var oy = outIndex / OutputWidth % OutputHeight;
            var plane = outIndex / (OutputWidth * OutputHeight);
            var origin = plane * Height * Width + oy * Size * Width + ox * Size;
            var best = origin;
            for (var window = 1; window < Size * Size; window++)
            {
                var index = origin + window / Size * Width + window % Size;
                if (input[index] > input[best])
                    best = index;
            }
            output[outIndex] = input[best];
            _argmax[outIndex] = best;
        }
        return output;
    }

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Backward(float[] outputGradient, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputGradient = new float[batch * InputSize];
        for (var i = 0; i < outputGradient.Length; i++)
            inputGradient[_argmax[i]] += outputGradient[i];
        return inputGradient;
    }
}
