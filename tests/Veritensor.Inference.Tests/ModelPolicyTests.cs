using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;

namespace Veritensor.Inference.Tests;

/// <summary>A node never loads a model that reads its disk, loops on data, or allocates what a caller asks for.</summary>
[UnitTest]
public sealed class ModelPolicyTests
{
    public static TheoryData<string> ExfiltratingModels => ["initializer", "attribute", "subgraph", "sparse"];

    private static byte[] Exfiltrating(string where, string location) =>
        where switch
        {
            "initializer" => HostileModels.ReadsFile(location),
            "attribute" => HostileModels.ReadsFileFromAttribute(location),
            "subgraph" => HostileModels.ReadsFileFromSubgraph(location),
            _ => HostileModels.ReadsFileFromSparseInitializer(location),
        };

    [Theory]
    [MemberData(nameof(ExfiltratingModels))]
    public void External_data_anywhere_in_a_model_is_refused_before_onnx_runtime_reads_a_byte(string where)
    {
        // A secret below the working directory, where ONNX Runtime would resolve a relative location from bytes.
        var directory = Directory.CreateTempSubdirectory("veritensor-policy-");
        try
        {
            var secret = Path.Combine(directory.FullName, "hotkey");
            File.WriteAllBytes(secret, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
            var model = Exfiltrating(where, Path.GetRelativePath(Environment.CurrentDirectory, secret));
            var check = Assert.Throws<ModelLoadException>(() => ModelPolicy.Check(model, "model"));
            Assert.True(check.RefusedByPolicy);
            Assert.Contains("external file", check.Message, StringComparison.Ordinal);
            Assert.Contains("hotkey", check.Message, StringComparison.Ordinal);
            // Every load path applies it: the executor and the inspector.
            using var executor = new OnnxExecutor();
            var load = Assert.Throws<ModelLoadException>(() => executor.Load(Hash256.Compute(model), model));
            Assert.True(load.RefusedByPolicy);
            Assert.True(Assert.Throws<ModelLoadException>(() => OnnxModelInspector.Inspect(model)).RefusedByPolicy);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_loop_is_refused_and_so_is_an_allocation_the_caller_sizes_but_a_constant_size_loads()
    {
        var loop = Assert.Throws<ModelLoadException>(() => ModelPolicy.Check(HostileModels.LoopsForever(), "m"));
        Assert.Contains("Loop", loop.Message, StringComparison.Ordinal);
        var allocate = Assert.Throws<ModelLoadException>(() =>
            ModelPolicy.Check(HostileModels.AllocatesWhatTheCallerAsks(shapeIsConstant: false), "m")
        );
        Assert.Contains("ConstantOfShape", allocate.Message, StringComparison.Ordinal);
        Assert.Contains("must be a constant", allocate.Message, StringComparison.Ordinal);
        var fixedSize = HostileModels.AllocatesWhatTheCallerAsks(shapeIsConstant: true);
        ModelPolicy.Check(fixedSize, "m");
        Assert.Single(OnnxModelInspector.Inspect(fixedSize).Outputs);
    }

    [Fact]
    public void Ordinary_models_pass_and_garbage_is_named_as_not_onnx()
    {
        ModelPolicy.Check(DemoModels.BuildMlpClassifier(), "mlp");
        var garbage = Assert.Throws<ModelLoadException>(() => ModelPolicy.Check([0xFF, 0xFF, 0xFF], "junk"));
        Assert.False(garbage.RefusedByPolicy);
        Assert.Contains("not a loadable ONNX model", garbage.Message, StringComparison.Ordinal);
    }
}
