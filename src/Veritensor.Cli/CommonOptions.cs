using System.CommandLine;

namespace Veritensor.Cli;

/// <summary>Options shared by many commands, declared once so names and help text stay consistent.</summary>
internal static class CommonOptions
{
    public const string DefaultNodeUrl = "http://127.0.0.1:9650";

    /// <summary>Where `veritensor infer` sends requests unless --gateway or VERITENSOR_GATEWAY says otherwise (the devnet gateway).</summary>
    public const string DefaultGatewayUrl = "http://127.0.0.1:9651";

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of tables.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "On an unexpected error, print its stack trace too.",
        Recursive = true,
    };

    public static Option<string> Node() =>
        new("--node")
        {
            Description = "URL of the node's HTTP API (env VERITENSOR_NODE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("VERITENSOR_NODE") ?? DefaultNodeUrl,
        };

    public static Option<string> WalletName() =>
        new("--wallet", "-w") { Description = "Wallet name.", DefaultValueFactory = _ => "default" };

    public static Option<string> Hotkey() =>
        new("--hotkey") { Description = "Hotkey name inside the wallet.", DefaultValueFactory = _ => "default" };

    public static Option<string> WalletPath() =>
        new("--wallet-path")
        {
            Description = "Directory that holds wallets (env VERITENSOR_WALLET_PATH; default ~/.veritensor/wallets).",
            DefaultValueFactory = _ =>
                Environment.GetEnvironmentVariable("VERITENSOR_WALLET_PATH")
                ?? Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    ".veritensor",
                    "wallets"
                ),
        };
}
