using CsCheck;

namespace Veritensor.Core.Tests;

[UnitTest]
public sealed class AmountTests
{
    [Theory]
    [InlineData("1", 1_000_000_000UL)]
    [InlineData("0.5", 500_000_000UL)]
    [InlineData("12.000000001", 12_000_000_001UL)]
    [InlineData("0", 0UL)]
    [InlineData("18446744073.709551615", ulong.MaxValue)]
    public void Parses_token_text_to_exact_base_units(string text, ulong expected) =>
        Assert.Equal(expected, Amount.ParseTokens(text).BaseUnits);

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.0000000001")]
    [InlineData("1e9")]
    [InlineData("1.2.3")]
    [InlineData(".5")]
    [InlineData("18446744073.709551616")]
    public void Rejects_text_that_is_not_an_exact_amount(string text)
    {
        var e = Assert.Throws<FormatException>(() => Amount.ParseTokens(text));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addition_that_overflows_throws_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => new Amount(ulong.MaxValue) + new Amount(1));

    [Fact]
    public void Subtraction_below_zero_throws_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => new Amount(5) - new Amount(6));

    [Fact]
    public void Text_form_round_trips_every_amount() =>
        Gen.ULong.Sample(units => Assert.Equal(units, Amount.ParseTokens(new Amount(units).ToString()).BaseUnits));
}
