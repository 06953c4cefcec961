using System.CommandLine;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using Veritensor.Cli;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet.Tests;

[NetworkTest]
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class WalletCliTests : IDisposable
{
    private const string Password = "cli password";
    private readonly TestDirectory _temp = new();
    private readonly string? _savedPassword = Environment.GetEnvironmentVariable(PasswordSource.EnvironmentVariable);

    public WalletCliTests()
    {
        Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, Password);
        WalletAccess.KdfOverrideForTests = TestKdf.Cheap;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, _savedPassword);
        WalletAccess.KdfOverrideForTests = null;
        _temp.Dispose();
    }

    private string WalletPath => _temp.Combine("wallets");

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private Task<(int Code, string Output, string Error)> Wallet(params string[] args) =>
        Run(["wallet", .. args, "--wallet-path", WalletPath]);

    private static string Field(string output, string label)
    {
        var match = Regex.Match(output, "^" + Regex.Escape(label) + @":\s+(.+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}:' line in:\n{output}");
        return match.Groups[1].Value.Trim();
    }

    private static Address AddressOf(string mnemonic)
    {
        using var key = KeyPair.FromSeed(WalletMnemonic.ToSeed(mnemonic));
        return key.Address;
    }

    [Fact]
    public async Task Create_prints_the_addresses_and_mnemonics_with_a_warning()
    {
        var (code, output, error) = await Wallet("create", "-w", "alice", "--hotkey", "miner");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("write the mnemonic(s) below on paper", output, StringComparison.Ordinal);
        var coldkey = Field(output, "coldkey address");
        var coldMnemonic = Field(output, "coldkey mnemonic");
        Assert.Equal(12, coldMnemonic.Split(' ').Length);
        Assert.Equal(coldkey, AddressOf(coldMnemonic).ToString());
        Assert.Equal(
            Field(output, "hotkey 'miner' address"),
            AddressOf(Field(output, "hotkey 'miner' mnemonic")).ToString()
        );
        Assert.Equal(coldkey, new WalletStore(WalletPath).ColdkeyAddress("alice").ToString());
    }

    [Fact]
    public async Task Create_with_json_prints_parseable_output_and_honours_words()
    {
        var (code, output, _) = await Run(
            "wallet",
            "create",
            "--wallet",
            "alice",
            "--words",
            "24",
            "--wallet-path",
            WalletPath,
            "--json"
        );
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("alice", root.GetProperty("wallet").GetString());
        var coldMnemonic = root.GetProperty("coldkey").GetProperty("mnemonic").GetString()!;
        Assert.Equal(24, coldMnemonic.Split(' ').Length);
        Assert.Equal(
            root.GetProperty("coldkey").GetProperty("address").GetString(),
            AddressOf(coldMnemonic).ToString()
        );
        Assert.Equal("default", root.GetProperty("hotkey").GetProperty("name").GetString());
        Assert.Equal(
            root.GetProperty("hotkey").GetProperty("address").GetString(),
            AddressOf(root.GetProperty("hotkey").GetProperty("mnemonic").GetString()!).ToString()
        );
        Assert.Contains("only way to restore", root.GetProperty("warning").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_the_created_wallet_as_a_table_and_as_json()
    {
        var (_, created, _) = await Wallet("create", "-w", "alice");
        await Wallet("new-hotkey", "-w", "alice", "--hotkey", "second");
        var coldkey = Field(created, "coldkey address");

        var (code, table, _) = await Wallet("list");
        Assert.Equal(0, code);
        var row = Assert.Single(table.Split('\n'), line => line.Contains("alice", StringComparison.Ordinal));
        Assert.Contains(coldkey, row, StringComparison.Ordinal);
        Assert.Contains("default, second", row, StringComparison.Ordinal);

        var (_, json, _) = await Wallet("list", "--json");
        using var document = JsonDocument.Parse(json);
        var wallet = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("alice", wallet.GetProperty("name").GetString());
        Assert.Equal(coldkey, wallet.GetProperty("coldkeyAddress").GetString());
        Assert.Equal(
            ["default", "second"],
            wallet.GetProperty("hotkeys").EnumerateArray().Select(h => h.GetProperty("name").GetString()!).ToArray()
        );
    }

    [Fact]
    public async Task List_of_an_empty_wallet_path_says_so()
    {
        var (code, output, _) = await Wallet("list");
        Assert.Equal(0, code);
        Assert.Contains("(no wallets under", output, StringComparison.Ordinal);
        var (_, json, _) = await Wallet("list", "--json");
        using var document = JsonDocument.Parse(json);
        Assert.Equal(0, document.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Show_prints_the_coldkey_address_and_every_hotkey_address()
    {
        var (_, created, _) = await Wallet("create", "-w", "alice");
        var (_, hotkey, _) = await Wallet("new-hotkey", "-w", "alice", "--hotkey", "validator");
        var (code, output, _) = await Wallet("show", "-w", "alice");
        Assert.Equal(0, code);
        Assert.Contains(Field(created, "coldkey address"), output, StringComparison.Ordinal);
        Assert.Contains(Field(created, "hotkey 'default' address"), output, StringComparison.Ordinal);
        Assert.Contains(Field(hotkey, "hotkey address"), output, StringComparison.Ordinal);
        Assert.Contains("hotkey 'validator'", output, StringComparison.Ordinal);

        var (_, json, _) = await Wallet("show", "-w", "alice", "--json");
        using var document = JsonDocument.Parse(json);
        Assert.Equal(Field(created, "coldkey address"), document.RootElement.GetProperty("coldkeyAddress").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("hotkeys").GetArrayLength());
    }

    [Fact]
    public async Task Creating_an_existing_wallet_fails_unless_overwrite_is_given()
    {
        var (_, first, _) = await Wallet("create", "-w", "alice");
        var (code, output, error) = await Wallet("create", "-w", "alice");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: wallet 'alice' already has a coldkey at ", error, StringComparison.Ordinal);
        Assert.Contains("--overwrite", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));

        var (_, json, _) = await Wallet("create", "-w", "alice", "--json");
        using (var document = JsonDocument.Parse(json))
            Assert.StartsWith(
                "wallet 'alice' already has a coldkey",
                document.RootElement.GetProperty("error").GetString(),
                StringComparison.Ordinal
            );

        var (again, second, _) = await Wallet("create", "-w", "alice", "--overwrite");
        Assert.Equal(0, again);
        Assert.NotEqual(Field(first, "coldkey address"), Field(second, "coldkey address"));
    }

    [Fact]
    public async Task Regen_restores_the_printed_mnemonic_or_seed_to_the_same_addresses()
    {
        var (_, created, _) = await Wallet("create", "-w", "alice");
        var coldMnemonic = Field(created, "coldkey mnemonic");
        var hotSeed =
            "0x" + Convert.ToHexStringLower(WalletMnemonic.ToSeed(Field(created, "hotkey 'default' mnemonic")));

        var (code, restored, error) = await Wallet("regen-coldkey", "-w", "restored", "--mnemonic", coldMnemonic);
        Assert.True(code == 0, error);
        Assert.Equal(Field(created, "coldkey address"), Field(restored, "coldkey address"));

        var (_, hotkey, _) = await Wallet(
            "regen-hotkey",
            "-w",
            "restored",
            "--hotkey",
            "default",
            "--seed",
            hotSeed,
            "--json"
        );
        using var document = JsonDocument.Parse(hotkey);
        Assert.Equal(
            Field(created, "hotkey 'default' address"),
            document.RootElement.GetProperty("address").GetString()
        );

        var (refused, _, refusal) = await Wallet("regen-coldkey", "-w", "restored", "--mnemonic", coldMnemonic);
        Assert.Equal(1, refused);
        Assert.Contains("--overwrite", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("regen-coldkey")]
    [InlineData("regen-hotkey")]
    public async Task Regen_needs_exactly_one_of_mnemonic_and_seed(string command)
    {
        var (neither, _, error) = await Wallet(command, "-w", "alice");
        Assert.Equal(1, neither);
        Assert.StartsWith("error: give the key to restore with --mnemonic", error, StringComparison.Ordinal);

        var (both, _, error2) = await Wallet(
            command,
            "-w",
            "alice",
            "--mnemonic",
            WalletMnemonic.Generate(),
            "--seed",
            new string('a', 64)
        );
        Assert.Equal(1, both);
        Assert.Equal("error: give either --mnemonic or --seed, not both", error2.TrimEnd());
        Assert.False(Directory.Exists(WalletPath));
    }

    [Fact]
    public async Task An_invalid_mnemonic_or_seed_is_a_one_line_error()
    {
        var (code, _, error) = await Wallet(
            "regen-coldkey",
            "-w",
            "alice",
            "--mnemonic",
            string.Join(' ', Enumerable.Repeat("abandon", 12))
        );
        Assert.Equal(1, code);
        Assert.Equal(
            "error: invalid mnemonic: the checksum does not match (a word is mistyped or out of order)",
            error.TrimEnd()
        );

        var (seedCode, _, seedError) = await Wallet("regen-hotkey", "-w", "alice", "--seed", "0x1234");
        Assert.Equal(1, seedCode);
        Assert.StartsWith("error: invalid seed: expected 64 hex digits", seedError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_password_variable_or_terminal_create_fails_clearly_and_writes_nothing()
    {
        Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, null);
        var (code, _, error) = await Wallet("create", "-w", "alice");
        Assert.Equal(1, code);
        Assert.Equal("error: no password: set VERITENSOR_PASSWORD or run in a terminal", error.TrimEnd());
        Assert.False(File.Exists(Path.Combine(WalletPath, "alice", "coldkey")));
    }

    [Theory]
    [InlineData("create", "-w", "bad/name")]
    [InlineData("create", "-w", "alice", "--hotkey", "..")]
    [InlineData("show", "-w", "x y")]
    public async Task Invalid_names_are_one_line_errors(params string[] args)
    {
        var (code, _, error) = await Wallet(args);
        Assert.Equal(1, code);
        Assert.Matches("^error: invalid (wallet|hotkey) name '.*': use 1 to 64 characters", error);
    }

    [Fact]
    public async Task Words_other_than_12_or_24_are_refused()
    {
        var (code, _, error) = await Wallet("create", "-w", "alice", "--words", "15");
        Assert.Equal(1, code);
        Assert.Equal("error: a new mnemonic has 12 or 24 words, not 15", error.TrimEnd());
    }

    [Fact]
    public async Task Wallet_access_loads_the_keys_a_signing_command_needs()
    {
        var (_, created, _) = await Wallet("create", "-w", "alice", "--hotkey", "miner");
        var access = new WalletAccess();
        var command = new Command("sign");
        access.AddTo(command);
        var parsed = command.Parse(["-w", "alice", "--hotkey", "miner", "--wallet-path", WalletPath]);
        var context = new CliContext(TextWriter.Null, TextWriter.Null, json: false);

        using (var coldkey = access.LoadColdkey(parsed, context))
            Assert.Equal(Field(created, "coldkey address"), coldkey.Address.ToString());
        using (var hotkey = access.LoadHotkey(parsed))
            Assert.Equal(Field(created, "hotkey 'miner' address"), hotkey.Address.ToString());
        Assert.Equal(Field(created, "coldkey address"), access.ColdkeyAddress(parsed).ToString());

        Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, "not the password");
        var e = Assert.Throws<CliException>(() => access.LoadColdkey(parsed, context));
        Assert.Equal("wrong password for coldkey of wallet 'alice'", e.Message);
        Assert.IsType<WalletException>(e.InnerException);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Created_files_are_private_on_unix()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        await Wallet("create", "-w", "alice");
        var files = Directory.GetFiles(WalletPath, "*", SearchOption.AllDirectories);
        Assert.Equal(3, files.Length);
        Assert.All(files, file =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file))
        );
    }
}
