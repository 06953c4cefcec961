using System.CommandLine;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor model ...</c>: work with ONNX models. Each subcommand is built by its own method, so more can be added beside <c>run</c>.</summary>
internal static class ModelCommands
{
    /// <summary>How many leading values of each output the table shows.</summary>
    private const int PreviewValues = 6;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var model = new Command(
            "model",
            "ONNX models: publish, list, show, download and serve registered models, or run one locally with the executor nodes use."
        );
        model.Subcommands.Add(Run(context));
        ModelRegistryCommands.AddTo(model, context);
        return model;
    }

    private static Command Run(Func<ParseResult, CliContext> context)
    {
        var run = new Command(
            "run",
            "Run an ONNX model locally with the default execution settings; writes output_N.pb and prints the output hash."
        );
        var file = new Argument<string>("FILE") { Description = "The model, e.g. model.onnx." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description =
                "An input as ONNX TensorProto bytes (input_0.pb); repeat for several. Unnamed tensors bind to model inputs by position.",
            AllowMultipleArgumentsPerToken = false,
        };
        // The global --json flag selects JSON output, so the JSON input has its own name.
        var jsonInputs = new Option<string[]>("--input-json")
        {
            Description =
                """Inputs as JSON: {"name":"x","type":"float32","shape":[1,4],"data":[...]} or an array of them; repeatable.""",
        };
        var outputDir = new Option<string?>("--output-dir", "-o")
        {
            Description = "Where to write output_0.pb, output_1.pb, ... (in model output order).",
        };
        run.Arguments.Add(file);
        run.Options.Add(inputs);
        run.Options.Add(jsonInputs);
        run.Options.Add(outputDir);
        run.SetAction(pr =>
        {
            var ctx = context(pr);
            var result = Execute(
                pr.GetValue(file)!,
                pr.GetValue(inputs) ?? [],
                pr.GetValue(jsonInputs) ?? [],
                pr.GetValue(outputDir)
            );
            Report(ctx, result);
            return 0;
        });
        return run;
    }

    internal sealed record OutputRow(
        string Name,
        string Type,
        IReadOnlyList<long> Shape,
        IReadOnlyList<string> FirstValues,
        string? File
    );

    internal sealed record RunResult(
        string Model,
        string ContentId,
        string InputHash,
        string OutputHash,
        string Profile,
        IReadOnlyList<OutputRow> Outputs
    );

    private static RunResult Execute(string modelPath, string[] inputFiles, string[] jsonInputs, string? outputDir)
    {
        try
        {
            using var executor = new OnnxExecutor();
            var contentId = executor.LoadFile(modelPath);
            var signature = executor.Signature(contentId);
            var tensors = inputFiles
                .Select(f => TensorProtoCodec.DecodeFile(f))
                .Concat(jsonInputs.SelectMany(TensorJson.ParseMany))
                .ToArray();
            var bound = InputBinder.BindByPosition(signature, tensors);
            var outputs = executor.Run(contentId, bound);
            var files = WriteOutputs(outputs, outputDir);
            var rows = outputs
                .Select(
                    (o, i) =>
                        new OutputRow(
                            o.Name,
                            Veritensor.Tensors.TensorElementTypes.Name(o.Tensor.ElementType),
                            o.Tensor.Shape,
                            Enumerable
                                .Range(0, (int)Math.Min(PreviewValues, o.Tensor.ElementCount))
                                .Select(e => o.Tensor.FormatElement(e))
                                .ToArray(),
                            files?[i]
                        )
                )
                .ToArray();
            return new RunResult(
                modelPath,
                contentId.ToString(),
                TensorHash.Compute(bound).ToString(),
                TensorHash.Compute(outputs).ToString(),
                executor.Profile.Hash.ToString(),
                rows
            );
        }
        catch (Exception e)
            when (e is ModelLoadException or InputValidationException or TensorFormatException or InferenceException)
        {
            throw new CliException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>Writes output_0.pb, output_1.pb, ... (TensorProto bytes, model output order) into <paramref name="outputDir"/>; null when no directory was given.</summary>
    internal static string[]? WriteOutputs(IReadOnlyList<NamedTensor> outputs, string? outputDir)
    {
        if (outputDir is null)
            return null;
        Directory.CreateDirectory(outputDir);
        var files = new string[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            files[i] = Path.Combine(outputDir, $"output_{i}.pb");
            File.WriteAllBytes(files[i], TensorProtoCodec.Encode(outputs[i]));
        }
        return files;
    }

    private static void Report(CliContext ctx, RunResult result)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(result);
            return;
        }
        ctx.WriteTable(result.Outputs, ["output", "type", "shape", "first values"], o =>
            [
                o.Name,
                o.Type,
                "[" + string.Join(",", o.Shape) + "]",
                string.Join(" ", o.FirstValues) + (o.FirstValues.Count < PreviewValues ? "" : " ..."),
            ]
        );
        ctx.WriteLine($"model        {result.ContentId}");
        ctx.WriteLine($"input hash   {result.InputHash}");
        ctx.WriteLine($"output hash  {result.OutputHash}");
        ctx.WriteLine($"profile      {result.Profile}");
    }
}
