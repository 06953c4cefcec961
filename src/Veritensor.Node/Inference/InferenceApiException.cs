namespace Veritensor.Node.Inference;

/// <summary>
/// A request a role server refuses or cannot serve. <see cref="Code"/> is stable (clients branch on it);
/// <see cref="StatusCode"/> is the HTTP status the API answers with.
/// </summary>
public sealed class InferenceApiException(string code, int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;

    public static InferenceApiException BadRequest(string message, Exception? inner = null) => new("BadRequest", 400, message, inner);
    public static InferenceApiException BadInput(string message, Exception? inner = null) => new("InvalidInput", 400, message, inner);
    public static InferenceApiException UnknownModel(string reference) => new("UnknownModel", 404, $"No model '{reference}' is registered on the ledger.");
    public static InferenceApiException NotFound(string message) => new("NotFound", 404, message);
    public static InferenceApiException TooLarge(string message) => new("RequestTooLarge", 413, message);
    public static InferenceApiException Unauthorized(string message) => new("BadSignature", 401, message);
    public static InferenceApiException Payment(string message) => new("InsufficientBalance", 402, message);
    public static InferenceApiException Unavailable(string message, Exception? inner = null) => new("Unavailable", 503, message, inner);
}
