using System.Numerics;

namespace Veritensor.Consensus.Tests;

/// <summary>The substrate-fixed rules of spec §2, each against a value computed by hand.</summary>
[UnitTest]
public sealed class FixedPointTests
{
    private static readonly I32F32 Half = I32F32.FromBits(1L << 31);

    [Fact]
    public void Multiplication_floors_the_widened_product_toward_minus_infinity()
    {
        // 3·2^-32 × 0.5 = 1.5·2^-32 → 1; −3·2^-32 × 0.5 = −1.5·2^-32 → −2 (arithmetic shift, not truncation).
        Assert.Equal(1, (I32F32.FromBits(3) * Half).Bits);
        Assert.Equal(-2, (I32F32.FromBits(-3) * Half).Bits);
        Assert.Equal(I32F32.FromInt(6), I32F32.FromInt(2) * I32F32.FromInt(3));
    }

    [Fact]
    public void Division_truncates_toward_zero()
    {
        // 2^32 / 3 = 1 431 655 765.33…
        Assert.Equal(1_431_655_765, (I32F32.One / I32F32.FromInt(3)).Bits);
        Assert.Equal(-1_431_655_765, ((I32F32.Zero - I32F32.One) / I32F32.FromInt(3)).Bits);
    }

    [Fact]
    public void Arithmetic_saturates_instead_of_wrapping()
    {
        Assert.Equal(I32F32.MaxValue, I32F32.MaxValue + I32F32.One);
        Assert.Equal(I32F32.MinValue, I32F32.MinValue - I32F32.One);
        Assert.Equal(I32F32.MaxValue, I32F32.FromInt(40_000) * I32F32.FromInt(70_000));
        Assert.Equal(I32F32.MaxValue, I32F32.FromInt(1L << 31));
        Assert.Equal(I32F32.MaxValue, I32F32.FromInt(1_000_000) / Half.SafeDiv(I32F32.FromInt(1_000_000)));
    }

    [Fact]
    public void Checked_operations_report_overflow()
    {
        Assert.False(I32F32.TryMultiply(I32F32.FromInt(40_000), I32F32.FromInt(70_000), out _));
        Assert.False(I32F32.TryDivide(I32F32.One, I32F32.Zero, out _));
        Assert.False(I32F32.TryAdd(I32F32.MaxValue, I32F32.One, out _));
        Assert.True(I32F32.TryMultiply(I32F32.FromInt(3), Half, out var product));
        Assert.Equal(I32F32.FromBits(3L << 31), product);
    }

    [Fact]
    public void Safe_division_by_zero_is_zero_and_plain_division_throws()
    {
        Assert.Equal(I32F32.Zero, I32F32.FromInt(7).SafeDiv(I32F32.Zero));
        Assert.Throws<DivideByZeroException>(() => I32F32.FromInt(7) / I32F32.Zero);
        Assert.Equal(I64F64.Zero, I64F64.FromUInt(7).SafeDiv(I64F64.Zero));
    }

    [Fact]
    public void Proportion_to_u16_floors_x_times_65535()
    {
        Assert.Equal(65535, I32F32.One.ToU16Proportion());
        Assert.Equal(32767, Half.ToU16Proportion());
        Assert.Equal(1023, (I32F32.One / I32F32.FromInt(64)).ToU16Proportion());
        Assert.Equal(0, I32F32.Zero.ToU16Proportion());
        Assert.Equal(65535, I32F32.FromInt(3).ToU16Proportion());
    }

    [Fact]
    public void U16_to_proportion_divides_by_65535()
    {
        Assert.Equal(I32F32.One, I32F32.FromU16Proportion(65535));
        Assert.Equal(2_147_450_879, I32F32.FromU16Proportion(32767).Bits);
        Assert.Equal(32766, I32F32.FromU16Proportion(32767).ToU16Proportion());
    }

    [Fact]
    public void Narrowing_I64F64_to_I32F32_drops_the_low_bits()
    {
        var third = I64F64.FromUInt(1) / I64F64.FromUInt(3);
        Assert.Equal((Int128)6_148_914_691_236_517_205, third.Bits);
        Assert.Equal(1_431_655_765, third.ToI32F32().Bits);
        Assert.Equal(-1, I64F64.FromBits(-1).ToI32F32().Bits);
        Assert.Equal(I32F32.MaxValue, I64F64.FromUInt(1UL << 40).ToI32F32());
    }

    [Fact]
    public void To_integer_floors()
    {
        Assert.Equal(-1, I32F32.FromBits(-1).Floor());
        Assert.Equal(2, I32F32.FromBits((2L << 32) + (1L << 32) - 1).Floor());
        Assert.Equal(7UL, I96F32.FromBits(((Int128)7 << 32) + 123).SaturatingToUInt64());
        Assert.Equal(0UL, I96F32.FromBits(-1).SaturatingToUInt64());
    }

    [Fact]
    public void Round_is_half_away_from_zero()
    {
        Assert.Equal(I32F32.FromInt(3), (I32F32.FromInt(2) + Half).Round());
        Assert.Equal(I32F32.FromInt(-3), (I32F32.FromInt(-2) - Half).Round());
        Assert.Equal(I32F32.FromInt(2), (I32F32.FromInt(2) + Half - I32F32.FromBits(1)).Round());
    }

    [Fact]
    public void Tenth_of_stake_pays_99_999_999_of_a_billion_rao()
    {
        // Spec §6: normalised stake 0.1 (I64F64 then narrowed) times 10^9 rao floors to 99 999 999.
        var tenth = (I64F64.FromUInt(1) / I64F64.FromUInt(10)).ToI32F32();
        Assert.Equal(429_496_729, tenth.Bits);
        Assert.Equal(99_999_999UL, (I96F32.From(tenth) * I96F32.FromUInt(1_000_000_000)).SaturatingToUInt64());
        Assert.Equal(ulong.MaxValue, (I96F32.FromUInt(ulong.MaxValue) * I96F32.FromUInt(3)).SaturatingToUInt64());
    }

    [Fact]
    public void Exp_follows_the_series_and_clamps_its_input()
    {
        Assert.Equal(I32F32.One, FixedExp.ExpSafe(I32F32.Zero));
        // e · 2^32 = 11 674 931 554.54; the truncated 32-term series lands within a few units of the last place.
        Assert.InRange(FixedExp.ExpSafe(I32F32.One).Bits, 11_674_931_540, 11_674_931_555);
        Assert.Equal(I32F32.One / FixedExp.ExpSafe(I32F32.FromInt(5)), FixedExp.ExpSafe(I32F32.FromInt(-5)));
        Assert.Equal(FixedExp.ExpSafe(I32F32.FromInt(20)), FixedExp.ExpSafe(I32F32.FromInt(100)));
        Assert.Equal(FixedExp.ExpSafe(I32F32.FromInt(-20)), FixedExp.ExpSafe(I32F32.FromInt(-100)));
    }

    [Fact]
    public void Decimal_text_is_exact()
    {
        Assert.Equal("0.5", Half.ToString());
        Assert.Equal("-1", (I32F32.Zero - I32F32.One).ToString());
    }

    [Fact]
    public void Multiply_divide_add_and_subtract_agree_with_a_BigInteger_reference()
    {
        var random = new Random(32);
        static long Clamp(BigInteger value) =>
            value > long.MaxValue ? long.MaxValue
            : value < long.MinValue ? long.MinValue
            : (long)value;
        // Full-range operands exercise saturation; operands in [0, 2^33] are the epoch's range and its fast path;
        // whole numbers (including −1, 1 and long.MinValue) take the integer-divisor path.
        long Operand() =>
            random.Next(5) switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => random.NextInt64(0, 1L << 33),
                2 => random.NextInt64(-(1L << 40), 1L << 40),
                3 => random.NextInt64(-(1L << 20), 1L << 20) << 32,
                _ => random.Next(3) switch
                {
                    0 => -(1L << 32),
                    1 => 1L << 32,
                    _ => long.MinValue,
                },
            };
        for (var k = 0; k < 200_000; k++)
        {
            long a = Operand(),
                b = Operand();
            var x = I32F32.FromBits(a);
            var y = I32F32.FromBits(b);
            Assert.Equal(Clamp(((BigInteger)a * b) >> 32), (x * y).Bits);
            Assert.Equal(Clamp((BigInteger)a + b), (x + y).Bits);
            Assert.Equal(Clamp((BigInteger)a - b), (x - y).Bits);
            if (b != 0)
                Assert.Equal(Clamp(((BigInteger)a << 32) / b), (x / y).Bits);
        }
    }

    [Fact]
    public void Reciprocal_fast_path_agrees_with_a_BigInteger_reference()
    {
        var random = new Random(64);
        static long Clamp(BigInteger value) =>
            value > long.MaxValue ? long.MaxValue
            : value < long.MinValue ? long.MinValue
            : (long)value;
        long[] edges =
        [
            1,
            2,
            3,
            1L << 32,
            (1L << 32) - 1,
            (1L << 32) + 1,
            1L << 31,
            long.MaxValue,
            long.MaxValue - 1,
            6_700_417,
            641,
        ];
        var divisors = edges.Concat(
            Enumerable
                .Range(0, 200_000)
                .Select(k =>
                    (k % 3) switch
                    {
                        0 => random.NextInt64(1, long.MaxValue),
                        1 => random.NextInt64(1, 1L << 40),
                        _ => random.NextInt64(1, 1L << 20),
                    }
                )
        );
        foreach (var b in divisors)
        {
            var wide = ((BigInteger)1 << 64) / b;
            var expected = Clamp(wide);
            Assert.Equal(expected, (I32F32.One / I32F32.FromBits(b)).Bits);
            Assert.Equal(
                wide <= long.MaxValue,
                I32F32.TryDivide(I32F32.One, I32F32.FromBits(b), out var checkedResult)
            );
            Assert.Equal(expected, checkedResult.Bits);
        }
    }

    [Fact]
    public void Fast_exp_series_agrees_with_the_step_by_step_reference()
    {
        var random = new Random(128);
        long Operand() =>
            random.Next(4) switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => random.NextInt64(-(25L << 32), 25L << 32),
                2 => random.NextInt64(-(1L << 32), 1L << 32),
                _ => random.NextInt64(-(1L << 12), 1L << 12),
            };
        long[] edges =
        [
            0,
            1,
            -1,
            1L << 32,
            -(1L << 32),
            20L << 32,
            -(20L << 32),
            43L << 32,
            44L << 32,
            long.MaxValue,
            long.MinValue,
            long.MinValue + 1,
        ];
        foreach (var bits in edges.Concat(Enumerable.Range(0, 100_000).Select(_ => Operand())))
        {
            var operand = I32F32.FromBits(bits);
            var ok = FixedExp.TryExp(operand, out var fast);
            var referenceOk = FixedExp.TryExpReference(operand, out var reference);
            Assert.Equal(referenceOk, ok);
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void Shared_divisor_reciprocal_agrees_with_the_division_operator()
    {
        var random = new Random(256);
        long Operand() =>
            random.Next(5) switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => random.NextInt64(0, 1L << 33),
                2 => random.NextInt64(0, 1L << 12),
                3 => random.Next(3) switch
                {
                    0 => random.NextInt64(1, 3),
                    1 => random.NextInt64(0, 1L << 50),
                    _ => random.NextInt64(1L << 40, 1L << 60),
                },
                _ => random.Next(4) switch
                {
                    0 => uint.MaxValue,
                    1 => 1L << 32,
                    2 => 0,
                    _ => long.MaxValue,
                },
            };
        for (var k = 0; k < 50_000; k++)
        {
            var divisorBits = Operand();
            if (divisorBits == 0)
                continue;
            var divisor = I32F32.FromBits(divisorBits);
            var shared = new FixedDivisor(divisor);
            for (var m = 0; m < 10; m++)
            {
                var numerator = I32F32.FromBits(Operand());
                Assert.Equal((numerator / divisor).Bits, shared.Divide(numerator).Bits);
            }
            // The epoch's case: a share of its own column sum, including exact multiples and off-by-one remainders.
            if (divisorBits > 0)
                foreach (
                    var bits in new[]
                    {
                        divisorBits,
                        divisorBits - 1,
                        divisorBits / 2,
                        divisorBits / 3 + 1,
                        random.NextInt64(0, divisorBits),
                    }
                )
                {
                    var numerator = I32F32.FromBits(bits);
                    Assert.Equal((numerator / divisor).Bits, shared.Divide(numerator).Bits);
                }
        }
    }

    [Fact]
    public void U16_proportion_table_matches_the_division()
    {
        for (var v = 0; v <= ushort.MaxValue; v++)
            Assert.Equal(I32F32.FromU16ProportionByDivision((ushort)v), I32F32.FromU16Proportion((ushort)v));
    }

    [Fact]
    public void Sigmoid_evaluator_with_its_cache_matches_the_sigmoid()
    {
        var random = new Random(512);
        var low = I32F32.FromInt(45875).SafeDiv(I32F32.FromInt(65535));
        var high = I32F32.FromInt(58982).SafeDiv(I32F32.FromInt(65535));
        foreach (
            var steepness in new[] { I32F32.FromInt(1000), I32F32.FromInt(10), I32F32.FromInt(100_000), I32F32.Zero }
        )
        {
            var evaluator = new LiquidAlpha.Evaluator(low, high, steepness);
            I32F32 Value() =>
                random.Next(4) switch
                {
                    0 => I32F32.Zero,
                    1 => I32F32.FromBits(random.NextInt64(0, 1L << 32)),
                    2 => I32F32.FromBits(random.NextInt64(-(1L << 34), 1L << 34)),
                    _ => I32F32.FromBits(random.NextInt64(0, 1L << 8)),
                };
            for (var k = 0; k < 20_000; k++)
            {
                I32F32 c = Value(),
                    w = Value(),
                    b = Value();
                Assert.Equal(LiquidAlpha.Sigmoid(c, w, b, low, high, steepness), evaluator.Alpha(c, w, b));
            }
        }
    }

    [Fact]
    public void Sparse_ema_merge_matches_a_dense_scratch_row()
    {
        var random = new Random(1024);
        const int columns = 40;
        SparseEntry[] Row(bool sorted)
        {
            var picked = Enumerable.Range(0, columns).Where(_ => random.Next(3) == 0).ToList();
            if (!sorted && picked.Count > 1)
                (picked[0], picked[^1]) = (picked[^1], picked[0]);
            return picked
                .Select(c => new SparseEntry(
                    c,
                    I32F32.FromBits(random.Next(4) == 0 ? 0 : random.NextInt64(-(1L << 30), 1L << 33))
                ))
                .ToArray();
        }
        for (var k = 0; k < 2_000; k++)
        {
            var next = new[] { Row(random.Next(4) > 0), Row(true), [] };
            var old = new[] { Row(random.Next(4) > 0), [], Row(true) };
            var alpha = I32F32.FromBits(random.NextInt64(0, (1L << 32) + 1));
            var result = YumaMath.MatEmaSparse(next, old, alpha, columns);
            for (var i = 0; i < next.Length; i++)
            {
                var dense = new I32F32[columns];
                foreach (var e in next[i])
                    dense[e.Column] += alpha * e.Value;
                foreach (var e in old[i])
                    dense[e.Column] += (I32F32.One - alpha) * e.Value;
                var expected = Enumerable
                    .Range(0, columns)
                    .Where(c => dense[c] > I32F32.Zero)
                    .Select(c => new SparseEntry(c, dense[c]))
                    .ToArray();
                Assert.Equal(expected, result[i]);
            }
        }
    }
}
