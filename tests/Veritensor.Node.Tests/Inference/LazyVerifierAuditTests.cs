using Microsoft.Extensions.DependencyInjection;
using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Node.Roles.Verification;
using Veritensor.Sdk;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// verifier-0 is lazy (it attests a match without running anything). Ordinary requests with an honest executor
/// cannot tell it from an honest verifier; a live audit, which shows a drawn verifier of a real request a planted wrong
/// output before the real one, catches and slashes it, and passes honest verifiers.
/// </summary>
[NetworkTest]
public sealed class LazyVerifierAuditTests : IAsyncLifetime
{
    private const string LazyNode = "verifier-0";
    private static readonly TimeSpan OutcomeWait = TimeSpan.FromSeconds(60);
    private InferenceNetwork? _started;

    private InferenceNetwork _network => _started ?? throw new InvalidOperationException("StartAsync first");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Starts the network with the lazy verifier; the gateway audits each drawn verifier with probability <paramref name="auditRate"/>.</summary>
    private async Task StartAsync(double auditRate) =>
        _started = await InferenceNetwork.StartAsync(
            configureOptions: (node, options) =>
            {
                if (node.Name == "gateway")
                    options.AuditRate = auditRate;
            },
            configureServices: (node, services) =>
            {
                if (node.Name == LazyNode)
                    services.AddSingleton<IVerifier, LazyVerifier>();
            }
        );

    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
            await _started.DisposeAsync();
    }

    [Fact]
    public async Task A_live_audit_catches_the_lazy_verifier_and_the_ledger_slashes_it_and_its_nominator()
    {
        await StartAsync(auditRate: 1);
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

        // An ordinary user's request, on which the draw picks the lazy verifier: the audit is that request.
        var result = await RequestDrawingAsync(lazy.Hotkey, drawn: true);
        var outcome = await OutcomeAsync(result.RequestId, lazy.Hotkey);

        Assert.False(outcome.Passed, outcome.Error);
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

        // The ledger holds the audit dispute: the gateway reported the lazy verifier as the one matcher of an output the
        // request never had, and the quorum proved that output wrong.
        Assert.NotNull(outcome.DisputeId);
        var dispute = await LedgerReads.DisputeAsync(_network.Ledger, outcome.DisputeId.Value);
        Assert.Equal("outputwrong", dispute.Outcome);
        Assert.Null(dispute.Executor);
        Assert.Equal(reporter.ToString(), dispute.Reporter);
        Assert.Equal(result.RequestId.ToString(), dispute.RequestId);
        Assert.Equal(lazy.Hotkey.ToString(), Assert.Single(dispute.Matchers));
        Assert.Empty(dispute.Mismatchers);
        var record = await _network.Ledger.Client.GetInferenceRecordAsync(result.RequestId, ct);
        Assert.NotEqual(record.OutputHash, dispute.DisputedOutputHash);
    }

    [Fact]
    public async Task An_audited_request_is_the_users_own_charged_and_final_and_an_honest_verifier_passes_its_audit()
    {
        await StartAsync(auditRate: 1);
        var ct = TestContext.Current.CancellationToken;
        var (lazy, _) = await NodeAsync(LazyNode);
        using var bob = _network.User("bob");
        var balanceBefore = await LedgerReads.BalanceAsync(_network.Ledger, bob.Address);

        var result = await RequestDrawingAsync(lazy.Hotkey, drawn: false);

        // Every drawn verifier was audited on this request, and each honest one found the planted mismatch.
        Assert.Equal(InferenceStates.Verified, result.State);
        Assert.NotEmpty(result.Attestations);
        var stakes = new List<(Core.Crypto.Address Hotkey, Core.Crypto.Address Owner, Amount Stake)>();
        foreach (var attestation in result.Attestations)
        {
            Assert.Equal(AttestationVerdict.Match, attestation.Verdict);
            var outcome = await OutcomeAsync(result.RequestId, attestation.Verifier);
            Assert.True(outcome.Passed, outcome.Error);
            Assert.Null(outcome.Report);
            var (node, owner) = await NodeByHotkeyAsync(attestation.Verifier);
            stakes.Add((node.Hotkey, owner, await LedgerReads.StakeAsync(_network.Ledger, owner, node.Hotkey)));
        }
        // Nothing sets an audit apart: it is the user's own request (its key, its fee, its inputs), recorded and paid.
        using var client = _network.Client();
        var final = await client.WaitFinalAsync(result.RequestId, TimeSpan.FromSeconds(30), ct);
        Assert.Equal(InferenceStates.Final, final.State);
        var record = await _network.Ledger.Client.GetInferenceRecordAsync(result.RequestId, ct);
        Assert.Equal(bob.Address.ToString(), record.User);
        Assert.Equal(result.Attestations.Count, record.Matches);
        Assert.True(await LedgerReads.BalanceAsync(_network.Ledger, bob.Address) < balanceBefore);
        foreach (var (hotkey, owner, stake) in stakes)
            Assert.Equal(stake, await LedgerReads.StakeAsync(_network.Ledger, owner, hotkey));
    }

    [Fact]
    public async Task Ordinary_requests_with_an_honest_executor_do_not_expose_the_lazy_verifier()
    {
        await StartAsync(auditRate: 0);
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

    private async Task<(LedgerNode Node, Core.Crypto.Address Owner)> NodeByHotkeyAsync(Core.Crypto.Address hotkey)
    {
        var wallet = _network.Ledger.Layout.Nodes.Single(n => DevnetSetup.HotkeyOf(n.Wallet).Address == hotkey).Wallet;
        var registered = await _network.LedgerClient.GetNodeAsync(
            hotkey,
            fresh: true,
            TestContext.Current.CancellationToken
        );
        Assert.NotNull(registered);
        return (registered.Value.Node, DevnetSetup.ColdkeyOf(wallet).Address);
    }

    /// <summary>Bob's full-mode requests with fixed nonces until one whose draw holds (or leaves out) <paramref name="verifier"/>.</summary>
    private async Task<VerifiedInference> RequestDrawingAsync(Core.Crypto.Address verifier, bool drawn)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _network.Client();
        using var user = _network.User("bob");
        for (ulong nonce = 1; nonce <= 40; nonce++)
        {
            var input = new NamedTensor("features", Tensor.FromFloats([1, 8], [nonce, 1, 2, 3, 4, 5, 6, 7]));
            var result = await client.InferAsync(
                user,
                DevnetInference.DemoModelName,
                [input],
                new InferenceOptions { Mode = VerificationMode.Full, Nonce = nonce },
                ct
            );
            if (result.Attestations.Any(a => a.Verifier == verifier) == drawn)
                return result;
        }
        throw new InvalidOperationException($"no request in 40 {(drawn ? "drew" : "left out")} verifier {verifier}");
    }

    private async Task<AuditOutcome> OutcomeAsync(Core.Crypto.Hash256 requestId, Core.Crypto.Address verifier)
    {
        var audits = _network.Roles.ServicesOf("gateway").GetRequiredService<AuditService>();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        wait.CancelAfter(OutcomeWait);
        return await audits.OutcomeAsync(requestId, verifier, wait.Token);
    }
}
