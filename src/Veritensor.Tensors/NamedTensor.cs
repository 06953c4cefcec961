namespace Veritensor.Tensors;

/// <summary>A tensor with the model input or output name it binds to.</summary>
public sealed record NamedTensor(string Name, Tensor Tensor)
{
    public override string ToString() => $"{Name}: {Tensor}";
}
