using Microsoft.ML.OnnxRuntime;

namespace Veritensor.Inference.Execution;

/// <summary>
/// The ceiling on the memory ONNX Runtime allocates for model runs: one arena shared by every session of the process
/// (ORT's environment allocator), created on first use with <see cref="ExecutionSettings.MaxModelMemoryBytes"/>.
/// An allocation past it fails that run with a clear error instead of taking the node's memory, which the model policy
/// alone cannot promise: a model may fix a huge constant shape for <c>ConstantOfShape</c> or <c>Expand</c>.
/// The environment holds one such allocator, so the ceiling is per process: a second, different value is refused.
/// </summary>
internal static class ModelMemory
{
    private static readonly Lock Gate = new();
    private static uint? _ceiling;

    /// <summary>Makes sure the shared arena exists with <paramref name="bytes"/>; throws when it exists with another size.</summary>
    public static void Ensure(uint bytes)
    {
        lock (Gate)
        {
            if (_ceiling is { } existing)
            {
                if (existing != bytes)
                    throw new InvalidOperationException(
                        $"The model memory ceiling is per process and is already {existing} bytes; {bytes} was asked for."
                    );
                return;
            }
            using var memory = new OrtMemoryInfo(
                OrtMemoryInfo.allocatorCPU,
                OrtAllocatorType.ArenaAllocator,
                0,
                OrtMemType.Default
            );
            // Grow by what is asked (strategy 1) so the ceiling is reached by real demand, not by power-of-two rounding.
            using var arena = new OrtArenaCfg(bytes, 1, -1, -1);
            OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
            _ceiling = bytes;
        }
    }
}
