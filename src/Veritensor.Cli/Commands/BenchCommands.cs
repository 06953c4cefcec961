using System.CommandLine;
using System.Globalization;
using Veritensor.Cli.Bench;

namespace Veritensor.Cli.Commands;

/// <summary><c>veritensor bench ...</c>: throughput figures measured against a baseline in the same run.</summary>
public static class BenchCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var bench = new Command("bench", "Measure throughput on this machine.");
        var ledger = new Command("ledger", "Signed transfers per second verified, applied and committed, against the all-core Ed25519 verification ceiling.");
        var transactions = new Option<int>("--transactions") { Description = "Number of transfers.", DefaultValueFactory = _ => 200_000 };
        var senders = new Option<int>("--senders") { Description = "Number of sending accounts.", DefaultValueFactory = _ => 2_000 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where to put the database (default: a temporary directory, deleted after)." };
        ledger.Options.Add(transactions);
        ledger.Options.Add(senders);
        ledger.Options.Add(dataDir);
        ledger.SetAction(pr =>
        {
            var ctx = context(pr);
            var count = pr.GetValue(transactions);
            var senderCount = pr.GetValue(senders);
            if (count < 1) throw new CliException("--transactions must be at least 1.");
            if (senderCount < 1) throw new CliException("--senders must be at least 1.");
            if (pr.GetValue(dataDir) is { } directory && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
                throw new CliException($"--data-dir {directory} is not empty; the benchmark needs a fresh directory.");
            var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
            var result = LedgerBenchmark.Run(new LedgerBenchmarkOptions(count, senderCount, DataDirectory: pr.GetValue(dataDir)), ctx.Json ? null : progress);
            ctx.WriteRecord(result,
            [
                ("transactions", result.Transactions.ToString("N0", CultureInfo.InvariantCulture)),
                ("blocks", result.Blocks.ToString(CultureInfo.InvariantCulture)),
                ("cores", result.Cores.ToString(CultureInfo.InvariantCulture)),
                ("ed25519 verify ceiling (all cores)", $"{result.VerifyCeilingPerSecond:N0} /s"),
                ("committed transfers", $"{result.CommittedPerSecond:N0} /s"),
                ("ratio to ceiling", result.RatioToCeiling.ToString("0.00", CultureInfo.InvariantCulture)),
                ("cores busy while committing", result.CoresBusyWhileCommitting.ToString("0.00", CultureInfo.InvariantCulture)),
                ("state root", result.StateRoot),
            ]);
            return 0;
        });
        bench.Subcommands.Add(ledger);
        bench.Subcommands.Add(YumaBench(context));
        return bench;
    }

    private static Command YumaBench(Func<ParseResult, CliContext> context)
    {
        var yuma = new Command("yuma", "Milliseconds per Yuma epoch on one thread (dense weights, classic and Yuma3), against row-normalising the weights.");
        var seconds = new Option<double>("--seconds") { Description = "Time spent measuring each figure.", DefaultValueFactory = _ => 1.0 };
        yuma.Options.Add(seconds);
        yuma.SetAction(pr =>
        {
            var ctx = context(pr);
            var budget = pr.GetValue(seconds);
            if (budget <= 0) throw new CliException("--seconds must be positive.");
            var progress = new Progress<string>(message => ctx.Error.WriteLine("bench: " + message));
            var rows = YumaBenchmark.Run(YumaBenchmark.DefaultSizes, budget, ctx.Json ? null : progress);
            ctx.WriteTable(rows, ["variant", "uids", "validators", "epochs", "ms / epoch", "row-normalise ms", "ratio"], r =>
            [
                r.Variant,
                r.Uids.ToString(CultureInfo.InvariantCulture),
                r.Validators.ToString(CultureInfo.InvariantCulture),
                r.Epochs.ToString(CultureInfo.InvariantCulture),
                r.EpochMilliseconds.ToString("0.00", CultureInfo.InvariantCulture),
                r.RowNormaliseMilliseconds.ToString("0.000", CultureInfo.InvariantCulture),
                r.RatioToRowNormalise.ToString("0.0", CultureInfo.InvariantCulture),
            ]);
            return 0;
        });
        return yuma;
    }
}
