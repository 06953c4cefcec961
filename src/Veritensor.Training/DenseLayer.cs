using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Veritensor.Core;

namespace Veritensor.Training;

/// <summary>
/// y = x·Wᵀ + b, with W of shape [outputs, inputs] (row o holds output o's weights, as PyTorch's Linear and ONNX Gemm
/// with transB = 1 take it) and b of shape [outputs]. Each output is one dot product over the whole input row, and each
/// gradient one multiply-add over a whole row, so the vector work runs over the long dimension. Weights start
/// He-uniform from a seeded generator, biases at zero.
/// </summary>
public sealed class DenseLayer : ILayer
{
    private float[] _input = [];

    public DenseLayer(int inputs, int outputs, SplitMix64 random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentNullException.ThrowIfNull(random);
        InputSize = inputs;
        OutputSize = outputs;
        Weights = new Parameter("weight", outputs, inputs);
        Bias = new Parameter("bias", outputs);
        var scale = MathF.Sqrt(6f / inputs);
        for (var i = 0; i < Weights.Value.Length; i++)
            Weights.Value[i] = random.NextSignedUnit() * scale;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public Parameter Weights { get; }
    public Parameter Bias { get; }
    public IReadOnlyList<Parameter> Parameters => [Weights, Bias];

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Forward(float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"expected {batch} × {InputSize} inputs, got {input.Length}", nameof(input));
        _input = input;
        var output = new float[batch * OutputSize];
        for (var row = 0; row < batch; row++)
        {
            var x = input.AsSpan(row * InputSize, InputSize);
            for (var o = 0; o < OutputSize; o++)
                output[row * OutputSize + o] =
                    TensorPrimitives.Dot(Weights.Value.AsSpan(o * InputSize, InputSize), x) + Bias.Value[o];
        }
        return output;
    }

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Backward(float[] outputGradient, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputGradient = new float[batch * InputSize];
        for (var row = 0; row < batch; row++)
        {
            var x = _input.AsSpan(row * InputSize, InputSize);
            var dx = inputGradient.AsSpan(row * InputSize, InputSize);
            for (var o = 0; o < OutputSize; o++)
            {
                var dy = outputGradient[row * OutputSize + o];
                if (dy == 0f)
                    continue;
                Bias.Gradient[o] += dy;
                var weights = Weights.Value.AsSpan(o * InputSize, InputSize);
                var gradient = Weights.Gradient.AsSpan(o * InputSize, InputSize);
                TensorPrimitives.MultiplyAdd(x, dy, gradient, gradient);
                TensorPrimitives.MultiplyAdd(weights, dy, dx, dx);
            }
        }
        return inputGradient;
    }
}
