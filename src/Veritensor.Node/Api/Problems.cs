using Microsoft.AspNetCore.Http;
using Veritensor.Ledger;

namespace Veritensor.Node.Api;

/// <summary>RFC 7807 problem details carrying the ledger's stable error code in the "code" member.</summary>
internal static class Problems
{
    public const string TypePrefix = "urn:veritensor:error:";

    public static IResult From(ErrorCode code, string detail) =>
        Results.Problem(
            detail: detail,
            statusCode: StatusFor(code),
            title: code.ToString(),
            type: TypePrefix + code,
            extensions: new Dictionary<string, object?> { ["code"] = code.ToString() }
        );

    public static IResult From(LedgerException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return From(exception.Code, exception.Message);
    }

    public static int StatusFor(ErrorCode code) => ErrorCodes.HttpStatus(code);
}
