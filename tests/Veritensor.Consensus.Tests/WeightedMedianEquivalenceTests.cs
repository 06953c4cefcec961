namespace Veritensor.Consensus.Tests;

/// <summary>
/// <see cref="WeightedMedian.ColumnsSparse"/> runs a branch-free search on (score, stake) values; it must return the
/// bits of the index-based search (<see cref="WeightedMedian.Compute(ReadOnlySpan{I32F32}, ReadOnlySpan{I32F32}, int[], I32F32, I32F32, I32F32)"/>,
/// the step-by-step port checked against subtensor's helper vectors) for every column. Scores are drawn from a few
/// values so plateaus, where the pivot order decides the result, are common.
/// </summary>
[UnitTest]
public sealed class WeightedMedianEquivalenceTests
{
    [Fact]
    public void Columns_match_the_index_search_on_random_matrices_with_ties()
    {
        var random = new Random(73_2026);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var rowCount = random.Next(0, 40);
            var columns = random.Next(1, 12);
            var palette = Enumerable
                .Range(0, random.Next(1, 6))
                .Select(_ => I32F32.FromBits(random.NextInt64(0, 1L << 33)))
                .ToArray();
            var stake = Enumerable
                .Range(0, rowCount)
                .Select(_ => random.Next(4) == 0 ? I32F32.Zero : I32F32.FromBits(random.NextInt64(1, 1L << 32)))
                .ToArray();
            var rows = Enumerable
                .Range(0, rowCount)
                .Select(_ =>
                    Enumerable
                        .Range(0, columns)
                        .Where(_ => random.Next(3) != 0)
                        .Select(j => new SparseEntry(j, palette[random.Next(palette.Length)]))
                        .ToArray()
                )
                .ToArray();
            // Some rows out of column order and with a repeated column (the later entry wins in both).
            if (rowCount > 0 && random.Next(3) == 0)
            {
                var row = rows[random.Next(rowCount)];
                Array.Reverse(row);
                if (row.Length > 0)
                    rows[random.Next(rowCount)] = [.. row, row[0] with { Value = palette[0] }];
            }
            var majority = I32F32.FromBits(
                random.Next(3) == 0 ? (long)random.Next(0, 3) << 31 : random.NextInt64(0, 1L << 32)
            );

            var actual = WeightedMedian.ColumnsSparse(stake, rows, columns, majority);

            Assert.Equal(Reference(stake, rows, columns, majority), actual);
        }
    }

    [Fact]
    public void Columns_match_the_index_search_on_a_dense_benchmark_subnet()
    {
        var random = new Random(4096);
        var stake = Enumerable.Range(0, 64).Select(_ => I32F32.FromBits(random.NextInt64(1, 1L << 26))).ToArray();
        YumaMath.Normalize(stake);
        var rows = stake
            .Select(_ =>
                Enumerable
                    .Range(0, 300)
                    .Select(j => new SparseEntry(j, I32F32.FromBits(random.NextInt64(0, 1L << 24))))
                    .ToArray()
            )
            .ToArray();
        var majority = I32F32.FromInt(32767).SafeDiv(I32F32.FromInt(65535));

        Assert.Equal(Reference(stake, rows, 300, majority), WeightedMedian.ColumnsSparse(stake, rows, 300, majority));
    }

    /// <summary>The column loop as it was before the branch-free search: a dense score column and the index search.</summary>
    private static I32F32[] Reference(I32F32[] stake, SparseEntry[][] rows, int columns, I32F32 majority)
    {
        var scoring = Enumerable.Range(0, stake.Length).Where(i => stake[i] > I32F32.Zero).ToArray();
        var normalised = scoring.Select(i => stake[i]).ToArray();
        YumaMath.Normalize(normalised);
        var stakeSum = YumaMath.Sum(normalised);
        var minority = stakeSum - majority;
        var median = new I32F32[columns];
        for (var c = 0; c < columns; c++)
        {
            var score = new I32F32[scoring.Length];
            for (var k = 0; k < scoring.Length; k++)
                foreach (var entry in rows[scoring[k]])
                    if (entry.Column == c)
                        score[k] = entry.Value;
            median[c] = WeightedMedian.Compute(
                normalised,
                score,
                Enumerable.Range(0, scoring.Length).ToArray(),
                minority,
                I32F32.Zero,
                stakeSum
            );
        }
        return median;
    }
}
