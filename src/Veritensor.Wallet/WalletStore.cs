using System.Security.Cryptography;
using System.Text;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>
/// Wallets on disk, laid out as Bittensor users know them:
/// <code>
/// ROOT/NAME/coldkey          password-encrypted coldkey (see ColdkeyKeystore), mode 0600
/// ROOT/NAME/coldkeypub.txt   the coldkey's address, for commands that need no signature
/// ROOT/NAME/hotkeys/HOTKEY   unencrypted hotkey (see HotkeyFile), mode 0600
/// </code>
/// Directories are created 0700, files are written atomically with mode 0600, and an existing coldkey or hotkey is
/// never replaced unless <c>overwrite</c> is true. Errors are <see cref="WalletException"/>s with a clear message.
/// </summary>
public sealed class WalletStore
{
    public const string ColdkeyFileName = "coldkey";
    public const string ColdkeyPubFileName = "coldkeypub.txt";
    public const string HotkeysDirectoryName = "hotkeys";
    public const string DefaultHotkeyName = "default";

    /// <param name="root">The directory that holds wallets (the CLI's --wallet-path).</param>
    /// <param name="kdf">Argon2id cost for new keystores; <see cref="KdfParameters.Default"/> unless given (tests pass cheap ones).</param>
    public WalletStore(string root, KdfParameters? kdf = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Kdf = (kdf ?? KdfParameters.Default).EnsureWithinLimits();
    }

    public string Root { get; }
    public KdfParameters Kdf { get; }

    public string WalletDirectory(string name) => Path.Combine(Root, WalletName.Validate(name, "wallet"));

    public string ColdkeyPath(string name) => Path.Combine(WalletDirectory(name), ColdkeyFileName);

    public string ColdkeyPubPath(string name) => Path.Combine(WalletDirectory(name), ColdkeyPubFileName);

    public string HotkeyPath(string wallet, string hotkey) =>
        Path.Combine(WalletDirectory(wallet), HotkeysDirectoryName, WalletName.Validate(hotkey, "hotkey"));

    /// <summary>
    /// Creates wallet <paramref name="name"/>: a new coldkey (encrypted under <paramref name="password"/>) and a new
    /// hotkey <paramref name="hotkeyName"/>, each from a fresh mnemonic of <paramref name="words"/> (12 or 24) words.
    /// The mnemonics are returned once and stored nowhere. Nothing is written if either key already exists and
    /// <paramref name="overwrite"/> is false.
    /// </summary>
    public CreatedWallet Create(
        string name,
        string password,
        int words = WalletMnemonic.DefaultWordCount,
        string hotkeyName = DefaultHotkeyName,
        bool overwrite = false
    )
    {
        ArgumentNullException.ThrowIfNull(password);
        return Create(name, () => password, words, hotkeyName, overwrite);
    }

    /// <summary>
    /// Like <see cref="Create(string, string, int, string, bool)"/>, but asks <paramref name="password"/> for the
    /// password only after the names, word count and overwrite rule have been checked (so a user is not prompted
    /// for nothing).
    /// </summary>
    public CreatedWallet Create(
        string name,
        Func<string> password,
        int words = WalletMnemonic.DefaultWordCount,
        string hotkeyName = DefaultHotkeyName,
        bool overwrite = false
    )
    {
        ArgumentNullException.ThrowIfNull(password);
        var coldkeyPath = ColdkeyPath(name);
        var hotkeyPath = HotkeyPath(name, hotkeyName);
        if (!WalletMnemonic.GeneratedWordCounts.Contains(words))
            throw new WalletException(WalletErrorKind.InvalidInput, $"a new mnemonic has 12 or 24 words, not {words}");
        if (!overwrite)
        {
            RefuseExistingColdkey(name, coldkeyPath, null);
            RefuseExistingHotkey(name, hotkeyName, hotkeyPath);
        }
        var secret = RequirePassword(password());
        var coldMnemonic = WalletMnemonic.Generate(words);
        var hotMnemonic = WalletMnemonic.Generate(words);
        var coldAddress = WriteColdkey(name, WalletMnemonic.ToSeed(coldMnemonic), secret);
        var hotAddress = WriteHotkey(hotkeyPath, WalletMnemonic.ToSeed(hotMnemonic));
        return new CreatedWallet(
            name,
            new GeneratedKey(coldAddress, coldMnemonic),
            hotkeyName,
            new GeneratedKey(hotAddress, hotMnemonic)
        );
    }

    /// <summary>All wallets under <see cref="Root"/> (directories with a valid name and a coldkey, coldkeypub.txt or hotkeys), sorted by name.</summary>
    public IReadOnlyList<WalletInfo> List()
    {
        if (!Directory.Exists(Root))
            return [];
        return Directory
            .EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(WalletName.IsValid)
            .Order(StringComparer.Ordinal)
            .Select(Describe)
            .Where(w =>
                w.HasColdkey
                || w.ColdkeyAddress is not null
                || w.Hotkeys.Count > 0
                || File.Exists(ColdkeyPubPath(w.Name))
            )
            .ToList();
    }

    /// <summary>The coldkey address and hotkeys of one wallet; throws <see cref="WalletErrorKind.NotFound"/> when it does not exist.</summary>
    public WalletInfo Show(string name)
    {
        var directory = WalletDirectory(name);
        if (!Directory.Exists(directory))
            throw new WalletException(WalletErrorKind.NotFound, $"no wallet '{name}' under {Root}");
        return Describe(name);
    }

    /// <summary>Adds a new hotkey from a fresh mnemonic of <paramref name="words"/> words and returns it with its mnemonic.</summary>
    public GeneratedKey NewHotkey(
        string wallet,
        string hotkey,
        int words = WalletMnemonic.DefaultWordCount,
        bool overwrite = false
    )
    {
        var path = HotkeyPath(wallet, hotkey);
        if (!overwrite)
            RefuseExistingHotkey(wallet, hotkey, path);
        var mnemonic = WalletMnemonic.Generate(words);
        return new GeneratedKey(WriteHotkey(path, WalletMnemonic.ToSeed(mnemonic)), mnemonic);
    }

    /// <summary>
    /// Restores the coldkey of <paramref name="name"/> from a mnemonic or a 64-hex-digit seed, encrypted under
    /// <paramref name="password"/>, and rewrites coldkeypub.txt. Without <paramref name="overwrite"/> it refuses to
    /// replace an existing coldkey, or a coldkeypub.txt that names a different address.
    /// </summary>
    public Address RegenColdkey(string name, string mnemonicOrSeed, string password, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(password);
        return RegenColdkey(name, mnemonicOrSeed, () => password, overwrite);
    }

    /// <summary>Like <see cref="RegenColdkey(string, string, string, bool)"/>, asking for the password only after every other check passed.</summary>
    public Address RegenColdkey(string name, string mnemonicOrSeed, Func<string> password, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(mnemonicOrSeed);
        ArgumentNullException.ThrowIfNull(password);
        var coldkeyPath = ColdkeyPath(name);
        var seed = WalletMnemonic.SeedFromMnemonicOrHex(mnemonicOrSeed);
        try
        {
            if (!overwrite)
            {
                Address restored;
                using (var key = KeyPair.FromSeed(seed))
                    restored = key.Address;
                RefuseExistingColdkey(name, coldkeyPath, restored);
            }
            var secret = RequirePassword(password());
            return WriteColdkey(name, seed, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Restores hotkey <paramref name="hotkey"/> of <paramref name="wallet"/> from a mnemonic or a 64-hex-digit seed.</summary>
    public Address RegenHotkey(string wallet, string hotkey, string mnemonicOrSeed, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(mnemonicOrSeed);
        var path = HotkeyPath(wallet, hotkey);
        var seed = WalletMnemonic.SeedFromMnemonicOrHex(mnemonicOrSeed);
        if (!overwrite)
            RefuseExistingHotkey(wallet, hotkey, path);
        return WriteHotkey(path, seed);
    }

    /// <summary>
    /// Decrypts the coldkey. Throws <see cref="WalletException"/>: NotFound, InsecurePermissions (mode looser than
    /// 0600), WrongPassword or CorruptFile. The caller disposes the key.
    /// </summary>
    public KeyPair LoadColdkey(string name, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return LoadColdkey(name, () => password);
    }

    /// <summary>Like <see cref="LoadColdkey(string, string)"/>, asking for the password only once the keystore was found and its permissions checked.</summary>
    public KeyPair LoadColdkey(string name, Func<string> password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var path = ColdkeyPath(name);
        var file = ReadSecret(path, $"wallet '{name}' has no coldkey ({path} not found)");
        var seed = ColdkeyKeystore.Open(file, password(), name, path);
        try
        {
            return KeyPair.FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Loads a hotkey. Throws <see cref="WalletException"/>: NotFound, InsecurePermissions or CorruptFile. The caller disposes the key.</summary>
    public KeyPair LoadHotkey(string wallet, string hotkey)
    {
        var path = HotkeyPath(wallet, hotkey);
        var file = ReadSecret(path, $"wallet '{wallet}' has no hotkey '{hotkey}' ({path} not found)");
        try
        {
            return HotkeyFile.Deserialize(file, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }
    }

    /// <summary>The coldkey's address from coldkeypub.txt; needs no password.</summary>
    public Address ColdkeyAddress(string name)
    {
        var path = ColdkeyPubPath(name);
        if (!File.Exists(path))
            throw new WalletException(
                WalletErrorKind.NotFound,
                $"wallet '{name}' has no coldkey address ({path} not found)"
            );
        return ReadColdkeyPub(path);
    }

    private WalletInfo Describe(string name)
    {
        var pubPath = ColdkeyPubPath(name);
        Address? coldkey = null;
        if (File.Exists(pubPath))
        {
            try
            {
                coldkey = ReadColdkeyPub(pubPath);
            }
            catch (WalletException) { }
        }
        var hotkeys = new List<HotkeyInfo>();
        var hotkeyDirectory = Path.Combine(WalletDirectory(name), HotkeysDirectoryName);
        if (Directory.Exists(hotkeyDirectory))
        {
            foreach (
                var hotkey in Directory
                    .EnumerateFiles(hotkeyDirectory)
                    .Select(Path.GetFileName)
                    .OfType<string>()
                    .Where(WalletName.IsValid)
                    .Order(StringComparer.Ordinal)
            )
            {
                Address? address = null;
                try
                {
                    address = HotkeyFile.ReadAddress(File.ReadAllBytes(Path.Combine(hotkeyDirectory, hotkey)), hotkey);
                }
                catch (Exception e) when (e is WalletException or IOException or UnauthorizedAccessException) { }
                hotkeys.Add(new HotkeyInfo(hotkey, address));
            }
        }
        return new WalletInfo(name, WalletDirectory(name), coldkey, File.Exists(ColdkeyPath(name)), hotkeys);
    }

    private static Address ReadColdkeyPub(string path)
    {
        var text = File.ReadAllText(path).Trim();
        return Address.TryParse(text, out var address, out var error)
            ? address
            : throw new WalletException(WalletErrorKind.CorruptFile, $"corrupt coldkeypub file {path}: {error}");
    }

    private Address WriteColdkey(string name, byte[] seed, string password)
    {
        try
        {
            var keystore = ColdkeyKeystore.Seal(seed, password, Kdf);
            Address address;
            using (var key = KeyPair.FromSeed(seed))
                address = key.Address;
            SecureFile.WriteAtomically(ColdkeyPath(name), keystore);
            SecureFile.WriteAtomically(ColdkeyPubPath(name), Encoding.UTF8.GetBytes(address + "\n"));
            return address;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static Address WriteHotkey(string path, byte[] seed)
    {
        try
        {
            using var key = KeyPair.FromSeed(seed);
            var file = HotkeyFile.Serialize(key);
            try
            {
                SecureFile.WriteAtomically(path, file);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(file);
            }
            return key.Address;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private void RefuseExistingColdkey(string name, string coldkeyPath, Address? restoring)
    {
        if (File.Exists(coldkeyPath))
            throw new WalletException(
                WalletErrorKind.AlreadyExists,
                $"wallet '{name}' already has a coldkey at {coldkeyPath}; pass --overwrite to replace it (make sure its mnemonic is backed up)"
            );
        var pubPath = ColdkeyPubPath(name);
        if (!File.Exists(pubPath))
            return;
        Address? existing = null;
        try
        {
            existing = ReadColdkeyPub(pubPath);
        }
        catch (WalletException) { }
        if (restoring is null || existing != restoring)
            throw new WalletException(
                WalletErrorKind.AlreadyExists,
                $"wallet '{name}' already has a coldkey address at {pubPath} for a different key; pass --overwrite to replace it"
            );
    }

    private static void RefuseExistingHotkey(string wallet, string hotkey, string path)
    {
        if (File.Exists(path))
            throw new WalletException(
                WalletErrorKind.AlreadyExists,
                $"wallet '{wallet}' already has a hotkey '{hotkey}' at {path}; pass --overwrite to replace it (make sure its mnemonic is backed up)"
            );
    }

    private static string RequirePassword(string? password) =>
        string.IsNullOrEmpty(password)
            ? throw new WalletException(WalletErrorKind.InvalidInput, "the coldkey password must not be empty")
            : password;

    private static byte[] ReadSecret(string path, string notFound)
    {
        if (!File.Exists(path))
            throw new WalletException(WalletErrorKind.NotFound, notFound);
        SecureFile.EnsurePrivate(path);
        return File.ReadAllBytes(path);
    }
}
