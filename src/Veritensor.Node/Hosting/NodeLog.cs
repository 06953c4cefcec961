using Microsoft.Extensions.Logging;

namespace Veritensor.Node.Hosting;

/// <summary>The node's log messages, source-generated so hot paths do not allocate.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(1, LogLevel.Information, "Chain {ChainId} opened at height {Height}, state root {StateRoot}")]
    public static partial void ChainOpened(ILogger logger, string chainId, ulong height, string stateRoot);

    [LoggerMessage(2, LogLevel.Information, "Block {Height} {Hash} with {Count} transactions")]
    public static partial void BlockProduced(ILogger logger, ulong height, string hash, int count);

    [LoggerMessage(3, LogLevel.Debug, "Block {Height} (empty)")]
    public static partial void EmptyBlockProduced(ILogger logger, ulong height);

    [LoggerMessage(4, LogLevel.Warning, "Transaction {Id} dropped from block: {Code} {Message}")]
    public static partial void TransactionDropped(ILogger logger, string id, string code, string message);

    [LoggerMessage(
        5,
        LogLevel.Error,
        "Block production failed; the node stops so that a restart resumes from the last committed block"
    )]
    public static partial void BlockProductionFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        9,
        LogLevel.Error,
        "Only {Free} bytes of disk are free, below Node:MinFreeDiskBytesForBlocks {Reserve}: no blocks until there is room"
    )]
    public static partial void DiskNearlyFull(ILogger logger, long free, long reserve);

    [LoggerMessage(6, LogLevel.Information, "Producing blocks as validator {Address} every {IntervalMs} ms")]
    public static partial void ProducingBlocks(ILogger logger, string address, int intervalMs);

    [LoggerMessage(7, LogLevel.Warning, "No validator key configured (Node:Wallet): this node produces no blocks")]
    public static partial void NoValidatorKey(ILogger logger);

    [LoggerMessage(
        10,
        LogLevel.Information,
        "Blob sweep removed {Count} blobs ({Bytes} bytes) that no published model references"
    )]
    public static partial void BlobsSwept(ILogger logger, int count, long bytes);

    [LoggerMessage(11, LogLevel.Error, "Blob sweep failed; the next one retries")]
    public static partial void BlobSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Veritensor node API listening on {Url}")]
    public static partial void Listening(ILogger logger, string url);
}
