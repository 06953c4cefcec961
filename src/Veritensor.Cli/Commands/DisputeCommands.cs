using System.CommandLine;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>dispute show|expire</c>: read a verified-inference dispute (outcome, escrow, parties) and expire one that no quorum
/// settled within the dispute window, which returns its escrow to the user (or the reporter) without slashing anyone.
/// </summary>
internal static class DisputeCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "dispute",
            "Verified-inference disputes: show one, or expire one no quorum settled within the dispute window."
        );
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Expire(context));
        return command;
    }

    private static Argument<string> IdArgument() =>
        new("ID")
        {
            Description = "The dispute id: the request id, or for a report the reported attestation's hash (hex).",
        };

    private static Hash256 ParseId(string text) =>
        Hash256.TryParse(text, out var id)
            ? id
            : throw new CliException($"ID '{text}' is not a 64-character hex hash.");

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "show",
            "Show a dispute: outcome, escrow, parties and the block from which it may be expired."
        );
        var id = IdArgument();
        command.Arguments.Add(id);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var disputeId = ParseId(pr.GetValue(id)!);
                var ctx = context(pr);
                using var client = node.Client(pr);
                var dispute = await NodeAccess.CallAsync(() => client.GetDisputeAsync(disputeId, ct));
                if (ctx.Json)
                {
                    ctx.WriteJson(dispute);
                    return 0;
                }
                var pending = dispute.Outcome == "pending";
                ctx.WriteRecord(
                    dispute,
                    [
                        ("dispute", dispute.Id),
                        ("request", dispute.RequestId),
                        ("outcome", dispute.Outcome),
                        ("escrow", dispute.Escrow),
                        ("user", dispute.User),
                        ("executor", dispute.Executor ?? "(none: a report)"),
                        ("reporter", dispute.Reporter ?? "(none)"),
                        ("matchers", dispute.Matchers.Count == 0 ? "(none)" : string.Join(", ", dispute.Matchers)),
                        (
                            "mismatchers",
                            dispute.Mismatchers.Count == 0 ? "(none)" : string.Join(", ", dispute.Mismatchers)
                        ),
                        ("opened at", $"block {dispute.OpenedAt}"),
                        pending
                            ? ("expirable from", $"block {dispute.ExpirableFrom}")
                            : ("closed at", $"block {dispute.ResolvedAt}"),
                    ]
                );
                return 0;
            }
        );
        return command;
    }

    private static Command Expire(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "expire",
            "Expire a dispute pending for more than the dispute window: nobody is slashed; a user's escrowed fee goes back, a report's bond goes to the treasury. Anyone may send it."
        );
        var id = IdArgument();
        command.Arguments.Add(id);
        var sender = new TransactionSender();
        sender.AddTo(command, hotkey: false);
        command.SetAction(
            async (pr, ct) =>
            {
                var disputeId = ParseId(pr.GetValue(id)!);
                return await sender.SendAsync(pr, context(pr), (_, _) => new ExpireDisputePayload(disputeId), ct);
            }
        );
        return command;
    }
}
