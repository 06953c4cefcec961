using System.Text.Json;
using Veritensor.Cli.Yuma;

namespace Veritensor.Consensus.Tests;

/// <summary>Replays every public <c>epoch_sequence</c> case and checks every asserted and every reference-model value.</summary>
[UnitTest]
public sealed class EpochVectorTests
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in YumaCaseReader.Parse(VectorsFile.Text))
            names.Add(c.Name);
        return names;
    }

    [Fact]
    public void All_four_public_epoch_sequence_cases_are_read()
    {
        var names = YumaCaseReader.Parse(VectorsFile.Text).Select(c => c.Name).ToArray();
        Assert.Equal(
            [
                "classic_bonds_ema_sequence",
                "classic_outdated_weights_after_replacement",
                "ten_nodes_self_weights_only",
                "yuma3_stable_miner",
            ],
            names
        );
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Replay_reproduces_every_expected_and_reference_model_value(string name)
    {
        var yumaCase = YumaCaseReader.Parse(VectorsFile.Text).Single(c => c.Name == name);
        var outputs = YumaReplayer.Replay(yumaCase).ToArray();
        Assert.Equal(yumaCase.Steps.Count, outputs.Length);
        var compared = 0;
        for (var k = 0; k < outputs.Length; k++)
        {
            using var line = JsonDocument.Parse(outputs[k].ToJsonLine());
            var step = yumaCase.Steps[k];
            Assert.Equal(step.Block, line.RootElement.GetProperty("block").GetUInt64());
            if (step.Expect is { } expect)
                compared += ExpectChecker.CheckExpect(line.RootElement, expect, $"{name} step {k}");
            if (step.Derived is { } derived)
                compared += ExpectChecker.CheckDerived(line.RootElement, derived, $"{name} step {k}");
        }
        Assert.True(compared > 0, $"{name}: nothing was compared");
    }
}
