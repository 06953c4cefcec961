namespace Veritensor.Core.Encoding;

/// <summary>Bytes that are not the canonical encoding of the expected value.</summary>
public sealed class CanonicalEncodingException : Exception
{
    public CanonicalEncodingException(string message)
        : base(message) { }

    public CanonicalEncodingException(string message, Exception inner)
        : base(message, inner) { }

    public CanonicalEncodingException() { }
}
