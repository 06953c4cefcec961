namespace Veritensor.Inference.Models;

/// <summary>
/// A model file that cannot be loaded: not ONNX, truncated, using a type Veritensor does not support, or refused by
/// <see cref="ModelPolicy"/> (<see cref="RefusedByPolicy"/>).
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>True when the model is well formed but does something no node runs for a stranger (<see cref="ModelPolicy"/>).</summary>
    public bool RefusedByPolicy { get; init; }

    public ModelLoadException() { }

    public ModelLoadException(string message)
        : base(message) { }

    public ModelLoadException(string message, Exception inner)
        : base(message, inner) { }
}
