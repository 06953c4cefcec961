using Veritensor.Ledger;

namespace Veritensor.Client;

/// <summary>
/// A request a server refuses or cannot serve, with its stable <see cref="Code"/> from the one table of codes
/// (<see cref="ErrorCode"/>); the HTTP status comes from that table too (<see cref="ErrorCodes.HttpStatus"/>), so a code
/// means the same status everywhere. Servers answer it as a problem; client-side decoding of wire data throws it too.
/// </summary>
public sealed class ApiException(ErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorCode Code { get; } = code;
    public int StatusCode => ErrorCodes.HttpStatus(Code);

    public static ApiException BadRequest(string message, Exception? inner = null) =>
        new(ErrorCode.BadRequest, message, inner);

    public static ApiException BadInput(string message, Exception? inner = null) =>
        new(ErrorCode.InvalidInput, message, inner);

    public static ApiException UnknownModel(string reference) =>
        new(ErrorCode.ModelNotFound, $"No model '{reference}' is registered on the ledger.");

    public static ApiException NotFound(string message) => new(ErrorCode.NotFound, message);

    public static ApiException TooLarge(string message) => new(ErrorCode.RequestTooLarge, message);

    public static ApiException Unauthorized(string message) => new(ErrorCode.Unauthorized, message);

    public static ApiException Payment(string message) => new(ErrorCode.InsufficientBalance, message);

    public static ApiException Unavailable(string message, Exception? inner = null) =>
        new(ErrorCode.Unavailable, message, inner);
}
