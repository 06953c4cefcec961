namespace Veritensor.Inference.Models;

/// <summary>Inputs that do not fit a model's signature; the message names the first mismatch.</summary>
public sealed class InputValidationException : Exception
{
    public InputValidationException() { }

    public InputValidationException(string message)
        : base(message) { }

    public InputValidationException(string message, Exception inner)
        : base(message, inner) { }
}
