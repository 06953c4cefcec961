using System.CommandLine;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Commands;

/// <summary><c>stake add|remove|list</c>: lock tokens of the coldkey of --wallet on a hotkey, free them, or list them.</summary>
internal static class StakeCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var stake = new Command("stake", "Stake tokens from a coldkey to a hotkey, or unstake them.");
        stake.Subcommands.Add(
            Change(
                context,
                "add",
                "Stake tokens of the coldkey on a registered node or neuron hotkey.",
                TransactionKind.AddStake
            )
        );
        stake.Subcommands.Add(
            Change(
                context,
                "remove",
                "Unstake tokens from a hotkey back to the coldkey's free balance.",
                TransactionKind.RemoveStake
            )
        );
        stake.Subcommands.Add(List(context));
        return stake;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "list",
            "List a coldkey's stakes per hotkey (an address, or the coldkey of --wallet)."
        );
        var query = new AccountQuery("Coldkey address (default: the coldkey of --wallet).");
        query.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var result = await query.FetchAsync(pr, ct);
                ctx.WriteTable(result.Stakes, ["hotkey", "stake"], s => [s.Hotkey, s.Amount]);
                return 0;
            }
        );
        return command;
    }

    private static Command Change(
        Func<ParseResult, CliContext> context,
        string name,
        string description,
        TransactionKind kind
    )
    {
        var command = new Command(name, description);
        var amount = new Option<string>("--amount") { Description = "Amount in tokens.", Required = true };
        var hotkeyAddress = new Option<string?>("--hotkey-address")
        {
            Description = "The hotkey's address (default: --hotkey of --wallet).",
        };
        command.Options.Add(amount);
        command.Options.Add(hotkeyAddress);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var value = NodeAccess.ParseAmount(pr.GetValue(amount)!, "--amount");
                Address hotkey;
                if (pr.GetValue(hotkeyAddress) is { } text)
                    hotkey = NodeAccess.ParseAddress(text, "--hotkey-address");
                else
                {
                    using var key = sender.Wallet.LoadHotkey(pr);
                    hotkey = key.Address;
                }
                return await sender.SendAsync(pr, context(pr), (_, _) => new StakePayload(kind, hotkey, value), ct);
            }
        );
        return command;
    }
}
