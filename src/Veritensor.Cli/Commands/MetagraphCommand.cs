using System.CommandLine;
using System.Globalization;

namespace Veritensor.Cli.Commands;

/// <summary><c>metagraph --netuid N</c>: one row per uid, as a table or (--json) the API's metagraph.</summary>
internal static class MetagraphCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "metagraph",
            "Show a subnet's neurons: keys, stake, consensus, incentive, dividends, emission, trust, permit, activity."
        );
        var netuid = NetuidOption.Create();
        var weights = new Option<bool>("--weights")
        {
            Description = "Include each uid's weight row (in --json output).",
        };
        command.Options.Add(netuid);
        command.Options.Add(weights);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                var metagraph = await NodeAccess.CallAsync(() =>
                    client.GetMetagraphAsync(pr.GetValue(netuid), pr.GetValue(weights), ct)
                );
                if (ctx.Json)
                {
                    ctx.WriteJson(metagraph);
                    return 0;
                }
                ctx.WriteLine($"subnet {metagraph.Netuid} at block {metagraph.Block}: {metagraph.N} neurons");
                ctx.WriteTable(
                    metagraph.Neurons,
                    [
                        "uid",
                        "hotkey",
                        "coldkey",
                        "stake",
                        "C",
                        "I",
                        "D",
                        "E",
                        "VT",
                        "permit",
                        "active",
                        "updated",
                        "registered",
                    ],
                    n =>
                        [
                            Text(n.Uid),
                            n.Hotkey,
                            n.Coldkey,
                            n.Stake,
                            Text(n.Consensus),
                            Text(n.Incentive),
                            Text(n.Dividends),
                            n.Emission,
                            Text(n.ValidatorTrust),
                            n.ValidatorPermit ? "yes" : "no",
                            n.Active ? "yes" : "no",
                            n.LastUpdate,
                            n.RegisteredAt,
                        ]
                );
                return 0;
            }
        );
        return command;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
