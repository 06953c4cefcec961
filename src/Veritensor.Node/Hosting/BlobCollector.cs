using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veritensor.Inference.Blobs;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Hosting;

/// <summary>
/// Garbage collection of the blob store: every <see cref="NodeOptions.BlobSweepIntervalSeconds"/> it deletes the blobs
/// that no published model references and that were uploaded more than
/// <see cref="NodeOptions.UnreferencedBlobGraceSeconds"/> ago, so uploads that are never published (an attacker's, or
/// an owner's abandoned ones) give their disk back. A model's blob is kept for as long as the model is on the ledger.
/// </summary>
internal sealed class BlobCollector(NodeRuntime node, BlobStore blobs, TimeProvider time, ILogger<BlobCollector> logger)
    : BackgroundService
{
    /// <summary>One sweep now; what it removed.</summary>
    public (int Blobs, long Bytes) Sweep()
    {
        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(node.Options.UnreferencedBlobGraceSeconds);
        // The committed state as of one block: a model published after it is at most one sweep late, and its blob is
        // younger than the grace period anyway unless it was uploaded long before publishing.
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var removed = blobs.Sweep(id => snapshot.GetModel(id) is not null, cutoff);
        if (removed.Blobs > 0)
            NodeLog.BlobsSwept(logger, removed.Blobs, removed.Bytes);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (node.Options.BlobSweepIntervalSeconds == 0)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(node.Options.BlobSweepIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Sweep();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    NodeLog.BlobSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
