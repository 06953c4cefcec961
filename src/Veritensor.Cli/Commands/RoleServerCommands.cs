using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Veritensor.Client;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>veritensor node gateway|inference|verifier</c>: run one role server of the verified-inference network next
/// to a ledger node. Inference and verification nodes sign with the wallet's hotkey; a gateway pays for the records
/// it sends with the wallet's coldkey. With --register the server (re-)registers its role and endpoint on start.
/// </summary>
public static class RoleServerCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> context)
    {
        yield return Create(context, ServerRole.Gateway, "gateway", "Run a gateway: takes users' inference requests, routes them, gathers attestations and records them on the ledger.", 9651);
        yield return Create(context, ServerRole.Inference, "inference", "Run an inference node: executes registered ONNX models and signs receipts.", 9652);
        yield return Create(context, ServerRole.Verifier, "verifier", "Run a verification node: re-executes requests, commits, attests, and judges disputes.", 9654);
    }

    private static Command Create(Func<ParseResult, CliContext> context, ServerRole role, string name, string description, int defaultPort)
    {
        var command = new Command(name, description);
        var listen = new Option<string>("--listen") { Description = $"Address to listen on (default http://127.0.0.1:{defaultPort}; port 0 picks a free one).", DefaultValueFactory = _ => $"http://127.0.0.1:{defaultPort}" };
        var dataDir = new Option<string>("--data-dir") { Description = "Where this server keeps model files.", DefaultValueFactory = _ => $".veritensor-{name}" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (part of the execution profile; 1 is bit-reproducible).", DefaultValueFactory = _ => 1 };
        var register = new Option<bool>("--register") { Description = "Register (or update) this node's role and endpoint on the ledger at start-up." };
        var logFormat = new Option<string>("--log-format") { Description = "Console log format: simple or json.", DefaultValueFactory = _ => "simple" };
        var alsoVerify = new Option<bool>("--also-verify") { Description = "Serve the verifier endpoints too and register with both roles (never drawn to verify its own requests)." };
        foreach (var option in new Option[] { listen, dataDir, threads, register, logFormat }) command.Options.Add(option);
        if (role == ServerRole.Inference) command.Options.Add(alsoVerify);
        var node = new NodeAccess();
        node.AddTo(command);
        var wallet = new WalletAccess();
        wallet.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr);
            using var ledgerClient = node.Client(pr);
            var options = new RoleOptions
            {
                Role = role,
                Listen = pr.GetValue(listen)!,
                Ledger = ledgerClient.BaseAddress.ToString(),
                DataDir = pr.GetValue(dataDir)!,
                IntraOpThreads = pr.GetValue(threads),
                LogFormat = pr.GetValue(logFormat)!,
                AlsoVerify = role == ServerRole.Inference && pr.GetValue(alsoVerify),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            var key = role == ServerRole.Gateway ? wallet.LoadColdkey(pr, ctx) : wallet.LoadHotkey(pr);
            using var ledger = new LedgerApiClient(ledgerClient.BaseAddress);
            LedgerHead head;
            try
            {
                head = await ledger.GetHeadAsync(ct);
            }
            catch (Client.NodeClientException e)
            {
                key.Dispose();
                throw new CliException(e.Message, e.Code);
            }
            using var identity = new RoleIdentity(key, head.ChainId);
            await using var app = RoleHost.Build(options, identity, ledger);
            string url;
            try
            {
                url = await RoleHost.StartAsync(app, ct);
            }
            catch (IOException e)
            {
                throw new CliException($"{e.Message} Is another server listening there? Choose another --listen address.");
            }
            ctx.WriteLine($"Veritensor {name} {identity.Address} listening on {url} (ledger {ledgerClient.BaseAddress})");
            if (pr.GetValue(register))
            {
                using var coldkey = wallet.LoadColdkey(pr, ctx);
                using var hotkey = wallet.LoadHotkey(pr);
                var id = await ledger.SubmitAsync(coldkey, RegisterNodePayload.Create(head.ChainId, coldkey.Address, hotkey, options.LedgerRoles, url), ct);
                var outcome = await ledger.WaitAsync(id, ct);
                ctx.WriteLine(outcome.Included
                    ? $"Registered {hotkey.Address} as {name} at {url} in block {outcome.BlockHeight?.ToString(CultureInfo.InvariantCulture)}."
                    : $"Registration was dropped: {outcome.Error}");
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
        });
        return command;
    }
}
