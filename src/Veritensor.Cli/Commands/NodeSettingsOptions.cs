using System.CommandLine;
using System.Globalization;
using Veritensor.Node.Hosting;

namespace Veritensor.Cli.Commands;

/// <summary>
/// Flags of <c>veritensor node</c>. Each flag given on the command line overrides the same key from
/// appsettings.json or VERITENSOR_Node__* environment variables; flags not given leave those alone.
/// </summary>
internal sealed class NodeSettingsOptions
{
    private readonly Option<string> _dataDir = new("--data-dir") { Description = "Data directory (Node:DataDir; default ./.veritensor-node)." };
    private readonly Option<string> _genesis = new("--genesis") { Description = "Genesis file (Node:Genesis; default DATA_DIR/genesis.json)." };
    private readonly Option<string> _listen = new("--listen") { Description = "API address (Node:Listen; default http://127.0.0.1:9650; port 0 picks a free one)." };
    private readonly Option<BlockProductionMode> _blockProduction = new("--block-production") { Description = "interval, manual (POST /v1/dev/blocks) or off." };
    private readonly Option<int> _blockInterval = new("--block-interval") { Description = "Milliseconds between blocks (Node:BlockIntervalMs; default 1000)." };
    private readonly Option<string> _wallet = new("--validator-wallet") { Description = "Wallet whose hotkey signs blocks (Node:Wallet)." };
    private readonly Option<string> _hotkey = new("--validator-hotkey") { Description = "Hotkey name in that wallet (Node:Hotkey; default 'default')." };
    private readonly Option<string> _logFormat = new("--log-format") { Description = "Console log format: simple or json (Node:LogFormat)." };
    private readonly Option<string> _logLevel = new("--log-level") { Description = "Least log level: Trace, Debug, Information, Warning, Error (Logging:LogLevel:Default)." };
    private readonly Option<string> _walletPath = new("--wallet-path") { Description = "Wallet directory (Node:WalletPath; default $VERITENSOR_WALLET_PATH, else ~/.veritensor/wallets)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _dataDir, _genesis, _listen, _blockProduction, _blockInterval, _wallet, _hotkey, _walletPath, _logFormat, _logLevel })
            command.Options.Add(option);
    }

    public IReadOnlyDictionary<string, string?> Overrides(ParseResult parseResult)
    {
        var overrides = new Dictionary<string, string?>();
        void Set<T>(Option<T> option, string key, Func<T, string> format)
        {
            if (parseResult.GetResult(option) is not null) overrides[$"{NodeOptions.SectionName}:{key}"] = format(parseResult.GetValue(option)!);
        }
        Set(_dataDir, nameof(NodeOptions.DataDir), v => v);
        Set(_genesis, nameof(NodeOptions.Genesis), v => v);
        Set(_listen, nameof(NodeOptions.Listen), v => v);
        Set(_blockProduction, nameof(NodeOptions.BlockProduction), v => v.ToString());
        Set(_blockInterval, nameof(NodeOptions.BlockIntervalMs), v => v.ToString(CultureInfo.InvariantCulture));
        Set(_wallet, nameof(NodeOptions.Wallet), v => v);
        Set(_hotkey, nameof(NodeOptions.Hotkey), v => v);
        Set(_walletPath, nameof(NodeOptions.WalletPath), v => v);
        Set(_logFormat, nameof(NodeOptions.LogFormat), v => v);
        if (parseResult.GetResult(_logLevel) is not null) overrides["Logging:LogLevel:Default"] = parseResult.GetValue(_logLevel);
        return overrides;
    }
}
