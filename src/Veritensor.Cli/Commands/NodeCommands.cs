using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Hosting;

namespace Veritensor.Cli.Commands;

/// <summary><c>node</c> runs a node; <c>node register</c> registers a hotkey as a node with roles and an endpoint.</summary>
internal static class NodeCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "node",
            "Run a node: the ledger, block production (with a validator key) and the HTTP API."
        );
        var settings = new NodeSettingsOptions();
        settings.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                await RunNodeAsync(ctx, settings.Sources(pr), ct);
                return Environment.ExitCode;
            }
        );
        command.Subcommands.Add(Register(context));
        foreach (var roleServer in RoleServerCommands.Create(context))
            command.Subcommands.Add(roleServer);
        return command;
    }

    /// <summary>
    /// Builds and runs a node until Ctrl+C (or SIGTERM); start-up problems become one clear error. The optional callback runs
    /// once the node serves (given its URL and services), e.g. to start more servers; what it returns is disposed at shutdown.
    /// </summary>
    internal static async Task RunNodeAsync(
        CliContext ctx,
        SettingsSources settings,
        CancellationToken cancellationToken,
        Func<string, IServiceProvider, CancellationToken, Task<IAsyncDisposable?>>? startedAsync = null
    )
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        string url;
        try
        {
            app = NodeHost.Build(settings);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
        try
        {
            url = await NodeHost.StartAsync(app, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM during start-up: stop quietly, as after start-up.
            await app.DisposeAsync();
            return;
        }
        catch (Exception e)
            when (e
                    is Ledger.Genesis.GenesisException
                        or InvalidOperationException
                        or Wallet.WalletException
                        or IOException
            )
        {
            await app.DisposeAsync();
            var hint =
                e is IOException && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? " Is another node running there? Choose another port (--port / --listen)."
                    : "";
            throw new CliException(e.Message + hint);
        }
        await using (app)
        {
            IAsyncDisposable? companions = null;
            if (startedAsync is null)
                ctx.WriteLine($"Veritensor node API listening on {url}");
            else
            {
                try
                {
                    companions = await startedAsync(url, app.Services, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
            }
            await using var stopCompanions = companions;
            // Returns on Ctrl+C / SIGTERM (the host's console lifetime), on cancellation, or when the node stops itself
            // (e.g. a failed block commit, which also sets a non-zero exit code); then shuts down cleanly.
            try
            {
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static Command Register(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "register",
            "Register --hotkey of --wallet as a node owned by the wallet's coldkey (signed by both)."
        );
        var roles = new Option<string>("--roles")
        {
            Description = "Comma-separated roles: gateway, inference, verifier (validators are fixed by genesis).",
            Required = true,
        };
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "The node's public HTTP endpoint, e.g. http://127.0.0.1:9651.",
            DefaultValueFactory = _ => "",
        };
        command.Options.Add(roles);
        command.Options.Add(endpoint);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var parsedRoles = ParseRoles(pr.GetValue(roles)!);
                using var hotkey = sender.Wallet.LoadHotkey(pr);
                return await sender.SendAsync(
                    pr,
                    context(pr),
                    (chainId, coldkey) =>
                        RegisterNodePayload.Create(
                            chainId,
                            coldkey.Address,
                            hotkey,
                            parsedRoles,
                            pr.GetValue(endpoint)!
                        ),
                    ct
                );
            }
        );
        return command;
    }

    internal static NodeRoles ParseRoles(string text)
    {
        var roles = NodeRoles.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (
                !Enum.TryParse<NodeRoles>(part, ignoreCase: true, out var role)
                || role is NodeRoles.None or NodeRoles.All
                || !Enum.IsDefined(role)
            )
                throw new CliException(
                    $"--roles: '{part}' is not a role; use validator, gateway, inference or verifier."
                );
            roles |= role;
        }
        return roles == NodeRoles.None ? throw new CliException("--roles: name at least one role.") : roles;
    }
}
