using Veritensor.Cli;

namespace Veritensor.Node.Tests;

/// <summary>The CLI's percentage to u16 take conversion: floor(P × 65535 / 100) on integers, at most 11796.</summary>
[UnitTest]
public sealed class TakePercentTests
{
    [Theory]
    [InlineData("18", 11_796)] // 1179630 / 100 = 11796.3
    [InlineData("9.5", 6_225)] // 95 × 65535 / 1000 = 6225.825
    [InlineData("0", 0)]
    [InlineData("0.0", 0)]
    [InlineData("10", 6_553)] // 6553.5
    [InlineData("1.25", 819)] // 125 × 65535 / 10000 = 819.1875
    public void A_percentage_converts_exactly(string text, int expected) =>
        Assert.Equal((ushort)expected, TakePercent.Parse(text, "--take-percent"));

    [Theory]
    [InlineData("18.01")]
    [InlineData("100")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e1")]
    [InlineData("")]
    public void Out_of_range_or_malformed_percentages_are_rejected(string text) =>
        Assert.Throws<CliException>(() => TakePercent.Parse(text, "--take-percent"));
}
