namespace Veritensor.Training;

/// <summary>
/// Rows are already flat here, so this passes values through; it marks where an image-shaped tensor becomes a vector,
/// which the ONNX export writes as Flatten (axis 1) before the dense layers.
/// </summary>
public sealed class FlattenLayer(int size) : ILayer
{
    public int InputSize { get; } = size;
    public int OutputSize { get; } = size;
    public IReadOnlyList<Parameter> Parameters => [];

    public float[] Forward(float[] input, int batch) => input;

    public float[] Backward(float[] outputGradient, int batch) => outputGradient;
}
