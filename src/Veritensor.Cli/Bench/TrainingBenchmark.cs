using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Veritensor.Core;
using Veritensor.Training;

namespace Veritensor.Cli.Bench;

/// <summary>What <c>bench train</c> measures, and where its data comes from.</summary>
internal sealed record TrainingBenchmarkOptions(int Epochs, string DigitsPath, string FashionFolder, int FashionRows);

/// <summary>One net on one data set: the trainer's time per epoch, held-out accuracy, and PyTorch's on the same net and data when it is installed.</summary>
internal sealed record TrainingBenchmarkRow(
    string Net,
    string Data,
    int TrainRows,
    double MillisecondsPerEpoch,
    double EpochsPerSecond,
    double Accuracy,
    double? TorchMillisecondsPerEpoch,
    string? TorchNote
)
{
    /// <summary>PyTorch's time per epoch over ours: above 1 means this trainer is faster.</summary>
    public double? SpeedupOverTorch => TorchMillisecondsPerEpoch / MillisecondsPerEpoch;
}

/// <summary>
/// <c>veritensor bench train</c>: one thread, Adam (learning rate 1e-3), batches of 32, the same seeds every run. The
/// digits MLP (64-128-10) trains on scikit-learn's digits when Debian's <c>python3-sklearn</c> is installed and on
/// generated data of the same shape otherwise; the Fashion-MNIST MLP (784-128-10) runs when Debian's
/// <c>dataset-fashion-mnist</c> is. With Debian's <c>python3-torch</c>, PyTorch trains the same net on the same rows in
/// the same run (one thread), and the ratio is reported.
/// </summary>
internal static class TrainingBenchmark
{
    public const string DefaultDigits = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
    public const string DefaultFashion = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<TrainingBenchmarkRow> Run(TrainingBenchmarkOptions options, IProgress<string>? progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rows = new List<TrainingBenchmarkRow>();
        var torch = TorchAvailable();
        var (digits, source) = File.Exists(options.DigitsPath)
            ? (ReadCsvGz(options.DigitsPath), "sklearn digits")
            : (Generated(1797, 64, 10), "generated (python3-sklearn not installed)");
        rows.Add(
            Measure(
                "MLP 64-128-10",
                source,
                digits.Slice(0, 1500),
                digits.Slice(1500, digits.Count - 1500),
                options.Epochs,
                torch,
                progress
            )
        );
        var images = Path.Combine(options.FashionFolder, "train-images-idx3-ubyte.gz");
        if (File.Exists(images))
        {
            progress?.Report("loading Fashion-MNIST");
            using var imageFile = File.OpenRead(images);
            using var labelFile = File.OpenRead(Path.Combine(options.FashionFolder, "train-labels-idx1-ubyte.gz"));
            var fashion = IdxReader.ReadDataSet(imageFile, labelFile, gzipped: true, classes: 10);
            var train = Math.Min(options.FashionRows, fashion.Count - 10_000);
            rows.Add(
                Measure(
                    "MLP 784-128-10",
                    "Fashion-MNIST",
                    fashion.Slice(0, train),
                    fashion.Slice(50_000, 10_000),
                    options.Epochs,
                    torch,
                    progress
                )
            );
        }
        else
            progress?.Report(
                $"Fashion-MNIST is not at {options.FashionFolder} (Debian's dataset-fashion-mnist): its row is left out"
            );
        return rows;
    }

    private static TrainingBenchmarkRow Measure(
        string net,
        string data,
        DataSet train,
        DataSet test,
        int epochs,
        bool torch,
        IProgress<string>? progress
    )
    {
        progress?.Report($"{net} on {data}: warming up (2 epochs, at least 1 s), then {epochs} timed");
        var model = Sequential.Mlp([train.Features, 128, train.Classes], seed: 1);
        var optimizer = new AdamOptimizer(1e-3f);
        var shuffle = new SplitMix64(2);
        // Until the JIT has moved the library's vector code past tier 0: a short run would time that, not training.
        var warmup = Stopwatch.StartNew();
        for (var epoch = 0; epoch < 2 || warmup.Elapsed < TimeSpan.FromSeconds(1); epoch++)
            MiniBatchTrainer.TrainEpoch(model, optimizer, train.Inputs, train.Labels, 32, shuffle);
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < epochs; epoch++)
            MiniBatchTrainer.TrainEpoch(model, optimizer, train.Inputs, train.Labels, 32, shuffle);
        var ms = clock.Elapsed.TotalMilliseconds / epochs;
        var accuracy = model.Accuracy(test.Inputs, test.Labels);
        double? torchMs = null;
        string? note = torch ? null : "python3-torch not installed";
        if (torch)
        {
            progress?.Report($"{net} on {data}: PyTorch, same net and rows, one thread");
            (torchMs, note) = TorchMilliseconds(train, epochs);
        }
        return new TrainingBenchmarkRow(net, data, train.Count, ms, 1000 / ms, accuracy, torchMs, note);
    }

    private static DataSet ReadCsvGz(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        return CsvDataSetReader.Read(text, -1, 10, scale: 16);
    }

    /// <summary>Ten seeded clusters in the digits' shape, so the row runs with nothing installed.</summary>
    private static DataSet Generated(int count, int features, int classes)
    {
        var random = new SplitMix64(3);
        var centres = Enumerable.Range(0, classes * features).Select(_ => random.NextSignedUnit()).ToArray();
        var inputs = new float[count * features];
        var labels = new int[count];
        for (var row = 0; row < count; row++)
        {
            labels[row] = random.NextInt(classes);
            for (var f = 0; f < features; f++)
                inputs[row * features + f] = centres[labels[row] * features + f] + 0.5f * random.NextSignedUnit();
        }
        return new DataSet(inputs, labels, features, classes);
    }

    /// <summary>Debian's interpreter, which Debian's python3-torch installs into, before whatever python3 the PATH finds first.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static bool TorchAvailable()
    {
        try
        {
            using var python = Process.Start(
                new ProcessStartInfo(Python, ["-c", "import torch"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                }
            );
            if (python is null)
                return false;
            python.WaitForExit(60_000);
            return python.HasExited && python.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private const string TorchScript = """
        import sys, time, numpy as np, torch
        torch.set_num_threads(1); torch.manual_seed(1)
        x = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, int(sys.argv[3])))
        y = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.int32).astype(np.int64))
        epochs, classes = int(sys.argv[4]), int(sys.argv[5])
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(), torch.nn.Linear(128, classes))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3); loss = torch.nn.CrossEntropyLoss()
        def epoch():
            order = torch.randperm(len(y))
            for i in range(0, len(y), 32):
                b = order[i:i+32]; opt.zero_grad(); l = loss(net(x[b]), y[b]); l.backward(); opt.step()
        epoch()
        start = time.perf_counter()
        for _ in range(epochs): epoch()
        print((time.perf_counter() - start) * 1000 / epochs)
        """;

    private static (double? Milliseconds, string? Note) TorchMilliseconds(DataSet train, int epochs)
    {
        var folder = Directory.CreateTempSubdirectory("veritensor-bench-train-");
        try
        {
            var inputs = Path.Combine(folder.FullName, "x.f32");
            var labels = Path.Combine(folder.FullName, "y.i32");
            var script = Path.Combine(folder.FullName, "train.py");
            File.WriteAllBytes(inputs, MemoryMarshal.AsBytes(train.Inputs.AsSpan()).ToArray());
            File.WriteAllBytes(labels, MemoryMarshal.AsBytes(train.Labels.AsSpan()).ToArray());
            File.WriteAllText(script, TorchScript);
            var info = new ProcessStartInfo(
                Python,
                [
                    script,
                    inputs,
                    labels,
                    train.Features.ToString(CultureInfo.InvariantCulture),
                    epochs.ToString(CultureInfo.InvariantCulture),
                    train.Classes.ToString(CultureInfo.InvariantCulture),
                ]
            )
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var python = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
            var output = python.StandardOutput.ReadToEnd();
            var error = python.StandardError.ReadToEnd();
            python.WaitForExit();
            return
                python.ExitCode == 0
                && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                ? (ms, null)
                : (null, $"PyTorch failed: {error.Trim().Split('\n').LastOrDefault()}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
