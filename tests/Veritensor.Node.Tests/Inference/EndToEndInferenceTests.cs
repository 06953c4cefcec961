using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Execution;
using Veritensor.Ledger.Inference;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// Publish, infer in every mode, and check what the user gets against a local run of the same model file, and
/// what the ledger records (states, fees and their split) on a real devnet of separate loopback servers.
/// </summary>
[NetworkTest]
public sealed class EndToEndInferenceTests
{
    [Fact]
    public async Task Every_mode_returns_the_outputs_of_a_local_run_with_checked_receipts_and_pays_the_fee_split()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync();
        using var client = network.Client();
        using var user = network.User("bob");
        var input = DevnetInference.DemoInput();

        // The reference: the same model file run in this process with the executor every node uses.
        var blobs = network.Ledger.Services.GetRequiredService<BlobStore>();
        using var local = new OnnxExecutor();
        local.Load(network.Roles.DemoModelId, blobs.ReadAllBytes(network.Roles.DemoModelId));
        var expected = local.Run(network.Roles.DemoModelId, [input]);

        var parameters = await network.LedgerClient.GetParametersAsync(ct);
        var price = DevnetInference.DemoModelPrice;
        var verificationFee = parameters.VerificationFee(price);
        var before = await BalanceAsync(network, user.Address);
        var spent = Amount.Zero;
        foreach (var mode in new[] { VerificationMode.None, VerificationMode.Sampled, VerificationMode.Full })
        {
            var result = await client.InferAsync(
                user,
                $"{DevnetInference.DemoModelName}@{DevnetInference.DemoModelVersion}",
                [input],
                new InferenceOptions { Mode = mode },
                ct
            );
            Assert.Equal(TensorHash.Compute(expected), TensorHash.Compute(result.Outputs));
            Assert.True(expected[0].Tensor.BitEquals(result.Outputs[0].Tensor));
            var expectedAttestations = mode switch
            {
                VerificationMode.Full => parameters.FullVerifiers,
                VerificationMode.Sampled => result.Sampled == true ? 1 : 0,
                _ => 0,
            };
            Assert.Equal(expectedAttestations, result.Attestations.Count);
            Assert.All(result.Attestations, a => Assert.Equal(AttestationVerdict.Match, a.Verdict));
            Assert.Equal(expectedAttestations > 0 ? InferenceStates.Verified : InferenceStates.Returned, result.State);
            Assert.Equal(price + new Amount(verificationFee.BaseUnits * (ulong)expectedAttestations), result.Fee);

            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Null(final.Error);
            Assert.NotNull(final.Ledger?.BlockHeight);
            spent += result.Fee;
        }
        Assert.Equal(before - spent, await BalanceAsync(network, user.Address));
    }

    /// <summary>The balance as the ledger holds it now (the gateway's client caches balances briefly).</summary>
    private static async Task<Amount> BalanceAsync(InferenceNetwork network, Core.Crypto.Address address) =>
        new(
            ulong.Parse(
                (
                    await network.Ledger.Client.GetAccountAsync(address, TestContext.Current.CancellationToken)
                ).BalanceBaseUnits,
                System.Globalization.CultureInfo.InvariantCulture
            )
        );

    [Fact]
    public async Task Batched_records_share_a_Merkle_root_whose_inclusion_proofs_verify()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await InferenceNetwork.StartAsync((node, options) => options.BatchSize = 3);
        using var client = network.Client();
        using var user = network.User("charlie");
        var results = new List<VerifiedInference>();
        for (var i = 0; i < 3; i++)
        {
            var input = new NamedTensor("features", Tensor.FromFloats([1, 8], [i, 1, 2, 3, 4, 5, 6, 7]));
            results.Add(
                await client.InferAsync(
                    user,
                    DevnetInference.DemoModelName,
                    [input],
                    new InferenceOptions { Mode = VerificationMode.Full, Record = "batch" },
                    ct
                )
            );
        }
        var finals = new List<InferenceApiResponse>();
        foreach (var result in results)
            finals.Add(await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct));
        Assert.All(finals, f => Assert.Equal(InferenceStates.Final, f.State));
        var root = finals[0].Ledger!.BatchRoot;
        Assert.NotNull(root);
        Assert.All(finals, f => Assert.Equal(root, f.Ledger!.BatchRoot));
        Assert.Equal(new[] { 0, 1, 2 }, finals.Select(f => f.Ledger!.LeafIndex!.Value).Order());
        foreach (var (final, result) in finals.Zip(results))
            Assert.True(result.VerifyInclusion(final.Ledger!));
        // The proof binds the record: one request's proof does not prove another's record.
        Assert.False(results[0].VerifyInclusion(finals[1].Ledger!));
    }
}
