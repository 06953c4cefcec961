using System.CommandLine;
using System.Globalization;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Commands;

/// <summary><c>status</c>, <c>balance</c>, <c>transfer</c>, <c>tx show</c>, <c>block show</c>: reading and moving funds through a node.</summary>
internal static class ChainCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> context)
    {
        yield return Status(context);
        yield return Balance(context);
        yield return Transfer(context);
        yield return Tx(context);
        yield return BlockCommand(context);
    }

    private static Command Status(Func<ParseResult, CliContext> context)
    {
        var command = new Command("status", "Show the node's chain, height, state root and roles.");
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                var status = await NodeAccess.CallAsync(() => client.GetStatusAsync(ct));
                ctx.WriteRecord(
                    status,
                    [
                        ("node", client.BaseAddress.ToString()),
                        ("chain", status.ChainId),
                        ("height", status.Height),
                        ("head", status.HeadHash),
                        ("state root", status.StateRoot),
                        ("genesis", status.GenesisHash),
                        ("roles", status.Roles.Count == 0 ? "-" : string.Join(",", status.Roles)),
                        ("validator", status.Validator ?? "-"),
                        ("mempool", status.MempoolSize.ToString(CultureInfo.InvariantCulture)),
                        ("min fee", status.MinFee),
                        ("byte burns", $"{status.ByteFee} (transaction), {status.StateByteFee} (state added)"),
                        (
                            "blocks",
                            status.BlockProduction == "interval"
                                ? $"every {status.BlockIntervalMs} ms"
                                : status.BlockProduction
                        ),
                        ("version", status.Version),
                    ]
                );
                return 0;
            }
        );
        return command;
    }

    private static Command Balance(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "balance",
            "Show an account's free balance, nonce and stakes (an address, or the coldkey of --wallet)."
        );
        var query = new AccountQuery("Account address (default: the coldkey of --wallet).");
        query.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var result = await query.FetchAsync(pr, ct);
                var rows = new List<(string, string)>
                {
                    ("address", result.Address),
                    ("free balance", result.Balance),
                    ("staked", result.TotalStake),
                    ("nonce", result.Nonce),
                };
                foreach (var stake in result.Stakes)
                    rows.Add(($"stake on {stake.Hotkey}", stake.Amount));
                if (result.Node is { } registered)
                {
                    rows.Add(("node roles", string.Join(",", registered.Roles)));
                    rows.Add(("node endpoint", registered.Endpoint));
                    rows.Add(("node owner", registered.Owner));
                    rows.Add(("stake on node", registered.TotalStake));
                }
                if (result.DelegateTake is { } take)
                    rows.Add(("delegate take", $"{take}/65535"));
                ctx.WriteRecord(result, rows);
                return 0;
            }
        );
        return command;
    }

    private static Command Transfer(Func<ParseResult, CliContext> context)
    {
        var command = new Command("transfer", "Send tokens from the coldkey of --wallet to an address.");
        var to = new Option<string>("--to") { Description = "Recipient address.", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in tokens, e.g. 12.5.", Required = true };
        command.Options.Add(to);
        command.Options.Add(amount);
        var sender = new TransactionSender();
        sender.AddTo(command, hotkey: false);
        command.SetAction(
            async (pr, ct) =>
            {
                var payload = new TransferPayload(
                    NodeAccess.ParseAddress(pr.GetValue(to)!, "--to"),
                    NodeAccess.ParseAmount(pr.GetValue(amount)!, "--amount")
                );
                return await sender.SendAsync(pr, context(pr), (_, _) => payload, ct);
            }
        );
        return command;
    }

    private static Command Tx(Func<ParseResult, CliContext> context)
    {
        var tx = new Command("tx", "Inspect transactions.");
        var show = new Command("show", "Show a transaction's status and receipt.");
        var id = new Argument<string>("id") { Description = "Transaction id (64 hex characters)." };
        var wait = new Option<bool>("--wait") { Description = "Wait (up to 30 s) until it is in a block or dropped." };
        show.Arguments.Add(id);
        show.Options.Add(wait);
        var node = new NodeAccess();
        node.AddTo(show);
        show.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                if (!Hash256.TryParse(pr.GetValue(id), out var hash))
                    throw new CliException($"'{pr.GetValue(id)}' is not a transaction id (64 hex characters).");
                using var client = node.Client(pr);
                var status = await NodeAccess.CallAsync(() =>
                    client.GetTransactionAsync(hash, pr.GetValue(wait) ? TimeSpan.FromSeconds(30) : null, ct)
                );
                TransactionOutput.Write(ctx, status);
                return 0;
            }
        );
        tx.Subcommands.Add(show);
        return tx;
    }

    private static Command BlockCommand(Func<ParseResult, CliContext> context)
    {
        var block = new Command("block", "Inspect blocks.");
        var show = new Command("show", "Show a block's header and transactions.");
        var id = new Argument<string>("id")
        {
            Description = "Height, hash, or 'latest'.",
            DefaultValueFactory = _ => "latest",
        };
        show.Arguments.Add(id);
        var node = new NodeAccess();
        node.AddTo(show);
        show.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                var result = await NodeAccess.CallAsync(() => client.GetBlockAsync(pr.GetValue(id)!, ct));
                if (ctx.Json)
                {
                    ctx.WriteJson(result);
                    return 0;
                }
                ctx.WriteRecord(
                    result,
                    [
                        ("height", result.Height),
                        ("hash", result.Hash),
                        ("parent", result.ParentHash),
                        (
                            "time",
                            DateTimeOffset
                                .FromUnixTimeMilliseconds(result.Timestamp)
                                .ToString("u", CultureInfo.InvariantCulture)
                        ),
                        ("proposer", result.Proposer),
                        ("state root", result.StateRoot),
                        ("transaction root", result.TransactionRoot),
                        ("transactions", result.TransactionCount.ToString(CultureInfo.InvariantCulture)),
                    ]
                );
                if (result.Transactions.Count > 0)
                    ctx.WriteTable(result.Transactions, ["id", "kind", "sender", "nonce", "amount"], t =>
                        [t.Id, t.Kind, t.Sender, t.Nonce, t.Amount ?? "-"]
                    );
                return 0;
            }
        );
        block.Subcommands.Add(show);
        return block;
    }
}
