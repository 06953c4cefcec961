using System.CommandLine;
using System.Globalization;
using Veritensor.Cli.Bench;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor bench ...</c>: throughput figures measured against a baseline in the same run.</summary>
internal static class BenchCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var bench = new Command("bench", "Measure throughput on this machine.");
        var ledger = new Command(
            "ledger",
            "Signed transfers per second verified, applied and committed, against the all-core Ed25519 verification ceiling."
        );
        var transactions = new Option<int>("--transactions")
        {
            Description = "Number of transfers.",
            DefaultValueFactory = _ => 200_000,
        };
        var senders = new Option<int>("--senders")
        {
            Description = "Number of sending accounts.",
            DefaultValueFactory = _ => 2_000,
        };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Where to put the database (default: a temporary directory, deleted after).",
        };
        ledger.Options.Add(transactions);
        ledger.Options.Add(senders);
        ledger.Options.Add(dataDir);
        ledger.SetAction(pr =>
        {
            var ctx = context(pr);
            var count = pr.GetValue(transactions);
            var senderCount = pr.GetValue(senders);
            if (count < 1)
                throw new CliException("--transactions must be at least 1.");
            if (senderCount < 1)
                throw new CliException("--senders must be at least 1.");
            if (
                pr.GetValue(dataDir) is { } directory
                && Directory.Exists(directory)
                && Directory.EnumerateFileSystemEntries(directory).Any()
            )
                throw new CliException($"--data-dir {directory} is not empty; the benchmark needs a fresh directory.");
            var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
            var result = LedgerBenchmark.Run(
                new LedgerBenchmarkOptions(count, senderCount, DataDirectory: pr.GetValue(dataDir)),
                ctx.Json ? null : progress
            );
            ctx.WriteRecord(
                result,
                [
                    ("transactions", result.Transactions.ToString("N0", CultureInfo.InvariantCulture)),
                    ("blocks", result.Blocks.ToString(CultureInfo.InvariantCulture)),
                    ("cores", result.Cores.ToString(CultureInfo.InvariantCulture)),
                    ("ed25519 verify ceiling (all cores)", $"{result.VerifyCeilingPerSecond:N0} /s"),
                    ("committed transfers", $"{result.CommittedPerSecond:N0} /s"),
                    ("ratio to ceiling", result.RatioToCeiling.ToString("0.00", CultureInfo.InvariantCulture)),
                    (
                        "cores busy while committing",
                        result.CoresBusyWhileCommitting.ToString("0.00", CultureInfo.InvariantCulture)
                    ),
                    ("state root", result.StateRoot),
                ]
            );
            return 0;
        });
        bench.Subcommands.Add(ledger);
        bench.Subcommands.Add(YumaBench(context));
        bench.Subcommands.Add(InferenceBench(context));
        bench.Subcommands.Add(TrainBench(context));
        return bench;
    }

    private static Command TrainBench(Func<ParseResult, CliContext> context)
    {
        var train = new Command(
            "train",
            "Milliseconds per training epoch on one thread (digits MLP, Fashion-MNIST MLP), against PyTorch on the same net and data when python3-torch is installed."
        );
        var epochs = new Option<int>("--epochs")
        {
            Description = "Timed epochs per net (after one warm-up epoch).",
            DefaultValueFactory = _ => 5,
        };
        var digits = new Option<string>("--digits")
        {
            Description =
                "scikit-learn's digits.csv.gz (Debian's python3-sklearn); generated data of the same shape when absent.",
            DefaultValueFactory = _ => TrainingBenchmark.DefaultDigits,
        };
        var fashion = new Option<string>("--fashion")
        {
            Description =
                "The folder of Fashion-MNIST's IDX files (Debian's dataset-fashion-mnist); that row is left out when absent.",
            DefaultValueFactory = _ => TrainingBenchmark.DefaultFashion,
        };
        var fashionRows = new Option<int>("--fashion-rows")
        {
            Description = "Training images of Fashion-MNIST used (at most 50000; the last 10000 are held out).",
            DefaultValueFactory = _ => 50_000,
        };
        train.Options.Add(epochs);
        train.Options.Add(digits);
        train.Options.Add(fashion);
        train.Options.Add(fashionRows);
        train.SetAction(pr =>
        {
            var ctx = context(pr);
            if (pr.GetValue(epochs) is < 1 or > 1000)
                throw new CliException("--epochs must be between 1 and 1000.");
            if (pr.GetValue(fashionRows) is < 1 or > 50_000)
                throw new CliException("--fashion-rows must be between 1 and 50000.");
            var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
            var rows = TrainingBenchmark.Run(
                new TrainingBenchmarkOptions(
                    pr.GetValue(epochs),
                    pr.GetValue(digits)!,
                    pr.GetValue(fashion)!,
                    pr.GetValue(fashionRows)
                ),
                ctx.Json ? null : progress
            );
            ctx.WriteTable(
                rows,
                ["net", "data", "rows", "ms / epoch", "epochs / s", "accuracy", "PyTorch ms / epoch", "PyTorch / ours"],
                r =>
                    [
                        r.Net,
                        r.Data,
                        r.TrainRows.ToString(CultureInfo.InvariantCulture),
                        r.MillisecondsPerEpoch.ToString("0.0", CultureInfo.InvariantCulture),
                        r.EpochsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                        r.Accuracy.ToString("0.000", CultureInfo.InvariantCulture),
                        r.TorchMillisecondsPerEpoch?.ToString("0.0", CultureInfo.InvariantCulture) ?? r.TorchNote ?? "",
                        r.SpeedupOverTorch?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                    ]
            );
            return 0;
        });
        return train;
    }

    private static Command InferenceBench(Func<ParseResult, CliContext> context)
    {
        var inference = new Command(
            "inference",
            "Latency (p50, p99) and throughput of the demo model: raw ONNX Runtime in-process against the gateway in modes none, sampled and full, on a temporary devnet."
        );
        var requests = new Option<int>("--requests")
        {
            Description = "Sequential requests per path and mode (latency at low load).",
            DefaultValueFactory = _ => 2_000,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Untimed requests per path and mode, all run before any timing.",
            DefaultValueFactory = _ => 1_000,
        };
        var throughputRequests = new Option<int>("--throughput-requests")
        {
            Description = "Requests per mode sent by the concurrent clients (0: skip).",
            DefaultValueFactory = _ => 1_000,
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Concurrent clients for throughput.",
            DefaultValueFactory = _ => 8,
        };
        var sdkRequests = new Option<int>("--sdk-requests")
        {
            Description = "Sequential SDK InferAsync calls per mode (0: skip).",
            DefaultValueFactory = _ => 500,
        };
        var blockTime = new Option<int>("--block-time")
        {
            Description = "Milliseconds between the temporary ledger's blocks.",
            DefaultValueFactory = _ => 100,
        };
        foreach (
            var option in new Option[] { requests, warmup, throughputRequests, concurrency, sdkRequests, blockTime }
        )
            inference.Options.Add(option);
        inference.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var options = new InferenceBenchmarkOptions(
                    pr.GetValue(requests),
                    pr.GetValue(warmup),
                    pr.GetValue(throughputRequests),
                    pr.GetValue(concurrency),
                    pr.GetValue(sdkRequests),
                    pr.GetValue(blockTime)
                );
                if (options.Requests < 1)
                    throw new CliException("--requests must be at least 1.");
                if (options.Warmup < 0 || options.ThroughputRequests < 0 || options.SdkRequests < 0)
                    throw new CliException("--warmup, --throughput-requests and --sdk-requests must not be negative.");
                if (options.Concurrency is < 1 or > 256)
                    throw new CliException("--concurrency must be between 1 and 256.");
                if (options.BlockIntervalMs is < 10 or > 10_000)
                    throw new CliException("--block-time must be between 10 and 10000.");
                var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
                var result = await InferenceBenchmark.RunAsync(options, progress, ct).ConfigureAwait(false);
                if (ctx.Json)
                {
                    ctx.WriteJson(result);
                    return 0;
                }
                static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
                static string Ratio(double? value) =>
                    value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "";
                ctx.WriteTable(
                    result.Rows,
                    [
                        "path",
                        "mode",
                        "requests",
                        "p50 ms",
                        "p99 ms",
                        "mean ms",
                        $"req/s ({result.Concurrency} clients)",
                        "baseline",
                        "p50 ratio",
                        "req/s ratio",
                    ],
                    r =>
                        [
                            r.Path,
                            r.Mode,
                            r.Requests.ToString("N0", CultureInfo.InvariantCulture),
                            Ms(r.P50Ms),
                            Ms(r.P99Ms),
                            Ms(r.MeanMs),
                            r.ThroughputRequests > 0
                                ? r.ThroughputPerSecond.ToString("N0", CultureInfo.InvariantCulture)
                                : "",
                            r.Baseline ?? "",
                            Ratio(r.P50Ratio),
                            Ratio(r.ThroughputRatio),
                        ]
                );
                ctx.WriteLine(
                    $"gateway overhead in mode none, p50(gateway none) - p50(raw): {Ms(result.GatewayOverheadP50Ms)} ms (goal: under 0.3 ms)"
                );
                ctx.WriteLine(
                    $"full / none at p50: {result.FullOverNoneP50.ToString("0.00", CultureInfo.InvariantCulture)}x (goal: within 1.2x)"
                );
                ctx.WriteLine(
                    $"gateway rows time the HTTP round trip of a pre-signed request body; sdk rows time InferenceClient.InferAsync (signing and its checks of the answer). Records: {result.Record}."
                );
                return 0;
            }
        );
        return inference;
    }

    private static Command YumaBench(Func<ParseResult, CliContext> context)
    {
        var yuma = new Command(
            "yuma",
            "Milliseconds per Yuma epoch on one thread (dense weights, classic and Yuma3), against row-normalising the weights."
        );
        var seconds = new Option<double>("--seconds")
        {
            Description = "Time spent measuring each figure.",
            DefaultValueFactory = _ => 1.0,
        };
        var sizes = new Option<string?>("--sizes")
        {
            Description = "Subnet sizes as UIDSxVALIDATORS, comma-separated (default: 256x64,1024x128,4096x256).",
        };
        yuma.Options.Add(seconds);
        yuma.Options.Add(sizes);
        yuma.SetAction(pr =>
        {
            var ctx = context(pr);
            var budget = pr.GetValue(seconds);
            if (budget <= 0)
                throw new CliException("--seconds must be positive.");
            var chosen = pr.GetValue(sizes) is { } text ? ParseSizes(text) : YumaBenchmark.DefaultSizes;
            var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
            var rows = YumaBenchmark.Run(chosen, budget, ctx.Json ? null : progress);
            ctx.WriteTable(
                rows,
                ["variant", "uids", "validators", "epochs", "ms / epoch", "row-normalise ms", "ratio"],
                r =>
                    [
                        r.Variant,
                        r.Uids.ToString(CultureInfo.InvariantCulture),
                        r.Validators.ToString(CultureInfo.InvariantCulture),
                        r.Epochs.ToString(CultureInfo.InvariantCulture),
                        r.EpochMilliseconds.ToString("0.00", CultureInfo.InvariantCulture),
                        r.RowNormaliseMilliseconds.ToString("0.000", CultureInfo.InvariantCulture),
                        r.RatioToRowNormalise.ToString("0.0", CultureInfo.InvariantCulture),
                    ]
            );
            return 0;
        });
        return yuma;
    }

    private static (int Uids, int Validators)[] ParseSizes(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(size =>
            {
                var parts = size.Split('x');
                if (
                    parts.Length == 2
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uids)
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var validators)
                    && validators is >= 1 and <= 65_535
                    && uids >= validators
                    && uids <= 65_535
                )
                    return (uids, validators);
                throw new CliException(
                    $"--sizes: '{size}' is not UIDSxVALIDATORS with 1 <= VALIDATORS <= UIDS <= 65535 (e.g. 256x64)."
                );
            })
            .ToArray();
}
