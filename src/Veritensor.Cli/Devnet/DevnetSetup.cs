using System.Security.Cryptography;
using System.Text;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Node.Roles;
using Veritensor.Wallet;

namespace Veritensor.Cli.Devnet;

/// <summary>
/// Creates a devnet's files once (development wallets with well-known keys, a genesis that funds them and
/// registers the validator) and reuses them on later runs, so a restarted devnet resumes its chain.
/// </summary>
internal static class DevnetSetup
{
    public const string ChainId = "veritensor-devnet";
    private static readonly string[] UserWallets = ["alice", "bob", "charlie"];
    private const string ValidatorWallet = "validator";
    private const string UserBalance = "1000000";
    private const string ValidatorBalance = "10000";
    private const string ValidatorStake = "1000";
    private const string RoleBalance = "10000";

    /// <summary>Publishes the demo model.</summary>
    public const string ModelOwnerWallet = "alice";

    /// <summary>
    /// 2 inference nodes and 5 verification nodes: full verification draws 2 verifiers, and a dispute's quorum (3)
    /// must come from the verifiers left when those 2 are excluded, or no dispute could ever be resolved.
    /// </summary>
    public const int InferenceNodes = 2;
    public const int VerifierNodes = 5;

    /// <summary>The devnet's transactions may carry a batch of inference records (the chain default is 4 KiB).</summary>
    public const int MaxTransactionBytes = 64 * 1024;

    /// <summary>10 base units burned per transaction byte: a full 64 KiB batch of records burns 0.00066 token.</summary>
    public const string ByteFee = "0.00000001";

    /// <summary>1,000 base units burned per byte of state added: a recorded inference (about 200 bytes) burns 0.0002 token.</summary>
    public const string StateByteFee = "0.000001";

    /// <summary>
    /// The devnet genesis lets subnet owners set a tempo as low as 10 blocks (the default floor is 360), so that a
    /// local epoch comes in seconds rather than minutes. New subnets still start at tempo 360.
    /// </summary>
    public const ushort MinTempo = 10;

    /// <summary>
    /// The layout for <paramref name="dataDir"/>; creates wallets and genesis if they are not there yet. A new genesis
    /// carries <paramref name="inference"/> as its inference parameters (tests raise the sampling rate, say); null keeps the defaults.
    /// </summary>
    public static DevnetLayout Prepare(
        string dataDir,
        int port,
        KdfParameters? kdf = null,
        TimeProvider? time = null,
        GenesisInference? inference = null
    )
    {
        var fullDir = Path.GetFullPath(dataDir);
        var validatorNode = new DevnetNode("validator-0", ValidatorWallet, port, ["validator"]);
        // Role servers take the ports after the validator's (all 0, i.e. free ports, when the validator's is 0).
        int Port(int offset) => port == 0 ? 0 : port + offset;
        var roleNodes = new List<DevnetNode> { new("gateway", "gateway", Port(1), ["gateway"], ServerRole.Gateway) };
        for (var i = 0; i < InferenceNodes; i++)
            roleNodes.Add(new($"inference-{i}", $"inference-{i}", Port(2 + i), ["inference"], ServerRole.Inference));
        for (var i = 0; i < VerifierNodes; i++)
            roleNodes.Add(
                new($"verifier-{i}", $"verifier-{i}", Port(2 + InferenceNodes + i), ["verifier"], ServerRole.Verifier)
            );
        var accounts = UserWallets
            .Select(name => Account(name, UserBalance))
            .Append(Account(ValidatorWallet, ValidatorBalance))
            .Concat(roleNodes.Select(n => Account(n.Wallet, RoleBalance)))
            .ToList();
        var layout = new DevnetLayout(fullDir, ChainId, accounts, [validatorNode, .. roleNodes]);
        Directory.CreateDirectory(fullDir);
        var store = new WalletStore(layout.WalletPath, kdf);
        foreach (var account in accounts)
        {
            if (File.Exists(store.ColdkeyPath(account.Wallet)))
                continue;
            store.RegenColdkey(account.Wallet, SeedHex(account.Wallet), DevnetLayout.Password, overwrite: true);
            store.RegenHotkey(
                account.Wallet,
                WalletStore.DefaultHotkeyName,
                SeedHex(account.Wallet + "/hotkey"),
                overwrite: true
            );
        }
        if (!File.Exists(layout.GenesisPath))
            WriteGenesis(
                layout,
                validatorNode,
                (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(),
                inference
            );
        return layout;
    }

    /// <summary>Deletes a devnet directory, refusing anything that does not look like one.</summary>
    public static void Reset(string dataDir)
    {
        var fullDir = Path.GetFullPath(dataDir);
        if (!Directory.Exists(fullDir))
            return;
        var looksLikeDevnet =
            File.Exists(Path.Combine(fullDir, "genesis.json")) || !Directory.EnumerateFileSystemEntries(fullDir).Any();
        if (!looksLikeDevnet)
            throw new CliException(
                $"--reset: {fullDir} has no genesis.json, so it does not look like a devnet directory; not deleting it."
            );
        Directory.Delete(fullDir, recursive: true);
    }

    private static DevnetAccount Account(string wallet, string balance)
    {
        using var coldkey = KeyPair.FromSeed(Convert.FromHexString(SeedHex(wallet)));
        using var hotkey = KeyPair.FromSeed(Convert.FromHexString(SeedHex(wallet + "/hotkey")));
        return new DevnetAccount(wallet, coldkey.Address, hotkey.Address, balance);
    }

    /// <summary>The coldkey of a devnet wallet, derived from its well-known seed (no keystore decryption needed).</summary>
    public static KeyPair ColdkeyOf(string wallet) => KeyPair.FromSeed(Convert.FromHexString(SeedHex(wallet)));

    /// <summary>The default hotkey of a devnet wallet.</summary>
    public static KeyPair HotkeyOf(string wallet) =>
        KeyPair.FromSeed(Convert.FromHexString(SeedHex(wallet + "/hotkey")));

    /// <summary>Well-known development seeds, like Substrate's //Alice: anyone can derive them, so never hold value with them.</summary>
    private static string SeedHex(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("veritensor-dev-key/" + name)));

    private static void WriteGenesis(
        DevnetLayout layout,
        DevnetNode validatorNode,
        long timestamp,
        GenesisInference? inference
    )
    {
        var validator = layout.Accounts.Single(a => a.Wallet == validatorNode.Wallet);
        var genesis = new GenesisDocument
        {
            ChainId = layout.ChainId,
            Timestamp = timestamp,
            Balances = layout
                .Accounts.Select(a => new GenesisBalance { Address = a.Coldkey.ToString(), Amount = a.Balance })
                .ToList(),
            Parameters = new GenesisParameters
            {
                MaxTransactionBytes = MaxTransactionBytes,
                ByteFee = ByteFee,
                StateByteFee = StateByteFee,
            },
            Validators =
            [
                new GenesisValidator
                {
                    Hotkey = validator.Hotkey.ToString(),
                    Coldkey = validator.Coldkey.ToString(),
                    Endpoint = validatorNode.Url,
                    Stake = ValidatorStake,
                },
            ],
            Subnets = new GenesisSubnets { MinTempo = MinTempo },
            Inference = inference,
        };
        var temporary = layout.GenesisPath + ".tmp";
        genesis.Save(temporary);
        File.Move(temporary, layout.GenesisPath, overwrite: true);
    }
}
