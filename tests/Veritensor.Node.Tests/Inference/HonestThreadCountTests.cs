using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// Inference nodes with 2 intra-op threads and verifiers with 1 run different execution profiles, so their outputs
/// compare under the model's tolerance rather than bit for bit; an honest node must never be flagged for that.
/// </summary>
[NetworkTest]
public sealed class HonestThreadCountTests
{
    [Fact]
    public async Task An_honest_executor_with_another_thread_count_is_verified_every_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync(
            (node, options) => options.IntraOpThreads = node.Role == ServerRole.Inference ? 2 : 1
        );
        using var client = network.Client();
        using var user = network.User("bob");
        var random = new Random(20261125);

        var results = new List<VerifiedInference>();
        for (var i = 0; i < 20; i++)
        {
            // Varied magnitudes, signs and batch sizes.
            var rows = 1 + (i % 4);
            var values = Enumerable
                .Range(0, rows * 8)
                .Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4))))
                .ToArray();
            var input = new NamedTensor("features", Tensor.FromFloats([rows, 8], values));
            var result = await client.InferAsync(
                user,
                DevnetInference.DemoModelName,
                [input],
                new InferenceOptions { Mode = VerificationMode.Full },
                ct
            );
            Assert.Equal(InferenceStates.Verified, result.State);
            Assert.Equal(2, result.Attestations.Count);
            Assert.All(result.Attestations, a =>
            {
                Assert.Equal(AttestationVerdict.Match, a.Verdict);
                // The profiles differ, so the match was judged under the tolerance, not by equal profile hashes.
                Assert.NotEqual(result.Receipt.ProfileHash, a.VerifierProfileHash);
            });
            results.Add(result);
        }
        foreach (var result in results)
        {
            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Null(final.Error);
            var record = await network.Ledger.Client.GetInferenceRecordAsync(result.RequestId, ct);
            Assert.Equal(2, record.Matches);
            Assert.Equal(0, record.Mismatches);
        }
    }
}
