using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Execution;

/// <summary>Runs models with the deterministic ONNX Runtime executor, loading each model file once (fetched from the ledger node when missing).</summary>
internal sealed class OnnxModelRunner(ModelCatalog catalog, OnnxExecutor executor) : IModelRunner
{
    public Hash256 ProfileHash => executor.Profile.Hash;

    public async Task<IReadOnlyList<NamedTensor>> RunAsync(
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return await RunOnceAsync(model, inputs, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            // Unloaded between the check and the run (the executor keeps a bounded number of models): load it again.
            return await RunOnceAsync(model, inputs, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<NamedTensor>> RunOnceAsync(
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        CancellationToken cancellationToken
    )
    {
        if (!executor.IsLoaded(model.ContentId))
        {
            var path = await catalog.EnsureLocalAsync(model, cancellationToken).ConfigureAwait(false);
            try
            {
                if (executor.LoadFile(path) != model.ContentId)
                    throw ApiException.Unavailable(
                        $"The local file of model {model.Reference} does not hash to its content id; delete {path} to fetch it again."
                    );
            }
            catch (ModelLoadException e)
            {
                throw ApiException.Unavailable($"Model {model.Reference} does not load: {e.Message}", e);
            }
        }
        try
        {
            return executor.Run(model.ContentId, inputs);
        }
        catch (InputValidationException e)
        {
            throw ApiException.BadInput(e.Message, e);
        }
        catch (InferenceException e)
        {
            // The model failed on these inputs, or ran past the time limit: the same inputs would again.
            throw ApiException.BadInput($"Model {model.Reference}: {e.Message}", e);
        }
    }
}
