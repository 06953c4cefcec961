using System.CommandLine;
using Veritensor.Node.Hosting;

namespace Veritensor.Cli.Commands;

/// <summary>
/// Flags of <c>veritensor node</c>. Each flag given on the command line overrides the same key from appsettings.json,
/// --config and VERITENSOR_Node__* environment variables; flags not given leave those alone. Defaults live in
/// <see cref="NodeOptions"/>.
/// </summary>
internal sealed class NodeSettingsOptions
{
    private readonly SettingsFlags _settings = new();

    public void AddTo(Command command)
    {
        _settings.AddTo(command);
        Map(
            command,
            "--data-dir",
            "Data directory (Node:DataDir; default ./.veritensor-node).",
            nameof(NodeOptions.DataDir)
        );
        Map(
            command,
            "--genesis",
            "Genesis file (Node:Genesis; default DATA_DIR/genesis.json).",
            nameof(NodeOptions.Genesis)
        );
        Map(
            command,
            "--listen",
            "API address (Node:Listen; default http://127.0.0.1:9650; port 0 picks a free one).",
            nameof(NodeOptions.Listen)
        );
        _settings.Map(
            command,
            new Option<BlockProductionMode>("--block-production")
            {
                Description = "interval, manual (POST /v1/dev/blocks) or off (Node:BlockProduction).",
            },
            Key(nameof(NodeOptions.BlockProduction)),
            v => v.ToString()
        );
        _settings.Map(
            command,
            new Option<int>("--block-interval")
            {
                Description = "Milliseconds between blocks (Node:BlockIntervalMs; default 1000).",
            },
            Key(nameof(NodeOptions.BlockIntervalMs))
        );
        Map(
            command,
            "--validator-wallet",
            "Wallet whose hotkey signs blocks (Node:Wallet).",
            nameof(NodeOptions.Wallet)
        );
        Map(
            command,
            "--validator-hotkey",
            "Hotkey name in that wallet (Node:Hotkey; default 'default').",
            nameof(NodeOptions.Hotkey)
        );
        Map(
            command,
            "--wallet-path",
            "Wallet directory (Node:WalletPath; default $VERITENSOR_WALLET_PATH, else ~/.veritensor/wallets).",
            nameof(NodeOptions.WalletPath)
        );
        Map(
            command,
            "--log-format",
            "Console log format: simple or json (Node:LogFormat).",
            nameof(NodeOptions.LogFormat)
        );
        _settings.Map(
            command,
            new Option<string>("--log-level")
            {
                Description = "Least log level: Trace, Debug, Information, Warning, Error (Logging:LogLevel:Default).",
            },
            "Logging:LogLevel:Default"
        );
    }

    public SettingsSources Sources(ParseResult parseResult) => _settings.Sources(parseResult);

    private void Map(Command command, string flag, string description, string property) =>
        _settings.Map(command, new Option<string>(flag) { Description = description }, Key(property));

    private static string Key(string property) => $"{NodeOptions.SectionName}:{property}";
}
