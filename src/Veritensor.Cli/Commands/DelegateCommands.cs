using System.CommandLine;
using System.Globalization;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Commands;

/// <summary><c>delegate take</c>: set the share of a hotkey's validator emission its owning coldkey keeps from nominators.</summary>
internal static class DelegateCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "delegate",
            "Delegation: what a hotkey's owner keeps of the validator emission shared with its nominators."
        );
        command.Subcommands.Add(Take(context));
        return command;
    }

    private static Command Take(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "take",
            "Set the delegate take of a hotkey owned by the coldkey of --wallet (0 to 18 %)."
        );
        var percent = new Option<string>("--take-percent")
        {
            Description = "The take as a percentage, e.g. 18 or 9.5; stored as floor(P × 65535 / 100).",
            Required = true,
        };
        var hotkeyAddress = new Option<string?>("--hotkey-address")
        {
            Description = "The hotkey's address (default: --hotkey of --wallet).",
        };
        command.Options.Add(percent);
        command.Options.Add(hotkeyAddress);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var take = TakePercent.Parse(pr.GetValue(percent)!, "--take-percent");
                Address hotkey;
                if (pr.GetValue(hotkeyAddress) is { } text)
                    hotkey = NodeAccess.ParseAddress(text, "--hotkey-address");
                else
                {
                    using var key = sender.Wallet.LoadHotkey(pr);
                    hotkey = key.Address;
                }
                var ctx = context(pr);
                if (!ctx.Json)
                    ctx.Error.WriteLine($"take {take.ToString(CultureInfo.InvariantCulture)}/65535 on {hotkey}");
                return await sender.SendAsync(pr, ctx, (_, _) => new SetDelegateTakePayload(hotkey, take), ct);
            }
        );
        return command;
    }
}
