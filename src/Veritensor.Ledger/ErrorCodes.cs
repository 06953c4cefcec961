namespace Veritensor.Ledger;

/// <summary>
/// The HTTP status of each <see cref="ErrorCode"/>, in one place for the ledger node and every role server, so a code
/// answers with the same status wherever it comes from. docs/errors.md is this table in prose.
/// </summary>
public static class ErrorCodes
{
    public static int HttpStatus(ErrorCode code) =>
        code switch
        {
            ErrorCode.MalformedEncoding
            or ErrorCode.UnknownTransactionType
            or ErrorCode.BadRequest
            or ErrorCode.InvalidInput => 400,
            ErrorCode.Unauthorized => 401,
            ErrorCode.InsufficientBalance => 402,
            ErrorCode.NotRequestGateway => 403,
            ErrorCode.NotFound or ErrorCode.SubnetNotFound or ErrorCode.ModelNotFound or ErrorCode.DisputeNotFound =>
                404,
            ErrorCode.DuplicateTransaction or ErrorCode.DuplicateRequest => 409,
            ErrorCode.TransactionTooLarge or ErrorCode.RequestTooLarge => 413,
            ErrorCode.MempoolFull or ErrorCode.TooManyPending => 429,
            ErrorCode.InternalError or ErrorCode.StorageError or ErrorCode.InvalidGenesis => 500,
            ErrorCode.Unavailable => 503,
            _ => 422,
        };
}
