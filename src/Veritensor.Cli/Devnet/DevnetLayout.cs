using Veritensor.Core.Crypto;

namespace Veritensor.Cli.Devnet;

/// <summary>
/// What a local network consists of, and where it lives under its data directory:
/// <c>genesis.json</c>, <c>wallets/</c> (development wallets), and one directory per node under <c>nodes/</c>.
/// The first node is the validator (the ledger); then the gateway, the inference nodes and the verification nodes.
/// </summary>
public sealed record DevnetLayout(
    string DataDir,
    string ChainId,
    IReadOnlyList<DevnetAccount> Accounts,
    IReadOnlyList<DevnetNode> Nodes
)
{
    public const string Password = "devnet";
    public string GenesisPath => Path.Combine(DataDir, "genesis.json");
    public string WalletPath => Path.Combine(DataDir, "wallets");

    public string NodeDataDir(DevnetNode node) => Path.Combine(DataDir, "nodes", node.Name);
}

/// <summary>A funded development wallet (coldkey password <see cref="DevnetLayout.Password"/>).</summary>
public sealed record DevnetAccount(string Wallet, Address Coldkey, Address Hotkey, string Balance);

/// <summary>
/// One node of the devnet: its name, the wallet whose keys it runs with, and its API port. <see cref="Role"/> is
/// null for the ledger (validator) node, else the role server it runs.
/// </summary>
public sealed record DevnetNode(
    string Name,
    string Wallet,
    int Port,
    IReadOnlyList<string> Roles,
    Node.Roles.ServerRole? Role = null
)
{
    public string Url => $"http://127.0.0.1:{Port}";
}
