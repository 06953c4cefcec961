using System.Text.Json;
using Veritensor.Cli;
using Veritensor.Cli.Devnet;
using Veritensor.Inference.Models;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// The model hub and inference commands end to end, in process, against a whole inference network: publish a
/// fresh model file, list, show, download, serve it from an inference node's wallet, and infer it through the
/// gateway with outputs byte-identical to a local <c>model run</c>; and the errors a user meets on the way.
/// </summary>
[NetworkTest]
[Collection(nameof(EnvironmentCollection))]
public sealed class CliInferenceTests : IAsyncLifetime
{
    private const string FeaturesJson =
        """{"name":"features","type":"float32","shape":[1,8],"data":[1.5,-0.25,3,0.125,-2,0.5,-1,2.75]}""";
    private InferenceNetwork _network = null!;
    private TestDirectory _directory = null!;

    public async ValueTask InitializeAsync()
    {
        _network = await InferenceNetwork.StartAsync();
        _directory = new TestDirectory("veritensor-cli-inference");
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", DevnetLayout.Password);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", null);
        await _network.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // `model run` works offline and has no --node.
        string[] node = args is ["model", "run", ..] ? [] : ["--node", _network.Ledger.Url];
        var code = await CliApp.RunAsync([.. args, .. node], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string[] Wallet(string wallet) => ["--wallet", wallet, "--wallet-path", _network.Ledger.WalletPath];

    [Fact]
    public async Task A_published_model_is_listed_shown_downloaded_served_and_infers_what_a_local_run_computes()
    {
        var file = Path.Combine(_directory.Path, "mlp-11.onnx");
        var bytes = DemoModels.BuildMlpClassifier(seed: 11);
        await File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);

        var (code, output, error) = await RunAsync([
            "model",
            "publish",
            file,
            "--name",
            "cli-mlp",
            "--version",
            "2",
            "--price",
            "0.002",
            "--wait",
            .. Wallet("alice"),
        ]);
        Assert.True(code == 0, error + output);
        Assert.Contains("included", output, StringComparison.Ordinal);

        (code, output, error) = await RunAsync("model", "list", "--json");
        Assert.True(code == 0, error);
        using (var list = JsonDocument.Parse(output))
        {
            var listed = list.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "cli-mlp");
            Assert.Equal("2", listed.GetProperty("version").GetString());
        }

        (code, output, error) = await RunAsync("model", "show", "cli-mlp@2", "--json");
        Assert.True(code == 0, error);
        using (var shown = JsonDocument.Parse(output))
        {
            Assert.Equal(
                Core.Crypto.Hash256.Compute(bytes).ToString(),
                shown.RootElement.GetProperty("contentId").GetString()
            );
            Assert.Equal("0.002000000", shown.RootElement.GetProperty("price").GetString());
            Assert.Equal(
                DevnetSetup.ColdkeyOf("alice").Address.ToString(),
                shown.RootElement.GetProperty("owner").GetString()
            );
            Assert.Equal(0, shown.RootElement.GetProperty("servers").GetArrayLength());
        }

        var downloaded = Path.Combine(_directory.Path, "downloaded.onnx");
        (code, _, error) = await RunAsync("model", "download", "cli-mlp@2", "--output", downloaded);
        Assert.True(code == 0, error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(downloaded, TestContext.Current.CancellationToken));

        (code, output, error) = await RunAsync([
            "model",
            "serve",
            "cli-mlp@2",
            "--hotkey",
            "default",
            "--wait",
            .. Wallet("inference-0"),
        ]);
        Assert.True(code == 0, error + output);
        (code, output, _) = await RunAsync("model", "show", "cli-mlp@2", "--json");
        using (var shown = JsonDocument.Parse(output))
            Assert.Equal(
                DevnetSetup.HotkeyOf("inference-0").Address.ToString(),
                Assert
                    .Single(shown.RootElement.GetProperty("servers").EnumerateArray())
                    .GetProperty("hotkey")
                    .GetString()
            );

        var networkOutputs = Path.Combine(_directory.Path, "network");
        (code, output, error) = await RunAsync([
            "infer",
            "--model",
            "cli-mlp@2",
            "--input-json",
            FeaturesJson,
            "--mode",
            "full",
            "--output-dir",
            networkOutputs,
            "--gateway",
            _network.GatewayUrl,
            "--json",
            .. Wallet("bob"),
        ]);
        Assert.True(code == 0, error + output);
        using (var inferred = JsonDocument.Parse(output))
        {
            Assert.Equal("verified", inferred.RootElement.GetProperty("state").GetString());
            Assert.Equal(2, inferred.RootElement.GetProperty("attestations").GetArrayLength());
        }

        var localOutputs = Path.Combine(_directory.Path, "local");
        (code, _, error) = await RunAsync(
            "model",
            "run",
            file,
            "--input-json",
            FeaturesJson,
            "--output-dir",
            localOutputs
        );
        Assert.True(code == 0, error);
        Assert.Equal(
            await File.ReadAllBytesAsync(
                Path.Combine(localOutputs, "output_0.pb"),
                TestContext.Current.CancellationToken
            ),
            await File.ReadAllBytesAsync(
                Path.Combine(networkOutputs, "output_0.pb"),
                TestContext.Current.CancellationToken
            )
        );
    }

    [Fact]
    public async Task Publishing_a_file_that_is_not_onnx_names_the_problem_and_exits_1()
    {
        var file = Path.Combine(_directory.Path, "notes.onnx");
        await File.WriteAllTextAsync(
            file,
            "these are not the weights you are looking for",
            TestContext.Current.CancellationToken
        );
        var (code, _, error) = await RunAsync([
            "model",
            "publish",
            file,
            "--name",
            "not-a-model",
            "--wait",
            .. Wallet("alice"),
        ]);
        Assert.Equal(1, code);
        Assert.Contains(file, error, StringComparison.Ordinal);
        Assert.Contains("not a model ONNX Runtime can load", error, StringComparison.Ordinal);
        var (_, list, _) = await RunAsync("model", "list", "--json");
        Assert.DoesNotContain("not-a-model", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_with_an_unknown_model_says_so()
    {
        var (code, _, error) = await RunAsync([
            "infer",
            "--model",
            "no-such-model@1",
            "--input-json",
            FeaturesJson,
            "--gateway",
            _network.GatewayUrl,
            .. Wallet("bob"),
        ]);
        Assert.Equal(1, code);
        Assert.Contains("ModelNotFound", error, StringComparison.Ordinal);
        Assert.Contains("no-such-model@1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_with_a_wrong_shape_names_the_input_and_its_shape()
    {
        const string wrong = """{"name":"features","type":"float32","shape":[1,3],"data":[1,2,3]}""";
        var (code, _, error) = await RunAsync([
            "infer",
            "--model",
            DevnetInference.DemoModelName,
            "--input-json",
            wrong,
            "--gateway",
            _network.GatewayUrl,
            .. Wallet("bob"),
        ]);
        Assert.Equal(1, code);
        Assert.Contains("features", error, StringComparison.Ordinal);
        Assert.Contains("[1,3]", error, StringComparison.Ordinal);
    }
}
