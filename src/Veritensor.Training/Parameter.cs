namespace Veritensor.Training;

/// <summary>A trainable tensor (row-major <see cref="Shape"/>) and the gradient accumulated for it since the last optimizer step.</summary>
public sealed class Parameter
{
    public Parameter(string name, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        Shape = shape;
        var size = shape.Aggregate(1, (a, b) => checked(a * b));
        Value = new float[size];
        Gradient = new float[size];
    }

    public string Name { get; }
    public IReadOnlyList<int> Shape { get; }
    public float[] Value { get; }
    public float[] Gradient { get; }
}
