using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Veritensor.Node.Hosting;

/// <summary>
/// Produces a block every interval (empty blocks too, so height tracks time). While the disk has less free space than
/// <see cref="NodeOptions.MinFreeDiskBytesForBlocks"/> it produces nothing and says so, rather than fail a commit. A
/// failure to commit stops the node: continuing could hide a broken disk, and a restart resumes from the last
/// committed block.
/// </summary>
internal sealed class BlockProducer(
    NodeRuntime node,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<BlockProducer> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (node.Options.BlockProduction != BlockProductionMode.Interval)
            return;
        if (node.Validator is null)
        {
            NodeLog.NoValidatorKey(logger);
            return;
        }
        NodeLog.ProducingBlocks(logger, node.Validator.Address.ToString(), node.Options.BlockIntervalMs);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(node.Options.BlockIntervalMs), time);
        try
        {
            var waitingForDisk = false;
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!node.Options.HasRoomForBlocks(out var free))
                {
                    if (!waitingForDisk)
                        NodeLog.DiskNearlyFull(logger, free, node.Options.MinFreeDiskBytesForBlocks);
                    waitingForDisk = true;
                    continue;
                }
                waitingForDisk = false;
                node.ProduceBlock(time.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e)
        {
            NodeLog.BlockProductionFailed(logger, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
