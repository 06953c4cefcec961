using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.OnnxRuntime;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Inference.Execution;

/// <summary>
/// Everything that decides the bits of an output besides the model and the input: execution settings, the ONNX
/// Runtime version, and the CPU's architecture and SIMD features (MLAS picks kernels by instruction set).
/// Two profiles with the same <see cref="Hash"/> promise bit-identical outputs for the same model and input;
/// outputs from different profiles are compared under a tolerance.
/// </summary>
public sealed record ExecutionProfile(
    int IntraOpThreads,
    GraphOptimizationLevel OptimizationLevel,
    string OrtVersion,
    string Architecture,
    IReadOnlyList<string> CpuFeatures
)
{
    public const string Domain = "veritensor/execution-profile/v1";

    /// <summary>The profile of this process running with <paramref name="settings"/>.</summary>
    public static ExecutionProfile Current(ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ExecutionProfile(
            settings.IntraOpThreads,
            settings.OptimizationLevel,
            OrtEnv.Instance().GetVersionString(),
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            DetectCpuFeatures()
        );
    }

    /// <summary>Canonical bytes: domain, threads (intra, inter), mode, optimisation level, deterministic flag, ORT version, architecture, sorted features.</summary>
    public byte[] CanonicalBytes()
    {
        var writer = new CanonicalWriter();
        writer
            .WriteString(Domain)
            .WriteU32(checked((uint)IntraOpThreads))
            .WriteU32(1) // inter-op threads: always 1
            .WriteU8((byte)ExecutionMode.ORT_SEQUENTIAL)
            .WriteU32(checked((uint)OptimizationLevel))
            .WriteBool(true) // session.use_deterministic_compute
            .WriteString(OrtVersion)
            .WriteString(Architecture);
        var features = CpuFeatures.Order(StringComparer.Ordinal).ToArray();
        writer.WriteU32(checked((uint)features.Length));
        foreach (var feature in features)
            writer.WriteString(feature);
        return writer.ToArray();
    }

    public Hash256 Hash => Hash256.Compute(CanonicalBytes());

    public bool Equals(ExecutionProfile? other) => other is not null && Hash == other.Hash;

    public override int GetHashCode() => Hash.GetHashCode();

    public override string ToString() =>
        $"ORT {OrtVersion}, {Architecture} [{string.Join(" ", CpuFeatures)}], {IntraOpThreads} thread(s), {OptimizationLevel}";

    private static string[] DetectCpuFeatures()
    {
        var features = new List<string>();
        void Add(bool supported, string name)
        {
            if (supported)
                features.Add(name);
        }
        Add(Sse41.IsSupported, "sse4.1");
        Add(Avx.IsSupported, "avx");
        Add(Avx2.IsSupported, "avx2");
        Add(Fma.IsSupported, "fma");
        Add(Avx512F.IsSupported, "avx512f");
        Add(Avx512BW.IsSupported, "avx512bw");
        Add(Avx512Vbmi.IsSupported, "avx512vbmi");
        Add(AvxVnni.IsSupported, "avxvnni");
        Add(AdvSimd.IsSupported, "advsimd");
        Add(Dp.IsSupported, "dotprod");
        return [.. features];
    }
}
