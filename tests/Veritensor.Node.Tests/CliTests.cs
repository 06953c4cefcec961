using System.Text.Json;
using Veritensor.Cli;
using Veritensor.Cli.Bench;
using Veritensor.Cli.Devnet;
using Veritensor.Node.Hosting;

namespace Veritensor.Node.Tests;

/// <summary>Tests that change process-wide environment variables run one at a time.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>The <c>veritensor</c> commands against a real node on loopback, producing a block every 50 ms.</summary>
[NetworkTest]
[Collection(nameof(EnvironmentCollection))]
public sealed class CliTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(BlockProductionMode.Interval, blockIntervalMs: 50);
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", DevnetLayout.Password);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", null);
        await _node.DisposeAsync();
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var all = args.Concat(["--node", _node.Url]).ToArray();
        var code = await CliApp.RunAsync(all, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Status_prints_the_chain_as_json()
    {
        var (code, output, _) = await RunAsync("status", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("veritensor-devnet", json.RootElement.GetProperty("chainId").GetString());
        Assert.Equal("interval", json.RootElement.GetProperty("blockProduction").GetString());
    }

    [Fact]
    public async Task Transfer_with_wait_prints_the_receipt_and_balance_shows_the_new_amount()
    {
        var bob = _node.Account("bob").Coldkey.ToString();
        var (code, output, error) = await RunAsync(
            "transfer",
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath,
            "--to",
            bob,
            "--amount",
            "12.5",
            "--wait",
            "--json"
        );
        Assert.True(code == 0, error);
        using var receipt = JsonDocument.Parse(output);
        Assert.Equal("included", receipt.RootElement.GetProperty("status").GetString());
        Assert.Equal("12.500000000", receipt.RootElement.GetProperty("transaction").GetProperty("amount").GetString());
        var id = receipt.RootElement.GetProperty("id").GetString()!;

        var (_, balance, _) = await RunAsync("balance", bob, "--json");
        using var account = JsonDocument.Parse(balance);
        Assert.Equal("1000012.500000000", account.RootElement.GetProperty("balance").GetString());

        var (showCode, shown, _) = await RunAsync("tx", "show", id);
        Assert.Equal(0, showCode);
        Assert.Contains("included", shown, StringComparison.Ordinal);
        Assert.Contains(bob, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Balance_of_a_wallet_reads_its_coldkey_address_without_a_password()
    {
        var (code, output, _) = await RunAsync(
            "balance",
            "--wallet",
            "charlie",
            "--wallet-path",
            _node.WalletPath,
            "--json"
        );
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(_node.Account("charlie").Coldkey.ToString(), json.RootElement.GetProperty("address").GetString());
    }

    [Fact]
    public async Task Stake_add_and_remove_move_tokens_between_balance_and_the_hotkey()
    {
        var hotkey = _node.Account("validator").Hotkey.ToString();
        var (addCode, _, addError) = await RunAsync(
            "stake",
            "add",
            "--wallet",
            "bob",
            "--wallet-path",
            _node.WalletPath,
            "--hotkey-address",
            hotkey,
            "--amount",
            "40",
            "--wait"
        );
        Assert.True(addCode == 0, addError);
        var (removeCode, _, removeError) = await RunAsync(
            "stake",
            "remove",
            "--wallet",
            "bob",
            "--wallet-path",
            _node.WalletPath,
            "--hotkey-address",
            hotkey,
            "--amount",
            "15",
            "--wait"
        );
        Assert.True(removeCode == 0, removeError);
        var (_, output, _) = await RunAsync("balance", _node.Account("bob").Coldkey.ToString(), "--json");
        using var json = JsonDocument.Parse(output);
        Assert.Equal("25.000000000", json.RootElement.GetProperty("totalStake").GetString());
    }

    [Fact]
    public async Task Delegate_take_sets_the_hotkeys_take_and_stake_list_shows_the_coldkeys_stakes()
    {
        var hotkey = _node.Account("validator").Hotkey.ToString();
        var before = await RunAsync("balance", hotkey, "--json");
        using (var json = JsonDocument.Parse(before.Output))
            Assert.Equal(11_796, json.RootElement.GetProperty("delegateTake").GetInt32());

        var (code, _, error) = await RunAsync(
            "delegate",
            "take",
            "--wallet",
            "validator",
            "--wallet-path",
            _node.WalletPath,
            "--take-percent",
            "9.5",
            "--wait"
        );
        Assert.True(code == 0, error);
        var after = await RunAsync("balance", hotkey, "--json");
        using (var json = JsonDocument.Parse(after.Output))
            Assert.Equal(6_225, json.RootElement.GetProperty("delegateTake").GetInt32());

        var tooHigh = await RunAsync(
            "delegate",
            "take",
            "--wallet",
            "validator",
            "--wallet-path",
            _node.WalletPath,
            "--take-percent",
            "19"
        );
        Assert.Equal(1, tooHigh.ExitCode);
        Assert.Contains("maximum take", tooHigh.Error, StringComparison.Ordinal);

        var (addCode, _, addError) = await RunAsync(
            "stake",
            "add",
            "--wallet",
            "charlie",
            "--wallet-path",
            _node.WalletPath,
            "--hotkey-address",
            hotkey,
            "--amount",
            "7",
            "--wait"
        );
        Assert.True(addCode == 0, addError);
        var (listCode, list, listError) = await RunAsync(
            "stake",
            "list",
            "--wallet",
            "charlie",
            "--wallet-path",
            _node.WalletPath,
            "--json"
        );
        Assert.True(listCode == 0, listError);
        using var stakes = JsonDocument.Parse(list);
        var entry = Assert.Single(stakes.RootElement.EnumerateArray());
        Assert.Equal(hotkey, entry.GetProperty("hotkey").GetString());
        Assert.Equal("7.000000000", entry.GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Registering_a_new_node_makes_its_hotkey_stakeable()
    {
        var register = await RunAsync(
            "node",
            "register",
            "--wallet",
            "charlie",
            "--wallet-path",
            _node.WalletPath,
            "--roles",
            "inference,verifier",
            "--endpoint",
            "http://127.0.0.1:9700",
            "--wait"
        );
        Assert.True(register.ExitCode == 0, register.Error);
        var (_, output, _) = await RunAsync("balance", _node.Account("charlie").Hotkey.ToString(), "--json");
        using var json = JsonDocument.Parse(output);
        var node = json.RootElement.GetProperty("node");
        Assert.Equal(
            ["inference", "verifier"],
            node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToArray()
        );
        Assert.Equal("http://127.0.0.1:9700", node.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Rejected_transfer_prints_the_error_code_and_exits_1()
    {
        var (code, _, error) = await RunAsync(
            "transfer",
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath,
            "--to",
            _node.Account("bob").Coldkey.ToString(),
            "--amount",
            "5000000"
        );
        Assert.Equal(1, code);
        Assert.StartsWith("error [InsufficientBalance]:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_recipient_address_is_reported_before_anything_is_sent()
    {
        var (code, _, error) = await RunAsync(
            "transfer",
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath,
            "--to",
            "2REVhBadxXJxhovvDLB4xUHHAVZJJZ7BAJvmNcGHKjFwRiSiP83",
            "--amount",
            "1"
        );
        Assert.Equal(1, code);
        Assert.Contains("--to", error, StringComparison.Ordinal);
        Assert.Contains("checksum", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_show_latest_lists_the_head()
    {
        var (code, output, _) = await RunAsync("block", "show", "latest", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(64, json.RootElement.GetProperty("stateRoot").GetString()!.Length);
    }

    [Fact]
    public async Task Unreachable_node_gives_a_clear_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["status", "--node", "http://127.0.0.1:1"], output, error);
        Assert.Equal(1, code);
        Assert.Contains("Cannot reach the node at http://127.0.0.1:1/", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The benchmark command's bookkeeping (not its speed: figures belong in benchmark runs, not tests).</summary>
[NetworkTest]
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_ledger_commits_every_transfer_and_reports_both_rates()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            ["bench", "ledger", "--transactions", "600", "--senders", "12", "--json"],
            output,
            error
        );
        Assert.True(code == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(600, root.GetProperty("transactions").GetInt32());
        Assert.True(root.GetProperty("blocks").GetInt32() >= 1);
        Assert.True(root.GetProperty("verifyCeilingPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("committedPerSecond").GetDouble() > 0);
        Assert.Equal(64, root.GetProperty("stateRoot").GetString()!.Length);
    }

    [Fact]
    public async Task Bench_inference_reports_raw_gateway_and_sdk_rows_for_every_mode_with_their_counts()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            [
                "bench",
                "inference",
                "--requests",
                "20",
                "--warmup",
                "3",
                "--throughput-requests",
                "12",
                "--concurrency",
                "3",
                "--sdk-requests",
                "4",
                "--block-time",
                "50",
                "--json",
            ],
            output,
            error
        );
        Assert.True(code == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(
            ["raw -", "gateway none", "gateway sampled", "gateway full", "sdk none", "sdk sampled", "sdk full"],
            rows.Select(r => r.GetProperty("path").GetString() + " " + r.GetProperty("mode").GetString())
        );
        Assert.All(rows, r =>
        {
            var p50 = r.GetProperty("p50Ms").GetDouble();
            Assert.True(p50 > 0 && p50 <= r.GetProperty("p99Ms").GetDouble());
        });
        Assert.All(rows.Take(4), r =>
        {
            Assert.Equal(20, r.GetProperty("requests").GetInt32());
            Assert.Equal(12, r.GetProperty("throughputRequests").GetInt32());
            Assert.True(r.GetProperty("throughputPerSecond").GetDouble() > 0);
        });
        Assert.All(rows.Skip(4), r => Assert.Equal(4, r.GetProperty("requests").GetInt32()));
        Assert.False(
            rows[0].TryGetProperty("baseline", out var rawBaseline) && rawBaseline.ValueKind != JsonValueKind.Null
        );
        Assert.Equal("raw", rows[1].GetProperty("baseline").GetString());
        Assert.Equal("gateway full", rows[6].GetProperty("baseline").GetString());
        Assert.Equal(
            rows[3].GetProperty("p50Ms").GetDouble() / rows[1].GetProperty("p50Ms").GetDouble(),
            rows[3].GetProperty("p50Ratio").GetDouble(),
            9
        );
        Assert.Equal(
            rows[1].GetProperty("p50Ms").GetDouble() - rows[0].GetProperty("p50Ms").GetDouble(),
            root.GetProperty("gatewayOverheadP50Ms").GetDouble(),
            9
        );
        Assert.Contains(
            "bench: gateway full: 20 sequential, 12 from 3 concurrent clients",
            error.ToString(),
            StringComparison.Ordinal
        );
    }

    /// <summary>
    /// Every bench command, at a tiny size, prints its table (never checked: how fast). The ledger run keeps the default
    /// 2,000 senders, whose genesis once broke the issuance cap and crashed the command.
    /// </summary>
    [Theory]
    [InlineData("ledger --transactions 2000", "committed transfers|ratio to ceiling|state root")]
    [InlineData("yuma --seconds 0.01 --sizes 64x8,128x16", "variant|ms / epoch|classic|yuma3+liquid-alpha|128")]
    [InlineData(
        "inference --requests 3 --warmup 1 --throughput-requests 3 --concurrency 2 --sdk-requests 2 --block-time 50",
        "path|p50 ms|raw|gateway|sdk|sampled|full / none at p50"
    )]
    public async Task Every_bench_command_prints_its_table(string arguments, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["bench", .. arguments.Split(' ')], output, error);
        Assert.True(code == 0, error.ToString());
        foreach (var text in expected.Split('|'))
            Assert.Contains(text, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_error_is_one_line_with_its_code_and_the_stack_trace_only_with_verbose()
    {
        foreach (
            var (exception, code) in new (Exception, string)[]
            {
                (new InvalidOperationException("boom"), "error [InternalError]: InvalidOperationException: boom"),
                (
                    new Ledger.Genesis.GenesisException("emission.maxIssuance is too low"),
                    "error [InvalidGenesis]: emission.maxIssuance is too low"
                ),
            }
        )
        {
            foreach (var verbose in new[] { false, true })
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var root = CliApp.Build(output, error);
                var boom = new System.CommandLine.Command("boom");
                boom.SetAction(new Func<System.CommandLine.ParseResult, int>(_ => throw exception));
                root.Subcommands.Add(boom);
                var exit = await CliApp.InvokeAsync(root, verbose ? ["boom", "--verbose"] : ["boom"], output, error);
                Assert.Equal(1, exit);
                var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(code, lines[0]);
                if (verbose)
                    Assert.Contains("   at ", error.ToString(), StringComparison.Ordinal);
                else
                    Assert.Equal(["(run again with --verbose for the stack trace)"], lines[1..]);
            }
        }
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, InferenceBenchmark.Percentile(sorted, 0.50));
        Assert.Equal(10, InferenceBenchmark.Percentile(sorted, 0.99));
        Assert.Equal(1, InferenceBenchmark.Percentile(sorted, 0.01));
    }

    [Fact]
    public async Task Bench_refuses_a_data_directory_that_is_not_empty()
    {
        using var directory = new TestDirectory();
        await File.WriteAllTextAsync(
            Path.Combine(directory.Path, "keep.txt"),
            "x",
            TestContext.Current.CancellationToken
        );
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            ["bench", "ledger", "--transactions", "10", "--data-dir", directory.Path],
            output,
            error
        );
        Assert.Equal(1, code);
        Assert.Contains("not empty", error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory.Path, "keep.txt")));
    }
}

/// <summary>`veritensor node` refuses bad settings with one clear line, before opening anything.</summary>
[UnitTest]
public sealed class NodeSettingsTests
{
    [Theory]
    [InlineData("--block-interval", "5", "Node:BlockIntervalMs")]
    [InlineData("--log-format", "xml", "Node:LogFormat")]
    [InlineData("--listen", "https://127.0.0.1:9650", "Node:Listen")]
    public async Task Bad_node_settings_are_reported_by_name(string flag, string value, string setting)
    {
        using var directory = new TestDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["node", "--data-dir", directory.Path, flag, value], output, error);
        Assert.Equal(1, code);
        Assert.Contains(setting, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "chain.db")));
    }

    [Fact]
    public async Task A_data_directory_without_genesis_is_reported_with_what_to_do()
    {
        using var directory = new TestDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            ["node", "--data-dir", directory.Path, "--listen", "http://127.0.0.1:0"],
            output,
            error
        );
        Assert.Equal(1, code);
        Assert.Contains("No genesis file", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("veritensor devnet", error.ToString(), StringComparison.Ordinal);
    }
}

[UnitTest]
public sealed class DamagedDataTests
{
    [Fact]
    public async Task A_chain_database_that_is_not_sqlite_is_reported_without_a_stack_trace()
    {
        using var directory = new TestDirectory();
        var layout = DevnetSetup.Prepare(directory.Path, 0, TestNode.TestKdf);
        var dataDir = Path.Combine(directory.Path, "node");
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(
            Path.Combine(dataDir, "chain.db"),
            new string('x', 4096),
            TestContext.Current.CancellationToken
        );
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            ["node", "--data-dir", dataDir, "--genesis", layout.GenesisPath, "--listen", "http://127.0.0.1:0"],
            output,
            error
        );
        Assert.Equal(1, code);
        Assert.StartsWith("error: Cannot open the chain database", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }
}
