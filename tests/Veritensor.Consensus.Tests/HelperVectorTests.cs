using System.Text.Json;

namespace Veritensor.Consensus.Tests;

/// <summary>Every <c>helper_group</c> case of tests/data/yuma/vectors.json (subtensor's math.rs tests) as unit tests.</summary>
[UnitTest]
public sealed class HelperVectorTests
{
    private static JsonElement Helper(string function)
    {
        foreach (var c in VectorsFile.Root.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("kind").GetString() != "helper_group")
                continue;
            foreach (var h in c.GetProperty("helpers").EnumerateArray())
                if (h.GetProperty("function").GetString() == function)
                    return h;
        }
        Assert.Fail($"helper {function} not in vectors.json");
        return default;
    }

    private static I32F32[][] Matrix(JsonElement flat, int rows, int columns)
    {
        var values = Fixed.VectorF32(flat);
        Assert.Equal(rows * columns, values.Length);
        return Enumerable.Range(0, rows).Select(r => values.AsSpan(r * columns, columns).ToArray()).ToArray();
    }

    private static SparseEntry[][] Sparse(I32F32[][] dense) =>
        dense
            .Select(row => row.Select((v, j) => new SparseEntry(j, v)).Where(e => e.Value != I32F32.Zero).ToArray())
            .ToArray();

    private static I32F32[][] Dense(SparseEntry[][] sparse, int columns) =>
        sparse
            .Select(row =>
            {
                var dense = new I32F32[columns];
                foreach (var e in row)
                    dense[e.Column] = e.Value;
                return dense;
            })
            .ToArray();

    [Fact]
    public void Weighted_median_matches_every_vector_case()
    {
        var cases = Helper("weighted_median").GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(12, cases.Length);
        foreach (var c in cases)
        {
            var stakeElement = c.GetProperty("stake");
            // The single-element case is written as the expression "normalize([0.51]) = [1.0]".
            var stake = stakeElement.ValueKind == JsonValueKind.String ? [I32F32.One] : Fixed.VectorF32(stakeElement);
            var score = Fixed.VectorF32(c.GetProperty("score"));
            var minority = I32F32.One - Fixed.FromF32(c.GetProperty("majority"));
            var partition = Enumerable.Range(0, stake.Length).ToArray();
            var median = WeightedMedian.Compute(stake, score, partition, minority, I32F32.Zero, YumaMath.Sum(stake));
            Assert.Equal(Fixed.FromF32(c.GetProperty("expect")), median);
        }
    }

    [Fact]
    public void Column_weighted_median_matches_every_vector_case()
    {
        var cases = Helper("weighted_median_col / weighted_median_col_sparse")
            .GetProperty("cases")
            .EnumerateArray()
            .ToArray();
        Assert.Equal(5, cases.Length);
        foreach (var c in cases)
        {
            var stake = Fixed.VectorF32(c.GetProperty("stake"));
            var rows = c.GetProperty("weights_rows").EnumerateArray().Select(Fixed.VectorF32).ToArray();
            var columns = rows[0].Length;
            var median = WeightedMedian.ColumnsSparse(
                stake,
                Sparse(rows),
                columns,
                Fixed.FromF32(c.GetProperty("majority_kappa"))
            );
            Assert.Equal(Fixed.VectorF32(c.GetProperty("expect")), median);
        }
    }

    [Fact]
    public void Max_upscale_to_u16_matches_every_vector_case()
    {
        var helper = Helper("vec_max_upscale_to_u16 (used by set_weights via vec_u16_max_upscale_to_u16)");
        var count = 0;
        foreach (var c in helper.GetProperty("cases").EnumerateArray())
        {
            var expected = c.GetProperty("expect_u16").EnumerateArray().Select(e => e.GetUInt16()).ToArray();
            Assert.Equal(expected, WeightUpscale.MaxUpscaleToU16(Fixed.VectorF32(c.GetProperty("input"))));
            count++;
        }
        foreach (var c in helper.GetProperty("u16_cases").EnumerateArray())
        {
            var input = c.GetProperty("input").EnumerateArray().Select(e => e.GetUInt16()).ToArray();
            var expected = c.GetProperty("expect_u16").EnumerateArray().Select(e => e.GetUInt16()).ToArray();
            Assert.Equal(expected, WeightUpscale.MaxUpscaleToU16(input));
            count++;
        }
        Assert.Equal(19, count);
        // "also": [0, 1, 32768, 32769, I32F32::MAX] → [0, 0, 1, 1, 65535].
        I32F32[] also = [I32F32.Zero, I32F32.FromInt(1), I32F32.FromInt(32768), I32F32.FromInt(32769), I32F32.MaxValue];
        Assert.Equal([0, 0, 1, 1, 65535], WeightUpscale.MaxUpscaleToU16(also));
    }

    [Fact]
    public void Dense_liquid_alpha_ema_matches_every_vector_case()
    {
        var helper = Helper("mat_ema_alpha (dense, Yuma3 liquid-alpha EMA)");
        var tolerance = Fixed.Decimal(helper.GetProperty("tolerance_abs"));
        var cases = helper.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(3, cases.Length);
        foreach (var c in cases)
        {
            var alpha = Fixed.FromF32(c.GetProperty("alpha"));
            var alphas = Enumerable.Range(0, 4).Select(_ => Enumerable.Repeat(alpha, 3).ToArray()).ToArray();
            var result = YumaMath.MatEmaAlphaDense(
                Matrix(c.GetProperty("new"), 4, 3),
                Matrix(c.GetProperty("old"), 4, 3),
                alphas
            );
            var expected = c.GetProperty("expect").EnumerateArray().Select(Fixed.F32Decimal).ToArray();
            for (var k = 0; k < 12; k++)
                Fixed.Near(expected[k], result[k / 3][k % 3], tolerance, $"entry {k}");
        }
    }

    [Fact]
    public void Sparse_liquid_alpha_ema_matches_every_vector_case_and_drops_bonds_absent_from_the_weight_row()
    {
        var helper = Helper("mat_ema_alpha_sparse (sparse Yuma3 liquid-alpha EMA)");
        var cases = helper.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(4, cases.Length);
        foreach (var c in cases)
        {
            var tolerance = Fixed.Decimal(
                c.TryGetProperty("tolerance_abs", out var t) ? t : helper.GetProperty("tolerance_abs")
            );
            var alpha = Fixed.FromF32(c.GetProperty("alpha"));
            var result = YumaMath.MatEmaAlphaSparse(
                Sparse(Matrix(c.GetProperty("new"), 4, 3)),
                Sparse(Matrix(c.GetProperty("old"), 4, 3)),
                (_, _) => alpha,
                3
            );
            var dense = Dense(result, 3);
            var expected = c.GetProperty("expect").EnumerateArray().Select(Fixed.F32Decimal).ToArray();
            for (var k = 0; k < 12; k++)
                Fixed.Near(expected[k], dense[k / 3][k % 3], tolerance, $"entry {k}");
            if (c.TryGetProperty("structural", out _))
                Assert.Empty(result[0]);
        }
    }

    [Fact]
    public void Column_normalisation_and_max_upscale_match_the_vector_and_leave_zero_columns_alone()
    {
        var helper = Helper("inplace_col_normalize / inplace_col_max_upscale");
        var tolerance = Fixed.Decimal(helper.GetProperty("tolerance_abs"));
        var matrix = helper
            .GetProperty("matrix_rows")
            .EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => I32F32.FromInt(v.GetInt64())).ToArray())
            .ToArray();
        void Check(Action<SparseEntry[][], int> operation, string expectKey)
        {
            // Keep explicit zero entries: the all-zero column must survive untouched.
            var sparse = matrix.Select(row => row.Select((v, j) => new SparseEntry(j, v)).ToArray()).ToArray();
            operation(sparse, 4);
            var expected = helper
                .GetProperty(expectKey)
                .EnumerateArray()
                .Select(r => r.EnumerateArray().Select(Fixed.Decimal).ToArray())
                .ToArray();
            for (var i = 0; i < 5; i++)
            {
                for (var j = 0; j < 4; j++)
                    Fixed.Near(expected[i][j], sparse[i][j].Value, tolerance, $"{expectKey} ({i},{j})");
            }
        }
        Check(YumaMath.ColNormalizeSparse, "expect_col_normalize");
        Check(YumaMath.ColMaxUpscaleSparse, "expect_col_max_upscale");
    }

    [Fact]
    public void Interpolation_matches_the_vector_cases()
    {
        var cases = Helper("interpolate (bonds-penalty mix W + r*(Wc - W))")
            .GetProperty("cases")
            .EnumerateArray()
            .ToArray();
        Assert.Equal(4, cases.Length);

        var first = cases[0];
        I32F32[][] Ints(JsonElement m) =>
            m.EnumerateArray()
                .Select(r => r.EnumerateArray().Select(v => I32F32.FromInt(v.GetInt64())).ToArray())
                .ToArray();
        var result = Dense(
            YumaMath.InterpolateSparse(
                Sparse(Ints(first.GetProperty("mat1"))),
                Sparse(Ints(first.GetProperty("mat2"))),
                2,
                Fixed.FromF32(first.GetProperty("ratio"))
            ),
            2
        );
        var expected = first
            .GetProperty("expect")
            .EnumerateArray()
            .Select(r => r.EnumerateArray().Select(Fixed.Decimal).ToArray())
            .ToArray();
        var tolerance = Fixed.Decimal(first.GetProperty("tolerance_abs"));
        // Entries up to 10^6: 1e-4 absolute on values this large is the f32 test's relative slack.
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 2; j++)
                Fixed.Near(expected[i][j], result[i][j], tolerance * Math.Max(1, expected[i][j]), $"({i},{j})");
        }

        // "4x3 zeros" and "4x3 ones" mixed at 0.5 give exactly 0.5.
        var zeros = Enumerable.Range(0, 4).Select(_ => Array.Empty<SparseEntry>()).ToArray();
        var ones = Enumerable
            .Range(0, 4)
            .Select(_ => Enumerable.Range(0, 3).Select(j => new SparseEntry(j, I32F32.One)).ToArray())
            .ToArray();
        var half = YumaMath.InterpolateSparse(zeros, ones, 3, Fixed.FromF32(cases[1].GetProperty("ratio")));
        Assert.All(half, row =>
            Assert.Equal(Enumerable.Range(0, 3).Select(j => new SparseEntry(j, I32F32.FromBits(1L << 31))), row)
        );

        // Ratio 0 gives mat1 and ratio 1 gives mat2 exactly, explicit zeros included.
        var random = new Random(7);
        SparseEntry[][] Any() =>
            Enumerable
                .Range(0, 4)
                .Select(_ =>
                    Enumerable
                        .Range(0, 3)
                        .Select(j => new SparseEntry(j, I32F32.FromBits(random.NextInt64(0, 1L << 33))))
                        .ToArray()
                )
                .ToArray();
        var mat1 = Any();
        var mat2 = Any();
        mat1[0][1] = new SparseEntry(1, I32F32.Zero);
        Assert.Equal(
            mat1.SelectMany(r => r),
            YumaMath.InterpolateSparse(mat1, mat2, 3, Fixed.FromF32(cases[2].GetProperty("ratio"))).SelectMany(r => r)
        );
        Assert.Equal(
            mat2.SelectMany(r => r),
            YumaMath.InterpolateSparse(mat1, mat2, 3, Fixed.FromF32(cases[3].GetProperty("ratio"))).SelectMany(r => r)
        );
    }

    [Fact]
    public void Alpha_sigmoid_matches_the_reference_model_examples()
    {
        var helper = Helper("alpha_sigmoid (liquid alpha per bond)");
        var parameters = helper.GetProperty("params");
        var low = I32F32.FromU16Proportion(parameters.GetProperty("alpha_low_u16").GetUInt16());
        var high = I32F32.FromU16Proportion(parameters.GetProperty("alpha_high_u16").GetUInt16());
        var steepness = I32F32.FromInt(parameters.GetProperty("steepness").GetInt64());
        var tolerance = Fixed.Decimal(helper.GetProperty("tolerance_abs"));
        var examples = helper.GetProperty("examples").EnumerateArray().ToArray();
        Assert.Equal(5, examples.Length);
        foreach (var e in examples)
        {
            var alpha = LiquidAlpha.Sigmoid(
                Fixed.FromF32(e.GetProperty("consensus")),
                Fixed.FromF32(e.GetProperty("weight")),
                Fixed.FromF32(e.GetProperty("bond")),
                low,
                high,
                steepness
            );
            Fixed.Near(Fixed.Decimal(e.GetProperty("alpha")), alpha, tolerance, e.GetRawText());
        }
    }
}
