namespace Veritensor.Inference.Execution;

/// <summary>A model that loaded and accepted the inputs' signature but failed while running.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException() { }

    public InferenceException(string message)
        : base(message) { }

    public InferenceException(string message, Exception inner)
        : base(message, inner) { }
}
