using Veritensor.Ledger.Inference;
using Veritensor.Samples;

namespace Veritensor.Node.Tests.Inference;

/// <summary>The SDK sample (samples/VerifiedInference) runs against a devnet: a verified answer, recorded final on the ledger.</summary>
[NetworkTest]
public sealed class SampleTests
{
    [Fact]
    public async Task The_sample_gets_a_verified_answer_and_sees_it_final_on_the_ledger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync();
        using var user = network.User("alice");
        using var output = new StringWriter();

        var result = await SampleRun.RunAsync(
            new Uri(network.GatewayUrl),
            new Uri(network.Ledger.Url),
            user,
            output,
            ct
        );

        Assert.True(result.IsVerified);
        Assert.Equal(VerificationMode.Full, result.Mode);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            2,
            lines.Count(l =>
                l.StartsWith("verifier  ", StringComparison.Ordinal) && l.EndsWith(": Match", StringComparison.Ordinal)
            )
        );
        Assert.StartsWith("ledger    final in block ", lines[^1], StringComparison.Ordinal);
    }
}
