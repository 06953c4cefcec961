using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

/// <summary>No request pins a core for good, and an executor keeps a bounded number of sessions.</summary>
[UnitTest]
public sealed class ExecutionLimitTests
{
    private const int Width = 384;

    [Fact]
    public void A_run_past_the_time_limit_is_stopped_and_named_and_the_same_model_runs_under_the_default_limit()
    {
        var model = HostileModels.Slow(layers: 40, width: Width);
        var id = Hash256.Compute(model);
        var input = new NamedTensor("x", Tensor.FromFloats([1, Width], new float[Width]));

        using var strict = new OnnxExecutor(new ExecutionSettings { MaxRunTime = TimeSpan.FromMilliseconds(20) });
        strict.Load(id, model);
        var e = Assert.Throws<InferenceException>(() => strict.Run(id, [input]));
        Assert.Contains("ran longer than the limit", e.Message, StringComparison.Ordinal);
        // The executor is still usable after a stopped run.
        Assert.Throws<InferenceException>(() => strict.Run(id, [input]));

        using var lenient = new OnnxExecutor();
        lenient.Load(id, model);
        var output = Assert.Single(lenient.Run(id, [input]));
        Assert.Equal([Width, Width], output.Tensor.Shape);
    }

    [Fact]
    public void A_run_that_needs_more_than_the_memory_ceiling_fails_and_named_while_small_runs_go_on()
    {
        // Within the policy (the shape is the model's constant), but 100 million floats: 400 MB for one output.
        var huge = HostileModels.AllocatesWhatTheCallerAsks(shapeIsConstant: true, elements: 100_000_000);
        var small = HostileModels.AllocatesWhatTheCallerAsks(shapeIsConstant: true, elements: 8);
        var input = new NamedTensor("x", Tensor.FromFloats([8], new float[8]));
        const uint Ceiling = 64u << 20;
        using var executor = new OnnxExecutor(new ExecutionSettings { MaxModelMemoryBytes = Ceiling });
        executor.Load(Hash256.Compute(huge), huge);
        executor.Load(Hash256.Compute(small), small);

        var e = Assert.Throws<InferenceException>(() => executor.Run(Hash256.Compute(huge), [input]));
        Assert.Contains("more memory than the node's limit of 67108864 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal([8], Assert.Single(executor.Run(Hash256.Compute(small), [input])).Tensor.Shape);

        // The ceiling is one arena for the process: another value is refused rather than silently ignored.
        using var other = new OnnxExecutor(new ExecutionSettings { MaxModelMemoryBytes = Ceiling * 2 });
        var conflict = Assert.Throws<InvalidOperationException>(() => other.Load(Hash256.Compute(small), small));
        Assert.Contains("per process", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Past_the_model_limit_the_least_recently_used_model_is_unloaded()
    {
        using var executor = new OnnxExecutor(new ExecutionSettings { MaxLoadedModels = 2 });
        var ids = new Hash256[3];
        var input = new NamedTensor(DemoModels.MlpInput, Tensor.FromFloats([1, DemoModels.MlpFeatures], new float[8]));
        for (var i = 0; i < 2; i++)
        {
            var bytes = DemoModels.BuildMlpClassifier(seed: i + 1);
            ids[i] = Hash256.Compute(bytes);
            executor.Load(ids[i], bytes);
        }
        // Model 0 was used after model 1, so model 1 is the least recently used when model 2 arrives.
        executor.Run(ids[0], [input]);
        var third = DemoModels.BuildMlpClassifier(seed: 3);
        ids[2] = Hash256.Compute(third);
        executor.Load(ids[2], third);
        Assert.True(executor.IsLoaded(ids[0]));
        Assert.False(executor.IsLoaded(ids[1]));
        Assert.True(executor.IsLoaded(ids[2]));
        Assert.Throws<KeyNotFoundException>(() => executor.Run(ids[1], [input]));
        // Loading it again works.
        executor.Load(ids[1], DemoModels.BuildMlpClassifier(seed: 2));
        Assert.Single(executor.Run(ids[1], [input]));
    }
}
