namespace Veritensor.Tensors;

/// <summary>A tensor file or JSON document that cannot be read; the message names the tensor and the problem.</summary>
public sealed class TensorFormatException : Exception
{
    public TensorFormatException() { }

    public TensorFormatException(string message)
        : base(message) { }

    public TensorFormatException(string message, Exception inner)
        : base(message, inner) { }
}
