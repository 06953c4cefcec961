using System.Text.Json;
using Veritensor.Cli;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[NetworkTest]
public sealed class ModelRunCliTests : IDisposable
{
    private const string FeaturesJson =
        """{"name":"features","type":"float32","shape":[2,8],"data":[1,2,3,4,5,6,7,8,-1,-2,-3,-4,-5,-6,-7,-8]}""";

    private readonly TestDirectory _directory = new();
    private readonly string _modelPath;

    public ModelRunCliTests()
    {
        _modelPath = Path.Combine(_directory.Path, "mlp.onnx");
        File.WriteAllBytes(_modelPath, DemoModels.BuildMlpClassifier());
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static IReadOnlyList<NamedTensor> Reference()
    {
        var model = DemoModels.BuildMlpClassifier();
        using var executor = new OnnxExecutor();
        var id = Hash256.Compute(model);
        executor.Load(id, model);
        return executor.Run(id, TensorJson.ParseMany(FeaturesJson));
    }

    [Fact]
    public async Task Run_writes_output_files_and_prints_the_output_hash()
    {
        var outputDir = Path.Combine(_directory.Path, "out");
        var (code, output, error) = await RunAsync(
            "model",
            "run",
            _modelPath,
            "--input-json",
            FeaturesJson,
            "--output-dir",
            outputDir
        );
        Assert.True(code == 0, error);
        var reference = Reference();
        var written = TensorProtoCodec.DecodeFile(Path.Combine(outputDir, "output_0.pb"));
        Assert.Equal("probabilities", written.Name);
        Assert.True(reference[0].Tensor.BitEquals(written.Tensor));
        Assert.Contains($"output hash  {TensorHash.Compute(reference)}", output);
        Assert.Contains("probabilities", output);
        Assert.Contains("[2,3]", output);
    }

    [Fact]
    public async Task Unnamed_pb_inputs_bind_by_position_and_json_output_is_parseable()
    {
        var inputPath = Path.Combine(_directory.Path, "input_0.pb");
        var features = TensorJson.Parse(FeaturesJson);
        File.WriteAllBytes(inputPath, TensorProtoCodec.Encode(features with { Name = "" }));
        var (code, output, error) = await RunAsync("model", "run", _modelPath, "--input", inputPath, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(
            TensorHash.Compute(Reference()).ToString(),
            json.RootElement.GetProperty("outputHash").GetString()
        );
        Assert.Equal(TensorHash.Compute([features]).ToString(), json.RootElement.GetProperty("inputHash").GetString());
        Assert.Equal(
            Hash256.Compute(File.ReadAllBytes(_modelPath)).ToString(),
            json.RootElement.GetProperty("contentId").GetString()
        );
        Assert.Equal("probabilities", json.RootElement.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Errors_are_one_line_and_exit_1()
    {
        var garbage = Path.Combine(_directory.Path, "garbage.onnx");
        File.WriteAllText(garbage, "not a model");
        var notOnnx = await RunAsync("model", "run", garbage, "--input-json", FeaturesJson);
        Assert.Equal(1, notOnnx.ExitCode);
        Assert.StartsWith("error: ", notOnnx.Error);
        Assert.Contains("is not a loadable ONNX model", notOnnx.Error);

        var missing = await RunAsync("model", "run", _modelPath);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("error: missing input 'features' (float32[?,8])", missing.Error.Trim());

        var wrongShape = await RunAsync(
            "model",
            "run",
            _modelPath,
            "--input-json",
            """{"name":"features","type":"float32","shape":[1,2],"data":[1,2]}"""
        );
        Assert.Equal(1, wrongShape.ExitCode);
        Assert.StartsWith("error: input 'features': expected float32[?,8], got float32[1,2]", wrongShape.Error);

        var badJson = await RunAsync("model", "run", _modelPath, "--input-json", "{", "--json");
        Assert.Equal(1, badJson.ExitCode);
        Assert.Contains(
            "not valid JSON",
            JsonDocument.Parse(badJson.Output).RootElement.GetProperty("error").GetString()
        );
    }
}
