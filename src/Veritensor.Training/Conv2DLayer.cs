using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Veritensor.Core;

namespace Veritensor.Training;

/// <summary>
/// A 2-D convolution, stride 1, square kernels, zero padding: input [channels, height, width] per row, output
/// [filters, height + 2·padding − kernel + 1, width + 2·padding − kernel + 1]. Weights [filters, channels·kernel²] are
/// ONNX Conv's [filters, channels, kernel, kernel] in the same order. Each sample is unfolded into columns (im2col), so
/// the work is rows of multiply-adds over the output positions.
/// </summary>
public sealed class Conv2DLayer : ILayer
{
    private readonly int[] _sources;
    private float[][] _columns = [];

    public Conv2DLayer(int channels, int height, int width, int filters, int kernel, int padding, SplitMix64 random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentNullException.ThrowIfNull(random);
        (Channels, Height, Width, Filters, Kernel, Padding) = (channels, height, width, filters, kernel, padding);
        OutputHeight = height + 2 * padding - kernel + 1;
        OutputWidth = width + 2 * padding - kernel + 1;
        if (OutputHeight <= 0 || OutputWidth <= 0)
            throw new ArgumentException(
                $"a {kernel}×{kernel} kernel does not fit a {height}×{width} input padded by {padding}"
            );
        var fanIn = channels * kernel * kernel;
        Weights = new Parameter("weight", filters, channels, kernel, kernel);
        Bias = new Parameter("bias", filters);
        var scale = MathF.Sqrt(6f / fanIn);
        for (var i = 0; i < Weights.Value.Length; i++)
            Weights.Value[i] = random.NextSignedUnit() * scale;
        _sources = Sources();
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int Kernel { get; }
    public int Padding { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    public Parameter Weights { get; }
    public Parameter Bias { get; }
    public int InputSize => Channels * Height * Width;
    public int OutputSize => Filters * OutputHeight * OutputWidth;
    public IReadOnlyList<Parameter> Parameters => [Weights, Bias];

    private int Positions => OutputHeight * OutputWidth;
    private int Taps => Channels * Kernel * Kernel;

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Forward(float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"expected {batch} × {InputSize} inputs, got {input.Length}", nameof(input));
        _columns = new float[batch][];
        var output = new float[batch * OutputSize];
        for (var row = 0; row < batch; row++)
        {
            var columns = _columns[row] = Unfold(input.AsSpan(row * InputSize, InputSize));
            for (var f = 0; f < Filters; f++)
            {
                var y = output.AsSpan(row * OutputSize + f * Positions, Positions);
                y.Fill(Bias.Value[f]);
                for (var j = 0; j < Taps; j++)
                    TensorPrimitives.MultiplyAdd(
                        columns.AsSpan(j * Positions, Positions),
                        Weights.Value[f * Taps + j],
                        y,
                        y
                    );
            }
        }
        return output;
    }

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Backward(float[] outputGradient, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputGradient = new float[batch * InputSize];
        var columnsGradient = new float[Taps * Positions];
        for (var row = 0; row < batch; row++)
        {
            var columns = _columns[row];
            Array.Clear(columnsGradient);
            for (var f = 0; f < Filters; f++)
            {
                var dy = outputGradient.AsSpan(row * OutputSize + f * Positions, Positions);
                Bias.Gradient[f] += TensorPrimitives.Sum(dy);
                for (var j = 0; j < Taps; j++)
                {
                    var column = columns.AsSpan(j * Positions, Positions);
                    Weights.Gradient[f * Taps + j] += TensorPrimitives.Dot(column, dy);
                    var dColumn = columnsGradient.AsSpan(j * Positions, Positions);
                    TensorPrimitives.MultiplyAdd(dy, Weights.Value[f * Taps + j], dColumn, dColumn);
                }
            }
            Fold(columnsGradient, inputGradient.AsSpan(row * InputSize, InputSize));
        }
        return inputGradient;
    }

    /// <summary>im2col: tap j = (channel, ki, kj) becomes a row of the input value under that tap at every output position (zero outside).</summary>
    private float[] Unfold(ReadOnlySpan<float> image)
    {
        var columns = new float[_sources.Length];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = _sources[i] < 0 ? 0f : image[_sources[i]];
        return columns;
    }

    /// <summary>col2im: adds each column gradient back to the input value it was read from.</summary>
    private void Fold(float[] columnsGradient, Span<float> imageGradient)
    {
        for (var i = 0; i < columnsGradient.Length; i++)
            if (_sources[i] >= 0)
                imageGradient[_sources[i]] += columnsGradient[i];
    }

    /// <summary>For each (tap, output position), the index of the input value it reads, or −1 in the padding.</summary>
    private int[] Sources()
    {
        var sources = new int[Taps * Positions];
        for (var tap = 0; tap < Taps; tap++)
        {
            // Tap = (channel, kernel row, kernel column), in ONNX's weight order.
            var (c, ki, kj) = (tap / (Kernel * Kernel), tap / Kernel % Kernel, tap % Kernel);
            for (var position = 0; position < Positions; position++)
            {
                var y = position / OutputWidth + ki - Padding;
                var x = position % OutputWidth + kj - Padding;
                var inside = y >= 0 && y < Height && x >= 0 && x < Width;
                sources[tap * Positions + position] = inside ? (c * Height + y) * Width + x : -1;
            }
        }
        return sources;
    }
}
