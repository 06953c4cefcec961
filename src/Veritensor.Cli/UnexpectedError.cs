using Veritensor.Ledger;
using Veritensor.Ledger.Genesis;
using Veritensor.Wallet;

namespace Veritensor.Cli;

/// <summary>
/// What the CLI prints for an exception no command turned into a <see cref="CliException"/>: the stable code of the
/// layer that threw it where it has one, else <see cref="InternalError"/> with the exception's type, and its message.
/// </summary>
internal static class UnexpectedError
{
    public const string InternalError = nameof(InternalError);

    public static (string Code, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            LedgerException ledger => (ledger.Code.ToString(), ledger.Message),
            GenesisException genesis => (ErrorCode.InvalidGenesis.ToString(), genesis.Message),
            WalletException wallet => ("Wallet" + wallet.Kind, wallet.Message),
            IOException or UnauthorizedAccessException => (ErrorCode.StorageError.ToString(), exception.Message),
            _ => (InternalError, $"{exception.GetType().Name}: {exception.Message}"),
        };
    }
}
