using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Execution;

/// <summary>
/// Runs a model on inputs. The production runner is <see cref="OnnxModelRunner"/>; tests put a dishonest
/// one in its place to check that the network catches it.
/// </summary>
internal interface IModelRunner
{
    /// <summary>The hash of the execution profile (runtime version, settings, CPU features) that receipts and attestations carry.</summary>
    Hash256 ProfileHash { get; }

    Task<IReadOnlyList<NamedTensor>> RunAsync(
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        CancellationToken cancellationToken
    );
}
