namespace Veritensor.Wallet;

/// <summary>
/// Where coldkey passwords come from: the environment variable <c>VERITENSOR_PASSWORD</c> (for scripts) first,
/// else an interactive prompt supplied by the front end (the CLI passes a no-echo terminal prompt, or null when
/// there is no terminal). With neither, <see cref="WalletErrorKind.NoPassword"/> is thrown.
/// </summary>
public sealed class PasswordSource
{
    public const string EnvironmentVariable = "VERITENSOR_PASSWORD";
    private readonly Func<string, string>? _prompt;
    private readonly Func<string, string?> _environment;

    /// <param name="prompt">Asks the user a question and returns the typed text without echoing it; null when no terminal is available.</param>
    /// <param name="environment">Reads an environment variable; the process environment unless given (tests pass their own).</param>
    public PasswordSource(Func<string, string>? prompt, Func<string, string?>? environment = null)
    {
        _prompt = prompt;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>The password that unlocks the coldkey of <paramref name="walletName"/>.</summary>
    public string ForUnlock(string walletName) =>
        FromEnvironment() ?? Prompt()($"Password for coldkey of wallet '{walletName}'");

    /// <summary>
    /// A password for a new or restored coldkey: from the environment, or prompted twice and compared.
    /// Throws <see cref="WalletErrorKind.InvalidInput"/> when the two entries differ or the password is empty.
    /// </summary>
    public string ForNewColdkey(string walletName)
    {
        var fromEnvironment = FromEnvironment();
        if (fromEnvironment is not null)
            return fromEnvironment;
        var prompt = Prompt();
        var first = prompt($"New password for coldkey of wallet '{walletName}'");
        if (first.Length == 0)
            throw new WalletException(WalletErrorKind.InvalidInput, "the coldkey password must not be empty");
        var second = prompt("Repeat the password");
        if (!string.Equals(first, second, StringComparison.Ordinal))
            throw new WalletException(WalletErrorKind.InvalidInput, "the two passwords do not match");
        return first;
    }

    private string? FromEnvironment()
    {
        var value = _environment(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private Func<string, string> Prompt() =>
        _prompt
        ?? throw new WalletException(
            WalletErrorKind.NoPassword,
            $"no password: set {EnvironmentVariable} or run in a terminal"
        );
}
