using System.CommandLine;
using System.Globalization;
using Veritensor.Client;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Api;

namespace Veritensor.Cli.Commands;

/// <summary><c>subnet create|list|show|hyperparameters|set|register</c>: subnets and burned neuron registration.</summary>
internal static class SubnetCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var subnet = new Command(
            "subnet",
            "Create and inspect subnets, change their hyperparameters, register neurons."
        );
        subnet.Subcommands.Add(CreateSubnet(context));
        subnet.Subcommands.Add(List(context));
        subnet.Subcommands.Add(Show(context));
        subnet.Subcommands.Add(Hyperparameters(context));
        subnet.Subcommands.Add(Set(context));
        subnet.Subcommands.Add(Register(context));
        return subnet;
    }

    private static Command CreateSubnet(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "create",
            "Create a subnet owned by the coldkey of --wallet; locks the subnet lock cost (100 tokens unless the genesis sets subnets.lockCost) from its balance."
        );
        var sender = new TransactionSender();
        sender.AddTo(command, hotkey: false);
        command.SetAction((pr, ct) => sender.SendAsync(pr, context(pr), (_, _) => new CreateSubnetPayload(), ct));
        return command;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List the subnets.");
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                using var client = node.Client(pr);
                var result = await NodeAccess.CallAsync(() => client.GetSubnetsAsync(ct));
                context(pr)
                    .WriteTable(result.Subnets, ["netuid", "owner", "n", "max uids", "tempo", "burn", "locked"], s =>
                        [Text(s.Netuid), s.Owner, Text(s.N), Text(s.MaxAllowedUids), Text(s.Tempo), s.Burn, s.Locked]
                    );
                return 0;
            }
        );
        return command;
    }

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var command = new Command("show", "Show a subnet: owner, lock, current burn, uids in use, hyperparameters.");
        var netuid = NetuidOption.Create();
        command.Options.Add(netuid);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                using var client = node.Client(pr);
                var s = await NodeAccess.CallAsync(() => client.GetSubnetAsync(pr.GetValue(netuid), ct));
                var rows = new List<(string, string)>
                {
                    ("netuid", Text(s.Netuid)),
                    ("owner", s.Owner),
                    ("created at", s.CreatedAt),
                    ("locked", s.Locked),
                    ("burn", s.Burn),
                    ("n", Text(s.N)),
                    ("pending emission", s.PendingEmission),
                    ("last epoch block", s.LastEpochBlock),
                };
                rows.AddRange(HyperparameterRows(s.Hyperparameters));
                context(pr).WriteRecord(s, rows);
                return 0;
            }
        );
        return command;
    }

    private static Command Hyperparameters(Func<ParseResult, CliContext> context)
    {
        var command = new Command("hyperparameters", "Show a subnet's hyperparameters.");
        var netuid = NetuidOption.Create();
        command.Options.Add(netuid);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                using var client = node.Client(pr);
                var s = await NodeAccess.CallAsync(() => client.GetSubnetAsync(pr.GetValue(netuid), ct));
                context(pr).WriteRecord(s.Hyperparameters, HyperparameterRows(s.Hyperparameters));
                return 0;
            }
        );
        return command;
    }

    private static Command Set(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "set",
            "Change hyperparameters of a subnet owned by the coldkey of --wallet; values not given stay as they are."
        );
        var netuid = NetuidOption.Create();
        command.Options.Add(netuid);
        var options = HyperparameterOptions.Create();
        foreach (var option in options.All)
            command.Options.Add(option);
        var sender = new TransactionSender();
        sender.AddTo(command, hotkey: false);
        command.SetAction(
            async (pr, ct) =>
            {
                var id = pr.GetValue(netuid);
                HyperparametersView current;
                using (var client = sender.Node.Client(pr))
                    current = (await NodeAccess.CallAsync(() => client.GetSubnetAsync(id, ct))).Hyperparameters;
                var changed = options.Apply(pr, current);
                Ledger.Subnets.SubnetHyperparameters hyperparameters;
                try
                {
                    hyperparameters = SubnetViews.Hyperparameters(changed);
                }
                catch (OverflowException)
                {
                    throw new CliException(
                        "a hyperparameter value is too large for its type (most are at most 65535)."
                    );
                }
                return await sender.SendAsync(
                    pr,
                    context(pr),
                    (_, _) => new SetSubnetHyperparametersPayload(id, hyperparameters),
                    ct
                );
            }
        );
        return command;
    }

    private static Command Register(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "register",
            "Register --hotkey of --wallet on a subnet, paying the subnet's current burn from the coldkey (signed by both)."
        );
        var netuid = NetuidOption.Create();
        command.Options.Add(netuid);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                using var hotkey = sender.Wallet.LoadHotkey(pr);
                return await sender.SendAsync(
                    pr,
                    context(pr),
                    (chainId, coldkey) =>
                        RegisterNeuronPayload.Create(chainId, coldkey.Address, hotkey, pr.GetValue(netuid)),
                    ct
                );
            }
        );
        return command;
    }

    internal static IEnumerable<(string, string)> HyperparameterRows(HyperparametersView h) =>
        [
            ("tempo", Text(h.Tempo)),
            ("max allowed uids", Text(h.MaxAllowedUids)),
            ("max allowed validators", Text(h.MaxAllowedValidators)),
            ("immunity period", Text(h.ImmunityPeriod)),
            (
                "activity cutoff",
                $"{Text(h.ActivityCutoff)} blocks (factor {Text(h.ActivityCutoffFactorMilli)}‰ of tempo)"
            ),
            ("kappa", Text(h.Kappa)),
            ("bonds moving average", Text(h.BondsMovingAverage)),
            ("bonds penalty", Text(h.BondsPenalty)),
            ("weights rate limit", Text(h.WeightsRateLimit)),
            ("min allowed weights", Text(h.MinAllowedWeights)),
            ("max weight limit", Text(h.MaxWeightLimit)),
            ("weights version key", Text(h.WeightsVersionKey)),
            ("commit-reveal", h.CommitRevealEnabled ? "on" : "off"),
            ("reveal period (epochs)", Text(h.RevealPeriodEpochs)),
            ("yuma3", h.Yuma3Enabled ? "on" : "off"),
            ("liquid alpha", h.LiquidAlphaEnabled ? "on" : "off"),
            ("alpha low/high", $"{Text(h.AlphaLow)}/{Text(h.AlphaHigh)}"),
        ];

    private static string Text<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
