using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// Sends the gateway's inference records to the ledger in the background, so answering a user never waits on a
/// block: one record per transaction ("single"), or many under one Merkle root ("batch": sent when
/// <see cref="RoleOptions.BatchSize"/> records wait or the oldest waited <see cref="RoleOptions.BatchDelayMs"/>).
/// Once a record is in a block its state becomes final, or, for a mismatch, the dispute goes to a quorum.
/// </summary>
internal sealed partial class LedgerRecorder(
    RoleIdentity identity,
    IInferenceLedger ledger,
    InferenceResultStore results,
    DisputeResolver resolver,
    AuditService audits,
    PendingCharges charges,
    RoleOptions options,
    BackgroundWork background,
    TimeProvider time,
    ILogger<LedgerRecorder> log
) : BackgroundService
{
    private readonly Channel<(InferenceRecord Record, bool Batch)> _queue = Channel.CreateBounded<(
        InferenceRecord,
        bool
    )>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly List<InferenceRecord> _batch = [];
    private DateTimeOffset _batchStarted;

    public void Enqueue(InferenceRecord record, bool batch)
    {
        if (_queue.Writer.TryWrite((record, batch)))
            return;
        Log.QueueFull(log, record.Receipt.RequestId.ToString());
        NotRecorded(record.Receipt.RequestId, "the record queue is full");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wait for the next record, or for the open batch's deadline.
            var wait =
                _batch.Count == 0
                    ? Timeout.InfiniteTimeSpan
                    : _batchStarted + TimeSpan.FromMilliseconds(options.BatchDelayMs) - time.GetUtcNow();
            if (_batch.Count > 0 && wait <= TimeSpan.Zero)
            {
                await FlushBatchAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            bool available;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                if (wait != Timeout.InfiniteTimeSpan)
                    timeout.CancelAfter(wait);
                available = await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (!available)
                break;
            while (reader.TryRead(out var item))
            {
                if (!item.Batch)
                {
                    await SendAsync([item.Record], batch: false, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                if (_batch.Count == 0)
                    _batchStarted = time.GetUtcNow();
                _batch.Add(item.Record);
                if (_batch.Count >= options.BatchSize)
                    await FlushBatchAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends the open batch, split into as few transactions as the ledger's transaction size limit allows.</summary>
    private async Task FlushBatchAsync(CancellationToken cancellationToken)
    {
        var records = _batch.ToArray();
        _batch.Clear();
        int limit;
        try
        {
            limit = (await ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false)).MaxTransactionBytes;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SendFailed(log, records.Length, e.Message);
            return;
        }
        foreach (var chunk in Chunk(records, limit - TransactionOverheadBytes))
            await SendAsync(chunk, batch: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Room a transaction needs besides its payload: chain id, sender, nonce, fee, kind and signature, with margin.</summary>
    private const int TransactionOverheadBytes = 256;

    /// <summary>Greedy packing in arrival order: a chunk takes records while its encoded payload fits <paramref name="maxPayloadBytes"/>.</summary>
    internal static IEnumerable<InferenceRecord[]> Chunk(IReadOnlyList<InferenceRecord> records, int maxPayloadBytes)
    {
        var chunk = new List<InferenceRecord>();
        var size = 8; // count and flag
        foreach (var record in records)
        {
            var recordSize = record.Encode().Length;
            if (
                chunk.Count > 0
                && (size + recordSize > maxPayloadBytes || chunk.Count == RecordInferencePayload.MaxRecords)
            )
            {
                yield return chunk.ToArray();
                chunk.Clear();
                size = 8;
            }
            chunk.Add(record);
            size += recordSize;
        }
        if (chunk.Count > 0)
            yield return chunk.ToArray();
    }

    private async Task SendAsync(
        IReadOnlyList<InferenceRecord> records,
        bool batch,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var id = await ledger
                .SubmitAsync(identity.Payer, new RecordInferencePayload(records, batch), cancellationToken)
                .ConfigureAwait(false);
            // Inclusion is awaited off the loop: the next records are signed and sent meanwhile (the nonces follow each other).
            background.Start(stopping => FollowAsync(id, records, stopping));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SendFailed(log, records.Count, e.Message);
            foreach (var record in records)
            {
                results.Update(record.Receipt.RequestId, r =>
                    r with
                    {
                        Error = $"not recorded on the ledger: {e.Message}",
                    }
                );
                NotRecorded(record.Receipt.RequestId, $"not recorded on the ledger: {e.Message}");
            }
        }
    }

    private async Task FollowAsync(
        Veritensor.Core.Crypto.Hash256 transactionId,
        IReadOnlyList<InferenceRecord> records,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var outcome = await ledger.WaitAsync(transactionId, cancellationToken).ConfigureAwait(false);
            var disputes = new List<Task>();
            foreach (var record in records)
            {
                var requestId = record.Receipt.RequestId;
                if (!outcome.Included)
                {
                    results.Update(requestId, r =>
                        r with
                        {
                            Error = $"the ledger dropped the record: {outcome.Error}",
                        }
                    );
                    NotRecorded(requestId, $"the ledger dropped the record: {outcome.Error}");
                    continue;
                }
                Recorded(requestId);
                var view = await ledger.GetRecordAsync(requestId, cancellationToken).ConfigureAwait(false)
                    ?? new LedgerRecordView(
                        transactionId.ToString(),
                        outcome.BlockHeight?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    );
                var disputed = record.Attestations.Any(a => a.Verdict == AttestationVerdict.Mismatch);
                results.Update(requestId, r =>
                    r with
                    {
                        Ledger = view,
                        State = disputed ? InferenceStates.Disputed : InferenceStates.Final,
                    }
                );
                if (disputed)
                    disputes.Add(SettleAsync(requestId, cancellationToken));
            }
            // Settling can take the whole dispute window, so the batch's other records are final first and its disputes settle side by side.
            await Task.WhenAll(disputes).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FollowFailed(log, transactionId.ToString(), e.Message);
            foreach (var record in records)
                NotRecorded(record.Receipt.RequestId, $"its record could not be followed: {e.Message}");
        }
    }

    /// <summary>The record is in a block: the user's debit is on the ledger, so its reservation ends; audits may report.</summary>
    private void Recorded(Veritensor.Core.Crypto.Hash256 requestId)
    {
        if (charges.Release(requestId) is { } user)
            ledger.ForgetBalance(user);
        audits.Recorded(requestId);
    }

    /// <summary>The record will not land: nothing is charged, so the reservation ends, and its audits cannot be reported.</summary>
    private void NotRecorded(Veritensor.Core.Crypto.Hash256 requestId, string reason)
    {
        charges.Release(requestId);
        audits.NotRecorded(requestId, reason);
    }

    private async Task SettleAsync(Veritensor.Core.Crypto.Hash256 requestId, CancellationToken cancellationToken)
    {
        try
        {
            await resolver.ResolveAsync(requestId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SettleFailed(log, requestId.ToString(), e.Message);
            results.Update(requestId, r => r with { Error = $"dispute not settled: {e.Message}" });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Settling the dispute over request {RequestId} failed: {Reason}"
        )]
        public static partial void SettleFailed(ILogger logger, string requestId, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Record queue full; request {RequestId} will not be recorded")]
        public static partial void QueueFull(ILogger logger, string requestId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} inference records failed: {Reason}")]
        public static partial void SendFailed(ILogger logger, int count, string reason);

        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Following record transaction {TransactionId} failed: {Reason}"
        )]
        public static partial void FollowFailed(ILogger logger, string transactionId, string reason);
    }
}
