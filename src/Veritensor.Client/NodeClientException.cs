namespace Veritensor.Client;

/// <summary>
/// A request to a node failed: the node rejected it (<see cref="Code"/> is the stable error code and
/// <see cref="StatusCode"/> the HTTP status), or it could not be reached (both null).
/// </summary>
public sealed class NodeClientException : Exception
{
    public NodeClientException(string message, string? code = null, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public NodeClientException() { }

    public NodeClientException(string message)
        : base(message) { }

    public NodeClientException(string message, Exception inner)
        : base(message, inner) { }

    public string? Code { get; }
    public int? StatusCode { get; }
    public bool IsUnreachable => StatusCode is null;
}
