using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Veritensor.Client;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>veritensor node gateway|inference|verifier</c>: run one role server of the verified-inference network next
/// to a ledger node. Every role server signs with the wallet's hotkey; a gateway also pays for the records it sends
/// with the wallet's coldkey. With --register the server (re-)registers its role and endpoint on start.
/// </summary>
internal static class RoleServerCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> context)
    {
        yield return Create(
            context,
            ServerRole.Gateway,
            "gateway",
            "Run a gateway: takes users' inference requests, routes them, gathers attestations and records them on the ledger."
        );
        yield return Create(
            context,
            ServerRole.Inference,
            "inference",
            "Run an inference node: executes registered ONNX models and signs receipts."
        );
        yield return Create(
            context,
            ServerRole.Verifier,
            "verifier",
            "Run a verification node: re-executes requests, commits, attests, and judges disputes."
        );
    }

    private static Command Create(
        Func<ParseResult, CliContext> context,
        ServerRole role,
        string name,
        string description
    )
    {
        var command = new Command(name, description);
        var defaults = RoleOptions.ForRole(role);
        var settings = new SettingsFlags();
        settings.AddTo(command);
        settings.Map(
            command,
            new Option<string>("--listen")
            {
                Description =
                    $"Address to listen on (Role:Listen; default {defaults.Listen}; port 0 picks a free one).",
            },
            "Role:Listen"
        );
        settings.Map(
            command,
            new Option<string>("--data-dir")
            {
                Description = $"Where this server keeps model files (Role:DataDir; default {defaults.DataDir}).",
            },
            "Role:DataDir"
        );
        settings.Map(
            command,
            new Option<int>("--threads")
            {
                Description =
                    "ONNX Runtime intra-op threads (Role:IntraOpThreads; part of the execution profile; 1 is bit-reproducible).",
            },
            "Role:IntraOpThreads"
        );
        settings.Map(
            command,
            new Option<string>("--log-format") { Description = "Console log format: simple or json (Role:LogFormat)." },
            "Role:LogFormat"
        );
        settings.Map(
            command,
            new Option<string>("--node")
            {
                Description = $"The ledger node's API (Role:Ledger; default {defaults.Ledger}).",
            },
            "Role:Ledger"
        );
        if (role == ServerRole.Inference)
            settings.Map(
                command,
                new Option<bool>("--also-verify")
                {
                    Description =
                        "Serve the verifier endpoints too and register with both roles (Role:AlsoVerify; never drawn to verify its own requests).",
                },
                "Role:AlsoVerify",
                v => v ? "true" : "false"
            );
        if (role == ServerRole.Gateway)
        {
            settings.Map(
                command,
                new Option<double>("--audit-rate")
                {
                    Description =
                        "Probability (0..1) that each drawn verifier of a request is audited: shown a planted wrong output before the real one (Role:AuditRate).",
                },
                "Role:AuditRate"
            );
            settings.Map(
                command,
                new Option<int>("--batch-size") { Description = "Records per batch transaction (Role:BatchSize)." },
                "Role:BatchSize"
            );
            settings.Map(
                command,
                new Option<int>("--executor-timeout")
                {
                    Description = "Milliseconds before another inference node is tried (Role:ExecutorTimeoutMs).",
                },
                "Role:ExecutorTimeoutMs"
            );
        }
        var register = new Option<bool>("--register")
        {
            Description = "Register (or update) this node's role and endpoint on the ledger at start-up.",
        };
        command.Options.Add(register);
        var wallet = new WalletAccess();
        wallet.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                RoleOptions options;
                try
                {
                    options = RoleOptions.Bind(settings.Sources(pr).Build(), role);
                }
                catch (ArgumentException e)
                {
                    throw new CliException(e.Message);
                }
                var key = wallet.LoadHotkey(pr);
                var payer = role == ServerRole.Gateway ? wallet.LoadColdkey(pr, ctx) : null;
                using var ledger = new LedgerApiClient(options.LedgerUri);
                LedgerHead head;
                try
                {
                    head = await ledger.GetHeadAsync(ct);
                }
                catch (Client.NodeClientException e)
                {
                    key.Dispose();
                    payer?.Dispose();
                    throw new CliException(e.Message, e.Code);
                }
                using var identity = new RoleIdentity(key, head.ChainId, payer);
                await using var app = RoleHost.Build(options, identity, ledger);
                string url;
                try
                {
                    url = await RoleHost.StartAsync(app, ct);
                }
                catch (IOException e)
                {
                    throw new CliException(
                        $"{e.Message} Is another server listening there? Choose another --listen address."
                    );
                }
                ctx.WriteLine($"Veritensor {name} {identity.Address} listening on {url} (ledger {options.LedgerUri})");
                if (pr.GetValue(register))
                {
                    using var coldkey = wallet.LoadColdkey(pr, ctx);
                    using var hotkey = wallet.LoadHotkey(pr);
                    var id = await ledger.SubmitAsync(
                        coldkey,
                        RegisterNodePayload.Create(head.ChainId, coldkey.Address, hotkey, options.LedgerRoles, url),
                        ct
                    );
                    var outcome = await ledger.WaitAsync(id, ct);
                    ctx.WriteLine(
                        outcome.Included
                            ? $"Registered {hotkey.Address} as {name} at {url} in block {outcome.BlockHeight?.ToString(CultureInfo.InvariantCulture)}."
                            : $"Registration was dropped: {outcome.Error}"
                    );
                }
                try
                {
                    await app.WaitForShutdownAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    await app.StopAsync(CancellationToken.None);
                }
                return 0;
            }
        );
        return command;
    }
}
