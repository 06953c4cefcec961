using System.Text.Json;
using Veritensor.Cli;
using Veritensor.Cli.Devnet;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// <c>veritensor dispute show|expire</c> against a real node (blocks produced by hand, dispute window 3 blocks): bob, the
/// gateway of a recorded request, reports a verifier's attestation of a planted output of it, nobody resolves it, an early expiry is refused with the block it becomes allowed
/// from, and the expiry at that block forfeits bob's bond to the treasury (a report no quorum upheld is not free).
/// </summary>
[NetworkTest]
[Collection(nameof(EnvironmentCollection))]
public sealed class DisputeCliTests : IAsyncLifetime
{
    private const string ChainId = "veritensor-devnet";
    private const ulong Window = 3;
    private static readonly Amount Fee = new(100_000);
    private static readonly KeyPair Verifier = KeyPair.FromDevelopmentName("cli-dispute-verifier");
    private static readonly KeyPair Executor = KeyPair.FromDevelopmentName("cli-dispute-executor");
    private static readonly Hash256 ModelId = Hash256.Compute("cli-dispute-model"u8);
    private readonly Dictionary<Address, ulong> _nonces = [];
    private TestNode _node = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(inference: new GenesisInference { DisputeWindow = Window });
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", DevnetLayout.Password);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("VERITENSOR_PASSWORD", null);
        await _node.DisposeAsync();
    }

    private async Task SubmitAsync(KeyPair sender, TransactionPayload payload)
    {
        var nonce = _nonces.GetValueOrDefault(sender.Address);
        _nonces[sender.Address] = nonce + 1;
        await _node.Client.SubmitAsync(
            new Transaction(ChainId, _node.GenesisHash, sender.Address, nonce, Fee, payload).Sign(sender),
            TestContext.Current.CancellationToken
        );
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args.Concat(["--node", _node.Url]).ToArray(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<Amount> BalanceAsync(Address account) =>
        new(
            ulong.Parse(
                (await _node.Client.GetAccountAsync(account, TestContext.Current.CancellationToken)).BalanceBaseUnits,
                System.Globalization.CultureInfo.InvariantCulture
            )
        );

    /// <summary>Records a request of bob's gateway, opens a report dispute about it in the next block and returns its id and that block.</summary>
    private async Task<(Hash256 Id, ulong OpenedAt)> OpenReportAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var charlie = _node.Coldkey("charlie");
        var signature = new ModelSignature(
            [new TensorSpec("x", TensorElementType.Float, [-1, 4])],
            [new TensorSpec("y", TensorElementType.Float, [-1, 2])]
        );
        await SubmitAsync(
            _node.Coldkey("alice"),
            new PublishModelPayload(
                "cli-dispute",
                "1.0",
                ModelId,
                1000,
                signature,
                Amount.FromTokens(1),
                VerificationTolerance.Default
            )
        );
        await SubmitAsync(
            charlie,
            RegisterNodePayload.Create(ChainId, charlie.Address, Verifier, NodeRoles.Verifier, "http://127.0.0.1:9200")
        );
        await SubmitAsync(
            charlie,
            RegisterNodePayload.Create(ChainId, charlie.Address, Executor, NodeRoles.Inference, "http://127.0.0.1:9201")
        );
        // Each step needs the previous one committed: admission checks against the committed state.
        await _node.Client.ProduceBlockAsync(ct);
        await SubmitAsync(charlie, new StakePayload(TransactionKind.AddStake, Executor.Address, Amount.FromTokens(10)));
        await _node.Client.ProduceBlockAsync(ct);
        await SubmitAsync(charlie, new ServeModelPayload(Executor.Address, ModelId, true));
        var anchor = await _node.Client.ProduceBlockAsync(ct);

        // Alice's request through bob's gateway, in mode none, recorded by bob at block 2.
        var bob = _node.Coldkey("bob");
        var input = Hash256.Compute("input"u8);
        var request = new InferenceRequest(
            _node.Coldkey("alice").Address,
            bob.Address,
            ModelId,
            input,
            VerificationMode.None,
            Amount.FromTokens(2),
            ulong.Parse(anchor.Height, System.Globalization.CultureInfo.InvariantCulture),
            Hash256.Parse(anchor.Hash),
            1
        );
        var requestId = request.Id(ChainId);
        var receipt = InferenceReceipt.Create(
            ChainId,
            requestId,
            ModelId,
            input,
            Hash256.Compute("real output"u8),
            Hash256.Zero,
            1,
            Executor
        );
        var record = new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, _node.Coldkey("alice")),
            receipt,
            DrawTicket.Create(ChainId, requestId, bob),
            []
        );
        await SubmitAsync(bob, new RecordInferencePayload([record], Batch: false));
        Assert.Equal("recordInference", Assert.Single((await _node.Client.ProduceBlockAsync(ct)).Transactions).Kind);

        var output = Hash256.Compute("planted wrong output"u8);
        var evidence = Attestation.Create(
            ChainId,
            requestId,
            ModelId,
            input,
            output,
            output,
            Hash256.Zero,
            AttestationVerdict.Match,
            0,
            0,
            Verifier
        );
        await SubmitAsync(bob, new ReportAttestationPayload(evidence, request));
        var block = await _node.Client.ProduceBlockAsync(ct);
        Assert.Equal("reportAttestation", Assert.Single(block.Transactions).Kind);
        return (evidence.Hash(), ulong.Parse(block.Height, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dispute_show_reads_a_pending_report_and_expire_forfeits_the_bond_once_the_window_has_passed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, opened) = await OpenReportAsync();
        var expirable = (opened + Window + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bob = _node.Account("bob").Coldkey;
        var bond = new InferenceParameters().ReportBond;

        var (code, shown, error) = await RunAsync("dispute", "show", id.ToString(), "--json");
        Assert.True(code == 0, error);
        using (var json = JsonDocument.Parse(shown))
        {
            var root = json.RootElement;
            Assert.Equal(
                (
                    "pending",
                    bond.ToString(),
                    bob.ToString(),
                    opened.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    expirable
                ),
                (
                    root.GetProperty("outcome").GetString(),
                    root.GetProperty("escrow").GetString(),
                    root.GetProperty("reporter").GetString(),
                    root.GetProperty("openedAt").GetString(),
                    root.GetProperty("expirableFrom").GetString()
                )
            );
        }

        // The next block is three blocks short of the first allowed one.
        var (early, _, earlyError) = await RunAsync(
            "dispute",
            "expire",
            id.ToString(),
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath
        );
        Assert.Equal(1, early);
        Assert.StartsWith("error [DisputeNotExpired]:", earlyError, StringComparison.Ordinal);
        Assert.Contains($"from block {expirable}", earlyError, StringComparison.Ordinal);

        for (var i = 0; i < 3; i++)
            await _node.Client.ProduceBlockAsync(ct);
        var bobBefore = await BalanceAsync(bob);
        var treasuryBefore = await BalanceAsync(InferenceParameters.Treasury);
        var (expired, sent, expireError) = await RunAsync(
            "dispute",
            "expire",
            id.ToString(),
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath,
            "--json"
        );
        Assert.True(expired == 0, expireError);
        using (var json = JsonDocument.Parse(sent))
            Assert.Equal("expireDispute", json.RootElement.GetProperty("transaction").GetProperty("kind").GetString());
        var block = await _node.Client.ProduceBlockAsync(ct);
        Assert.Equal("expireDispute", Assert.Single(block.Transactions).Kind);
        Assert.Equal(bobBefore, await BalanceAsync(bob));
        Assert.Equal(treasuryBefore + bond, await BalanceAsync(InferenceParameters.Treasury));

        var (_, text, _) = await RunAsync("dispute", "show", id.ToString());
        Assert.Contains("expired", text, StringComparison.Ordinal);
        Assert.Contains($"block {expirable}", text, StringComparison.Ordinal);
        var dispute = await _node.Client.GetDisputeAsync(id, ct);
        Assert.Equal(("expired", expirable), (dispute.Outcome, dispute.ResolvedAt));
        var (again, _, againError) = await RunAsync(
            "dispute",
            "expire",
            id.ToString(),
            "--wallet",
            "alice",
            "--wallet-path",
            _node.WalletPath
        );
        Assert.Equal(1, again);
        Assert.StartsWith("error [DisputeClosed]:", againError, StringComparison.Ordinal);
    }
}
