using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Inference.Blobs;
using Veritensor.Inference.Execution;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Node.Roles.Verification;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// verifier-0 is lazy (it attests a match without running anything). Ordinary requests with an honest executor
/// cannot tell it from an honest verifier; an audit, which shows it a planted wrong output, catches and slashes it.
/// </summary>
[NetworkTest]
public sealed class LazyVerifierAuditTests : IAsyncLifetime
{
    private const string LazyNode = "verifier-0";
    private InferenceNetwork _network = null!;

    public async ValueTask InitializeAsync() =>
        _network = await InferenceNetwork.StartAsync(
            configureServices: (node, services) =>
            {
                if (node.Name == LazyNode)
                    services.AddSingleton<IVerifier, LazyVerifier>();
            }
        );

    public async ValueTask DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task An_audit_catches_the_lazy_verifier_and_the_ledger_slashes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var (lazy, owner) = await NodeAsync(LazyNode);
        var stakeBefore = await LedgerReads.StakeAsync(_network.Ledger, owner, lazy.Hotkey);
        var parameters = await _network.LedgerClient.GetParametersAsync(ct);
        var reporter = DevnetSetup.ColdkeyOf("gateway").Address;
        // The review's attack: another coldkey's stake weights the lazy verifier, and it leaves as soon as it likes.
        // Here the nominator even starts to withdraw before the audit; the stake is still at risk until released.
        using var nominator = _network.User("charlie");
        var nominated = Amount.FromTokens(500);
        foreach (
            var payload in new[]
            {
                new StakePayload(TransactionKind.AddStake, lazy.Hotkey, nominated),
                new StakePayload(TransactionKind.RemoveStake, lazy.Hotkey, nominated),
            }
        )
        {
            var sent = await _network.LedgerClient.SubmitAsync(nominator, payload, ct);
            var landed = await _network.LedgerClient.WaitAsync(sent, ct);
            Assert.True(landed.Included, landed.Error);
        }
        var reporterBefore = await LedgerReads.BalanceAsync(_network.Ledger, reporter);

        var outcome = await AuditAsync(lazy);

        Assert.False(outcome.Passed);
        Assert.Equal(lazy.Hotkey, outcome.Verifier);
        Assert.NotNull(outcome.Report);
        Assert.True(outcome.Report.Included, outcome.Report.Error);
        Assert.NotNull(outcome.Resolution);
        Assert.True(outcome.Resolution.Included, outcome.Resolution.Error);
        var slash = InferenceParameters.Share(stakeBefore, parameters.SlashBps);
        Assert.Equal(stakeBefore - slash, await LedgerReads.StakeAsync(_network.Ledger, owner, lazy.Hotkey));
        var nominatorSlash = InferenceParameters.Share(nominated, parameters.SlashBps);
        Assert.Equal(
            nominated - nominatorSlash,
            await LedgerReads.StakeAsync(_network.Ledger, nominator.Address, lazy.Hotkey)
        );

        // The ledger holds the audit dispute: the gateway reported the lazy verifier as the one matcher, and the quorum proved the output wrong.
        Assert.NotNull(outcome.DisputeId);
        var dispute = await LedgerReads.DisputeAsync(_network.Ledger, outcome.DisputeId.Value);
        Assert.Equal("outputwrong", dispute.Outcome);
        Assert.Null(dispute.Executor);
        Assert.Equal(reporter.ToString(), dispute.Reporter);
        Assert.Equal(lazy.Hotkey.ToString(), Assert.Single(dispute.Matchers));
        Assert.Empty(dispute.Mismatchers);
        // The reporter gets its bond back plus both slashes, and paid the fees of its two transactions (report,
        // resolution) and what they burn for their bytes and the state they add (the dispute), a small charge.
        var minFee = Amount.ParseTokens((await _network.Ledger.Client.GetStatusAsync(ct)).MinFee);
        var burned =
            reporterBefore
            + slash
            + nominatorSlash
            - minFee
            - minFee
            - await LedgerReads.BalanceAsync(_network.Ledger, reporter);
        Assert.InRange(burned.BaseUnits, 1UL, Amount.ParseTokens("0.01").BaseUnits);
    }

    [Fact]
    public async Task An_honest_verifier_passes_the_same_audit_and_keeps_its_stake()
    {
        var (honest, owner) = await NodeAsync("verifier-1");
        var stakeBefore = await LedgerReads.StakeAsync(_network.Ledger, owner, honest.Hotkey);

        var outcome = await AuditAsync(honest);

        Assert.True(outcome.Passed);
        Assert.True(outcome.Committed);
        Assert.Null(outcome.Report);
        Assert.Null(outcome.Resolution);
        Assert.Equal(stakeBefore, await LedgerReads.StakeAsync(_network.Ledger, owner, honest.Hotkey));
    }

    [Fact]
    public async Task Ordinary_requests_with_an_honest_executor_do_not_expose_the_lazy_verifier()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _network.Client();
        using var user = _network.User("bob");
        var (lazy, owner) = await NodeAsync(LazyNode);
        var stakeBefore = await LedgerReads.StakeAsync(_network.Ledger, owner, lazy.Hotkey);

        // Fixed nonces; go on until the ledger's draw picked the lazy verifier three times (it holds 1/5 of the verifier stake).
        var withLazy = new List<VerifiedInference>();
        for (ulong nonce = 1; withLazy.Count < 3; nonce++)
        {
            Assert.True(nonce <= 60, "the lazy verifier was drawn fewer than 3 times in 60 full-mode requests");
            var input = new NamedTensor("features", Tensor.FromFloats([1, 8], [nonce, 1, 2, 3, 4, 5, 6, 7]));
            var result = await client.InferAsync(
                user,
                DevnetInference.DemoModelName,
                [input],
                new InferenceOptions { Mode = VerificationMode.Full, Nonce = nonce },
                ct
            );
            Assert.Equal(InferenceStates.Verified, result.State);
            Assert.All(result.Attestations, a => Assert.Equal(AttestationVerdict.Match, a.Verdict));
            if (result.Attestations.Any(a => a.Verifier == lazy.Hotkey))
                withLazy.Add(result);
        }
        foreach (var result in withLazy)
        {
            var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
            Assert.Equal(InferenceStates.Final, final.State);
            Assert.Equal(0, (await _network.Ledger.Client.GetInferenceRecordAsync(result.RequestId, ct)).Mismatches);
        }
        Assert.Equal(stakeBefore, await LedgerReads.StakeAsync(_network.Ledger, owner, lazy.Hotkey));
        // It was paid for work it never did: it ran nothing.
        var lazyVerifier = (LazyVerifier)_network.Roles.ServicesOf(LazyNode).GetRequiredService<IVerifier>();
        Assert.True(lazyVerifier.Committed >= withLazy.Count);
    }

    private async Task<(LedgerNode Node, Core.Crypto.Address Owner)> NodeAsync(string name)
    {
        var wallet = _network.Ledger.Layout.Nodes.Single(n => n.Name == name).Wallet;
        var registered = await _network.LedgerClient.GetNodeAsync(
            DevnetSetup.HotkeyOf(wallet).Address,
            fresh: true,
            TestContext.Current.CancellationToken
        );
        Assert.NotNull(registered);
        return (registered.Value.Node, DevnetSetup.ColdkeyOf(wallet).Address);
    }

    /// <summary>Has the gateway audit <paramref name="verifier"/> with the demo input, whose correct outputs are computed here.</summary>
    private async Task<AuditOutcome> AuditAsync(LedgerNode verifier)
    {
        var ct = TestContext.Current.CancellationToken;
        var model = await _network.LedgerClient.FindModelAsync(
            DevnetInference.DemoModelName + "@" + DevnetInference.DemoModelVersion,
            ct
        );
        Assert.NotNull(model);
        using var local = new OnnxExecutor();
        local.Load(
            model.ContentId,
            _network.Ledger.Services.GetRequiredService<BlobStore>().ReadAllBytes(model.ContentId)
        );
        var input = DevnetInference.DemoInput();
        var known = local.Run(model.ContentId, [input]);
        var audits = _network.Roles.ServicesOf("gateway").GetRequiredService<AuditService>();
        return await audits.AuditAsync(verifier, model, [input], known, ct);
    }
}
