using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Veritensor.Training;

/// <summary>max(0, x) element-wise; the gradient passes where the input was positive.</summary>
public sealed class ReluLayer(int size) : ILayer
{
    private float[] _input = [];

    public int InputSize { get; } = size;
    public int OutputSize { get; } = size;
    public IReadOnlyList<Parameter> Parameters => [];

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Forward(float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        var output = new float[input.Length];
        TensorPrimitives.Max(input, 0f, output);
        return output;
    }

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Backward(float[] outputGradient, int batch)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var inputGradient = new float[outputGradient.Length];
        for (var i = 0; i < inputGradient.Length; i++)
            inputGradient[i] = _input[i] > 0f ? outputGradient[i] : 0f;
        return inputGradient;
    }
}
