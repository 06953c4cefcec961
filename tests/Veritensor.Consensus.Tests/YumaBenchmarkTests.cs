using Veritensor.Cli.Bench;

namespace Veritensor.Consensus.Tests;

[UnitTest]
public sealed class YumaBenchmarkTests
{
    [Fact]
    public void A_small_benchmark_reports_both_variants_with_positive_timings()
    {
        var rows = YumaBenchmark.Run([(64, 8)], secondsPerMeasurement: 0.01);
        Assert.Equal(["classic", "yuma3+liquid-alpha"], rows.Select(r => r.Variant));
        Assert.All(rows, r =>
        {
            Assert.Equal(64, r.Uids);
            Assert.True(r.EpochMilliseconds > 0 && r.RowNormaliseMilliseconds > 0 && r.Epochs >= 3);
            Assert.Equal(r.EpochMilliseconds / r.RowNormaliseMilliseconds, r.RatioToRowNormalise);
        });
    }

    [Fact]
    public void The_benchmark_subnet_pays_miners_and_validators_after_its_first_epoch()
    {
        var input = YumaBenchmark.Subnet(64, 8, yuma3: false, liquidAlpha: false, seed: 1);
        var result = YumaEpoch.Run(input);
        // Dense weights over every uid: all miners earn incentive and every validator earns dividends.
        Assert.All(result.ServerEmission.Skip(8), v => Assert.True(v > 0));
        Assert.All(result.ValidatorEmission.Take(8), v => Assert.True(v > 0));
    }
}
