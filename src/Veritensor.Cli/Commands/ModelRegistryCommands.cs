using System.CommandLine;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Models;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Cli.Commands;

/// <summary>
/// The model hub: <c>model publish</c> (check the file loads, upload it to the node's blob store, register it on
/// the ledger), <c>model list|show|download</c>, and <c>model serve</c> (an inference node offers a model).
/// </summary>
internal static class ModelRegistryCommands
{
    public static void AddTo(Command model, Func<ParseResult, CliContext> context)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Subcommands.Add(Publish(context));
        model.Subcommands.Add(List(context));
        model.Subcommands.Add(Show(context));
        model.Subcommands.Add(Download(context));
        model.Subcommands.Add(Serve(context));
    }

    private static Command Publish(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "publish",
            "Check that ONNX Runtime loads FILE, upload it to the node's blob store under its SHA-256, and register it on the ledger."
        );
        var file = new Argument<string>("FILE") { Description = "The ONNX model file." };
        var name = new Option<string>("--name")
        {
            Description = "Model name: lower-case letters, digits, '.', '_' and '-'.",
            Required = true,
        };
        var version = new Option<string>("--version")
        {
            Description = "Version (a release of the name; earlier versions are kept).",
            DefaultValueFactory = _ => "1",
        };
        var price = new Option<string>("--price")
        {
            Description = "Price per call in tokens.",
            DefaultValueFactory = _ => "0",
        };
        var atol = new Option<double>("--atol")
        {
            Description = "Absolute tolerance for float outputs re-executed on another execution profile.",
            DefaultValueFactory = _ => VerificationTolerance.Default.Absolute,
        };
        var rtol = new Option<double>("--rtol")
        {
            Description = "Relative tolerance for float outputs.",
            DefaultValueFactory = _ => VerificationTolerance.Default.Relative,
        };
        var ulps = new Option<uint>("--ulps")
        {
            Description = "An element also matches when it is at most this many units in the last place away.",
            DefaultValueFactory = _ => VerificationTolerance.Default.Ulps,
        };
        var exact = new Option<bool>("--exact")
        {
            Description = "Require bit-exact outputs from every verifier (tolerance 0).",
        };
        var toleranceText = new Option<string?>("--tolerance")
        {
            Description =
                "The tolerance in one option: 'exact', or ATOL,RTOL[,ULPS] (e.g. 1e-5,1e-4,64); overrides --atol/--rtol/--ulps.",
        };
        command.Arguments.Add(file);
        foreach (var option in new Option[] { name, version, price, atol, rtol, ulps, exact, toleranceText })
            command.Options.Add(option);
        var sender = new TransactionSender();
        sender.AddTo(command, hotkey: false);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var path = pr.GetValue(file)!;
                byte[] bytes;
                ModelSignature signature;
                try
                {
                    bytes = File.ReadAllBytes(path);
                    signature = OnnxModelInspector.Inspect(bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"Cannot read {path}: {e.Message}");
                }
                catch (ModelLoadException e)
                {
                    throw new CliException($"{path} is not a model ONNX Runtime can load: {e.Message}");
                }
                VerificationTolerance tolerance;
                try
                {
                    tolerance =
                        pr.GetValue(toleranceText) is { } text ? ParseTolerance(text)
                        : pr.GetValue(exact) ? VerificationTolerance.Exact
                        : VerificationTolerance.FromDoubles(pr.GetValue(atol), pr.GetValue(rtol), pr.GetValue(ulps));
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new CliException(e.Message.Split(" (Parameter")[0]);
                }
                var amount = NodeAccess.ParseAmount(pr.GetValue(price)!, "--price");
                var contentId = Hash256.Compute(bytes);
                // The coldkey signs the upload's intent (the node stores blobs only for funded accounts) and the publication.
                using var publisher = sender.Wallet.LoadColdkey(pr, ctx);
                using (var client = sender.Node.Client(pr))
                    await UploadAsync(client, bytes, contentId, publisher, ct);
                ctx.Error.WriteLine(
                    $"Uploaded {path} ({bytes.Length} bytes) as {contentId}; inputs {string.Join(", ", signature.Inputs)}; outputs {string.Join(", ", signature.Outputs)}."
                );
                return await sender.SendSignedByAsync(
                    pr,
                    ctx,
                    publisher,
                    (_, _) =>
                        new PublishModelPayload(
                            pr.GetValue(name)!,
                            pr.GetValue(version)!,
                            contentId,
                            (ulong)bytes.Length,
                            signature,
                            amount,
                            tolerance
                        ),
                    ct
                );
            }
        );
        return command;
    }

    /// <summary>Parses --tolerance: "exact", or "ATOL,RTOL" or "ATOL,RTOL,ULPS" with invariant-culture numbers.</summary>
    internal static VerificationTolerance ParseTolerance(string text)
    {
        if (string.Equals(text.Trim(), "exact", StringComparison.OrdinalIgnoreCase))
            return VerificationTolerance.Exact;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (
            parts.Length is < 2 or > 3
            || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, culture, out var absolute)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, culture, out var relative)
        )
            throw new CliException($"--tolerance '{text}': give 'exact' or ATOL,RTOL[,ULPS], e.g. 1e-5,1e-4,64.");
        var ulps = VerificationTolerance.Default.Ulps;
        if (parts.Length == 3 && !uint.TryParse(parts[2], System.Globalization.NumberStyles.None, culture, out ulps))
            throw new CliException(
                $"--tolerance '{text}': ULPS in ATOL,RTOL,ULPS must be a whole number, got '{parts[2]}'."
            );
        return VerificationTolerance.FromDoubles(absolute, relative, ulps);
    }

    /// <summary>Uploads the model file; a refusal keeps the node's error code (e.g. RequestTooLarge).</summary>
    private static async Task UploadAsync(
        NodeClient client,
        byte[] bytes,
        Hash256 contentId,
        KeyPair uploader,
        CancellationToken cancellationToken
    )
    {
        var status = await NodeAccess.CallAsync(() => client.GetStatusAsync(cancellationToken));
        var stored = await NodeAccess.CallAsync(() =>
            client.UploadBlobAsync(bytes, uploader, status.ChainId, cancellationToken)
        );
        if (stored.Id != contentId.ToString())
            throw new CliException($"The node stored the upload as {stored.Id}, not as {contentId}.");
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List the registered models (latest version of each name).");
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                using var ledger = new LedgerApiClient(client.BaseAddress);
                var models = await Call(() => ledger.ListModelsAsync(ct));
                if (ctx.Json)
                    ctx.WriteJson(models);
                else
                    ctx.WriteTable(models, ["model", "content id", "owner", "price", "size"], m =>
                        [
                            $"{m.Name}@{m.Version}",
                            m.ContentId,
                            m.Owner,
                            m.Price,
                            m.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ]
                    );
                return 0;
            }
        );
        return command;
    }

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "show",
            "Show a model: signature, price, tolerance and the inference nodes serving it."
        );
        var reference = new Argument<string>("MODEL") { Description = "NAME@VERSION, NAME (latest) or content id." };
        command.Arguments.Add(reference);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                using var ledger = new LedgerApiClient(client.BaseAddress);
                var model = await Find(ledger, pr.GetValue(reference)!, ct);
                var servers = await Call(() => ledger.GetServersAsync(model.ContentId, ct));
                if (ctx.Json)
                {
                    ctx.WriteJson(
                        new
                        {
                            name = model.Name,
                            version = model.Version,
                            contentId = model.ContentId.ToString(),
                            owner = model.Owner.ToString(),
                            size = model.SizeBytes,
                            price = model.Price.ToString(),
                            tolerance = new
                            {
                                absolute = model.Tolerance.Absolute,
                                relative = model.Tolerance.Relative,
                                ulps = model.Tolerance.Ulps,
                            },
                            inputs = model.Signature.Inputs.Select(s => s.ToString()),
                            outputs = model.Signature.Outputs.Select(s => s.ToString()),
                            servers = servers.Select(s => new
                            {
                                hotkey = s.Hotkey.ToString(),
                                endpoint = s.Endpoint,
                                stake = s.Stake.ToString(),
                            }),
                        }
                    );
                    return 0;
                }
                ctx.WriteRecord(
                    model,
                    [
                        ("model", model.Reference),
                        ("content id", model.ContentId.ToString()),
                        ("owner", model.Owner.ToString()),
                        ("size", $"{model.SizeBytes} bytes"),
                        ("price", model.Price.ToString()),
                        ("tolerance", model.Tolerance.ToString()),
                        ("inputs", string.Join(", ", model.Signature.Inputs)),
                        ("outputs", string.Join(", ", model.Signature.Outputs)),
                        (
                            "served by",
                            servers.Count == 0
                                ? "(no inference node yet)"
                                : string.Join(
                                    ", ",
                                    servers.Select(s => $"{s.Hotkey} at {s.Endpoint} (stake {s.Stake})")
                                )
                        ),
                    ]
                );
                return 0;
            }
        );
        return command;
    }

    private static Command Download(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "download",
            "Download a model file from the node's blob store (its hash is checked before the file is written)."
        );
        var reference = new Argument<string>("MODEL") { Description = "NAME@VERSION, NAME (latest) or content id." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "File to write (default NAME-VERSION.onnx).",
        };
        command.Arguments.Add(reference);
        command.Options.Add(output);
        var node = new NodeAccess();
        node.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                using var client = node.Client(pr);
                using var ledger = new LedgerApiClient(client.BaseAddress);
                var model = await Find(ledger, pr.GetValue(reference)!, ct);
                var target = Path.GetFullPath(pr.GetValue(output) ?? $"{model.Name}-{model.Version}.onnx");
                var staging = new BlobStore(Path.Combine(Path.GetDirectoryName(target)!, ".veritensor-download"));
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
                try
                {
                    var path = await new BlobFetcher(http).FetchAsync(
                        client.BaseAddress,
                        model.ContentId,
                        staging,
                        (long)model.SizeBytes,
                        ct
                    );
                    File.Move(path, target, overwrite: true);
                }
                catch (Exception e) when (e is BlobException or HttpRequestException or IOException)
                {
                    throw new CliException($"Download of {model.Reference} failed: {e.Message}");
                }
                finally
                {
                    if (Directory.Exists(staging.Directory))
                        Directory.Delete(staging.Directory, recursive: true);
                }
                if (ctx.Json)
                    ctx.WriteJson(
                        new
                        {
                            model = model.Reference,
                            contentId = model.ContentId.ToString(),
                            file = target,
                            size = model.SizeBytes,
                        }
                    );
                else
                    ctx.WriteLine($"Wrote {target} ({model.SizeBytes} bytes, SHA-256 {model.ContentId} checked).");
                return 0;
            }
        );
        return command;
    }

    private static Command Serve(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "serve",
            "Register that --hotkey of --wallet (an inference node owned by the wallet's coldkey) serves MODEL, or with --stop no longer serves it."
        );
        var reference = new Argument<string>("MODEL") { Description = "NAME@VERSION, NAME (latest) or content id." };
        var stop = new Option<bool>("--stop") { Description = "Stop serving the model." };
        command.Arguments.Add(reference);
        command.Options.Add(stop);
        var sender = new TransactionSender();
        sender.AddTo(command);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                LedgerModel model;
                using (var client = sender.Node.Client(pr))
                using (var ledger = new LedgerApiClient(client.BaseAddress))
                    model = await Find(ledger, pr.GetValue(reference)!, ct);
                using var hotkey = sender.Wallet.LoadHotkey(pr);
                var hotkeyAddress = hotkey.Address;
                return await sender.SendAsync(
                    pr,
                    ctx,
                    (_, _) => new ServeModelPayload(hotkeyAddress, model.ContentId, !pr.GetValue(stop)),
                    ct
                );
            }
        );
        return command;
    }

    private static async Task<LedgerModel> Find(
        LedgerApiClient ledger,
        string reference,
        CancellationToken cancellationToken
    ) =>
        await Call(() => ledger.FindModelAsync(reference, cancellationToken))
        ?? throw new CliException($"No model '{reference}' is registered.", nameof(Ledger.ErrorCode.ModelNotFound));

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Client.NodeClientException e)
        {
            throw new CliException(e.Message, e.Code);
        }
    }
}
