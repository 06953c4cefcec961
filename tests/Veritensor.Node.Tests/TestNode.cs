using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Node.Hosting;
using Veritensor.Wallet;

namespace Veritensor.Node.Tests;

/// <summary>
/// A real node in this process, listening on a free loopback port, over a devnet layout (well-known wallets and
/// genesis) in a temp directory. Tests talk to it over HTTP through <see cref="Client"/>.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    /// <summary>Cheap Argon2 so that tests do not spend 64 MiB and three passes per key.</summary>
    public static readonly KdfParameters TestKdf = new(64, 1);

    private readonly TestDirectory _directory;
    private readonly WebApplication _app;

    private TestNode(TestDirectory directory, DevnetLayout layout, WebApplication app, string url)
    {
        _directory = directory;
        Layout = layout;
        _app = app;
        Url = url;
        Client = new NodeClient(new Uri(url + "/"));
        Runtime = app.Services.GetRequiredService<NodeRuntime>();
    }

    public DevnetLayout Layout { get; }
    public string Url { get; }
    public NodeClient Client { get; }
    public NodeRuntime Runtime { get; }

    /// <summary>The hash of this node's genesis block, which every transaction for it signs.</summary>
    public Hash256 GenesisHash => Runtime.Chain.GenesisHash;
    public IServiceProvider Services => _app.Services;
    public string WalletPath => Layout.WalletPath;

    public static async Task<TestNode> StartAsync(
        BlockProductionMode mode = BlockProductionMode.Manual,
        int blockIntervalMs = 1000,
        long maxRequestBodyBytes = 64 * 1024,
        GenesisInference? inference = null,
        IReadOnlyDictionary<string, string?>? settings = null
    )
    {
        var directory = new TestDirectory("veritensor-node");
        var layout = DevnetSetup.Prepare(directory.Path, 0, TestKdf, inference: inference);
        var configuration = new Dictionary<string, string?>
        {
            ["Node:DataDir"] = Path.Combine(layout.DataDir, "nodes", "validator-0"),
            ["Node:Genesis"] = layout.GenesisPath,
            ["Node:Listen"] = "http://127.0.0.1:0",
            ["Node:WalletPath"] = layout.WalletPath,
            ["Node:Wallet"] = "validator",
            ["Node:BlockProduction"] = mode.ToString(),
            ["Node:BlockIntervalMs"] = blockIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Node:MaxRequestBodyBytes"] = maxRequestBodyBytes.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
        };
        // The caller's settings win over the defaults above.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            configuration[key] = value;
        var app = NodeHost.Build(configuration, logging => logging.ClearProviders());
        var url = await NodeHost.StartAsync(app);
        return new TestNode(directory, layout, app, url);
    }

    public DevnetAccount Account(string wallet) => Layout.Accounts.Single(a => a.Wallet == wallet);

    /// <summary>The well-known coldkey of a devnet wallet (the same seed the devnet setup used).</summary>
    public KeyPair Coldkey(string wallet) =>
        new WalletStore(WalletPath, TestKdf).LoadColdkey(wallet, DevnetLayout.Password);

    public KeyPair Hotkey(string wallet) =>
        new WalletStore(WalletPath, TestKdf).LoadHotkey(wallet, WalletStore.DefaultHotkeyName);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
