using System.CommandLine;
using System.Globalization;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>weights set|commit|reveal|show</c>: a registered hotkey's weights on a subnet. The hotkey signs and pays the fee.
/// For commit-reveal the caller chooses the salt (32 bytes as hex) and gives the same uids, values, salt and
/// version key to <c>reveal</c>; keep it secret until then.
/// </summary>
internal static class WeightsCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var weights = new Command("weights", "Set, commit, reveal and show a hotkey's weights on a subnet.");
        weights.Subcommands.Add(Set(context));
        weights.Subcommands.Add(Commit(context));
        weights.Subcommands.Add(Reveal(context));
        weights.Subcommands.Add(Show(context));
        return weights;
    }

    private sealed class RowOptions
    {
        public Option<ushort> Netuid { get; } = NetuidOption.Create();
        public Option<string> Uids { get; } =
            new("--uids") { Description = "Comma-separated target uids, e.g. 0,3,4.", Required = true };
        public Option<string> Values { get; } =
            new("--values") { Description = "Comma-separated u16 weights, one per uid.", Required = true };
        public Option<ulong> VersionKey { get; } =
            new("--version-key") { Description = "Weights version key (at least the subnet's)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Netuid);
            command.Options.Add(Uids);
            command.Options.Add(Values);
            command.Options.Add(VersionKey);
        }

        public (ushort Netuid, ushort[] Uids, ushort[] Values, ulong VersionKey) Read(ParseResult pr) =>
            (
                pr.GetValue(Netuid),
                ParseList(pr.GetValue(Uids)!, "--uids"),
                ParseList(pr.GetValue(Values)!, "--values"),
                pr.GetValue(VersionKey)
            );
    }

    private static Option<string> SaltOption() =>
        new("--salt")
        {
            Description = $"{WeightsCommitment.SaltSize} random bytes as hex: the same for commit and reveal.",
            Required = true,
        };

    private static Command Set(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "set",
            "Set the weights of --hotkey of --wallet directly (subnets with commit-reveal off)."
        );
        var row = new RowOptions();
        row.AddTo(command);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            (pr, ct) =>
            {
                var (netuid, uids, values, versionKey) = row.Read(pr);
                return sender.SendAsHotkeyAsync(
                    pr,
                    context(pr),
                    (_, _) => new SetWeightsPayload(netuid, uids, values, versionKey),
                    ct
                );
            }
        );
        return command;
    }

    private static Command Commit(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "commit",
            "Commit to weights without showing them (subnets with commit-reveal on); reveal them one reveal period later."
        );
        var row = new RowOptions();
        row.AddTo(command);
        var salt = SaltOption();
        command.Options.Add(salt);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            (pr, ct) =>
            {
                var (netuid, uids, values, versionKey) = row.Read(pr);
                var bytes = ParseSalt(pr.GetValue(salt)!);
                return sender.SendAsHotkeyAsync(
                    pr,
                    context(pr),
                    (_, hotkey) =>
                        new CommitWeightsPayload(
                            netuid,
                            WeightsCommitment.Compute(hotkey.Address, netuid, uids, values, bytes, versionKey)
                        ),
                    ct
                );
            }
        );
        return command;
    }

    private static Command Reveal(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "reveal",
            "Reveal committed weights: the same uids, values, salt and version key as the commit."
        );
        var row = new RowOptions();
        row.AddTo(command);
        var salt = SaltOption();
        command.Options.Add(salt);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            (pr, ct) =>
            {
                var (netuid, uids, values, versionKey) = row.Read(pr);
                var bytes = ParseSalt(pr.GetValue(salt)!);
                return sender.SendAsHotkeyAsync(
                    pr,
                    context(pr),
                    (_, _) => new RevealWeightsPayload(netuid, uids, values, bytes, versionKey),
                    ct
                );
            }
        );
        return command;
    }

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "show",
            "Show the stored (max-upscaled) weights of a subnet, one row per (uid, target)."
        );
        var netuid = NetuidOption.Create();
        var uid = new Option<int?>("--uid") { Description = "Only this uid's row." };
        command.Options.Add(netuid);
        command.Options.Add(uid);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                using var client = node.Client(pr);
                var metagraph = await NodeAccess.CallAsync(() =>
                    client.GetMetagraphAsync(pr.GetValue(netuid), weights: true, ct)
                );
                var only = pr.GetValue(uid);
                var rows = metagraph
                    .Neurons.Where(n => only is null || n.Uid == only)
                    .SelectMany(n => (n.Weights ?? []).Select(w => new WeightRow(n.Uid, w.Uid, w.Value)))
                    .ToList();
                context(pr)
                    .WriteTable(rows, ["uid", "target", "weight"], r => [Text(r.Uid), Text(r.Target), Text(r.Weight)]);
                return 0;
            }
        );
        return command;
    }

    /// <summary>One stored weight, as <c>weights show</c> lists it.</summary>
    public sealed record WeightRow(int Uid, int Target, int Weight);

    private static ushort[] ParseList(string text, string option)
    {
        if (text.Trim().Length == 0)
            return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new ushort[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!ushort.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                throw new CliException($"{option}: '{parts[i]}' is not a number from 0 to 65535.");
        return values;
    }

    private static byte[] ParseSalt(string hex)
    {
        try
        {
            var bytes = Convert.FromHexString(hex);
            if (bytes.Length == WeightsCommitment.SaltSize)
                return bytes;
        }
        catch (FormatException) { }
        throw new CliException(
            $"--salt must be {WeightsCommitment.SaltSize} bytes as {2 * WeightsCommitment.SaltSize} hex characters."
        );
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
