using System.Diagnostics;
using System.Globalization;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Mempool;
using Veritensor.Ledger.Sqlite;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli.Bench;

/// <summary>Settings of <c>veritensor bench ledger</c>.</summary>
internal sealed record LedgerBenchmarkOptions(
    int Transactions = 200_000,
    int Senders = 2_000,
    int BatchSize = 1_024,
    string? DataDirectory = null
);

/// <summary>The figures of one run; rates are per second of wall time.</summary>
internal sealed record LedgerBenchmarkResult(
    int Transactions,
    int Blocks,
    int Cores,
    double VerifyCeilingPerSecond,
    double CommittedPerSecond,
    double RatioToCeiling,
    double SecondsCommitted,
    double CoresBusyWhileCommitting,
    string StateRoot
);

/// <summary>
/// Signed transfers per second, verified, applied and committed (fsynced) on one node, against the raw
/// Ed25519 verification rate on all cores measured in the same run. Signing is not timed: it is the clients' work.
/// A first, untimed run of the same size (at most 100,000) lets tiered compilation settle, so the figures are
/// steady state rather than start-up.
/// </summary>
internal static class LedgerBenchmark
{
    /// <summary>Each sender's genesis balance in tokens: far more than its transfers and fees in any run.</summary>
    private const ulong SenderBalanceTokens = 1_000;

    public static LedgerBenchmarkResult Run(LedgerBenchmarkOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warmup = options with { Transactions = Math.Min(options.Transactions, 100_000), DataDirectory = null };
        progress?.Report($"warming up (JIT) with {warmup.Transactions:N0} transfers");
        RunOnce(warmup, progress: null);
        return RunOnce(options, progress);
    }

    private static LedgerBenchmarkResult RunOnce(LedgerBenchmarkOptions options, IProgress<string>? progress)
    {
        var directory = options.DataDirectory
            ?? Path.Combine(Path.GetTempPath(), "veritensor-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            return RunIn(directory, options, progress);
        }
        finally
        {
            if (options.DataDirectory is null)
                Directory.Delete(directory, recursive: true);
        }
    }

    private static LedgerBenchmarkResult RunIn(
        string directory,
        LedgerBenchmarkOptions options,
        IProgress<string>? progress
    )
    {
        using var validator = KeyPair.FromDevelopmentName("bench-validator");
        var senders = Enumerable
            .Range(0, options.Senders)
            .Select(i => KeyPair.FromDevelopmentName("bench-sender-" + i))
            .ToArray();
        var genesis = new GenesisDocument
        {
            ChainId = "veritensor-bench",
            Timestamp = 1_700_000_000_000,
            Parameters = new GenesisParameters { MaxBlockTransactions = 10_000 },
            Balances = senders
                .Select(s => new GenesisBalance
                {
                    Address = s.Address.ToString(),
                    Amount = SenderBalanceTokens.ToString(CultureInfo.InvariantCulture),
                })
                .ToList(),
            // The issuance cap must hold every sender's balance, however many senders a run asks for.
            Emission = new GenesisEmission
            {
                MaxIssuance = ((ulong)options.Senders * SenderBalanceTokens + 1_000_000).ToString(
                    CultureInfo.InvariantCulture
                ),
            },
            Validators =
            [
                new GenesisValidator
                {
                    Hotkey = validator.Address.ToString(),
                    Coldkey = validator.Address.ToString(),
                    Stake = "1000",
                },
            ],
        };

        progress?.Report($"signing {options.Transactions:N0} transfers from {options.Senders:N0} accounts (not timed)");
        var transactions = SignTransfers(
            genesis.ChainId,
            Blockchain.GenesisHashOf(genesis),
            senders,
            options.Transactions
        );
        foreach (var sender in senders)
            sender.Dispose();

        progress?.Report("measuring the Ed25519 verification ceiling on all cores");
        var ceiling = MeasureVerifyCeiling(transactions);

        progress?.Report("submitting, producing and committing blocks");
        using var chain = Blockchain.Open(new SqliteChainStore(Path.Combine(directory, "chain.db")), genesis);
        var ledger = new LedgerService(
            chain,
            new Mempool(
                new MempoolOptions
                {
                    MaxTransactions = options.Transactions,
                    MaxPerSender = options.Transactions,
                    MaxNonceGap = (ulong)options.Transactions,
                }
            )
        );
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (blocks, committed) = SubmitAndCommit(ledger, validator, transactions, options.BatchSize);
        var seconds = clock.Elapsed.TotalSeconds;
        var coresBusy = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
        if (committed != transactions.Count)
            throw new InvalidOperationException(
                $"Only {committed} of {transactions.Count} transactions were committed."
            );
        var rate = committed / seconds;
        return new LedgerBenchmarkResult(
            committed,
            blocks,
            Environment.ProcessorCount,
            ceiling,
            rate,
            rate / ceiling,
            seconds,
            coresBusy,
            chain.Head.StateRoot.ToString()
        );
    }

    private static List<SignedTransaction> SignTransfers(
        string chainId,
        Hash256 genesisHash,
        KeyPair[] senders,
        int count
    )
    {
        var result = new SignedTransaction[count];
        var random = new Random(42);
        var recipients = Enumerable.Range(0, count).Select(_ => senders[random.Next(senders.Length)].Address).ToArray();
        Parallel.For(0, count, i =>
        {
            var sender = senders[i % senders.Length];
            var nonce = (ulong)(i / senders.Length);
            var tx = new Transaction(
                chainId,
                genesisHash,
                sender.Address,
                nonce,
                new Amount(100_000),
                new TransferPayload(recipients[i], new Amount(1_000 + (ulong)i % 1000))
            );
            result[i] = tx.Sign(sender);
        });
        return [.. result];
    }

    private static double MeasureVerifyCeiling(List<SignedTransaction> transactions)
    {
        var clock = Stopwatch.StartNew();
        var results = SignatureBatch.VerifyAll(transactions, t =>
            t.Transaction.Sender.Verify(
                Transaction.SigningMessage(t.Encoded.AsSpan(0, t.Size - Signature.Size)),
                t.Signature
            )
        );
        var seconds = clock.Elapsed.TotalSeconds;
        if (results.Any(ok => !ok))
            throw new InvalidOperationException("A benchmark signature failed to verify.");
        return transactions.Count / seconds;
    }

    /// <summary>Submission (parallel verification) and block production run side by side, as on a live node.</summary>
    private static (int Blocks, int Committed) SubmitAndCommit(
        LedgerService ledger,
        KeyPair validator,
        List<SignedTransaction> transactions,
        int batchSize
    )
    {
        var blocks = 0;
        var committed = 0;
        var batches = Enumerable
            .Range(0, (transactions.Count + batchSize - 1) / batchSize)
            .Select(b => transactions.GetRange(b * batchSize, Math.Min(batchSize, transactions.Count - b * batchSize)))
            .ToList();
        // Batches finish out of order; only transactions in the unbroken run of finished batches from the start are
        // sure to have no nonce gap, so that run (counted in transactions) decides when a full block is ready.
        var finished = new bool[batches.Count];
        var readyBatches = 0;
        var ready = 0;
        var progress = new SemaphoreSlim(0);
        // One batch per core at a time (one more worker than cores, so a worker waiting on the mempool lock while a
        // block is taken does not leave a core idle): each verifies its batch and admits it to the mempool.
        var submitter = Task.Run(() =>
            Parallel.ForEach(
                Enumerable.Range(0, batches.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount + 1 },
                index =>
                {
                    var errors = ledger.SubmitBatch(batches[index], parallel: false);
                    if (errors.FirstOrDefault(e => e is not null) is { } error)
                        throw error;
                    lock (finished)
                    {
                        finished[index] = true;
                        while (readyBatches < batches.Count && finished[readyBatches])
                            Volatile.Write(ref ready, ready + batches[readyBatches++].Count);
                    }
                    progress.Release();
                }
            )
        );
        var timestamp = 1_700_000_000_000L;
        var fullBlock = ledger.Chain.Parameters.MaxBlockTransactions;
        while (committed < transactions.Count)
        {
            // Like a loaded node: produce once half a block is ready (a block takes all that is ready, up to full), so
            // the producer keeps pace and little is left to commit after the last batch is verified.
            if (!submitter.IsCompleted && Volatile.Read(ref ready) - committed < fullBlock / 2)
            {
                if (submitter.IsFaulted)
                    submitter.GetAwaiter().GetResult();
                progress.Wait(TimeSpan.FromMilliseconds(50));
                continue;
            }
            var block = ledger.ProduceBlock(validator, timestamp += 1000);
            blocks++;
            committed += block.Transactions.Count;
        }
        submitter.GetAwaiter().GetResult();
        return (blocks, committed);
    }
}
