using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Ledger.Genesis;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;
using Veritensor.Sdk;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// A whole verified-inference devnet in this process, every part on its own loopback port: the ledger node
/// (blocks every 20 ms), a gateway, 2 inference nodes and 3 verification nodes, registered and staked on the
/// ledger, with the demo model published and served. Hooks swap single servers' parts (a dishonest runner, a
/// lazy verifier, another thread count) while every message still crosses a real socket.
/// </summary>
public sealed class InferenceNetwork : IAsyncDisposable
{
    private InferenceNetwork(TestNode ledger, DevnetInference roles)
    {
        Ledger = ledger;
        Roles = roles;
        LedgerClient = new LedgerApiClient(new Uri(ledger.Url + "/"));
    }

    public TestNode Ledger { get; }
    public DevnetInference Roles { get; }
    public LedgerApiClient LedgerClient { get; }
    public string GatewayUrl => Roles.Urls["gateway"];

    /// <summary>The gateway's hotkey: what users name in their requests.</summary>
    public Address GatewayAddress =>
        Microsoft
            .Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Veritensor.Node.Roles.RoleIdentity>(
                Roles.ServicesOf("gateway")
            )
            .Address;

    /// <summary>Starts the network; <paramref name="inference"/> overrides the genesis inference parameters (null: the defaults).</summary>
    public static async Task<InferenceNetwork> StartAsync(
        Action<DevnetNode, RoleOptions>? configureOptions = null,
        Action<DevnetNode, IServiceCollection>? configureServices = null,
        GenesisInference? inference = null
    )
    {
        var ledger = await TestNode.StartAsync(
            BlockProductionMode.Interval,
            blockIntervalMs: 20,
            maxRequestBodyBytes: 1024 * 1024,
            inference: inference
        );
        try
        {
            var roles = await DevnetInference.StartAsync(
                ledger.Layout,
                ledger.Url,
                ledger.Services.GetRequiredService<BlobStore>(),
                TestContext.Current.CancellationToken,
                (node, options) =>
                {
                    options.AuditRate = 0; // audits are driven explicitly by the tests that need them
                    configureOptions?.Invoke(node, options);
                },
                configureServices,
                logging => logging.ClearProviders()
            );
            return new InferenceNetwork(ledger, roles);
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the gateway that checks answers against this network's ledger.</summary>
    public InferenceClient Client() => new(new Uri(GatewayUrl + "/"), LedgerClient);

    public KeyPair User(string wallet = "alice") => DevnetSetup.ColdkeyOf(wallet);

    public async ValueTask DisposeAsync()
    {
        await Roles.DisposeAsync();
        LedgerClient.Dispose();
        await Ledger.DisposeAsync();
    }
}
