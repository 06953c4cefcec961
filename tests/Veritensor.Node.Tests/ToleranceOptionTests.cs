using Veritensor.Cli;
using Veritensor.Cli.Commands;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests;

/// <summary>`model publish --tolerance` in one option: "exact" or ATOL,RTOL[,ULPS].</summary>
[UnitTest]
public sealed class ToleranceOptionTests
{
    [Fact]
    public void Exact_and_numeric_forms_parse_to_the_ledger_units()
    {
        Assert.Equal(VerificationTolerance.Exact, ModelRegistryCommands.ParseTolerance("exact"));
        Assert.Equal(
            new VerificationTolerance(1_000_000, 20_000_000, 64),
            ModelRegistryCommands.ParseTolerance("1e-6, 2e-5")
        );
        Assert.Equal(new VerificationTolerance(0, 1_000, 7), ModelRegistryCommands.ParseTolerance("0,1e-9,7"));
    }

    [Theory]
    [InlineData("loose")]
    [InlineData("1e-5")]
    [InlineData("1e-5,1e-4,many")]
    [InlineData("1e-5,1e-4,64,1")]
    public void Malformed_tolerances_are_refused_with_the_expected_form(string text)
    {
        var error = Assert.Throws<CliException>(() => ModelRegistryCommands.ParseTolerance(text));
        Assert.Contains("ATOL,RTOL", error.Message, StringComparison.Ordinal);
    }
}
