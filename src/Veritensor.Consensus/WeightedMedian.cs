using System.Buffers;
using System.Runtime.InteropServices;

namespace Veritensor.Consensus;

/// <summary>
/// The stake-weighted κ-quantile that defines consensus (<c>weighted_median</c> and <c>weighted_median_col_sparse</c>):
/// a deterministic partition search with a middle pivot, reproduced step for step because the pivot choice decides
/// which of several equally valid plateau values is returned.
/// </summary>
public static class WeightedMedian
{
    public static I32F32 Compute(
        ReadOnlySpan<I32F32> stake,
        ReadOnlySpan<I32F32> score,
        int[] partition,
        I32F32 minority,
        I32F32 low,
        I32F32 high
    )
    {
        ArgumentNullException.ThrowIfNull(partition);
        var current = (int[])partition.Clone();
        return Compute(
            stake,
            score,
            current,
            new int[partition.Length],
            new int[partition.Length],
            minority,
            low,
            high
        );
    }

    /// <summary>
    /// The search on caller-owned scratch buffers (each at least |partition| long; <paramref name="current"/> holds the
    /// partition on entry and is overwritten), so a median per column allocates nothing. Lower and upper keep the
    /// partition's order, which decides the next middle pivot exactly as the Rust vectors do.
    /// </summary>
    internal static I32F32 Compute(
        ReadOnlySpan<I32F32> stake,
        ReadOnlySpan<I32F32> score,
        int[] current,
        int[] lower,
        int[] upper,
        I32F32 minority,
        I32F32 low,
        I32F32 high
    )
    {
        var n = current.Length;
        var iterationLimit = n;
        var iteration = 0;
        while (true)
        {
            if (n == 0)
                return I32F32.Zero;
            if (n == 1)
                return score[current[0]];
            var pivot = score[current[n / 2]];
            var lowStake = I32F32.Zero;
            var highStake = I32F32.Zero;
            var lowerCount = 0;
            var upperCount = 0;
            for (var k = 0; k < n; k++)
            {
                var index = current[k];
                var value = score[index];
                if (value < pivot)
                {
                    lowStake += stake[index];
                    lower[lowerCount++] = index;
                }
                else if (pivot < value)
                {
                    highStake += stake[index];
                    upper[upperCount++] = index;
                }
            }
            if (low + lowStake <= minority && minority < high - highStake)
                return pivot;
            if (minority < low + lowStake && lowerCount > 0)
            {
                (current, lower) = (lower, current);
                n = lowerCount;
                high = low + lowStake;
            }
            else if (high - highStake <= minority && upperCount > 0)
            {
                (current, upper) = (upper, current);
                n = upperCount;
                low = high - highStake;
            }
            else
            {
                return pivot;
            }
            if (iteration > iterationLimit)
                break;
            iteration++;
        }
        return I32F32.Zero;
    }

    /// <summary>
    /// Per column: the rows with positive stake, their stake renormalised again (this second normalisation changes low
    /// bits and is part of the spec), minority = Σ − majority, missing entries scored 0.
    /// </summary>
    public static I32F32[] ColumnsSparse(ReadOnlySpan<I32F32> stake, SparseEntry[][] rows, int columns, I32F32 majority)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var useStake = new List<I32F32>();
        foreach (var s in stake)
            if (s > I32F32.Zero)
                useStake.Add(s);
        var normalised = useStake.ToArray();
        YumaMath.Normalize(normalised);
        var stakeSum = YumaMath.Sum(normalised);
        var count = normalised.Length;
        var minority = stakeSum - majority;

        // Column-major scores in one flat array: each column's median reads a contiguous slice. The array is megabytes
        // for a dense subnet, so it is rented (and cleared: a missing entry scores 0) rather than a new large object
        // each epoch.
        var pooled = ArrayPool<I32F32>.Shared.Rent(columns * count);
        try
        {
            var scores = pooled.AsSpan(0, columns * count);
            scores.Clear();
            var scoringRows = new List<SparseEntry[]>(count);
            for (var r = 0; r < stake.Length; r++)
                if (stake[r] > I32F32.Zero)
                    scoringRows.Add(r < rows.Length ? rows[r] : []);
            Transpose(scoringRows, scores, count);
            var buffers = new ColumnBuffers(count);
            var median = new I32F32[columns];
            for (var c = 0; c < columns; c++)
                median[c] = ComputeColumn(normalised, scores.Slice(c * count, count), buffers, minority, stakeSum);
            return median;
        }
        finally
        {
            ArrayPool<I32F32>.Shared.Return(pooled);
        }
    }

    /// <summary>Scratch (score, stake) bit pairs for <see cref="ComputeColumn"/>: the current partition and its two sides.</summary>
    private sealed class ColumnBuffers(int count)
    {
        public readonly long[] CurrentScores = new long[count];
        public readonly long[] CurrentStakes = new long[count];
        public readonly long[] LowerScores = new long[count];
        public readonly long[] LowerStakes = new long[count];
        public readonly long[] UpperScores = new long[count];
        public readonly long[] UpperStakes = new long[count];
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{I32F32}, ReadOnlySpan{I32F32}, int[], int[], int[], I32F32, I32F32, I32F32)"/> with
    /// the partition 0..n−1, moving (score, stake) values instead of indices, and without branches on the comparisons
    /// (they are random, so branches on them were mispredicted about half the time): every element is written to both
    /// sides and only the matching side's count advances, and a stake joins a side's sum masked to zero when it does not
    /// belong there. The sides keep the partition's order, so each pivot, sum and returned value is the index search's.
    /// The side sums are plain 64-bit additions: the stakes here are normalised (each in [0, 1], at most 2^32 bits) and
    /// fewer than 2^31, so no partial sum comes near 2^63 and the saturating additions never saturate.
    /// </summary>
    private static I32F32 ComputeColumn(
        ReadOnlySpan<I32F32> stake,
        ReadOnlySpan<I32F32> score,
        ColumnBuffers buffers,
        I32F32 minority,
        I32F32 high
    )
    {
        var n = score.Length;
        // The first step partitions the column and the stake where they lie; later steps work on the owned buffers.
        // currentScores/currentStakes are null while the current partition is still the caller's data.
        var scores = MemoryMarshal.Cast<I32F32, long>(score);
        var stakes = MemoryMarshal.Cast<I32F32, long>(stake);
        long[]? currentScores = null;
        long[]? currentStakes = null;
        var lowerScores = buffers.LowerScores;
        var lowerStakes = buffers.LowerStakes;
        var upperScores = buffers.UpperScores;
        var upperStakes = buffers.UpperStakes;
        var low = I32F32.Zero;
        var iterationLimit = n;
        var iteration = 0;
        while (true)
        {
            if (n == 0)
                return I32F32.Zero;
            if (n == 1)
                return I32F32.FromBits(scores[0]);
            var pivot = scores[n / 2];
            var (lowerCount, upperCount, lowSum, highSum) = Partition(
                scores[..n],
                stakes[..n],
                pivot,
                lowerScores.AsSpan(0, n),
                lowerStakes.AsSpan(0, n),
                upperScores.AsSpan(0, n),
                upperStakes.AsSpan(0, n)
            );
            var lowStake = I32F32.FromBits(lowSum);
            var highStake = I32F32.FromBits(highSum);
            if (low + lowStake <= minority && minority < high - highStake)
                return I32F32.FromBits(pivot);
            // The side searched next becomes current; the old current buffer (the spare one after the first step)
            // takes its place as scratch.
            var freeScores = currentScores ?? buffers.CurrentScores;
            var freeStakes = currentStakes ?? buffers.CurrentStakes;
            if (minority < low + lowStake && lowerCount > 0)
            {
                (currentScores, lowerScores) = (lowerScores, freeScores);
                (currentStakes, lowerStakes) = (lowerStakes, freeStakes);
                n = lowerCount;
                high = low + lowStake;
            }
            else if (high - highStake <= minority && upperCount > 0)
            {
                (currentScores, upperScores) = (upperScores, freeScores);
                (currentStakes, upperStakes) = (upperStakes, freeStakes);
                n = upperCount;
                low = high - highStake;
            }
            else
            {
                return I32F32.FromBits(pivot);
            }
            scores = currentScores;
            stakes = currentStakes;
            if (iteration > iterationLimit)
                break;
            iteration++;
        }
        return I32F32.Zero;
    }

    /// <summary>One branch-free partition step of <see cref="ComputeColumn"/> (all spans as long as <paramref name="scores"/>).</summary>
    private static (int LowerCount, int UpperCount, long LowSum, long HighSum) Partition(
        ReadOnlySpan<long> scores,
        ReadOnlySpan<long> stakes,
        long pivot,
        Span<long> lowerScores,
        Span<long> lowerStakes,
        Span<long> upperScores,
        Span<long> upperStakes
    )
    {
        unchecked
        {
            var lowerCount = 0;
            var upperCount = 0;
            var lowSum = 0L;
            var highSum = 0L;
            stakes = stakes[..scores.Length];
            for (var k = 0; k < scores.Length; k++)
            {
                var value = scores[k];
                var weight = stakes[k];
                var below = value < pivot ? 1 : 0;
                var above = pivot < value ? 1 : 0;
                // Both counts are at most k, so the unconditional writes stay inside the spans.
                lowerScores[lowerCount] = value;
                lowerStakes[lowerCount] = weight;
                upperScores[upperCount] = value;
                upperStakes[upperCount] = weight;
                lowSum += weight & -(long)below;
                highSum += weight & -(long)above;
                lowerCount += below;
                upperCount += above;
            }
            return (lowerCount, upperCount, lowSum, highSum);
        }
    }

    /// <summary>
    /// Writes row k's entries into scores[column · count + k]. Rows sorted by column (as stored weights are) are copied
    /// a block of columns at a time so the writes stay in cache; a row found out of order on the way (checked as it is
    /// copied, not in a pass of its own) sends the whole matrix to the entry-by-entry copy. Later duplicates win in both.
    /// </summary>
    private static void Transpose(List<SparseEntry[]> rows, Span<I32F32> scores, int count)
    {
        const int blockColumns = 64;
        var cursor = new int[rows.Count];
        var unfinished = 0;
        foreach (var row in rows)
            if (row.Length > 0)
                unfinished++;
        for (var end = blockColumns; unfinished > 0; end += blockColumns)
        {
            for (var k = 0; k < rows.Count; k++)
            {
                var row = rows[k];
                var p = cursor[k];
                if (p == row.Length)
                    continue;
                var previous = p > 0 ? row[p - 1].Column : 0;
                for (; p < row.Length && row[p].Column < end; p++)
                {
                    var column = row[p].Column;
                    if (column < previous)
                    {
                        TransposeUnsorted(rows, scores, count);
                        return;
                    }
                    previous = column;
                    scores[column * count + k] = row[p].Value;
                }
                cursor[k] = p;
                if (p == row.Length)
                    unfinished--;
            }
        }
    }

    private static void TransposeUnsorted(List<SparseEntry[]> rows, Span<I32F32> scores, int count)
    {
        scores.Clear();
        for (var k = 0; k < rows.Count; k++)
        {
            foreach (var entry in rows[k])
                scores[entry.Column * count + k] = entry.Value;
        }
    }
}
