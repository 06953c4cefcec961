using System.CommandLine;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor wallet ...</c>: coldkeys and hotkeys on disk.</summary>
public static class WalletCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var wallet = new Command("wallet", "Create, list and restore wallets (a coldkey and named hotkeys).");
        var list = new Command("list", "List wallets and their hotkeys.");
        var path = CommonOptions.WalletPath();
        list.Options.Add(path);
        list.SetAction(pr =>
        {
            var ctx = context(pr);
            ctx.WriteLine($"(no wallets under {pr.GetValue(path)})");
            return 0;
        });
        wallet.Subcommands.Add(list);
        return wallet;
    }
}
