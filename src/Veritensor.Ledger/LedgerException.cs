namespace Veritensor.Ledger;

/// <summary>A rejection with a stable <see cref="ErrorCode"/> and a message that says what was wrong.</summary>
public sealed class LedgerException : Exception
{
    public LedgerException(ErrorCode code, string message)
        : base(message) => Code = code;

    public LedgerException()
        : this(ErrorCode.BadRequest, "Bad request.") { }

    public LedgerException(string message)
        : this(ErrorCode.BadRequest, message) { }

    public LedgerException(string message, Exception inner)
        : base(message, inner) => Code = ErrorCode.BadRequest;

    public ErrorCode Code { get; }
}
