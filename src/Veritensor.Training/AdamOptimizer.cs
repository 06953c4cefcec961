using System.Runtime.CompilerServices;

namespace Veritensor.Training;

/// <summary>Adam (Kingma and Ba, 2015): per-weight step sizes from running means of the gradient and its square, bias-corrected.</summary>
public sealed class AdamOptimizer(
    float learningRate = 1e-3f,
    float beta1 = 0.9f,
    float beta2 = 0.999f,
    float epsilon = 1e-8f
) : IOptimizer
{
    private readonly Dictionary<Parameter, (float[] Mean, float[] Variance)> _moments = [];
    private int _steps;

    public float LearningRate { get; } =
        learningRate > 0 && float.IsFinite(learningRate)
            ? learningRate
            : throw new ArgumentOutOfRangeException(nameof(learningRate), "the learning rate must be positive");

    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _steps++;
        var correction1 = 1f - MathF.Pow(beta1, _steps);
        var correction2 = 1f - MathF.Pow(beta2, _steps);
        foreach (var parameter in parameters)
        {
            if (!_moments.TryGetValue(parameter, out var moments))
                _moments[parameter] = moments = (new float[parameter.Value.Length], new float[parameter.Value.Length]);
            var (mean, variance) = moments;
            var value = parameter.Value;
            var gradient = parameter.Gradient;
            for (var i = 0; i < value.Length; i++)
            {
                mean[i] = beta1 * mean[i] + (1f - beta1) * gradient[i];
                variance[i] = beta2 * variance[i] + (1f - beta2) * gradient[i] * gradient[i];
                value[i] -= LearningRate * (mean[i] / correction1) / (MathF.Sqrt(variance[i] / correction2) + epsilon);
            }
            Array.Clear(gradient);
        }
    }
}
