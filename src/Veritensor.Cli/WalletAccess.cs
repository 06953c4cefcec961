using System.CommandLine;
using Spectre.Console;
using Veritensor.Core.Crypto;
using Veritensor.Wallet;

namespace Veritensor.Cli;

/// <summary>
/// The wallet options (--wallet/-w, --hotkey, --wallet-path) and key loading for commands that sign. Usage:
/// <code>
/// var wallet = new WalletAccess();
/// wallet.AddTo(command);
/// command.SetAction(pr =>
/// {
///     var ctx = context(pr);
///     using var coldkey = wallet.LoadColdkey(pr, ctx); // password from VERITENSOR_PASSWORD or a no-echo prompt
///     var signature = coldkey.Sign(transactionBytes);
///     ...
/// });
/// </code>
/// Every method reports problems as <see cref="CliException"/> (a wrong password, a missing wallet, a keystore
/// with loose permissions, ...), which CliApp prints as one <c>error: ...</c> line with exit code 1.
/// </summary>
internal sealed class WalletAccess
{
    public Option<string> Wallet { get; } = CommonOptions.WalletName();
    public Option<string> Hotkey { get; } = CommonOptions.Hotkey();
    public Option<string> WalletPath { get; } = CommonOptions.WalletPath();

    /// <summary>
    /// Test-only: Argon2id cost for keystores written by CLI commands, so CLI tests need not spend 64 MiB and three
    /// passes per key. Null (the default) means <see cref="KdfParameters.Default"/>; production code never sets it.
    /// </summary>
    internal static KdfParameters? KdfOverrideForTests { get; set; }

    /// <summary>Adds --wallet and --wallet-path, and --hotkey unless <paramref name="hotkey"/> is false, to <paramref name="command"/>.</summary>
    public void AddTo(Command command, bool hotkey = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Wallet);
        if (hotkey)
            command.Options.Add(Hotkey);
        command.Options.Add(WalletPath);
    }

    /// <summary>The wallet store under --wallet-path.</summary>
    public WalletStore Store(ParseResult parseResult) => Store(parseResult.GetValue(WalletPath)!);

    public static WalletStore Store(string walletPath) => Guard(() => new WalletStore(walletPath, KdfOverrideForTests));

    /// <summary>The name given with --wallet.</summary>
    public string WalletName(ParseResult parseResult) => parseResult.GetValue(Wallet)!;

    /// <summary>The name given with --hotkey.</summary>
    public string HotkeyName(ParseResult parseResult) => parseResult.GetValue(Hotkey)!;

    /// <summary>Decrypts the coldkey of --wallet; the password comes from <see cref="Passwords"/>. Dispose the key when done.</summary>
    public KeyPair LoadColdkey(ParseResult parseResult, CliContext context)
    {
        var store = Store(parseResult);
        var name = WalletName(parseResult);
        return Guard(() => store.LoadColdkey(name, () => Passwords(context).ForUnlock(name)));
    }

    /// <summary>Loads --hotkey of --wallet (hotkeys are not encrypted). Dispose the key when done.</summary>
    public KeyPair LoadHotkey(ParseResult parseResult)
    {
        var store = Store(parseResult);
        return Guard(() => store.LoadHotkey(WalletName(parseResult), HotkeyName(parseResult)));
    }

    /// <summary>The coldkey address of --wallet from coldkeypub.txt, without a password (for balances and queries).</summary>
    public Address ColdkeyAddress(ParseResult parseResult)
    {
        var store = Store(parseResult);
        return Guard(() => store.ColdkeyAddress(WalletName(parseResult)));
    }

    /// <summary>
    /// Passwords from VERITENSOR_PASSWORD, else a no-echo Spectre prompt on the terminal (stderr), offered only when
    /// the command writes to the real console and stdin is a terminal; otherwise "no password: ..." is reported.
    /// </summary>
    public static PasswordSource Passwords(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var interactive = ReferenceEquals(context.Output, System.Console.Out) && !System.Console.IsInputRedirected;
        return new PasswordSource(interactive ? PromptOnTerminal : null);
    }

    /// <summary>Runs <paramref name="action"/>, turning a <see cref="WalletException"/> into a <see cref="CliException"/> with the same message.</summary>
    public static T Guard<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (WalletException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static string PromptOnTerminal(string question)
    {
        var terminal = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(System.Console.Error),
                Interactive = InteractionSupport.Yes,
            }
        );
        return terminal.Prompt(new TextPrompt<string>(Markup.Escape(question) + ":").Secret(null));
    }
}
