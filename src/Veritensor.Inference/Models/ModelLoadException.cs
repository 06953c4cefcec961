namespace Veritensor.Inference.Models;

/// <summary>A model file that cannot be loaded: not ONNX, truncated, or using a type Veritensor does not support.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException() { }

    public ModelLoadException(string message)
        : base(message) { }

    public ModelLoadException(string message, Exception inner)
        : base(message, inner) { }
}
