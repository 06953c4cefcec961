using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet.Tests;

[UnitTest]
public sealed class WalletStoreTests : IDisposable
{
    private const string Password = "hunter2hunter2";
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;
    private readonly TestDirectory _temp = new();
    private readonly WalletStore _store;

    public WalletStoreTests() => _store = new WalletStore(_temp.Combine("wallets"), TestKdf.Cheap);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_writes_the_documented_layout()
    {
        _store.Create("alice", Password);
        Assert.True(File.Exists(_temp.Combine("wallets", "alice", "coldkey")));
        Assert.True(File.Exists(_temp.Combine("wallets", "alice", "coldkeypub.txt")));
        Assert.True(File.Exists(_temp.Combine("wallets", "alice", "hotkeys", "default")));
    }

    [Fact]
    public void The_returned_mnemonics_restore_the_same_addresses_by_mnemonic_and_by_seed()
    {
        var created = _store.Create("alice", Password, hotkeyName: "miner");
        using var other = new TestDirectory("veritensor-wallet");
        var restored = new WalletStore(other.Path, TestKdf.Cheap);

        Assert.Equal(
            created.Coldkey.Address,
            restored.RegenColdkey("fromwords", created.Coldkey.Mnemonic, "another password")
        );
        var seedHex = "0x" + Convert.ToHexStringLower(WalletMnemonic.ToSeed(created.Coldkey.Mnemonic));
        Assert.Equal(created.Coldkey.Address, restored.RegenColdkey("fromseed", seedHex, "another password"));
        Assert.Equal(created.Hotkey.Address, restored.RegenHotkey("fromwords", "miner", created.Hotkey.Mnemonic));
        Assert.Equal(
            created.Hotkey.Address,
            restored.RegenHotkey(
                "fromseed",
                "miner",
                Convert.ToHexStringLower(WalletMnemonic.ToSeed(created.Hotkey.Mnemonic))
            )
        );

        using var cold = restored.LoadColdkey("fromseed", "another password");
        using var hot = restored.LoadHotkey("fromwords", "miner");
        Assert.Equal(created.Coldkey.Address, cold.Address);
        Assert.Equal(created.Hotkey.Address, hot.Address);
    }

    [Fact]
    public void Coldkey_and_hotkey_come_from_different_mnemonics()
    {
        var created = _store.Create("alice", Password, words: 24);
        Assert.NotEqual(created.Coldkey.Mnemonic, created.Hotkey.Mnemonic);
        Assert.NotEqual(created.Coldkey.Address, created.Hotkey.Address);
        Assert.Equal(24, created.Coldkey.Mnemonic.Split(' ').Length);
        Assert.Equal(24, created.Hotkey.Mnemonic.Split(' ').Length);
    }

    [Fact]
    public void The_loaded_coldkey_matches_coldkeypub_and_signs()
    {
        var created = _store.Create("alice", Password);
        using var key = _store.LoadColdkey("alice", Password);
        Assert.Equal(created.Coldkey.Address, key.Address);
        Assert.Equal(created.Coldkey.Address, _store.ColdkeyAddress("alice"));
        var message = "transfer 1 VTS"u8.ToArray();
        Assert.True(_store.ColdkeyAddress("alice").Verify(message, key.Sign(message)));
    }

    [Fact]
    public void A_wrong_password_gives_the_clear_error_and_no_key()
    {
        _store.Create("alice", Password);
        KeyPair? key = null;
        var e = Assert.Throws<WalletException>(() => key = _store.LoadColdkey("alice", Password + "!"));
        Assert.Null(key);
        Assert.Equal(WalletErrorKind.WrongPassword, e.Kind);
        Assert.Equal("wrong password for coldkey of wallet 'alice'", e.Message);
    }

    [Fact]
    public void A_damaged_keystore_on_disk_is_reported_with_its_path()
    {
        _store.Create("alice", Password);
        var path = _store.ColdkeyPath("alice");
        var json = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        var hex = ((string)json["ciphertext"]!).ToCharArray();
        hex[7] = hex[7] == 'a' ? 'b' : 'a';
        json["ciphertext"] = new string(hex);
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<WalletException>(() => _store.LoadColdkey("alice", Password));
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.StartsWith($"corrupt keystore file {path}: ", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);
        Assert.Equal(
            WalletErrorKind.CorruptFile,
            Assert.Throws<WalletException>(() => _store.LoadColdkey("alice", Password)).Kind
        );
    }

    [UnsupportedOSPlatform("windows")]
    [Fact]
    public void Files_are_private_directories_are_0700_and_no_temp_files_remain()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        _store.Create("alice", Password);
        _store.NewHotkey("alice", "second");
        _store.RegenColdkey("alice", WalletMnemonic.Generate(), Password, overwrite: true);

        var walletDirectory = _store.WalletDirectory("alice");
        var files = Directory
            .GetFiles(walletDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(walletDirectory, f))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            new[]
            {
                "coldkey",
                "coldkeypub.txt",
                Path.Combine("hotkeys", "default"),
                Path.Combine("hotkeys", "second"),
            },
            files
        );
        foreach (var file in Directory.GetFiles(walletDirectory, "*", SearchOption.AllDirectories))
            Assert.Equal(PrivateFile, File.GetUnixFileMode(file));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(walletDirectory));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(Path.Combine(walletDirectory, "hotkeys")));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(_store.Root));
    }

    [UnsupportedOSPlatform("windows")]
    [Theory]
    [InlineData("coldkey", UnixFileMode.GroupRead | UnixFileMode.OtherRead, "644")]
    [InlineData("coldkey", UnixFileMode.GroupRead, "640")]
    [InlineData("coldkey", UnixFileMode.OtherWrite, "602")]
    [InlineData("hotkey", UnixFileMode.GroupRead | UnixFileMode.OtherRead, "644")]
    public void A_key_file_readable_by_others_is_refused_with_a_chmod_hint(
        string which,
        UnixFileMode extra,
        string mode
    )
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        _store.Create("alice", Password);
        var path = which == "coldkey" ? _store.ColdkeyPath("alice") : _store.HotkeyPath("alice", "default");
        File.SetUnixFileMode(path, PrivateFile | extra);

        var e = Assert.Throws<WalletException>(() =>
        {
            using var key =
                which == "coldkey" ? _store.LoadColdkey("alice", Password) : _store.LoadHotkey("alice", "default");
        });
        Assert.Equal(WalletErrorKind.InsecurePermissions, e.Kind);
        Assert.Contains($"(mode {mode})", e.Message, StringComparison.Ordinal);
        Assert.Contains($"run `chmod 600 {path}`", e.Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, PrivateFile);
        using var loaded =
            which == "coldkey" ? _store.LoadColdkey("alice", Password) : _store.LoadHotkey("alice", "default");
        Assert.NotNull(loaded);
    }

    [Fact]
    public void Create_refuses_to_overwrite_a_wallet_and_leaves_it_untouched()
    {
        var first = _store.Create("alice", Password);
        var before = File.ReadAllBytes(_store.ColdkeyPath("alice"));
        var asked = false;

        var e = Assert.Throws<WalletException>(() => _store.Create("alice", () =>
            {
                asked = true;
                return Password;
            }));
        Assert.Equal(WalletErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("already has a coldkey", e.Message, StringComparison.Ordinal);
        Assert.Contains("--overwrite", e.Message, StringComparison.Ordinal);
        Assert.False(asked);
        Assert.Equal(before, File.ReadAllBytes(_store.ColdkeyPath("alice")));

        var second = _store.Create("alice", Password, overwrite: true);
        Assert.NotEqual(first.Coldkey.Address, second.Coldkey.Address);
        Assert.Equal(second.Coldkey.Address, _store.ColdkeyAddress("alice"));
    }

    [Fact]
    public void Create_refuses_when_only_the_hotkey_exists_and_writes_nothing()
    {
        _store.RegenHotkey("alice", "default", WalletMnemonic.Generate());
        var e = Assert.Throws<WalletException>(() => _store.Create("alice", Password));
        Assert.Contains("already has a hotkey 'default'", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.ColdkeyPath("alice")));
    }

    [Fact]
    public void New_hotkey_and_regen_hotkey_refuse_to_overwrite_without_the_flag()
    {
        _store.Create("alice", Password);
        var original = _store.NewHotkey("alice", "miner");
        Assert.Equal(
            WalletErrorKind.AlreadyExists,
            Assert.Throws<WalletException>(() => _store.NewHotkey("alice", "miner")).Kind
        );
        Assert.Equal(
            WalletErrorKind.AlreadyExists,
            Assert.Throws<WalletException>(() => _store.RegenHotkey("alice", "miner", WalletMnemonic.Generate())).Kind
        );
        using (var key = _store.LoadHotkey("alice", "miner"))
            Assert.Equal(original.Address, key.Address);

        var replaced = _store.NewHotkey("alice", "miner", overwrite: true);
        using var now = _store.LoadHotkey("alice", "miner");
        Assert.Equal(replaced.Address, now.Address);
        Assert.NotEqual(original.Address, now.Address);
    }

    [Fact]
    public void Regen_coldkey_refuses_to_replace_a_coldkey_without_the_flag()
    {
        var created = _store.Create("alice", Password);
        var e = Assert.Throws<WalletException>(() => _store.RegenColdkey("alice", created.Coldkey.Mnemonic, Password));
        Assert.Equal(WalletErrorKind.AlreadyExists, e.Kind);
        Assert.Equal(
            created.Coldkey.Address,
            _store.RegenColdkey("alice", created.Coldkey.Mnemonic, "new password", overwrite: true)
        );
        using var key = _store.LoadColdkey("alice", "new password");
        Assert.Equal(created.Coldkey.Address, key.Address);
    }

    [Fact]
    public void Regen_coldkey_completes_a_watch_only_wallet_but_not_with_a_different_key()
    {
        var created = _store.Create("alice", Password);
        File.Delete(_store.ColdkeyPath("alice")); // a server that holds only coldkeypub.txt and hotkeys

        var e = Assert.Throws<WalletException>(() => _store.RegenColdkey("alice", WalletMnemonic.Generate(), Password));
        Assert.Equal(WalletErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("different key", e.Message, StringComparison.Ordinal);
        Assert.Equal(created.Coldkey.Address, _store.ColdkeyAddress("alice"));

        Assert.Equal(created.Coldkey.Address, _store.RegenColdkey("alice", created.Coldkey.Mnemonic, Password));
        using var key = _store.LoadColdkey("alice", Password);
        Assert.Equal(created.Coldkey.Address, key.Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("naïve")]
    [InlineData("x\n")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65 characters
    public void Invalid_names_are_refused_before_touching_the_disk(string name)
    {
        var wallet = Assert.Throws<WalletException>(() => _store.Create(name, Password));
        Assert.Equal(WalletErrorKind.InvalidInput, wallet.Kind);
        Assert.Equal(
            $"invalid wallet name '{name}': use 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'",
            wallet.Message
        );

        var hotkey = Assert.Throws<WalletException>(() => _store.NewHotkey("alice", name));
        Assert.StartsWith($"invalid hotkey name '{name}'", hotkey.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Miner_01-b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 64 characters
    public void Valid_names_are_accepted(string name)
    {
        var created = _store.Create(name, Password, hotkeyName: name);
        Assert.Equal(created.Coldkey.Address, _store.ColdkeyAddress(name));
    }

    [Fact]
    public void An_empty_password_is_refused_and_nothing_is_written()
    {
        var e = Assert.Throws<WalletException>(() => _store.Create("alice", ""));
        Assert.Equal("the coldkey password must not be empty", e.Message);
        Assert.False(File.Exists(_store.ColdkeyPath("alice")));
    }

    [Fact]
    public void List_is_empty_when_the_directory_does_not_exist() => Assert.Empty(_store.List());

    [Fact]
    public void List_shows_wallets_sorted_with_their_hotkeys_and_skips_other_directories()
    {
        var bob = _store.Create("bob", Password);
        var alice = _store.Create("alice", Password, hotkeyName: "validator");
        var miner = _store.NewHotkey("alice", "miner");
        Directory.CreateDirectory(Path.Combine(_store.Root, "empty"));
        Directory.CreateDirectory(Path.Combine(_store.Root, "not a wallet", "hotkeys"));

        var wallets = _store.List();
        Assert.Equal(new[] { "alice", "bob" }, wallets.Select(w => w.Name));
        Assert.Equal(alice.Coldkey.Address, wallets[0].ColdkeyAddress);
        Assert.True(wallets[0].HasColdkey);
        Assert.Equal(
            new[] { new HotkeyInfo("miner", miner.Address), new HotkeyInfo("validator", alice.Hotkey.Address) },
            wallets[0].Hotkeys
        );
        Assert.Equal(bob.Coldkey.Address, wallets[1].ColdkeyAddress);
    }

    [Fact]
    public void Show_describes_one_wallet_and_reports_a_missing_one()
    {
        var created = _store.Create("alice", Password);
        var info = _store.Show("alice");
        Assert.Equal(created.Coldkey.Address, info.ColdkeyAddress);
        Assert.Equal(new[] { new HotkeyInfo("default", created.Hotkey.Address) }, info.Hotkeys);

        var e = Assert.Throws<WalletException>(() => _store.Show("nobody"));
        Assert.Equal(WalletErrorKind.NotFound, e.Kind);
        Assert.Equal($"no wallet 'nobody' under {_store.Root}", e.Message);
    }

    [Fact]
    public void Missing_keys_are_reported_as_not_found()
    {
        Assert.Equal(
            WalletErrorKind.NotFound,
            Assert.Throws<WalletException>(() => _store.LoadColdkey("ghost", Password)).Kind
        );
        Assert.Equal(
            WalletErrorKind.NotFound,
            Assert.Throws<WalletException>(() => _store.LoadHotkey("ghost", "default")).Kind
        );
        var e = Assert.Throws<WalletException>(() => _store.ColdkeyAddress("ghost"));
        Assert.Contains("coldkeypub.txt not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hotkey_file_whose_seed_does_not_match_its_address_is_corrupt()
    {
        _store.Create("alice", Password);
        var path = _store.HotkeyPath("alice", "default");
        var json = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        Assert.Equal(64, ((string)json["seed"]!).Length);
        using var other = KeyPair.FromDevelopmentName("mallory");
        json["address"] = other.Address.ToString();
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(json.ToJsonString()));

        var e = Assert.Throws<WalletException>(() => _store.LoadHotkey("alice", "default"));
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.Equal($"corrupt hotkey file {path}: the seed does not match the address in the file", e.Message);
    }

    [Fact]
    public void Keystores_record_the_store_kdf_parameters()
    {
        var store = new WalletStore(_temp.Combine("costly"), new KdfParameters(256, 2));
        store.Create("alice", Password);
        var kdf = JsonNode.Parse(File.ReadAllBytes(store.ColdkeyPath("alice")))!["kdf"]!;
        Assert.Equal(256, (long)kdf["memoryKiB"]!);
        Assert.Equal(2, (long)kdf["passes"]!);
        using var loaded = new WalletStore(store.Root, TestKdf.Cheap).LoadColdkey("alice", Password);
        Assert.Equal(store.ColdkeyAddress("alice"), loaded.Address);
    }

    [Fact]
    public void The_default_kdf_is_64_MiB_and_3_passes() =>
        Assert.Equal(new KdfParameters(65536, 3), new WalletStore(_temp.Path).Kdf);
}
