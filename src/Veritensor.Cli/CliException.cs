namespace Veritensor.Cli;

/// <summary>An error the user can act on: printed as one clear line (or a JSON error object), exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, string? code = null)
        : base(message) => Code = code;

    public CliException(string message, Exception inner)
        : base(message, inner) { }

    public CliException() { }

    /// <summary>The stable error code from the node (e.g. <c>InsufficientBalance</c>), when there is one.</summary>
    public string? Code { get; }
}
