using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests;

/// <summary>
/// The inference read API against a real node: a model is published and served, three verifiers register, and two
/// inferences (one full, one mismatched) are recorded as a batch; the API then answers about all of it.
/// </summary>
[NetworkTest]
public sealed class InferenceApiTests : IAsyncLifetime
{
    private const string ChainId = "veritensor-devnet";
    private static readonly Amount Fee = new(100_000);
    private static readonly KeyPair Executor = KeyPair.FromDevelopmentName("api-executor");
    private static readonly KeyPair[] Verifiers = Enumerable
        .Range(0, 3)
        .Select(i => KeyPair.FromDevelopmentName($"api-verifier-{i}"))
        .ToArray();
    private static readonly Hash256 ModelId = Hash256.Compute("api-model"u8);
    private static readonly Hash256 Output = Hash256.Compute("api-output"u8);
    private static readonly ModelSignature Signature = new(
        [new TensorSpec("pixels", TensorElementType.Float, [-1, 3, 224, 224])],
        [new TensorSpec("logits", TensorElementType.Float, [-1, 1000])]
    );
    private readonly Dictionary<Address, ulong> _nonces = [];
    private TestNode _node = null!;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private async Task SubmitAsync(KeyPair sender, TransactionPayload payload)
    {
        var nonce = _nonces.GetValueOrDefault(sender.Address);
        _nonces[sender.Address] = nonce + 1;
        await _node.Client.SubmitAsync(
            new Transaction(ChainId, _node.GenesisHash, sender.Address, nonce, Fee, payload).Sign(sender),
            TestContext.Current.CancellationToken
        );
    }

    [Fact]
    public async Task A_flood_of_cheap_registrations_of_one_role_hides_no_node_of_another_and_pages_resume_by_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        var charlie = _node.Coldkey("charlie");
        // 40 gateways for the price of a fee each, and 3 inference nodes between them in hotkey order.
        var gateways = Enumerable.Range(0, 40).Select(i => KeyPair.FromDevelopmentName($"flood-gateway-{i}")).ToArray();
        var executors = Enumerable
            .Range(0, 3)
            .Select(i => KeyPair.FromDevelopmentName($"flood-executor-{i}"))
            .ToArray();
        foreach (
            var (key, roles) in gateways
                .Select(g => (g, NodeRoles.Gateway))
                .Concat(executors.Select(e => (e, NodeRoles.Inference)))
        )
            await SubmitAsync(
                charlie,
                RegisterNodePayload.Create(ChainId, charlie.Address, key, roles, "http://127.0.0.1:9100")
            );
        await _node.Client.ProduceBlockAsync(ct);

        // Pages of one inference node each: filtered before the page is cut, so every page holds one and the cursor
        // leads to the next; the last page says there is no more.
        var listed = new List<string>();
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var response = await _node.Client.GetNodesAsync(NodeRoles.Inference, ct, after, limit: 1);
            listed.AddRange(response.Nodes.Select(n => n.Hotkey));
            Assert.All(response.Nodes, n => Assert.Contains("inference", n.Roles));
            after = response.Next;
            if (after is null)
                break;
        }
        Assert.Equal(
            executors.Select(e => e.Address.ToString()).Order(StringComparer.Ordinal),
            listed.Order(StringComparer.Ordinal)
        );
        Assert.Null(after);

        // All nodes, 7 a page: each exactly once, in hotkey order.
        var all = new List<string>();
        after = null;
        do
        {
            var response = await _node.Client.GetNodesAsync(null, ct, after, limit: 7);
            Assert.True(response.Nodes.Count <= 7);
            all.AddRange(response.Nodes.Select(n => n.Hotkey));
            after = response.Next;
        } while (after is not null);
        var everyone = (await _node.Client.GetNodesAsync(cancellationToken: ct)).Nodes.Select(n => n.Hotkey).ToList();
        Assert.Equal(everyone, all);
        Assert.Equal(everyone.Distinct().Count(), all.Count);
        Assert.True(all.Count >= 43);

        var bad = await Assert.ThrowsAsync<NodeClientException>(() => _node.Client.GetNodesAsync(null, ct, limit: 0));
        Assert.Equal("BadRequest", bad.Code);
    }

    private async Task<(KeyPair User, InferenceRecord Full, InferenceRecord Disputed)> SetUpAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _node.Coldkey("alice");
        var bob = _node.Coldkey("bob");
        var charlie = _node.Coldkey("charlie");
        await SubmitAsync(
            alice,
            new PublishModelPayload(
                "resnet50",
                "1.0",
                ModelId,
                102_400_000,
                Signature,
                Amount.FromTokens(2),
                VerificationTolerance.Default
            )
        );
        await SubmitAsync(
            bob,
            RegisterNodePayload.Create(ChainId, bob.Address, Executor, NodeRoles.Inference, "http://127.0.0.1:9001")
        );
        for (var i = 0; i < Verifiers.Length; i++)
            await SubmitAsync(
                charlie,
                RegisterNodePayload.Create(
                    ChainId,
                    charlie.Address,
                    Verifiers[i],
                    NodeRoles.Verifier,
                    $"http://127.0.0.1:910{i}"
                )
            );
        await _node.Client.ProduceBlockAsync(ct);
        // Admission checks against the committed state, so stakes follow the registrations a block later, and serving
        // (which needs the minimum stake) the stakes.
        await SubmitAsync(bob, new StakePayload(TransactionKind.AddStake, Executor.Address, Amount.FromTokens(50)));
        for (var i = 0; i < Verifiers.Length; i++)
            await SubmitAsync(
                charlie,
                new StakePayload(TransactionKind.AddStake, Verifiers[i].Address, Amount.FromTokens(20 + 10 * (ulong)i))
            );
        await _node.Client.ProduceBlockAsync(ct);
        await SubmitAsync(bob, new ServeModelPayload(Executor.Address, ModelId, true));
        await _node.Client.ProduceBlockAsync(ct);

        var full = await RecordAsync(alice, 1, verdict: i => AttestationVerdict.Match);
        var disputed = await RecordAsync(alice, 2, verdict: i =>
            i == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch
        );
        await SubmitAsync(bob, new RecordInferencePayload([full, disputed], true));
        var block = await _node.Client.ProduceBlockAsync(ct);
        Assert.Equal("recordInference", Assert.Single(block.Transactions).Kind);
        return (alice, full, disputed);
    }

    /// <summary>A full record whose verifiers come from the API's selection (the ledger must accept exactly those).</summary>
    private async Task<InferenceRecord> RecordAsync(KeyPair user, ulong nonce, Func<int, AttestationVerdict> verdict)
    {
        using var gateway = _node.Coldkey("bob");
        // Anchored at the head: verifiers are drawn from the index at the anchor, and they were staked after block 1.
        var anchor = _node.Runtime.Chain.Head;
        var request = new InferenceRequest(
            user.Address,
            gateway.Address,
            ModelId,
            Hash256.Compute("input"u8),
            VerificationMode.Full,
            Amount.FromTokens(10),
            anchor.Height,
            anchor.Hash,
            nonce
        );
        var id = request.Id(ChainId);
        var ticket = DrawTicket.Create(ChainId, id, gateway);
        var selection = await _node.Client.GetVerifierSelectionAsync(
            id,
            anchor.Height,
            ticket,
            Executor.Address,
            TestContext.Current.CancellationToken
        );
        Assert.Equal(2, selection.Full.Count);
        // Sampled mode draws one verifier, the first of the same order, when the draw samples the request at all.
        Assert.True(selection.Sampled.Count == 0 || selection.Sampled.Single().Hotkey == selection.Full[0].Hotkey);
        var attestations = selection
            .Full.Select(
                (v, i) =>
                {
                    var key = Verifiers.Single(k => k.Address.ToString() == v.Hotkey);
                    var verifierOutput =
                        verdict(i) == AttestationVerdict.Match ? Output : Hash256.Compute("different"u8);
                    return Attestation.Create(
                        ChainId,
                        id,
                        ModelId,
                        request.InputHash,
                        Output,
                        verifierOutput,
                        Hash256.Zero,
                        verdict(i),
                        0,
                        0,
                        key
                    );
                }
            )
            .ToArray();
        var receipt = InferenceReceipt.Create(
            ChainId,
            id,
            ModelId,
            request.InputHash,
            Output,
            Hash256.Zero,
            1,
            Executor
        );
        return new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, user),
            receipt,
            ticket,
            attestations
        );
    }

    [Fact]
    public async Task Verifier_candidates_are_the_index_at_the_anchor_block_and_an_anchor_outside_the_window_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await SetUpAsync();
        // Block 1 registered the verifiers, block 2 staked them: at block 1 none could be drawn, at the head all can.
        Assert.Empty((await _node.Client.GetVerifierCandidatesAsync(1, ct)).Candidates);
        var head = _node.Runtime.Chain.Head.Height;
        var atHead = await _node.Client.GetVerifierCandidatesAsync(head, ct);
        Assert.Equal(Verifiers.Select(v => v.Address.ToString()).Order(), atHead.Candidates.Select(c => c.Hotkey));
        Assert.Equal(
            Enumerable.Range(0, Verifiers.Length).Select(i => Amount.FromTokens(20 + 10 * (ulong)i).ToString()),
            Verifiers.Select((v, i) => atHead.Candidates.Single(c => c.Hotkey == v.Address.ToString()).Stake)
        );
        // A stake change now leaves the committed anchor's candidates as they were.
        using var charlie = _node.Coldkey("charlie");
        await SubmitAsync(
            charlie,
            new StakePayload(TransactionKind.AddStake, Verifiers[0].Address, Amount.FromTokens(5))
        );
        await _node.Client.ProduceBlockAsync(ct);
        Assert.Equal(atHead.Candidates, (await _node.Client.GetVerifierCandidatesAsync(head, ct)).Candidates);
        var next = await _node.Client.GetVerifierCandidatesAsync(head + 1, ct);
        Assert.Equal(
            Amount.FromTokens(25).ToString(),
            next.Candidates.Single(c => c.Hotkey == Verifiers[0].Address.ToString()).Stake
        );
        var error = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.GetVerifierCandidatesAsync(head + 10, ct)
        );
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task Models_nodes_and_parameters_are_listed_with_their_full_records_and_servers()
    {
        var ct = TestContext.Current.CancellationToken;
        await SetUpAsync();
        var summary = Assert.Single((await _node.Client.GetModelsAsync(ct)).Models);
        Assert.Equal(
            ("resnet50", "1.0", ModelId.ToString(), "2.000000000", 102_400_000UL),
            (summary.Name, summary.Version, summary.ContentId, summary.Price, summary.SizeBytes)
        );
        Assert.Equal("1.0", (await _node.Client.GetModelVersionsAsync("resnet50", ct)).Latest);

        var model = await _node.Client.GetModelAsync("resnet50", "1.0", ct);
        var byId = await _node.Client.GetModelAsync(ModelId, ct);
        Assert.Equal(
            (model.Name, model.Version, model.Owner, model.PublishedAt),
            (byId.Name, byId.Version, byId.Owner, byId.PublishedAt)
        );
        Assert.Equal(_node.Account("alice").Coldkey.ToString(), model.Owner);
        var input = Assert.Single(model.Inputs);
        Assert.Equal(("pixels", "float32"), (input.Name, input.Type));
        Assert.Equal([-1L, 3, 224, 224], input.Shape);
        Assert.Equal("logits", Assert.Single(model.Outputs).Name);
        Assert.Equal(VerificationTolerance.Default.AbsolutePico, model.Tolerance.AbsolutePico);
        var server = Assert.Single(model.Servers);
        Assert.Equal(
            (Executor.Address.ToString(), "http://127.0.0.1:9001", "50.000000000"),
            (server.Hotkey, server.Endpoint, server.Stake)
        );

        var verifiers = (await _node.Client.GetNodesAsync(NodeRoles.Verifier, ct)).Nodes;
        Assert.Equal(Verifiers.Select(v => v.Address.ToString()).Order(), verifiers.Select(v => v.Hotkey).Order());
        Assert.All(verifiers, v => Assert.Equal(["verifier"], v.Roles));
        Assert.Equal(
            Executor.Address.ToString(),
            Assert.Single((await _node.Client.GetNodesAsync(NodeRoles.Inference, ct)).Nodes).Hotkey
        );
        Assert.Equal(5, (await _node.Client.GetNodesAsync(cancellationToken: ct)).Nodes.Count);

        var parameters = await _node.Client.GetInferenceParametersAsync(ct);
        Assert.Equal(
            (2000u, 7000u, 1000u, 3, InferenceParameters.Treasury.ToString(), "600"),
            (
                parameters.OwnerShareBps,
                parameters.ExecutorShareBps,
                parameters.TreasuryShareBps,
                parameters.DisputeQuorum,
                parameters.Treasury,
                parameters.DisputeWindow
            )
        );
    }

    [Fact]
    public async Task A_batched_record_comes_back_with_an_inclusion_proof_and_a_mismatch_with_its_dispute_and_quorum()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, full, disputed) = await SetUpAsync();
        var id = full.Request.Id(ChainId);
        var record = await _node.Client.GetInferenceRecordAsync(id, ct);
        Assert.Equal(
            ("full", 2, 0, "final", "6.000000000"),
            (record.Mode, record.Matches, record.Mismatches, record.Status, record.Fee)
        );
        var batch = record.Batch!;
        Assert.Equal((0, 2, full.Hash().ToString()), (batch.LeafIndex, batch.Count, batch.LeafHash));
        Assert.True(
            InferenceBatchProof.Verify(
                Hash256.Parse(batch.Root),
                full.Hash(),
                batch.LeafIndex,
                batch.Count,
                batch.Proof.Select(Hash256.Parse).ToArray()
            )
        );
        Assert.False(
            InferenceBatchProof.Verify(
                Hash256.Parse(batch.Root),
                disputed.Hash(),
                batch.LeafIndex,
                batch.Count,
                batch.Proof.Select(Hash256.Parse).ToArray()
            )
        );

        var disputeId = disputed.Request.Id(ChainId);
        Assert.Equal("disputed", (await _node.Client.GetInferenceRecordAsync(disputeId, ct)).Status);
        var dispute = await _node.Client.GetDisputeAsync(disputeId, ct);
        Assert.Equal(
            ("pending", "6.000000000", Executor.Address.ToString(), (string?)null),
            (dispute.Outcome, dispute.Escrow, dispute.Executor, dispute.ResolvedAt)
        );
        // Opened by the third block; the default window of 600 blocks must pass before it may expire.
        Assert.Equal(("4", "605"), (dispute.OpenedAt, dispute.ExpirableFrom));
        Assert.Equal(disputed.Attestations[1].Verifier.ToString(), Assert.Single(dispute.Mismatchers));
        // Three verifiers, two of them original: the quorum can only be the third.
        var quorum = await _node.Client.GetDisputeQuorumAsync(disputeId, ct);
        var outsider = Verifiers.Single(v => disputed.Attestations.All(a => a.Verifier != v.Address));
        Assert.Equal(outsider.Address.ToString(), Assert.Single(quorum.Quorum).Hotkey);
    }

    [Fact]
    public async Task Unknown_ids_are_not_found_and_malformed_ones_are_bad_requests()
    {
        var ct = TestContext.Current.CancellationToken;
        var unknown = Hash256.Compute("unknown"u8);
        var notFound = new Func<Task>[]
        {
            () => _node.Client.GetModelAsync(unknown, ct),
            () => _node.Client.GetModelAsync("nothing", "1.0", ct),
            () => _node.Client.GetModelVersionsAsync("nothing", ct),
            () => _node.Client.GetInferenceRecordAsync(unknown, ct),
            () => _node.Client.GetDisputeAsync(unknown, ct),
            () => _node.Client.GetDisputeQuorumAsync(unknown, ct),
            () =>
                _node.Client.GetVerifierSelectionAsync(
                    unknown,
                    99,
                    Veritensor.Core.Crypto.Signature.Empty,
                    Executor.Address,
                    ct
                ),
        };
        foreach (var call in notFound)
        {
            var e = await Assert.ThrowsAsync<NodeClientException>(call);
            Assert.Equal(404, e.StatusCode);
            Assert.Contains(e.Code, new[] { "NotFound", "ModelNotFound", "DisputeNotFound" });
        }
        using var http = new HttpClient();
        foreach (
            var path in new[]
            {
                "v1/disputes/xyz",
                "v1/inference/records/12",
                "v1/models/by-id/zz",
                "v1/inference/selection?requestId=00&anchor=1",
                "v1/nodes?role=miner",
                "v1/models/Bad%20Name",
            }
        )
        {
            using var response = await http.GetAsync(new Uri(new Uri(_node.Url + "/"), path), ct);
            Assert.True(400 == (int)response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
    }
}
