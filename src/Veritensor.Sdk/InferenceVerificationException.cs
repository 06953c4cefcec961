namespace Veritensor.Sdk;

/// <summary>A gateway's answer failed the client's checks (a forged signature, an output that does not match its receipt, an unregistered signer...).</summary>
public sealed class InferenceVerificationException(string message) : Exception(message);

/// <summary>The gateway refused the request or could not be reached; <see cref="Code"/> is its stable problem code when it answered.</summary>
public sealed class InferenceClientException(
    string message,
    string? code = null,
    int statusCode = 0,
    Exception? inner = null
) : Exception(message, inner)
{
    public string? Code { get; } = code;
    public int StatusCode { get; } = statusCode;
}
