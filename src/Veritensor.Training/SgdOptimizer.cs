using System.Numerics.Tensors;

namespace Veritensor.Training;

/// <summary>Plain stochastic gradient descent: value −= learning rate × gradient.</summary>
public sealed class SgdOptimizer(float learningRate) : IOptimizer
{
    public float LearningRate { get; } =
        learningRate > 0 && float.IsFinite(learningRate)
            ? learningRate
            : throw new ArgumentOutOfRangeException(nameof(learningRate), "the learning rate must be positive");

    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            TensorPrimitives.MultiplyAdd(parameter.Gradient, -LearningRate, parameter.Value, parameter.Value);
            Array.Clear(parameter.Gradient);
        }
    }
}
