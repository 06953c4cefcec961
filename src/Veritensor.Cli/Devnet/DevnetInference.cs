using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Models;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles;
using Veritensor.Tensors;

namespace Veritensor.Cli.Devnet;

/// <summary>
/// The verified-inference half of a devnet: a gateway, inference nodes and verification nodes, each its own
/// Kestrel server on a loopback port, registered and staked on the devnet's ledger, and a demo model published
/// and served, so `veritensor infer` works right after start-up. Registration is idempotent: a resumed devnet
/// only re-registers nodes whose endpoint changed.
/// </summary>
public sealed class DevnetInference : IAsyncDisposable
{
    public const string DemoModelName = "demo-mlp";
    public const string DemoModelVersion = "1";
    public static readonly Amount DemoModelPrice = Amount.ParseTokens("0.001");
    public static readonly Amount NodeStake = Amount.FromTokens(1000);

    private readonly List<WebApplication> _servers = [];
    private readonly Dictionary<string, IServiceProvider> _services = [];
    private readonly Dictionary<string, NodeRoles> _roles = [];
    private readonly LedgerApiClient _ledger;

    private DevnetInference(LedgerApiClient ledger) => _ledger = ledger;

    /// <summary>Role servers by devnet node name, with the URL each listens on.</summary>
    public Dictionary<string, string> Urls { get; } = [];

    public Hash256 DemoModelId { get; private set; }

    /// <summary>The services of the role server named <paramref name="nodeName"/> (tests reach a gateway's audit service through it).</summary>
    public IServiceProvider ServicesOf(string nodeName) =>
        _services.TryGetValue(nodeName, out var services)
            ? services
            : throw new ArgumentException($"No role server is named '{nodeName}'.", nameof(nodeName));

    /// <summary>
    /// Starts the role servers of <paramref name="layout"/> against the ledger node at <paramref name="ledgerUrl"/> and sets them up on the ledger.
    /// <paramref name="configureOptions"/> and <paramref name="configureServices"/> adjust single servers (tests use them to run a dishonest node).
    /// </summary>
    public static async Task<DevnetInference> StartAsync(
        DevnetLayout layout,
        string ledgerUrl,
        BlobStore ledgerBlobs,
        CancellationToken cancellationToken,
        Action<DevnetNode, RoleOptions>? configureOptions = null,
        Action<DevnetNode, IServiceCollection>? configureServices = null,
        Action<ILoggingBuilder>? configureLogging = null
    )
    {
        ArgumentNullException.ThrowIfNull(layout);
        var network = new DevnetInference(new LedgerApiClient(new Uri(ledgerUrl.TrimEnd('/') + "/")));
        try
        {
            var head = await network._ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var node in layout.Nodes.Where(n => n.Role is not null))
            {
                var options = new RoleOptions
                {
                    Role = node.Role!.Value,
                    Listen = node.Url,
                    Ledger = ledgerUrl,
                    DataDir = layout.NodeDataDir(node),
                    // Every node of a devnet is on loopback.
                    AllowPrivatePeers = true,
                };
                configureOptions?.Invoke(node, options);
                network._roles[node.Name] = options.LedgerRoles;
                // Every role server signs with its hotkey; the gateway pays record fees with its coldkey.
                var payer = node.Role == ServerRole.Gateway ? DevnetSetup.ColdkeyOf(node.Wallet) : null;
                var app = RoleHost.Build(
                    options,
                    new RoleIdentity(DevnetSetup.HotkeyOf(node.Wallet), head.ChainId, payer),
                    network._ledger,
                    services => configureServices?.Invoke(node, services),
                    configureLogging ?? (logging => logging.AddFilter("Veritensor", LogLevel.Warning))
                );
                network._servers.Add(app);
                network._services[node.Name] = app.Services;
                network.Urls[node.Name] = await RoleHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
            }
            await network.BootstrapAsync(layout, ledgerBlobs, cancellationToken).ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Registers and stakes every role node, publishes the demo model, and has the inference nodes serve it.</summary>
    private async Task BootstrapAsync(DevnetLayout layout, BlobStore ledgerBlobs, CancellationToken cancellationToken)
    {
        var roleNodes = layout.Nodes.Where(n => n.Role is not null).ToArray();
        foreach (var node in roleNodes)
        {
            using var owner = DevnetSetup.ColdkeyOf(node.Wallet);
            if (await _ledger.GetBalanceAsync(owner.Address, cancellationToken).ConfigureAwait(false) == Amount.Zero)
                throw new CliException(
                    $"This devnet's genesis does not fund the '{node.Wallet}' wallet: it was created by an older version without inference nodes. Start over with --reset."
                );
        }
        var pending = new List<Hash256>();
        foreach (var node in roleNodes)
        {
            using var hotkey = DevnetSetup.HotkeyOf(node.Wallet);
            using var coldkey = DevnetSetup.ColdkeyOf(node.Wallet);
            var roles = _roles[node.Name];
            var registered = await _ledger
                .GetNodeAsync(hotkey.Address, fresh: true, cancellationToken)
                .ConfigureAwait(false);
            if (
                registered is null
                || registered.Value.Node.Endpoint != Urls[node.Name]
                || registered.Value.Roles != roles
            )
            {
                var url = Urls[node.Name];
                pending.Add(
                    await _ledger
                        .SubmitAsync(
                            coldkey,
                            RegisterNodePayload.Create(layout.ChainId, coldkey.Address, hotkey, roles, url),
                            cancellationToken
                        )
                        .ConfigureAwait(false)
                );
            }
        }
        DemoModelId = await PublishDemoModelAsync(ledgerBlobs, pending, cancellationToken).ConfigureAwait(false);
        await WaitAllAsync(pending, cancellationToken).ConfigureAwait(false);

        foreach (var node in roleNodes.Where(n => n.Role != ServerRole.Gateway))
        {
            using var hotkey = DevnetSetup.HotkeyOf(node.Wallet);
            using var coldkey = DevnetSetup.ColdkeyOf(node.Wallet);
            var registered = await _ledger
                .GetNodeAsync(hotkey.Address, fresh: true, cancellationToken)
                .ConfigureAwait(false);
            if (registered is { } r && r.Node.Stake < NodeStake)
                pending.Add(
                    await _ledger
                        .SubmitAsync(
                            coldkey,
                            new StakePayload(TransactionKind.AddStake, hotkey.Address, NodeStake - r.Node.Stake),
                            cancellationToken
                        )
                        .ConfigureAwait(false)
                );
        }
        // Serving needs the stake in a block first: a node without the minimum stake may not start serving.
        await WaitAllAsync(pending, cancellationToken).ConfigureAwait(false);
        foreach (var node in roleNodes.Where(n => n.Role == ServerRole.Inference))
        {
            using var hotkey = DevnetSetup.HotkeyOf(node.Wallet);
            using var coldkey = DevnetSetup.ColdkeyOf(node.Wallet);
            var servers = await _ledger.GetServersAsync(DemoModelId, cancellationToken).ConfigureAwait(false);
            if (servers.All(s => s.Hotkey != hotkey.Address))
                pending.Add(
                    await _ledger
                        .SubmitAsync(
                            coldkey,
                            new ServeModelPayload(hotkey.Address, DemoModelId, true),
                            cancellationToken
                        )
                        .ConfigureAwait(false)
                );
        }
        await WaitAllAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Hash256> PublishDemoModelAsync(
        BlobStore ledgerBlobs,
        List<Hash256> pending,
        CancellationToken cancellationToken
    )
    {
        var bytes = DemoModels.BuildMlpClassifier();
        var contentId = ledgerBlobs.Put(bytes);
        if (
            await _ledger.FindModelAsync($"{DemoModelName}@{DemoModelVersion}", cancellationToken).ConfigureAwait(false)
            is not null
        )
            return contentId;
        var signature = OnnxModelInspector.Inspect(bytes);
        using var owner = DevnetSetup.ColdkeyOf(DevnetSetup.ModelOwnerWallet);
        pending.Add(
            await _ledger
                .SubmitAsync(
                    owner,
                    new PublishModelPayload(
                        DemoModelName,
                        DemoModelVersion,
                        contentId,
                        (ulong)bytes.Length,
                        signature,
                        DemoModelPrice,
                        VerificationTolerance.Default
                    ),
                    cancellationToken
                )
                .ConfigureAwait(false)
        );
        return contentId;
    }

    private async Task WaitAllAsync(List<Hash256> pending, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(pending.Select(id => _ledger.WaitAsync(id, cancellationToken)))
            .ConfigureAwait(false);
        pending.Clear();
        var failed = outcomes.FirstOrDefault(o => !o.Included);
        if (failed is not null)
            throw new CliException(
                $"Setting up the devnet's inference nodes failed: transaction {failed.TransactionId} was dropped ({failed.Error})."
            );
    }

    /// <summary>A sample input for the demo model in the JSON tensor form the CLI and gateway accept.</summary>
    public const string DemoInputJson =
        """{"name":"features","type":"float32","shape":[1,8],"data":[0.5,-1.25,2,0.75,-0.5,1.5,-2,0.25]}""";

    /// <summary>A sample input for the demo model, as a user would send it.</summary>
    public static NamedTensor DemoInput() =>
        new("features", Tensor.FromFloats([1, 8], [0.5f, -1.25f, 2f, 0.75f, -0.5f, 1.5f, -2f, 0.25f]));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
        }
        _servers.Clear();
        _services.Clear();
        _ledger.Dispose();
    }
}
