namespace Veritensor.Consensus.Tests;

/// <summary>
/// <see cref="ClassicBonds.Compute"/> fuses classic Yuma's bond step into four passes; it must give the bits of the
/// step-by-step helpers it replaced (load, col-normalise, row Hadamard, col-normalise, EMA, col-normalise, dividends,
/// col max-upscale, u16 storage), on random matrices with explicit zeros, repeated and out-of-range columns.
/// </summary>
[UnitTest]
public sealed class ClassicBondsEquivalenceTests
{
    [Fact]
    public void Fused_passes_match_the_step_by_step_helpers_on_random_subnets()
    {
        var random = new Random(59_2026);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var n = random.Next(1, 14);
            var storedBonds = Enumerable
                .Range(0, random.Next(0, n + 1))
                .Select(_ =>
                    Enumerable
                        .Range(0, n + 2)
                        .Where(_ => random.Next(3) == 0)
                        .Select(j => new U16Entry(j, random.Next(4) == 0 ? (ushort)0 : (ushort)random.Next(0, 65536)))
                        .ToArray()
                )
                .ToArray();
            var keepColumn = Enumerable.Range(0, n).Select(_ => random.Next(5) != 0).ToArray();
            I32F32 Fraction() =>
                random.Next(6) == 0 ? I32F32.Zero : I32F32.FromBits(random.NextInt64(0, (1L << 32) + 1));
            var weights = Enumerable
                .Range(0, n)
                .Select(_ =>
                    Enumerable
                        .Range(0, n)
                        .Where(_ => random.Next(2) == 0)
                        .Select(j => new SparseEntry(j, Fraction()))
                        .ToArray()
                )
                .ToArray();
            if (random.Next(4) == 0)
            {
                var row = weights[random.Next(n)];
                if (row.Length > 0)
                    weights[random.Next(n)] = [.. row, row[0] with { Value = Fraction() }];
            }
            var activeStake = Enumerable.Range(0, n).Select(_ => Fraction()).ToArray();
            YumaMath.Normalize(activeStake);
            var incentive = Enumerable.Range(0, n).Select(_ => Fraction()).ToArray();
            YumaMath.Normalize(incentive);
            var alpha = Fraction();

            var actual = ClassicBonds.Compute(
                storedBonds,
                keepColumn,
                YumaMath.Copy(weights),
                activeStake,
                incentive,
                alpha,
                null,
                out var actualDividends
            );
            // The epoch hands over the delta's column sums as matmul_sparse of the same weights and stake.
            var given = ClassicBonds.Compute(
                storedBonds,
                keepColumn,
                YumaMath.Copy(weights),
                activeStake,
                incentive,
                alpha,
                YumaMath.MatMulSparse(weights, activeStake, n),
                out var givenDividends
            );

            var expected = Reference(
                storedBonds,
                keepColumn,
                weights,
                activeStake,
                incentive,
                alpha,
                out var expectedDividends
            );
            Assert.Equal(expectedDividends, actualDividends);
            Assert.Equal(expectedDividends, givenDividends);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i]);
                Assert.Equal(expected[i], given[i]);
            }
        }
    }

    /// <summary>The bond step as it was composed before the fusion.</summary>
    private static U16Entry[][] Reference(
        U16Entry[][] storedBonds,
        bool[] keepColumn,
        SparseEntry[][] weights,
        I32F32[] activeStake,
        I32F32[] incentive,
        I32F32 alpha,
        out I32F32[] dividends
    )
    {
        var n = keepColumn.Length;
        var bonds = Enumerable
            .Range(0, n)
            .Select(i =>
                i < storedBonds.Length
                    ? storedBonds[i]
                        .Where(e => e.Column < n && keepColumn[e.Column])
                        .Select(e => new SparseEntry(e.Column, I32F32.FromInt(e.Value)))
                        .ToArray()
                    : []
            )
            .ToArray();
        YumaMath.ColNormalizeSparse(bonds, n);
        var delta = YumaMath.RowHadamardSparse(weights, activeStake);
        YumaMath.ColNormalizeSparse(delta, n);
        var ema = YumaMath.MatEmaSparse(delta, bonds, alpha, n);
        YumaMath.ColNormalizeSparse(ema, n);
        dividends = YumaMath.MatMulTransposeSparse(ema, incentive);
        YumaMath.Normalize(dividends);
        YumaMath.ColMaxUpscaleSparse(ema, n);
        return Array.ConvertAll(ema, row =>
            Array.ConvertAll(row, e => new U16Entry(e.Column, e.Value.ToU16Proportion()))
        );
    }
}
