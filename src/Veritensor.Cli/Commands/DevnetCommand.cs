using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Inference.Blobs;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor devnet</c>: a local network in one command, on embedded defaults. Ctrl+C stops it; running it again resumes.</summary>
internal static class DevnetCommand
{
    public const string DefaultDataDir = ".veritensor-devnet";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "devnet",
            "Start a local network: development wallets, a genesis, and a validator node producing blocks."
        );
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where the devnet keeps its files.",
            DefaultValueFactory = _ => DefaultDataDir,
        };
        var port = new Option<int>("--port")
        {
            Description = "API port of the validator node.",
            DefaultValueFactory = _ => 9650,
        };
        var blockTime = new Option<int>("--block-time")
        {
            Description = "Milliseconds between blocks.",
            DefaultValueFactory = _ => 1000,
        };
        var reset = new Option<bool>("--reset")
        {
            Description = "Delete the devnet's data first and start a fresh chain.",
        };
        command.Options.Add(dataDir);
        command.Options.Add(port);
        command.Options.Add(blockTime);
        command.Options.Add(reset);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var directory = pr.GetValue(dataDir)!;
                if (pr.GetValue(port) is < 0 or > 65535)
                    throw new CliException("--port must be between 0 and 65535.");
                if (pr.GetValue(reset))
                    DevnetSetup.Reset(directory);
                var layout = DevnetSetup.Prepare(directory, pr.GetValue(port), WalletAccess.KdfOverrideForTests);
                var node = layout.Nodes[0];
                var overrides = new Dictionary<string, string?>
                {
                    ["Node:DataDir"] = layout.NodeDataDir(node),
                    ["Node:Genesis"] = layout.GenesisPath,
                    ["Node:Listen"] = node.Url,
                    ["Node:WalletPath"] = layout.WalletPath,
                    ["Node:Wallet"] = node.Wallet,
                    ["Node:BlockProduction"] = nameof(BlockProductionMode.Interval),
                    ["Node:BlockIntervalMs"] = pr.GetValue(blockTime).ToString(CultureInfo.InvariantCulture),
                    // Batches of inference records make transactions of up to 64 KiB.
                    ["Node:MaxRequestBodyBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture),
                };
                await NodeCommands.RunNodeAsync(
                    ctx,
                    new SettingsSources(null, overrides),
                    ct,
                    async (url, services, token) =>
                    {
                        var inference = await DevnetInference
                            .StartAsync(layout, url, services.GetRequiredService<BlobStore>(), token)
                            .ConfigureAwait(false);
                        PrintBanner(ctx, layout, url, inference);
                        return inference;
                    }
                );
                return Environment.ExitCode;
            }
        );
        return command;
    }

    private static void PrintBanner(CliContext ctx, DevnetLayout layout, string url, DevnetInference inference)
    {
        var gateway = inference.Urls["gateway"];
        var gatewayFlag = gateway == CommonOptions.DefaultGatewayUrl ? "" : " --gateway " + gateway;
        var inferExample =
            $"veritensor infer --wallet alice --model {DevnetInference.DemoModelName}@{DevnetInference.DemoModelVersion} --input-json '"
            + DevnetInference.DemoInputJson
            + $"' --mode full --output-dir out{(url == CommonOptions.DefaultNodeUrl ? "" : " --node " + url)}{gatewayFlag}";
        if (ctx.Json)
        {
            ctx.WriteJson(
                new
                {
                    api = url,
                    gateway,
                    nodes = inference.Urls,
                    demoModel = new
                    {
                        name = $"{DevnetInference.DemoModelName}@{DevnetInference.DemoModelVersion}",
                        contentId = inference.DemoModelId.ToString(),
                    },
                    chainId = layout.ChainId,
                    dataDir = layout.DataDir,
                    walletPath = layout.WalletPath,
                    password = DevnetLayout.Password,
                    minTempo = DevnetSetup.MinTempo,
                    accounts = layout.Accounts.Select(a => new
                    {
                        wallet = a.Wallet,
                        coldkey = a.Coldkey.ToString(),
                        hotkey = a.Hotkey.ToString(),
                        balance = a.Balance,
                    }),
                }
            );
            return;
        }
        var bob = layout.Accounts.First(a => a.Wallet == "bob");
        var nodeFlag = url == CommonOptions.DefaultNodeUrl ? "" : $" --node {url}";
        ctx.Output.WriteLine(
            $"""

            Veritensor devnet '{layout.ChainId}' is running.
              API:       {url}
              gateway:   {gateway}
              inference: {string.Join(
                ", ",
                layout.Nodes.Where(n => n.Role == ServerRole.Inference).Select(n => inference.Urls[n.Name])
            )}
              verifiers: {string.Join(
                ", ",
                layout.Nodes.Where(n => n.Role == ServerRole.Verifier).Select(n => inference.Urls[n.Name])
            )}
              model:     {DevnetInference.DemoModelName}@{DevnetInference.DemoModelVersion} ({inference.DemoModelId})
              data:      {layout.DataDir}
              wallets:   {layout.WalletPath} (coldkey password '{DevnetLayout.Password}'; development keys, never hold value with them)
              subnets:   tempo may be set as low as {DevnetSetup.MinTempo} blocks (genesis subnets.minTempo; the default floor is 360)

            Funded accounts:
            {string.Join(
                Environment.NewLine,
                layout.Accounts.Select(a => $"  {a.Wallet,-10} {a.Coldkey}  {a.Balance} tokens")
            )}

            Try, in another terminal:
              export VERITENSOR_WALLET_PATH={layout.WalletPath} VERITENSOR_PASSWORD={DevnetLayout.Password}
              veritensor status{nodeFlag}
              veritensor balance --wallet alice{nodeFlag}
              veritensor transfer --wallet alice --to {bob.Coldkey} --amount 10 --wait{nodeFlag}
              veritensor stake add --wallet alice --hotkey-address {layout.Accounts.First(a =>
                a.Wallet == "validator"
            ).Hotkey} --amount 100 --wait{nodeFlag}
              veritensor block show latest{nodeFlag}
              veritensor subnet create --wallet alice --wait{nodeFlag}
              veritensor subnet set --netuid 1 --tempo {DevnetSetup.MinTempo} --wallet alice --wait{nodeFlag}
              {inferExample}
            (from a source checkout, `veritensor` is `dotnet run --project src/Veritensor.Cli --`)

            Ctrl+C stops the devnet; run the same command again to resume, or add --reset to start over.
            """
        );
    }
}
