namespace Veritensor.Wallet;

/// <summary>A wallet error the user can act on; the message is one clear sentence meant to be shown as is.</summary>
public sealed class WalletException : Exception
{
    public WalletException(WalletErrorKind kind, string message)
        : base(message) => Kind = kind;

    public WalletException(WalletErrorKind kind, string message, Exception inner)
        : base(message, inner) => Kind = kind;

    public WalletException() { }

    public WalletException(string message)
        : base(message) { }

    public WalletException(string message, Exception inner)
        : base(message, inner) { }

    public WalletErrorKind Kind { get; }
}
