using System.Numerics.Tensors;
using Veritensor.Core;

namespace Veritensor.Training;

/// <summary>
/// y = x·W + b, with W of shape [inputs, outputs] (row i holds input i's weights, as ONNX Gemm takes it without
/// transposing) and b of shape [outputs]. Weights start He-uniform from a seeded generator, biases at zero.
/// </summary>
public sealed class DenseLayer : ILayer
{
    private float[] _input = [];

    public DenseLayer(int inputs, int outputs, SplitMix64 random, bool skipZeroInputs = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentNullException.ThrowIfNull(random);
        InputSize = inputs;
        OutputSize = outputs;
        SkipZeroInputs = skipZeroInputs;
        Weights = new Parameter("weight", inputs, outputs);
        Bias = new Parameter("bias", outputs);
        var scale = MathF.Sqrt(6f / inputs);
        for (var i = 0; i < Weights.Value.Length; i++)
            Weights.Value[i] = random.NextSignedUnit() * scale;
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    /// <summary>Skips inputs that are exactly zero: faster for sparse (one-hot) inputs, slower for dense ones.</summary>
    public bool SkipZeroInputs { get; }

    public Parameter Weights { get; }
    public Parameter Bias { get; }
    public IReadOnlyList<Parameter> Parameters => [Weights, Bias];

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
            var y = output.AsSpan(row * OutputSize, OutputSize);
            Bias.Value.CopyTo(y);
            for (var i = 0; i < InputSize; i++)
                if (!SkipZeroInputs || x[i] != 0f)
                    TensorPrimitives.MultiplyAdd(Weights.Value.AsSpan(i * OutputSize, OutputSize), x[i], y, y);
        }
        return output;
    }

    public float[] Backward(float[] outputGradient, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputGradient = new float[batch * InputSize];
        for (var row = 0; row < batch; row++)
        {
            var x = _input.AsSpan(row * InputSize, InputSize);
            var dy = outputGradient.AsSpan(row * OutputSize, OutputSize);
            var dx = inputGradient.AsSpan(row * InputSize, InputSize);
            TensorPrimitives.Add(Bias.Gradient, dy, Bias.Gradient);
            for (var i = 0; i < InputSize; i++)
            {
                var weights = Weights.Value.AsSpan(i * OutputSize, OutputSize);
                dx[i] = TensorPrimitives.Dot(weights, dy);
                if (!SkipZeroInputs || x[i] != 0f)
                {
                    var gradient = Weights.Gradient.AsSpan(i * OutputSize, OutputSize);
                    TensorPrimitives.MultiplyAdd(dy, x[i], gradient, gradient);
                }
            }
        }
        return inputGradient;
    }
}
