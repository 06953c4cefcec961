namespace Veritensor.Consensus.Tests;

/// <summary>
/// The epoch's inlined liquid-alpha EMA (<see cref="YumaMath.MatEmaLiquidAlphaSparse"/>) must give the bits of the
/// delegate form it replaced: <see cref="YumaMath.MatEmaAlphaSparse"/> of the loaded bonds with alpha(i, j) read from
/// dense copies of row i of the weights and the bonds.
/// </summary>
[UnitTest]
public sealed class LiquidAlphaEmaEquivalenceTests
{
    [Fact]
    public void Inline_alphas_match_the_delegate_form_on_random_rows()
    {
        var random = new Random(3_2026);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var rowCount = random.Next(0, 12);
            var columns = random.Next(1, 16);
            // Values around 0..1.5 with zeros and repeats, so alpha's two branches, its clamps and the cache all occur.
            I32F32 Value() =>
                random.Next(5) switch
                {
                    0 => I32F32.Zero,
                    1 => I32F32.One,
                    _ => I32F32.FromBits(random.NextInt64(-(1L << 28), 3L << 31)),
                };
            SparseEntry[] Row() =>
                [
                    .. Enumerable
                        .Range(0, columns)
                        .Where(_ => random.Next(3) != 0)
                        .Select(j => new SparseEntry(j, Value())),
                ];
            var weights = Enumerable.Range(0, rowCount).Select(_ => Row()).ToArray();
            // Stored bonds, some rows missing, some columns out of range or dropped (registered since the last epoch).
            var storedBonds = Enumerable
                .Range(0, random.Next(0, rowCount + 1))
                .Select(_ =>
                    Enumerable
                        .Range(0, columns + 2)
                        .Where(_ => random.Next(3) != 0)
                        .Select(j => new U16Entry(j, random.Next(4) == 0 ? (ushort)0 : (ushort)random.Next(0, 65536)))
                        .ToArray()
                )
                .ToArray();
            var keepColumn = Enumerable.Range(0, columns).Select(_ => random.Next(5) != 0).ToArray();
            var bonds = Enumerable
                .Range(0, rowCount)
                .Select(i =>
                    i < storedBonds.Length
                        ? storedBonds[i]
                            .Where(e => e.Column < columns && keepColumn[e.Column])
                            .Select(e => new SparseEntry(e.Column, I32F32.FromU16Proportion(e.Value)))
                            .ToArray()
                        : []
                )
                .ToArray();
            if (rowCount > 0 && random.Next(4) == 0)
            {
                // A repeated column: the dense rows hold its last entry.
                var row = weights[random.Next(rowCount)];
                if (row.Length > 0)
                    weights[random.Next(rowCount)] = [.. row, row[0] with { Value = Value() }];
            }
            var consensus = Enumerable.Range(0, columns).Select(_ => Value()).ToArray();
            var low = I32F32.FromInt(random.Next(0, 40000)).SafeDiv(I32F32.FromInt(65535));
            var high = low + I32F32.FromInt(random.Next(0, 25000)).SafeDiv(I32F32.FromInt(65535));
            var steepness = I32F32.FromInt(random.Next(1, 3000));

            var actual = YumaMath.MatEmaLiquidAlphaSparse(
                weights,
                storedBonds,
                keepColumn,
                consensus,
                new LiquidAlpha.Evaluator(low, high, steepness)
            );

            var expected = YumaMath.MatEmaAlphaSparse(
                weights,
                bonds,
                (i, j) =>
                {
                    var weight = weights[i].LastOrDefault(e => e.Column == j).Value;
                    var bond = bonds[i].LastOrDefault(e => e.Column == j).Value;
                    return LiquidAlpha.Sigmoid(consensus[j], weight, bond, low, high, steepness);
                },
                columns
            );
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], actual[i]);
        }
    }
}
