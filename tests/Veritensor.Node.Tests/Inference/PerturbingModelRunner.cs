using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Node.Roles.Execution;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// A dishonest inference node's runner: it runs the model for real and then adds <see cref="Offset"/> to the first
/// float of the first output, far outside any tolerance, and signs the result as if it were honest.
/// </summary>
internal sealed class PerturbingModelRunner(OnnxModelRunner honest) : IModelRunner
{
    public const float Offset = 0.5f;

    public Hash256 ProfileHash => honest.ProfileHash;

    public async Task<IReadOnlyList<NamedTensor>> RunAsync(
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        CancellationToken cancellationToken
    )
    {
        var outputs = (await honest.RunAsync(model, inputs, cancellationToken)).ToArray();
        var first = outputs[0].Tensor;
        var data = first.Data.ToArray();
        MemoryMarshal.Cast<byte, float>(data.AsSpan())[0] += Offset;
        outputs[0] = outputs[0] with { Tensor = Tensor.FromRaw(first.ElementType, first.Shape, data) };
        return outputs;
    }

    /// <summary>Puts the dishonest runner in place of the honest one on a server's services.</summary>
    public static void Install(IServiceCollection services)
    {
        services.AddSingleton<OnnxModelRunner>();
        services.AddSingleton<IModelRunner>(sp => new PerturbingModelRunner(sp.GetRequiredService<OnnxModelRunner>()));
    }
}
