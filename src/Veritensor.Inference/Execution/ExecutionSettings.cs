using Microsoft.ML.OnnxRuntime;

namespace Veritensor.Inference.Execution;

/// <summary>
/// How ONNX Runtime runs a model. The defaults favour reproducibility over speed: one intra-op thread (thread
/// count can change reduction order, hence float bits), sequential execution, a fixed optimisation level.
/// </summary>
public sealed record ExecutionSettings
{
    public static ExecutionSettings Default { get; } = new();

    public int IntraOpThreads { get; init; } = 1;

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_BASIC;

    /// <summary>The most input bytes one run accepts; checked before ORT sees the inputs. Not part of the profile.</summary>
    public long MaxInputBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long one run may take before ONNX Runtime is told to stop (it checks between operators), so no request pins
    /// a core for good. Not part of the profile.
    /// </summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many models stay loaded; past it the least recently used idle one is unloaded. Not part of the profile.</summary>
    public int MaxLoadedModels { get; init; } = 64;

    /// <summary>
    /// The most memory ONNX Runtime may allocate for runs in this process, shared by all sessions (<see cref="ModelMemory"/>);
    /// a run that needs more fails. Null (the default for library use) leaves allocation unbounded. Not part of the profile.
    /// </summary>
    public uint? MaxModelMemoryBytes { get; init; }

    internal SessionOptions CreateSessionOptions()
    {
        if (IntraOpThreads < 1)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "at least one thread");
        // Before the options exist, so a refused ceiling leaves nothing to dispose.
        if (MaxModelMemoryBytes is { } ceiling)
            ModelMemory.Ensure(ceiling);
        var options = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = OptimizationLevel,
        };
        // The C# API has no public deterministic switch; the native library reads this config key.
        options.AddSessionConfigEntry("session.use_deterministic_compute", "1");
        if (MaxModelMemoryBytes is not null)
            options.AddSessionConfigEntry("session.use_env_allocators", "1");
        return options;
    }
}
