using CsCheck;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class OutputComparerTests
{
    private static readonly VerificationTolerance Default = VerificationTolerance.Default;

    private static NamedTensor[] Floats(params float[] values) =>
        [new NamedTensor("y", Tensor.FromFloats([values.Length], values))];

    [Fact]
    public void Within_tolerance_passes_and_reports_the_error()
    {
        var result = OutputComparer.Compare(Floats(1, 100), Floats(1.000005f, 100.005f), Default, sameProfile: false);
        Assert.True(result.Match, result.FirstMismatch);
        Assert.InRange(result.MaxAbsError, 0.004, 0.006);
        Assert.InRange(result.MaxRelError, 4e-6, 6e-5);
        Assert.True(result.MaxUlpDistance > 0);
    }

    [Fact]
    public void Beyond_tolerance_fails_naming_tensor_index_and_values()
    {
        var result = OutputComparer.Compare(Floats(1, 2, 3), Floats(1, 2.1f, 3.5f), Default, sameProfile: false);
        Assert.False(result.Match);
        Assert.Equal("output 'y' element 1: expected 2, got 2.1", result.FirstMismatch);
    }

    [Fact]
    public void Same_profile_demands_bit_identity()
    {
        var nextUp = MathF.BitIncrement(1f);
        Assert.True(OutputComparer.Compare(Floats(1), Floats(nextUp), Default, sameProfile: false).Match);
        var strict = OutputComparer.Compare(Floats(1), Floats(nextUp), Default, sameProfile: true);
        Assert.False(strict.Match);
        Assert.Equal(1UL, strict.MaxUlpDistance);
    }

    [Fact]
    public void Ulps_alone_can_pass_tiny_values_that_relative_tolerance_would_not()
    {
        var tolerance = new VerificationTolerance(0, 0, 4);
        var tiny = 1e-30f;
        Assert.True(
            OutputComparer
                .Compare(Floats(tiny), Floats(MathF.BitIncrement(MathF.BitIncrement(tiny))), tolerance, false)
                .Match
        );
        Assert.False(OutputComparer.Compare(Floats(tiny), Floats(tiny * 1.01f), tolerance, false).Match);
    }

    [Fact]
    public void NaN_matches_NaN_and_infinities_must_be_equal()
    {
        Assert.True(OutputComparer.Compare(Floats(float.NaN), Floats(float.NaN), Default, false).Match);
        Assert.False(OutputComparer.Compare(Floats(float.NaN), Floats(0), Default, false).Match);
        Assert.True(
            OutputComparer.Compare(Floats(float.PositiveInfinity), Floats(float.PositiveInfinity), Default, false).Match
        );
        Assert.False(
            OutputComparer.Compare(Floats(float.PositiveInfinity), Floats(float.NegativeInfinity), Default, false).Match
        );
        Assert.False(
            OutputComparer.Compare(Floats(float.MaxValue), Floats(float.PositiveInfinity), Default, false).Match
        );
    }

    [Fact]
    public void Integers_bools_and_strings_compare_exactly_even_with_a_wide_tolerance()
    {
        var wide = VerificationTolerance.FromDoubles(100, 1, 1000);
        Assert.False(
            OutputComparer
                .Compare([new("i", Tensor.FromInt64s([1], [5]))], [new("i", Tensor.FromInt64s([1], [6]))], wide, false)
                .Match
        );
        Assert.False(
            OutputComparer
                .Compare(
                    [new("b", Tensor.FromBools([1], [true]))],
                    [new("b", Tensor.FromBools([1], [false]))],
                    wide,
                    false
                )
                .Match
        );
        Assert.False(
            OutputComparer
                .Compare(
                    [new("s", Tensor.FromStrings([1], ["a"]))],
                    [new("s", Tensor.FromStrings([1], ["A"]))],
                    wide,
                    false
                )
                .Match
        );
        Assert.True(
            OutputComparer
                .Compare(
                    [new("s", Tensor.FromStrings([1], ["a"]))],
                    [new("s", Tensor.FromStrings([1], ["a"]))],
                    wide,
                    false
                )
                .Match
        );
    }

    [Fact]
    public void Half_precision_types_use_their_own_ulps()
    {
        var one = (Half)1;
        var next = Half.BitIncrement(one);
        var expected = new NamedTensor[] { new("h", Tensor.FromHalves([1], [one])) };
        var actual = new NamedTensor[] { new("h", Tensor.FromHalves([1], [next])) };
        var result = OutputComparer.Compare(expected, actual, new VerificationTolerance(0, 0, 1), false);
        Assert.True(result.Match);
        Assert.Equal(1UL, result.MaxUlpDistance);
        Assert.False(OutputComparer.Compare(expected, actual, VerificationTolerance.Exact, false).Match);
    }

    [Fact]
    public void Structural_differences_are_mismatches()
    {
        Assert.Contains(
            "expected 1 outputs, got 2",
            OutputComparer
                .Compare(Floats(1), [.. Floats(1), new("z", Tensor.FromFloats([1], [1]))], Default, false)
                .FirstMismatch
        );
        Assert.Contains(
            "expected 'y', got 'z'",
            OutputComparer.Compare(Floats(1), [new("z", Tensor.FromFloats([1], [1]))], Default, false).FirstMismatch
        );
        Assert.Contains(
            "expected float32[2], got float32[1,2]",
            OutputComparer
                .Compare(Floats(1, 2), [new("y", Tensor.FromFloats([1, 2], [1, 2]))], Default, false)
                .FirstMismatch
        );
        Assert.Contains(
            "got float64[1]",
            OutputComparer.Compare(Floats(1), [new("y", Tensor.FromDoubles([1], [1]))], Default, false).FirstMismatch
        );
    }

    [Fact]
    public void Property_a_tensor_always_matches_itself() =>
        Gen
            .Float.Array[0, 64]
            .Sample(values =>
            {
                var tensors = Floats(values);
                return OutputComparer.Compare(tensors, tensors, Default, false).Match
                    && OutputComparer.Compare(tensors, tensors, VerificationTolerance.Exact, true).Match;
            });

    [Fact]
    public void Property_perturbing_one_element_beyond_the_bound_is_always_found() =>
        Gen.Select(Gen.Float[-1000f, 1000f].Array[1, 64], Gen.Int[0, 63], Gen.Bool)
            .Sample(
                (values, pick, up) =>
                {
                    var index = pick % values.Length;
                    var bound = Default.Absolute + (Default.Relative * Math.Abs(values[index]));
                    var perturbed = (float[])values.Clone();
                    var delta = (float)((2 * bound) + 1e-3);
                    perturbed[index] = up ? values[index] + delta : values[index] - delta;
                    var result = OutputComparer.Compare(Floats(values), Floats(perturbed), Default, false);
                    return !result.Match
                        && result.FirstMismatch!.StartsWith($"output 'y' element {index}:", StringComparison.Ordinal);
                }
            );

    [Fact]
    public void Property_ulp_distance_is_symmetric_and_zero_only_for_equal_values()
    {
        Gen.Select(Gen.Float, Gen.Float).Sample((a, b) => UlpDistance.Between(a, b) == UlpDistance.Between(b, a));
        Gen.Select(Gen.Double, Gen.Double).Sample((a, b) => UlpDistance.Between(a, b) == UlpDistance.Between(b, a));
        Gen.Float[-1e30f, 1e30f]
            .Sample(a => UlpDistance.Between(a, MathF.BitIncrement(a)) == 1 && UlpDistance.Between(a, a) == 0);
        Assert.Equal(0UL, UlpDistance.Between(0f, -0f));
        Assert.Equal(2UL, UlpDistance.Between(float.Epsilon, -float.Epsilon));
    }
}
