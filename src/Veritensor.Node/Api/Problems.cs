using Microsoft.AspNetCore.Http;
using Veritensor.Ledger;

namespace Veritensor.Node.Api;

/// <summary>RFC 7807 problem details carrying the ledger's stable error code in the "code" member.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:veritensor:error:";

    public static IResult From(ErrorCode code, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusFor(code), title: code.ToString(), type: TypePrefix + code,
            extensions: new Dictionary<string, object?> { ["code"] = code.ToString() });

    public static IResult From(LedgerException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return From(exception.Code, exception.Message);
    }

    public static int StatusFor(ErrorCode code) => code switch
    {
        ErrorCode.MalformedEncoding or ErrorCode.UnknownTransactionType or ErrorCode.BadRequest => StatusCodes.Status400BadRequest,
        ErrorCode.TransactionTooLarge or ErrorCode.RequestTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCode.NotFound or ErrorCode.SubnetNotFound or ErrorCode.ModelNotFound or ErrorCode.DisputeNotFound => StatusCodes.Status404NotFound,
        ErrorCode.DuplicateTransaction => StatusCodes.Status409Conflict,
        ErrorCode.MempoolFull or ErrorCode.TooManyPending => StatusCodes.Status429TooManyRequests,
        ErrorCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status422UnprocessableEntity,
    };
}
