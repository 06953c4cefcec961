using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Cli.Bench;

/// <summary>Settings of <c>veritensor bench inference</c>.</summary>
internal sealed record InferenceBenchmarkOptions(
    int Requests = 2_000,
    int Warmup = 1_000,
    int ThroughputRequests = 1_000,
    int Concurrency = 8,
    int SdkRequests = 500,
    int BlockIntervalMs = 100
);

/// <summary>
/// One measured path: <c>raw</c> (ONNX Runtime in-process), <c>gateway</c> (the HTTP round trip of a pre-signed
/// request body: what the gateway adds) or <c>sdk</c> (<see cref="InferenceClient.InferAsync"/>: signing, the round
/// trip and the client's checks of the answer against the ledger), in a verification mode. Latencies are of
/// sequential requests (low load); throughput is of <see cref="InferenceBenchmarkOptions.Concurrency"/> clients
/// (0 where not measured). <see cref="Baseline"/> names the row the ratios compare with.
/// </summary>
internal sealed record InferenceBenchmarkRow(
    string Path,
    string Mode,
    int Requests,
    double P50Ms,
    double P99Ms,
    double MeanMs,
    int ThroughputRequests,
    double ThroughputPerSecond,
    string? Baseline,
    double? P50Ratio,
    double? ThroughputRatio
);

/// <summary>The rows of one run, with the headline figure: gateway overhead in mode none, p50(gateway none) - p50(raw).</summary>
internal sealed record InferenceBenchmarkResult(
    IReadOnlyList<InferenceBenchmarkRow> Rows,
    double GatewayOverheadP50Ms,
    double FullOverNoneP50,
    int Concurrency,
    string Record
);

/// <summary>
/// Verified inference against raw ONNX Runtime, in one run: starts a temporary devnet (a ledger node and the role
/// servers: a gateway, 2 inference and 3 verification nodes, all on loopback in this process, audits off), then
/// times the demo model in-process and through the gateway in modes none, sampled and full. Requests ask the
/// gateway to record them in batches, so the ledger carries one transaction per 16 requests, not one each.
/// </summary>
internal static class InferenceBenchmark
{
    private const string Record = "batch";
    private static readonly VerificationMode[] Modes =
    [
        VerificationMode.None,
        VerificationMode.Sampled,
        VerificationMode.Full,
    ];

    public static async Task<InferenceBenchmarkResult> RunAsync(
        InferenceBenchmarkOptions options,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.Combine(Path.GetTempPath(), "veritensor-bench-inference-" + Guid.NewGuid().ToString("N"));
        try
        {
            progress?.Report(
                "starting a temporary devnet (ledger node, gateway, 2 inference and 3 verification nodes)"
            );
            await using var network = await BenchNetwork
                .StartAsync(directory, options.BlockIntervalMs, cancellationToken)
                .ConfigureAwait(false);
            return await MeasureAsync(network, options, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp directory is cleaned up by the system later.
            }
        }
    }

    private static async Task<InferenceBenchmarkResult> MeasureAsync(
        BenchNetwork network,
        InferenceBenchmarkOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var input = DevnetInference.DemoInput();
        var rows = new List<InferenceBenchmarkRow>();

        // The same executor settings as the inference nodes (RoleOptions defaults).
        using var executor = new OnnxExecutor(
            new ExecutionSettings { IntraOpThreads = new RoleOptions().IntraOpThreads }
        );
        var modelBytes = DemoModels.BuildMlpClassifier();
        var modelId = Hash256.Compute(modelBytes);
        executor.Load(modelId, modelBytes);
        Task Raw() => Task.FromResult(executor.Run(modelId, [input]));
        Task TimedRaw(Stopwatch stopwatch, CancellationToken _)
        {
            stopwatch.Restart();
            executor.Run(modelId, [input]);
            stopwatch.Stop();
            return Task.CompletedTask;
        }
        using var client = new InferenceClient(new Uri(network.GatewayUrl + "/"), network.Ledger);
        var gatewayAddress = await client.GetGatewayAddressAsync(cancellationToken).ConfigureAwait(false);
        using var gateway = new GatewayBench(network, gatewayAddress, modelId, input);
        using var user = DevnetSetup.ColdkeyOf("bob");
        var phases = new List<Phase> { new("raw", "-", TimedRaw, _ => Task.FromResult<Func<Task>>(Raw), options) };
        foreach (var mode in Modes)
        {
            await gateway.CheckAsync(mode, cancellationToken).ConfigureAwait(false);
            phases.Add(
                new(
                    "gateway",
                    InferenceViews.Mode(mode),
                    (stopwatch, ct) => gateway.SendTimedAsync(mode, stopwatch, ct),
                    ct => gateway.PrepareAsync(mode, options.ThroughputRequests, ct),
                    options
                )
            );
        }
        if (options.SdkRequests > 0)
        {
            foreach (var mode in Modes)
            {
                var settings = new InferenceOptions { Mode = mode, Record = Record };
                phases.Add(
                    new(
                        "sdk",
                        InferenceViews.Mode(mode),
                        async (stopwatch, ct) =>
                        {
                            stopwatch.Restart();
                            await client
                                .InferAsync(
                                    user,
                                    DevnetInference.DemoModelName + "@" + DevnetInference.DemoModelVersion,
                                    [input],
                                    settings,
                                    ct
                                )
                                .ConfigureAwait(false);
                            stopwatch.Stop();
                        },
                        null,
                        options with
                        {
                            Requests = options.SdkRequests,
                            Warmup = Math.Min(options.Warmup, options.SdkRequests),
                            ThroughputRequests = 0,
                        }
                    )
                );
            }
        }

        // Every path is warmed up before any is timed: on a busy machine the JIT keeps re-compiling hot code (tiering) for
        // seconds, and a path timed first would pay for it where one timed later would not.
        progress?.Report($"warming up every path and mode ({options.Warmup:N0} requests each, not timed)");
        var scratch = new Stopwatch();
        foreach (var phase in phases)
        {
            for (var i = 0; i < phase.Options.Warmup; i++)
                await phase.TimedCall(scratch, cancellationToken).ConfigureAwait(false);
        }

        var measured = new Dictionary<(string, string), InferenceBenchmarkRow>();
        foreach (var phase in phases)
        {
            progress?.Report(
                $"{phase.Path} {phase.Mode}: {phase.Options.Requests:N0} sequential"
                    + (
                        phase.PrepareThroughput is null || phase.Options.ThroughputRequests == 0
                            ? ""
                            : $", {phase.Options.ThroughputRequests:N0} from {phase.Options.Concurrency} concurrent clients"
                    )
            );
            measured[(phase.Path, phase.Mode)] = await TimeAsync(
                    phase.TimedCall,
                    phase.PrepareThroughput,
                    phase.Options,
                    phase.Path,
                    phase.Mode,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        var raw = measured[("raw", "-")];
        var none = measured[("gateway", "none")];
        rows.Add(raw);
        rows.Add(WithBaseline(none, raw));
        rows.Add(WithBaseline(measured[("gateway", "sampled")], none));
        rows.Add(WithBaseline(measured[("gateway", "full")], none));
        if (options.SdkRequests > 0)
        {
            foreach (var mode in Modes.Select(InferenceViews.Mode))
                rows.Add(WithBaseline(measured[("sdk", mode)], measured[("gateway", mode)]));
        }
        var full = measured[("gateway", "full")];
        return new InferenceBenchmarkResult(
            rows,
            none.P50Ms - raw.P50Ms,
            full.P50Ms / none.P50Ms,
            options.Concurrency,
            Record
        );
    }

    private static InferenceBenchmarkRow WithBaseline(InferenceBenchmarkRow row, InferenceBenchmarkRow baseline) =>
        row with
        {
            Baseline = baseline.Path + (baseline.Mode == "-" ? "" : " " + baseline.Mode),
            P50Ratio = row.P50Ms / baseline.P50Ms,
            ThroughputRatio =
                row.ThroughputPerSecond > 0 && baseline.ThroughputPerSecond > 0
                    ? row.ThroughputPerSecond / baseline.ThroughputPerSecond
                    : null,
        };

    /// <summary>One path and mode to time, with its own counts.</summary>
    private sealed record Phase(
        string Path,
        string Mode,
        Func<Stopwatch, CancellationToken, Task> TimedCall,
        Func<CancellationToken, Task<Func<Task>>>? PrepareThroughput,
        InferenceBenchmarkOptions Options
    );

    /// <summary>
    /// A short warm-up, then <see cref="InferenceBenchmarkOptions.Requests"/> sequential calls, each timing itself on the given
    /// stopwatch (so per-request preparation such as signing stays out), then, when <paramref name="prepareThroughput"/>
    /// is given, the prepared calls from <see cref="InferenceBenchmarkOptions.Concurrency"/> workers at once.
    /// </summary>
    private static async Task<InferenceBenchmarkRow> TimeAsync(
        Func<Stopwatch, CancellationToken, Task> timedCall,
        Func<CancellationToken, Task<Func<Task>>>? prepareThroughput,
        InferenceBenchmarkOptions options,
        string path,
        string mode,
        CancellationToken cancellationToken
    )
    {
        var stopwatch = new Stopwatch();
        async Task Sequential(int count, double[]? latencies)
        {
            for (var i = 0; i < count; i++)
            {
                await timedCall(stopwatch, cancellationToken).ConfigureAwait(false);
                if (latencies is not null)
                    latencies[i] = stopwatch.Elapsed.TotalMilliseconds;
            }
        }
        // A few more untimed calls right before: the previous path left other code hot.
        await Sequential(Math.Min(options.Warmup, 50), null).ConfigureAwait(false);
        var latencies = new double[options.Requests];
        await Sequential(options.Requests, latencies).ConfigureAwait(false);
        Array.Sort(latencies);

        var throughput = 0.0;
        var throughputRequests = 0;
        if (prepareThroughput is not null && options.ThroughputRequests > 0)
        {
            var next = await prepareThroughput(cancellationToken).ConfigureAwait(false);
            var remaining = options.ThroughputRequests;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(
                    Enumerable
                        .Range(0, options.Concurrency)
                        .Select(_ =>
                            Task.Run(
                                async () =>
                                {
                                    while (Interlocked.Decrement(ref remaining) >= 0)
                                        await next().ConfigureAwait(false);
                                },
                                cancellationToken
                            )
                        )
                )
                .ConfigureAwait(false);
            throughput = options.ThroughputRequests / clock.Elapsed.TotalSeconds;
            throughputRequests = options.ThroughputRequests;
        }
        return new InferenceBenchmarkRow(
            path,
            mode,
            latencies.Length,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : latencies.Average(),
            throughputRequests,
            throughput,
            null,
            null,
            null
        );
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
            return 0;
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>
    /// Sends pre-signed, pre-serialised requests to the gateway, as a client that already holds its request body
    /// would: only the HTTP round trip is timed. Every request carries a fresh nonce (the gateway refuses replays)
    /// and an anchor at the ledger's current head.
    /// </summary>
    private sealed class GatewayBench(BenchNetwork network, Address gateway, Hash256 modelId, NamedTensor input)
        : IDisposable
    {
        private readonly HttpClient _http = new(
            new SocketsHttpHandler
            {
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
                MaxConnectionsPerServer = 64,
            }
        )
        {
            Timeout = TimeSpan.FromMinutes(1),
        };
        private readonly KeyPair _user = DevnetSetup.ColdkeyOf("alice");
        private readonly IReadOnlyList<NamedTensor> _inputs = [input];
        private readonly Hash256 _inputHash = TensorHash.Compute([input]);
        private readonly IReadOnlyList<WireTensor> _wireInputs = WireTensors.Encode([input]);
        private readonly Uri _endpoint = new(network.GatewayUrl + "/v1/inference");

        /// <summary>One request, sent and its answer checked, so a refusal surfaces before any timing.</summary>
        public async Task CheckAsync(VerificationMode mode, CancellationToken cancellationToken)
        {
            var body = await SignAsync(mode, cancellationToken).ConfigureAwait(false);
            using var response = await PostAsync(body, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new CliException(
                    $"The gateway refused a benchmark request in mode {InferenceViews.Mode(mode)}: {(int)response.StatusCode} {text}"
                );
            var answer = JsonSerializer.Deserialize(text, RoleJsonContext.Default.InferenceApiResponse)!;
            var expected =
                mode == VerificationMode.Full ? [InferenceStates.Verified]
                : mode == VerificationMode.None ? [InferenceStates.Returned]
                : new[] { InferenceStates.Returned, InferenceStates.Verified };
            if (!expected.Contains(answer.State))
                throw new CliException(
                    $"The gateway answered state '{answer.State}' in mode {InferenceViews.Mode(mode)}."
                );
        }

        public async Task SendTimedAsync(
            VerificationMode mode,
            Stopwatch stopwatch,
            CancellationToken cancellationToken
        )
        {
            var body = await SignAsync(mode, cancellationToken).ConfigureAwait(false);
            stopwatch.Restart();
            await SendAsync(body, cancellationToken).ConfigureAwait(false);
            stopwatch.Stop();
        }

        /// <summary>Signs <paramref name="count"/> requests now, and returns a function that sends the next one.</summary>
        public async Task<Func<Task>> PrepareAsync(
            VerificationMode mode,
            int count,
            CancellationToken cancellationToken
        )
        {
            var bodies = new byte[count][];
            for (var i = 0; i < count; i++)
                bodies[i] = await SignAsync(mode, cancellationToken).ConfigureAwait(false);
            var next = -1;
            return () => SendAsync(bodies[Interlocked.Increment(ref next)], cancellationToken);
        }

        private async Task SendAsync(byte[] body, CancellationToken cancellationToken)
        {
            using var response = await PostAsync(body, cancellationToken).ConfigureAwait(false);
            // The whole answer is read: a client has it only then.
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new CliException(
                    $"The gateway refused a benchmark request: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}"
                );
        }

        private Task<HttpResponseMessage> PostAsync(byte[] body, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return _http.PostAsync(_endpoint, content, cancellationToken);
        }

        private async Task<byte[]> SignAsync(VerificationMode mode, CancellationToken cancellationToken)
        {
            var head = await network.Ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
            var parameters = await network.Ledger.GetParametersAsync(cancellationToken).ConfigureAwait(false);
            var maxFee = parameters.MaximumFee(DevnetInference.DemoModelPrice, mode);
            var request = new InferenceRequest(
                _user.Address,
                gateway,
                modelId,
                _inputHash,
                mode,
                maxFee,
                head.Height,
                head.Hash,
                BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8))
            );
            var signed = SignedInferenceRequest.Create(head.ChainId, request, _user);
            var body = new InferenceApiRequest(
                modelId.ToString(),
                _wireInputs,
                new InferenceAuthorization(
                    _user.Address.ToString(),
                    maxFee.ToString(),
                    head.Height,
                    request.Nonce,
                    Convert.ToBase64String(signed.UserSignature.Span),
                    request.InputHash.ToString()
                ),
                InferenceViews.Mode(mode),
                Record
            );
            return JsonSerializer.SerializeToUtf8Bytes(body, RoleJsonContext.Default.InferenceApiRequest);
        }

        public void Dispose()
        {
            _http.Dispose();
            _user.Dispose();
        }
    }

    /// <summary>A devnet in a temporary directory: the ledger node producing a block every few milliseconds, and the role servers.</summary>
    private sealed class BenchNetwork : IAsyncDisposable
    {
        private Microsoft.AspNetCore.Builder.WebApplication? _node;
        private DevnetInference? _roles;

        public LedgerApiClient Ledger { get; private set; } = null!;
        public string GatewayUrl => _roles!.Urls["gateway"];

        public static async Task<BenchNetwork> StartAsync(
            string directory,
            int blockIntervalMs,
            CancellationToken cancellationToken
        )
        {
            // Throwaway wallets: the cheapest key derivation will do.
            var layout = DevnetSetup.Prepare(directory, 0, new Wallet.KdfParameters(64, 1));
            var network = new BenchNetwork();
            try
            {
                network._node = NodeHost.Build(
                    new Dictionary<string, string?>
                    {
                        ["Node:DataDir"] = layout.NodeDataDir(layout.Nodes[0]),
                        ["Node:Genesis"] = layout.GenesisPath,
                        ["Node:Listen"] = "http://127.0.0.1:0",
                        ["Node:WalletPath"] = layout.WalletPath,
                        ["Node:Wallet"] = layout.Nodes[0].Wallet,
                        ["Node:BlockProduction"] = nameof(BlockProductionMode.Interval),
                        ["Node:BlockIntervalMs"] = blockIntervalMs.ToString(CultureInfo.InvariantCulture),
                        ["Node:MaxRequestBodyBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture),
                    },
                    logging => logging.ClearProviders()
                );
                var url = await NodeHost.StartAsync(network._node, cancellationToken).ConfigureAwait(false);
                network._roles = await DevnetInference
                    .StartAsync(
                        layout,
                        url,
                        network._node.Services.GetRequiredService<BlobStore>(),
                        cancellationToken,
                        (_, roleOptions) => roleOptions.AuditRate = 0,
                        configureLogging: logging => logging.ClearProviders()
                    )
                    .ConfigureAwait(false);
                network.Ledger = new LedgerApiClient(new Uri(url + "/"));
                return network;
            }
            catch
            {
                await network.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_roles is not null)
                await _roles.DisposeAsync().ConfigureAwait(false);
            Ledger?.Dispose();
            if (_node is not null)
            {
                await _node.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await _node.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
