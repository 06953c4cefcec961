namespace Veritensor.Training;

/// <summary>
/// One layer of a <see cref="Sequential"/> model over a batch of rows (row-major, <c>batch × size</c>). Forward keeps
/// what its backward pass needs; backward adds to its parameters' gradients and returns the gradient of its input.
/// </summary>
public interface ILayer
{
    int InputSize { get; }
    int OutputSize { get; }
    IReadOnlyList<Parameter> Parameters { get; }
    float[] Forward(float[] input, int batch);
    float[] Backward(float[] outputGradient, int batch);
}
