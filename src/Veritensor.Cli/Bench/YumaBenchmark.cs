using System.Diagnostics;
using Veritensor.Consensus;

namespace Veritensor.Cli.Bench;

/// <summary>One measured configuration of <c>veritensor bench yuma</c>.</summary>
internal sealed record YumaBenchmarkRow(
    string Variant,
    int Uids,
    int Validators,
    int Epochs,
    double EpochMilliseconds,
    double RowNormaliseMilliseconds,
    double RatioToRowNormalise
);

/// <summary>
/// Milliseconds per epoch on one thread for a subnet whose validators weight every uid (dense rows) and already hold
/// bonds from a previous epoch (store and reload), against a baseline measured in the same run: row-normalising
/// the same weight matrix, the cheapest full pass over the weights the epoch has to make.
/// </summary>
internal static class YumaBenchmark
{
    public static readonly (int Uids, int Validators)[] DefaultSizes = [(256, 64), (1024, 128), (4096, 256)];

    public static IReadOnlyList<YumaBenchmarkRow> Run(
        (int Uids, int Validators)[] sizes,
        double secondsPerMeasurement,
        IProgress<string>? progress = null
    )
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var rows = new List<YumaBenchmarkRow>();
        foreach (var (uids, validators) in sizes)
        {
            foreach (
                var (variant, yuma3, liquid) in new[] { ("classic", false, false), ("yuma3+liquid-alpha", true, true) }
            )
            {
                progress?.Report($"{variant}: n = {uids}, {validators} validators");
                var input = Subnet(uids, validators, yuma3, liquid, seed: uids);
                // One epoch first: it fills the bonds the measured epochs read back, and lets the JIT settle.
                var first = YumaEpoch.Run(input);
                input = input with { Bonds = first.Bonds, ValidatorPermit = first.NewValidatorPermit };
                var (epochs, epochMs) = Measure(() => YumaEpoch.Run(input), secondsPerMeasurement);
                var fixedWeights = input
                    .Weights.Select(r => r.Select(e => new SparseEntry(e.Column, I32F32.FromInt(e.Value))).ToArray())
                    .ToArray();
                var (_, baselineMs) = Measure(
                    () =>
                    {
                        var copy = YumaMath.Copy(fixedWeights);
                        YumaMath.RowNormalizeSparse(copy);
                        return copy;
                    },
                    secondsPerMeasurement
                );
                rows.Add(
                    new YumaBenchmarkRow(variant, uids, validators, epochs, epochMs, baselineMs, epochMs / baselineMs)
                );
            }
        }
        return rows;
    }

    /// <summary>
    /// Runs the action for a quarter of the budget untimed (tiered JIT promotes hot methods only after ~30 calls and a
    /// delay), then until the budget is spent (at least 3 times), and returns the mean milliseconds.
    /// </summary>
    private static (int Runs, double Milliseconds) Measure<T>(Func<T> action, double seconds)
    {
        var warmup = Stopwatch.StartNew();
        for (var k = 0; k < 3 || warmup.Elapsed.TotalSeconds < seconds / 4; k++)
            GC.KeepAlive(action());
        var runs = 0;
        var watch = Stopwatch.StartNew();
        while (runs < 3 || watch.Elapsed.TotalSeconds < seconds)
        {
            GC.KeepAlive(action());
            runs++;
        }
        return (runs, watch.Elapsed.TotalMilliseconds / runs);
    }

    /// <summary>Validators 0..v−1 hold stake and weight every uid with random u16 values; the rest are miners without stake.</summary>
    public static EpochInput Subnet(int n, int validators, bool yuma3, bool liquidAlpha, int seed)
    {
        var random = new Random(seed);
        var parameters = new EpochHyperparameters(
            Tempo: 360,
            ActivityCutoff: 5000,
            Kappa: 32767,
            BondsPenalty: 65535,
            BondsMovingAverage: 900_000,
            MaxAllowedValidators: validators,
            Yuma3: yuma3,
            LiquidAlpha: liquidAlpha,
            AlphaLow: 45875,
            AlphaHigh: 58982,
            AlphaSigmoidSteepness: 1000,
            StakeThreshold: 0,
            LastMechanismStepBlock: 0,
            OwnerUid: null
        );
        var stake = new I64F64[n];
        var weights = new U16Entry[n][];
        for (var i = 0; i < n; i++)
        {
            stake[i] = I64F64.FromUInt(i < validators ? (ulong)random.NextInt64(1_000_000_000, 100_000_000_000) : 0);
            weights[i] =
                i < validators
                    ? Enumerable.Range(0, n).Select(j => new U16Entry(j, (ushort)random.Next(1, 65536))).ToArray()
                    : [];
        }
        return new EpochInput(
            n,
            10_000,
            parameters,
            stake,
            Enumerable.Repeat(0UL, n).ToArray(),
            Enumerable.Repeat(9_990UL, n).ToArray(),
            Enumerable.Range(0, n).Select(i => i < validators).ToArray(),
            weights,
            Enumerable.Range(0, n).Select(_ => Array.Empty<U16Entry>()).ToArray(),
            1_000_000_000
        );
    }
}
