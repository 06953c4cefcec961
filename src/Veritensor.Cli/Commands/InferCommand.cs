using System.CommandLine;
using Veritensor.Client;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>veritensor infer</c>: run a registered model through a gateway, check the answer with the SDK (signatures,
/// hashes, the signers' registrations on the ledger), write output_N.pb and print state and attestations.
/// </summary>
internal static class InferCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "infer",
            "Run a model on the network: the gateway routes it to an inference node, verifiers re-execute it, and the answer is checked against the ledger."
        );
        var model = new Option<string>("--model", "-m")
        {
            Description = "The model: NAME@VERSION, NAME (its latest version) or a content id.",
            Required = true,
        };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description =
                "An input as ONNX TensorProto bytes (input_0.pb); repeat for several. Unnamed tensors bind to model inputs by position.",
        };
        var jsonInputs = new Option<string[]>("--input-json")
        {
            Description =
                """Inputs as JSON: {"name":"x","type":"float32","shape":[1,4],"data":[...]} or an array of them; repeatable.""",
        };
        var mode = new Option<string>("--mode")
        {
            Description =
                "Verification: none (executor only), sampled (re-executed with probability p), full (k verifiers re-execute).",
            DefaultValueFactory = _ => "full",
        };
        mode.AcceptOnlyFromAmong("none", "sampled", "full");
        var record = new Option<string>("--record")
        {
            Description = "How the gateway records the request on the ledger: single, or batch (under a Merkle root).",
            DefaultValueFactory = _ => "single",
        };
        record.AcceptOnlyFromAmong("single", "batch");
        var maxFee = new Option<string?>("--max-fee")
        {
            Description =
                "The most you authorise, in tokens (default: the most the mode can cost at the model's price).",
        };
        var outputDir = new Option<string?>("--output-dir", "-o")
        {
            Description = "Where to write output_0.pb, output_1.pb, ... (in model output order).",
        };
        var waitFinal = new Option<bool>("--wait-final")
        {
            Description = "Wait until the request is recorded on the ledger (state final) and print its ledger record.",
        };
        var gateway = new Option<string>("--gateway")
        {
            Description = "URL of the gateway (env VERITENSOR_GATEWAY).",
            DefaultValueFactory = _ =>
                Environment.GetEnvironmentVariable("VERITENSOR_GATEWAY") ?? CommonOptions.DefaultGatewayUrl,
        };
        foreach (
            var option in new Option[]
            {
                model,
                inputs,
                jsonInputs,
                mode,
                record,
                maxFee,
                outputDir,
                waitFinal,
                gateway,
            }
        )
            command.Options.Add(option);
        var node = new NodeAccess();
        node.AddTo(command);
        var wallet = new WalletAccess();
        wallet.AddTo(command, hotkey: false);
        command.SetAction(
            async (pr, ct) =>
            {
                var ctx = context(pr);
                var tensors = ReadInputs(pr.GetValue(inputs) ?? [], pr.GetValue(jsonInputs) ?? []);
                var options = new InferenceOptions
                {
                    Mode = InferenceViews.ParseMode(pr.GetValue(mode)!),
                    Record = pr.GetValue(record)!,
                    MaxFee = pr.GetValue(maxFee) is { } fee ? NodeAccess.ParseAmount(fee, "--max-fee") : null,
                };
                using var user = wallet.LoadColdkey(pr, ctx);
                using var ledgerClient = node.Client(pr);
                using var client = InferenceClient.Create(
                    ParseUrl(pr.GetValue(gateway)!, "--gateway"),
                    ledgerClient.BaseAddress
                );
                VerifiedInference result;
                try
                {
                    result = await client.InferAsync(user, pr.GetValue(model)!, tensors, options, ct);
                }
                catch (InferenceClientException e)
                {
                    throw new CliException(e.Message, e.Code);
                }
                catch (InferenceVerificationException e)
                {
                    throw new CliException(e.Message, "VerificationFailed");
                }
                var files = ModelCommands.WriteOutputs(result.Outputs, pr.GetValue(outputDir)) ?? [];
                var final = pr.GetValue(waitFinal)
                    ? await client.WaitFinalAsync(result.RequestId, TimeSpan.FromMinutes(2), ct)
                    : null;
                // "final" is the gateway's word: shown only when the ledger holds the record.
                if (
                    final is { State: InferenceStates.Final }
                    && await client.Ledger.GetRecordAsync(result.RequestId, ct) is null
                )
                    throw new CliException(
                        $"The gateway says request {result.RequestId} is final, but the ledger holds no record of it.",
                        "VerificationFailed"
                    );
                Report(ctx, result, files, final);
                return 0;
            }
        );
        return command;
    }

    private static IReadOnlyList<NamedTensor> ReadInputs(string[] files, string[] json)
    {
        try
        {
            var tensors = files
                .Select(f => TensorProtoCodec.DecodeFile(f))
                .Concat(json.SelectMany(TensorJson.ParseMany))
                .ToArray();
            return tensors.Length > 0
                ? tensors
                : throw new CliException("Give the model's inputs with --input FILE.pb or --input-json '{...}'.");
        }
        catch (Exception e) when (e is TensorFormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(e.Message);
        }
    }

    private static Uri ParseUrl(string url, string option) =>
        Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException(
                $"{option} '{url}' is not an http(s) URL such as {CommonOptions.DefaultGatewayUrl}."
            );

    private static void Report(CliContext ctx, VerifiedInference result, string[] files, InferenceApiResponse? final)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(
                new
                {
                    requestId = result.RequestId.ToString(),
                    state = final?.State ?? result.State,
                    mode = InferenceViews.Mode(result.Mode),
                    model = result.Model.Reference,
                    modelId = result.Model.ContentId.ToString(),
                    fee = result.Fee.ToString(),
                    sampled = result.Sampled,
                    outputs = result.Outputs.Select(
                        (o, i) =>
                            new
                            {
                                name = o.Name,
                                type = TensorElementTypes.Name(o.Tensor.ElementType),
                                shape = o.Tensor.Shape,
                                file = files.ElementAtOrDefault(i),
                            }
                    ),
                    receipt = result.Response.Receipt,
                    attestations = result.Response.Attestations,
                    ledger = final?.Ledger,
                    error = final?.Error,
                }
            );
            return;
        }
        ctx.WriteTable(result.Outputs, ["output", "type", "shape", "first values"], o =>
            [
                o.Name,
                TensorElementTypes.Name(o.Tensor.ElementType),
                o.Tensor.ShapeText,
                string.Join(
                    " ",
                    Enumerable.Range(0, (int)Math.Min(6, o.Tensor.ElementCount)).Select(e => o.Tensor.FormatElement(e))
                ) + (o.Tensor.ElementCount > 6 ? " ..." : ""),
            ]
        );
        ctx.WriteLine($"request      {result.RequestId}");
        ctx.WriteLine(
            $"state        {final?.State ?? result.State}{(result.Sampled is { } s ? s ? " (sampled: drawn for re-execution)" : " (sampled: not drawn this time)" : "")}"
        );
        ctx.WriteLine($"model        {result.Model.Reference} ({result.Model.ContentId})");
        ctx.WriteLine($"fee          {result.Fee}");
        ctx.WriteLine($"executor     {result.Receipt.Executor} (receipt signature and output hash checked)");
        foreach (var a in result.Response.Attestations)
            ctx.WriteLine(
                $"attestation  {a.Verifier}: {a.Verdict}, max abs error {a.MaxAbsError:G3}, max {a.MaxUlpDistance} ULPs"
            );
        if (files.Length > 0)
            ctx.WriteLine($"outputs      {string.Join(", ", files)}");
        if (final?.Ledger is { } ledger)
            ctx.WriteLine(
                $"ledger       block {ledger.BlockHeight}, transaction {ledger.TransactionId}{(ledger.BatchRoot is null ? "" : $", batch root {ledger.BatchRoot} (leaf {ledger.LeafIndex} of {ledger.LeafCount})")}"
            );
        if (final?.Error is { } error)
            ctx.WriteLine($"warning      {error}");
    }
}
