using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Veritensor.Cli;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Node.Hosting;
using Veritensor.Wallet;

namespace Veritensor.Node.Tests;

/// <summary>
/// A subnet end to end on a real node with manual block production, driven through the CLI and read through the API:
/// create, configure, register 2 validators and 4 miners, set weights directly, then by commit-reveal, read the metagraph.
/// </summary>
[NetworkTest]
[Collection(nameof(EnvironmentCollection))]
public sealed class SubnetCliTests : IAsyncLifetime
{
    private static readonly string[] AliceHotkeys = ["v1", "m0", "m1", "m2", "m3"];
    private const string Salt = "0101010101010101010101010101010101010101010101010101010101010101";
    private TestNode _node = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(BlockProductionMode.Manual);
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", DevnetLayout.Password);
        var store = new WalletStore(_node.WalletPath, TestNode.TestKdf);
        foreach (var name in AliceHotkeys)
            store.RegenHotkey(
                "alice",
                name,
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("subnet-test/" + name))),
                overwrite: true
            );
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", null);
        await _node.DisposeAsync();
    }

    private async Task<string> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] wallet = args.Contains("--wallet") ? ["--wallet-path", _node.WalletPath] : [];
        var code = await CliApp.RunAsync([.. args, "--node", _node.Url, .. wallet], output, error);
        Assert.True(code == 0, $"veritensor {string.Join(' ', args)} failed: {error}{output}");
        return output.ToString();
    }

    /// <summary>Sends a transaction with the CLI (--json) and returns its id.</summary>
    private async Task<Hash256> SendAsync(params string[] args)
    {
        using var json = JsonDocument.Parse(await RunAsync([.. args, "--json"]));
        return Hash256.Parse(json.RootElement.GetProperty("id").GetString()!);
    }

    /// <summary>Produces one block and checks that every one of <paramref name="ids"/> is in it.</summary>
    private async Task IncludeAsync(params Hash256[] ids)
    {
        await _node.Client.ProduceBlockAsync(TestContext.Current.CancellationToken);
        foreach (var id in ids)
        {
            var status = await _node.Client.GetTransactionAsync(
                id,
                cancellationToken: TestContext.Current.CancellationToken
            );
            Assert.True(
                status.Status == "included",
                $"{id}: {status.Status} {status.Error?.Code} {status.Error?.Message}"
            );
        }
    }

    private Address AliceHotkey(string name) =>
        new WalletStore(_node.WalletPath, TestNode.TestKdf).LoadHotkey("alice", name).Address;

    [Fact]
    public async Task Create_register_set_weights_commit_reveal_and_read_the_metagraph()
    {
        await IncludeAsync(await SendAsync("subnet", "create", "--wallet", "alice"));
        await IncludeAsync(
            await SendAsync(
                "subnet",
                "set",
                "--netuid",
                "1",
                "--wallet",
                "alice",
                "--commit-reveal",
                "false",
                "--weights-rate-limit",
                "0",
                "--immunity-period",
                "100"
            )
        );

        var subnets = await _node.Client.GetSubnetsAsync(TestContext.Current.CancellationToken);
        var summary = Assert.Single(subnets.Subnets);
        Assert.Equal(1, summary.Netuid);
        Assert.Equal(_node.Account("alice").Coldkey.ToString(), summary.Owner);
        Assert.Equal("100.000000000", summary.Locked);

        // Validator 0 is the genesis validator's hotkey (it has stake); the rest are Alice's hotkeys. Fees for weights
        // are paid by the hotkeys, so Alice funds v1 (the genesis validator collects the block fees).
        var registrations = new List<Hash256>
        {
            await SendAsync("subnet", "register", "--netuid", "1", "--wallet", "validator"),
        };
        foreach (var name in AliceHotkeys)
            registrations.Add(
                await SendAsync("subnet", "register", "--netuid", "1", "--wallet", "alice", "--hotkey", name)
            );
        registrations.Add(
            await SendAsync("transfer", "--wallet", "alice", "--to", AliceHotkey("v1").ToString(), "--amount", "5")
        );
        await IncludeAsync([.. registrations]);

        var subnet = await _node.Client.GetSubnetAsync(1, TestContext.Current.CancellationToken);
        Assert.Equal(6, subnet.N);
        Assert.Equal(100UL, subnet.Hyperparameters.ImmunityPeriod);
        Assert.False(subnet.Hyperparameters.CommitRevealEnabled);
        // Six registrations raised the 1-token burn ×1.26 six times: 1.26⁶ ≈ 4.0015.
        Assert.Equal("4.001504140", subnet.Burn);

        // Validator 0 sets weights directly on the miners (uids 2..5).
        await IncludeAsync(
            await SendAsync(
                "weights",
                "set",
                "--netuid",
                "1",
                "--wallet",
                "validator",
                "--uids",
                "2,3,4,5",
                "--values",
                "1,2,3,4"
            )
        );

        // Commit-reveal on: v1 commits, and reveals in the next epoch (netuid 1, tempo 360: epoch 1 starts at block 359).
        await IncludeAsync(
            await SendAsync("subnet", "set", "--netuid", "1", "--wallet", "alice", "--commit-reveal", "true")
        );
        await IncludeAsync(
            await SendAsync(
                "weights",
                "commit",
                "--netuid",
                "1",
                "--wallet",
                "alice",
                "--hotkey",
                "v1",
                "--uids",
                "2,5",
                "--values",
                "100,50",
                "--salt",
                Salt
            )
        );
        while (_node.Runtime.Chain.Head.Height < 358)
            _node.Runtime.ProduceBlock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await IncludeAsync(
            await SendAsync(
                "weights",
                "reveal",
                "--netuid",
                "1",
                "--wallet",
                "alice",
                "--hotkey",
                "v1",
                "--uids",
                "2,5",
                "--values",
                "100,50",
                "--salt",
                Salt
            )
        );

        using var metagraphJson = JsonDocument.Parse(
            await RunAsync("metagraph", "--netuid", "1", "--weights", "--json")
        );
        var neurons = metagraphJson.RootElement.GetProperty("neurons").EnumerateArray().ToList();
        Assert.Equal(6, neurons.Count);
        Assert.Equal(_node.Account("validator").Hotkey.ToString(), neurons[0].GetProperty("hotkey").GetString());
        // The node runs the Yuma epoch: at block 359 no weights counted yet (no permits before the first epoch), so the
        // epoch paid its 82% by stake, all of it to the only staked uid, as stake on its hotkey.
        var emission = Amount.ParseTokens(neurons[0].GetProperty("emission").GetString()!);
        Assert.NotEqual(Amount.Zero, emission);
        Assert.Equal(
            Amount.FromTokens(1000) + emission,
            Amount.ParseTokens(neurons[0].GetProperty("stake").GetString()!)
        );
        Assert.All(neurons.Skip(1), n => Assert.Equal("0.000000000", n.GetProperty("emission").GetString()));
        Assert.Equal("http://127.0.0.1:0", neurons[0].GetProperty("endpoint").GetString());
        Assert.Equal(AliceHotkey("v1").ToString(), neurons[1].GetProperty("hotkey").GetString());
        Assert.Equal(_node.Account("alice").Coldkey.ToString(), neurons[1].GetProperty("coldkey").GetString());
        Assert.All(neurons, n => Assert.Equal(0, n.GetProperty("incentive").GetInt32()));
        Assert.Equal([(2, 16384), (3, 32768), (4, 49151), (5, 65535)], Weights(neurons[0]));
        Assert.Equal([(2, 65535), (5, 32768)], Weights(neurons[1]));
        Assert.Empty(Weights(neurons[2]));

        var metagraph = await _node.Client.GetMetagraphAsync(
            1,
            cancellationToken: TestContext.Current.CancellationToken
        );
        Assert.Null(metagraph.Neurons[0].Weights);
        Assert.True(metagraph.Neurons[0].Active);

        var table = await RunAsync("metagraph", "--netuid", "1");
        Assert.Contains("6 neurons", table, StringComparison.Ordinal);
        var shown = await RunAsync("subnet", "show", "--netuid", "1");
        Assert.Contains("commit-reveal", shown, StringComparison.Ordinal);
        Assert.Contains("pending emission", shown, StringComparison.Ordinal);
        var weights = await RunAsync("weights", "show", "--netuid", "1", "--uid", "1", "--json");
        Assert.Contains("32768", weights, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subnet_errors_are_problem_details_and_clear_cli_errors()
    {
        var e = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.GetSubnetAsync(7, TestContext.Current.CancellationToken)
        );
        Assert.Equal("SubnetNotFound", e.Code);

        await IncludeAsync(await SendAsync("subnet", "create", "--wallet", "alice"));
        // Bob does not own subnet 1: admission rejects at once with the stable code.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(
            [
                "subnet",
                "set",
                "--netuid",
                "1",
                "--wallet",
                "bob",
                "--tempo",
                "720",
                "--node",
                _node.Url,
                "--wallet-path",
                _node.WalletPath,
            ],
            output,
            error
        );
        Assert.Equal(1, code);
        Assert.Contains("NotSubnetOwner", error.ToString(), StringComparison.Ordinal);
    }

    private static List<(int, int)> Weights(JsonElement neuron) =>
        neuron
            .GetProperty("weights")
            .EnumerateArray()
            .Select(w => (w.GetProperty("uid").GetInt32(), w.GetProperty("value").GetInt32()))
            .ToList();
}
