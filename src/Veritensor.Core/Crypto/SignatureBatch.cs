namespace Veritensor.Core.Crypto;

/// <summary>Verifies many signatures at once on every core: the hot path of transaction admission and block import.</summary>
public static class SignatureBatch
{
    /// <summary>Below this many items the thread hand-off costs more than it saves.</summary>
    private const int ParallelThreshold = 16;

    /// <summary>
    /// Runs <paramref name="verify"/> for every item and returns one flag per item: in parallel on all cores,
    /// unless <paramref name="parallel"/> is false (for callers that already run one batch per core, where
    /// nested parallelism would only add thread switches).
    /// </summary>
    public static bool[] VerifyAll<T>(IReadOnlyList<T> items, Func<T, bool> verify, bool parallel = true)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(verify);
        var results = new bool[items.Count];
        if (!parallel || items.Count < ParallelThreshold)
        {
            for (var i = 0; i < items.Count; i++)
                results[i] = verify(items[i]);
            return results;
        }
        var partitions = System.Collections.Concurrent.Partitioner.Create(
            0,
            items.Count,
            Math.Max(ParallelThreshold, items.Count / (Environment.ProcessorCount * 8))
        );
        Parallel.ForEach(partitions, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
                results[i] = verify(items[i]);
        });
        return results;
    }
}
