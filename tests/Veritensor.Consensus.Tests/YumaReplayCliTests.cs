using System.Text.Json;
using System.Text.Json.Nodes;
using Veritensor.Cli;
using Veritensor.Cli.Yuma;

namespace Veritensor.Consensus.Tests;

/// <summary><c>veritensor yuma replay</c> end to end through the command tree.</summary>
[NetworkTest]
public sealed class YumaReplayCliTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Replay_of_the_public_file_prints_one_line_per_step_matching_expect_and_the_reference_model()
    {
        var (code, output, error) = await Run("yuma", "replay", VectorsFile.Path);
        Assert.True(code == 0, error);
        var cases = YumaCaseReader.Parse(VectorsFile.Text);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Sum(c => c.Steps.Count), lines.Length);
        var compared = 0;
        var k = 0;
        foreach (var yumaCase in cases)
        {
            for (var s = 0; s < yumaCase.Steps.Count; s++, k++)
            {
                using var line = JsonDocument.Parse(lines[k]);
                var root = line.RootElement;
                Assert.Equal(
                    [
                        "case",
                        "step",
                        "block",
                        "dividends_u16",
                        "incentive_u16",
                        "consensus_u16",
                        "validator_trust_u16",
                        "emission",
                        "server_emission",
                        "validator_emission",
                        "new_validator_permit",
                        "bonds_u16_after",
                    ],
                    root.EnumerateObject().Select(p => p.Name)
                );
                Assert.Equal(yumaCase.Name, root.GetProperty("case").GetString());
                Assert.Equal(s, root.GetProperty("step").GetInt32());
                var step = yumaCase.Steps[s];
                if (step.Expect is { } expect)
                    compared += ExpectChecker.CheckExpect(root, expect, $"{yumaCase.Name} step {s}");
                if (step.Derived is { } derived)
                    compared += ExpectChecker.CheckDerived(root, derived, $"{yumaCase.Name} step {s}");
            }
        }
        Assert.True(compared > 100, $"only {compared} values compared");
    }

    [Fact]
    public async Task A_malformed_file_is_rejected_with_the_path_of_the_bad_value()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"yuma-{Guid.NewGuid():N}.json");
        try
        {
            var broken = VectorsFile.Text.Replace(
                "\"kappa_u16\": 32767",
                "\"kappa_u16\": 0.5",
                StringComparison.Ordinal
            );
            Assert.NotEqual(VectorsFile.Text, broken);
            await File.WriteAllTextAsync(path, broken, TestContext.Current.CancellationToken);
            var (code, output, error) = await Run("yuma", "replay", path);
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Contains(
                "hyperparameters.kappa_u16: expected an integer 0..65535, got number 0.5",
                error,
                StringComparison.Ordinal
            );

            await File.WriteAllTextAsync(path, "{\"cases\": [", TestContext.Current.CancellationToken);
            (code, _, error) = await Run("yuma", "replay", path);
            Assert.Equal(1, code);
            Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_stored_u16_that_max_upscale_does_not_produce_is_reported()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"yuma-{Guid.NewGuid():N}.json");
        try
        {
            // classic_outdated_weights_after_replacement, step 1, uid 0 submits [43690, 21845], stored as [65535, 32768].
            var root = JsonNode.Parse(VectorsFile.Text)!;
            var stored = root["cases"]![1]!["steps"]![1]!["actions"]![0]!["stored_u16"]!;
            Assert.Equal(32768, stored[1]!.GetValue<int>());
            stored[1] = 32767;
            await File.WriteAllTextAsync(path, root.ToJsonString(), TestContext.Current.CancellationToken);
            var (code, _, error) = await Run("yuma", "replay", path);
            Assert.Equal(1, code);
            Assert.Contains(
                "max-upscale of values_submitted [43690, 21845] gives [65535, 32768], but stored_u16 is [65535, 32767]",
                error,
                StringComparison.Ordinal
            );
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var (code, _, error) = await Run("yuma", "replay", "/nonexistent/vectors.json");
        Assert.Equal(1, code);
        Assert.Contains("cannot read /nonexistent/vectors.json", error, StringComparison.Ordinal);
    }
}
