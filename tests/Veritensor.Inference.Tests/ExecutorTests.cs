using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class ExecutorTests
{
    private static readonly byte[] Mlp = DemoModels.BuildMlpClassifier();
    private static readonly Hash256 MlpId = Hash256.Compute(Mlp);

    private static NamedTensor Features(int batch, int seed = 3)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, batch * 8).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        return new NamedTensor("features", Tensor.FromFloats([batch, 8], values));
    }

    [Fact]
    public void Mlp_outputs_probabilities_that_sum_to_one_per_row()
    {
        using var executor = new OnnxExecutor();
        executor.Load(MlpId, Mlp);
        var output = Assert.Single(executor.Run(MlpId, [Features(4)]));
        Assert.Equal("probabilities", output.Name);
        Assert.Equal([4L, 3], output.Tensor.Shape);
        for (var row = 0; row < 4; row++)
        {
            var sum = Enumerable.Range(0, 3).Sum(c => output.Tensor.GetDouble((row * 3) + c));
            Assert.InRange(sum, 0.9999, 1.0001);
            Assert.All(Enumerable.Range(0, 3), c => Assert.InRange(output.Tensor.GetDouble((row * 3) + c), 0, 1));
        }
    }

    [Fact]
    public void Runs_are_bit_identical_across_repeats_and_executors()
    {
        using var first = new OnnxExecutor();
        using var second = new OnnxExecutor();
        first.Load(MlpId, Mlp);
        second.Load(MlpId, Mlp);
        var input = Features(16);
        var hashes = Enumerable.Range(0, 10).Select(_ => TensorHash.Compute(first.Run(MlpId, [input]))).ToList();
        hashes.Add(TensorHash.Compute(second.Run(MlpId, [input])));
        Assert.Single(hashes.Distinct());
        Assert.NotEqual(hashes[0], TensorHash.Compute(first.Run(MlpId, [Features(16, seed: 4)])));
        Assert.Equal(first.Profile.Hash, second.Profile.Hash);
    }

    [Fact]
    public async Task Parallel_runs_on_one_session_give_the_sequential_results()
    {
        using var executor = new OnnxExecutor();
        executor.Load(MlpId, Mlp);
        var inputs = Enumerable.Range(0, 32).Select(i => Features(8, seed: i)).ToArray();
        var sequential = inputs.Select(i => TensorHash.Compute(executor.Run(MlpId, [i]))).ToArray();
        var parallel = await Task.WhenAll(
            inputs.Select(i =>
                Task.Run(() => TensorHash.Compute(executor.Run(MlpId, [i])), TestContext.Current.CancellationToken)
            )
        );
        Assert.Equal(sequential, parallel);
        Assert.Equal(32, sequential.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SampleTensors.AllTypesData), MemberType = typeof(SampleTensors))]
    public void Every_element_type_passes_through_ort_unchanged(TensorElementType type)
    {
        var model = DemoModels.BuildIdentity(type);
        var id = Hash256.Compute(model);
        using var executor = new OnnxExecutor();
        executor.Load(id, model);
        var sample = SampleTensors.Of(type);
        var input =
            type == TensorElementType.String
                ? Tensor.FromStrings([6], sample.Strings)
                : Tensor.FromRaw(type, [6], sample.Data.Span);
        var output = Assert.Single(executor.Run(id, [new NamedTensor("x", input)]));
        Assert.Equal("y", output.Name);
        Assert.True(input.BitEquals(output.Tensor), $"{type} changed inside ORT");
    }

    [Fact]
    public void Loading_is_cached_per_content_id()
    {
        using var executor = new OnnxExecutor();
        Assert.False(executor.IsLoaded(MlpId));
        var signature = executor.Load(MlpId, Mlp);
        Assert.True(executor.IsLoaded(MlpId));
        Assert.Same(signature, executor.Load(MlpId, Mlp));
    }

    [Fact]
    public void Bad_ids_bad_bytes_and_bad_inputs_are_reported_clearly()
    {
        using var executor = new OnnxExecutor();
        Assert.Contains(
            "is not loaded",
            Assert.Throws<KeyNotFoundException>(() => executor.Run(MlpId, [Features(1)])).Message
        );
        Assert.Contains(
            "not to content id",
            Assert.Throws<ArgumentException>(() => executor.Load(Hash256.Compute([1]), Mlp)).Message
        );
        var garbage = "garbage"u8.ToArray();
        Assert.Throws<ModelLoadException>(() => executor.Load(Hash256.Compute(garbage), garbage));
        Assert.False(executor.IsLoaded(Hash256.Compute(garbage)));
        executor.Load(MlpId, Mlp);
        var e = Assert.Throws<InputValidationException>(() =>
            executor.Run(MlpId, [new NamedTensor("features", Tensor.FromFloats([1, 7], new float[7]))])
        );
        Assert.StartsWith("input 'features': expected float32[?,8], got float32[1,7]", e.Message);
    }

    [Fact]
    public void Profile_hash_depends_on_the_settings()
    {
        var one = ExecutionProfile.Current(ExecutionSettings.Default);
        Assert.Equal(one.Hash, ExecutionProfile.Current(new ExecutionSettings()).Hash);
        Assert.NotEqual(one.Hash, ExecutionProfile.Current(new ExecutionSettings { IntraOpThreads = 2 }).Hash);
        Assert.NotEqual(
            one.Hash,
            ExecutionProfile
                .Current(
                    new ExecutionSettings
                    {
                        OptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
                    }
                )
                .Hash
        );
        Assert.NotEqual(one.Hash, (one with { OrtVersion = "0.0.0" }).Hash);
        Assert.NotEqual(one.Hash, (one with { CpuFeatures = [] }).Hash);
        Assert.False(string.IsNullOrEmpty(one.OrtVersion));
    }
}
