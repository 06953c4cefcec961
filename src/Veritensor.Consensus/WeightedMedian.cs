namespace Veritensor.Consensus;

/// <summary>
/// The stake-weighted κ-quantile that defines consensus (<c>weighted_median</c> and <c>weighted_median_col_sparse</c>):
/// a deterministic partition search with a middle pivot, reproduced step for step because the pivot choice decides
/// which of several equally valid plateau values is returned.
/// </summary>
public static class WeightedMedian
{
    public static I32F32 Compute(ReadOnlySpan<I32F32> stake, ReadOnlySpan<I32F32> score, int[] partition, I32F32 minority, I32F32 low, I32F32 high)
    {
        var current = partition;
        var lower = new List<int>();
        var upper = new List<int>();
        var iterationLimit = partition.Length;
        var iteration = 0;
        while (true)
        {
            var n = current.Length;
            if (n == 0) return I32F32.Zero;
            if (n == 1) return score[current[0]];
            var pivot = score[current[n / 2]];
            var lowStake = I32F32.Zero;
            var highStake = I32F32.Zero;
            foreach (var index in current)
            {
                if (score[index] < pivot)
                {
                    lowStake += stake[index];
                    lower.Add(index);
                }
                else if (pivot < score[index])
                {
                    highStake += stake[index];
                    upper.Add(index);
                }
            }
            if (low + lowStake <= minority && minority < high - highStake) return pivot;
            if (minority < low + lowStake && lower.Count > 0)
            {
                current = [.. lower];
                high = low + lowStake;
            }
            else if (high - highStake <= minority && upper.Count > 0)
            {
                current = [.. upper];
                low = high - highStake;
            }
            else
            {
                return pivot;
            }
            lower.Clear();
            upper.Clear();
            if (iteration > iterationLimit) break;
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
        var useStake = new List<I32F32>();
        foreach (var s in stake)
            if (s > I32F32.Zero) useStake.Add(s);
        var normalised = useStake.ToArray();
        YumaMath.Normalize(normalised);
        var stakeSum = YumaMath.Sum(normalised);
        var partition = new int[normalised.Length];
        for (var k = 0; k < partition.Length; k++) partition[k] = k;
        var minority = stakeSum - majority;

        // Column-major scores: one contiguous array per column keeps the median search cache-friendly.
        var scores = new I32F32[columns][];
        for (var c = 0; c < columns; c++) scores[c] = new I32F32[normalised.Length];
        var used = 0;
        for (var r = 0; r < stake.Length && r < rows.Length; r++)
        {
            if (stake[r] <= I32F32.Zero) continue;
            foreach (var entry in rows[r]) scores[entry.Column][used] = entry.Value;
            used++;
        }
        var median = new I32F32[columns];
        for (var c = 0; c < columns; c++) median[c] = Compute(normalised, scores[c], partition, minority, I32F32.Zero, stakeSum);
        return median;
    }
}
