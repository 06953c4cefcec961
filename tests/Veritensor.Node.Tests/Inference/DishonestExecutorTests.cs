using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Roles;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// Both inference nodes lie (they change the first output element by +0.5 and sign it). Full verification catches
/// every lie, a quorum proves it and the executor is slashed; sampled verification catches exactly the drawn requests.
/// </summary>
[NetworkTest]
public sealed class DishonestExecutorTests
{
    private const string ModelRef = DevnetInference.DemoModelName + "@" + DevnetInference.DemoModelVersion;

    private static Task<InferenceNetwork> StartDishonestAsync(GenesisInference? inference = null) =>
        InferenceNetwork.StartAsync(
            configureServices: (node, services) =>
            {
                if (node.Role == ServerRole.Inference)
                    PerturbingModelRunner.Install(services);
            },
            inference: inference
        );

    private static NamedTensor Input(int i) =>
        new("features", Tensor.FromFloats([1, 8], [i, 0.5f, -1, 2, 0.25f * i, -3, 1.5f, 0]));

    [Fact]
    public async Task Full_mode_catches_every_lie_slashes_the_executor_and_refunds_the_price()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var network = await StartDishonestAsync();
        using var client = network.Client();
        using var user = network.User("bob");
        var parameters = await network.LedgerClient.GetParametersAsync(ct);
        var verificationFee = parameters.VerificationFee(DevnetInference.DemoModelPrice);
        var userBefore = await LedgerReads.BalanceAsync(network.Ledger, user.Address);
        var owners = Enumerable
            .Range(0, DevnetSetup.InferenceNodes)
            .Select(i => $"inference-{i}")
            .ToDictionary(w => DevnetSetup.HotkeyOf(w).Address, w => DevnetSetup.ColdkeyOf(w).Address);

        var verifierOwners = network
            .Ledger.Layout.Nodes.Where(n => n.Role == ServerRole.Verifier)
            .ToDictionary(
                n => DevnetSetup.HotkeyOf(n.Wallet).Address.ToString(),
                n => DevnetSetup.ColdkeyOf(n.Wallet).Address
            );
        var payees = verifierOwners.Values.Concat(owners.Values).Append(InferenceParameters.Treasury).ToArray();

        const int requests = 4;
        for (var i = 0; i < requests; i++)
        {
            var balancesBefore = new Dictionary<Core.Crypto.Address, Amount>();
            foreach (var payee in payees)
                balancesBefore[payee] = await LedgerReads.BalanceAsync(network.Ledger, payee);
            var result = await client.InferAsync(
                user,
                ModelRef,
                [Input(i)],
                new InferenceOptions { Mode = VerificationMode.Full },
                ct
            );
            Assert.Equal(InferenceStates.Disputed, result.State);
            Assert.Equal(parameters.FullVerifiers, result.Attestations.Count);
            Assert.All(result.Attestations, a => Assert.Equal(AttestationVerdict.Mismatch, a.Verdict));
            var executor = result.Receipt.Executor;
            var stakeBefore = await LedgerReads.StakeAsync(network.Ledger, owners[executor], executor);

            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(60), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Null(final.Error);
            var dispute = await LedgerReads.DisputeAsync(network.Ledger, result.RequestId);
            Assert.Equal("outputwrong", dispute.Outcome);
            Assert.Equal(executor.ToString(), dispute.Executor);
            Assert.Equal(2, dispute.Mismatchers.Count);
            Assert.Empty(dispute.Matchers);
            // The proven lie costs SlashBps of the stake the owner held on the executor's hotkey.
            var slash = InferenceParameters.Share(stakeBefore, parameters.SlashBps);
            Assert.Equal(stakeBefore - slash, await LedgerReads.StakeAsync(network.Ledger, owners[executor], executor));

            // The slash is shared equally by the 2 mismatchers and the 3 quorum members who voted mismatch (all 5 verifiers
            // here), the dust to the treasury; the mismatchers also get their verification fees; the liar's owner gets nothing.
            var each = new Amount(slash.BaseUnits / 5);
            var expected = payees.ToDictionary(p => p, p => balancesBefore[p]);
            foreach (var verifierOwner in verifierOwners.Values)
                expected[verifierOwner] += each;
            foreach (var mismatcher in dispute.Mismatchers)
                expected[verifierOwners[mismatcher]] += verificationFee;
            expected[InferenceParameters.Treasury] += slash - new Amount(each.BaseUnits * 5);
            foreach (var payee in payees)
                Assert.Equal(expected[payee], await LedgerReads.BalanceAsync(network.Ledger, payee));
        }
        // The user gets the escrow back except the two honest verifiers' fees: each lie costs it only their work.
        var expectedCost = new Amount(checked(verificationFee.BaseUnits * 2 * requests));
        Assert.Equal(userBefore - expectedCost, await LedgerReads.BalanceAsync(network.Ledger, user.Address));
    }

    [Fact]
    public async Task A_dispute_no_quorum_can_settle_expires_after_the_window_and_refunds_the_user_exactly_without_slashing()
    {
        var ct = TestContext.Current.CancellationToken;
        // A quorum of 9 needs 5 votes, more than the verifiers that did not attest (the devnet's 5 less the 2 drawn in full
        // mode), so every resolution lacks a majority; the gateway retries, then expires the dispute once 40 blocks (under a
        // second) pass.
        await using var network = await StartDishonestAsync(
            new GenesisInference { DisputeQuorum = 9, DisputeWindow = 40 }
        );
        using var client = network.Client();
        using var user = network.User("bob");
        var userBefore = await LedgerReads.BalanceAsync(network.Ledger, user.Address);
        var owners = Enumerable
            .Range(0, DevnetSetup.InferenceNodes)
            .Select(i => $"inference-{i}")
            .ToDictionary(w => DevnetSetup.HotkeyOf(w).Address, w => DevnetSetup.ColdkeyOf(w).Address);
        var stakesBefore = new Dictionary<Core.Crypto.Address, Amount>();
        foreach (var (hotkey, owner) in owners)
            stakesBefore[hotkey] = await LedgerReads.StakeAsync(network.Ledger, owner, hotkey);

        var result = await client.InferAsync(
            user,
            ModelRef,
            [Input(7)],
            new InferenceOptions { Mode = VerificationMode.Full },
            ct
        );
        Assert.Equal(InferenceStates.Disputed, result.State);
        Assert.All(result.Attestations, a => Assert.Equal(AttestationVerdict.Mismatch, a.Verdict));

        var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(60), ct);
        Assert.Equal(InferenceStates.Final, final.State);
        Assert.Null(final.Error);
        Assert.Equal("expired", final.Ledger?.DisputeOutcome);
        var dispute = await LedgerReads.DisputeAsync(network.Ledger, result.RequestId);
        Assert.Equal("expired", dispute.Outcome);
        Assert.True(
            ulong.Parse(dispute.ResolvedAt!, System.Globalization.CultureInfo.InvariantCulture)
                >= ulong.Parse(dispute.ExpirableFrom, System.Globalization.CultureInfo.InvariantCulture)
        );
        // Nobody was proven right or wrong: the whole escrowed fee is back with the user and no stake moved.
        Assert.Equal(userBefore, await LedgerReads.BalanceAsync(network.Ledger, user.Address));
        foreach (var (hotkey, owner) in owners)
            Assert.Equal(stakesBefore[hotkey], await LedgerReads.StakeAsync(network.Ledger, owner, hotkey));
    }

    [Fact]
    public async Task Sampled_mode_catches_exactly_the_drawn_requests_at_about_the_sampling_rate()
    {
        var ct = TestContext.Current.CancellationToken;
        // A quarter of requests drawn so that 200 requests measure the rate; a small slash keeps the liars staked throughout.
        const uint ratePpm = 250_000;
        await using var network = await StartDishonestAsync(
            new GenesisInference { SamplingRatePpm = ratePpm, SlashBps = 10 }
        );
        using var client = network.Client();
        using var user = network.User("charlie");
        var head = await network.LedgerClient.GetHeadAsync(ct);

        const int requests = 200;
        var drawn = new List<VerifiedInference>();
        for (var i = 0; i < requests; i++)
        {
            var result = await client.InferAsync(
                user,
                ModelRef,
                [Input(i)],
                new InferenceOptions { Mode = VerificationMode.Sampled, Nonce = 1_000_000UL + (ulong)i },
                ct
            );
            // The draw hangs on the gateway's signed ticket and the anchor block: anyone can recompute it from the ledger.
            Assert.True(
                DrawTicket.Verify(head.ChainId, result.RequestId, result.DrawTicket, result.Request.Request.Gateway)
            );
            var required = await network.LedgerClient.SelectVerifiersAsync(
                result.RequestId,
                result.Request.Request.AnchorHeight,
                result.DrawTicket,
                VerificationMode.Sampled,
                result.Receipt.Executor,
                ct
            );
            var isDrawn = required.Count > 0;
            Assert.Equal(isDrawn, result.Sampled);
            if (isDrawn)
            {
                Assert.Equal(InferenceStates.Disputed, result.State);
                var attestation = Assert.Single(result.Attestations);
                Assert.Equal(AttestationVerdict.Mismatch, attestation.Verdict);
                Assert.Equal(required[0].Hotkey, attestation.Verifier);
                drawn.Add(result);
            }
            else
            {
                Assert.Equal(InferenceStates.Returned, result.State);
                Assert.Empty(result.Attestations);
            }
        }

        // Binomial(200, 0.25): mean 50, sigma 6.1; 4 sigma either side.
        var p = ratePpm / 1_000_000.0;
        var sigma = Math.Sqrt(requests * p * (1 - p));
        Assert.InRange(drawn.Count, requests * p - 4 * sigma, requests * p + 4 * sigma);

        // Every caught lie is proven by a quorum.
        foreach (var result in drawn)
        {
            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(60), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Equal("outputwrong", (await LedgerReads.DisputeAsync(network.Ledger, result.RequestId)).Outcome);
        }
    }
}
