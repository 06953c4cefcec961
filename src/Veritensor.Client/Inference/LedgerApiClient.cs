using System.Collections.Concurrent;
using System.Globalization;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Client;

/// <summary>
/// <see cref="IInferenceLedger"/> over a ledger node's /v1 API. What never changes (chain id, genesis parameters,
/// a model by content id or name@version) is cached for good; what changes slowly (the head, balances, the servers
/// of a model, registrations) for a short time, so a gateway's hot path in mode none makes no ledger call at all.
/// Every value read here is re-checked by the ledger when the record lands, so a stale cache costs at most a
/// refused record, never a wrong payment.
/// </summary>
public sealed class LedgerApiClient : IInferenceLedger, IDisposable
{
    private static readonly TimeSpan HeadTtl = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BalanceTtl = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ServersTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan NodeTtl = TimeSpan.FromSeconds(2);
    private const int MaxCachedBlockHashes = 4096;

    private readonly NodeClient _node;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _submitLock = new(1, 1);
    private readonly Dictionary<Address, ulong> _nextNonce = [];
    private readonly ConcurrentDictionary<string, LedgerModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Hash256, Cached<IReadOnlyList<LedgerNode>>> _servers = new();
    private readonly ConcurrentDictionary<Address, Cached<Amount>> _balances = new();
    private readonly ConcurrentDictionary<Address, Cached<(LedgerNode, NodeRoles)?>> _nodes = new();
    private readonly ConcurrentDictionary<Address, Address> _owners = new();
    private readonly ConcurrentDictionary<ulong, Hash256> _blockHashes = new();
    private readonly ConcurrentDictionary<ulong, VerifierPool> _verifiers = new();
    private Cached<LedgerHead>? _head;
    private InferenceParameters? _parameters;
    private StatusResponse? _status;

    private sealed record Cached<T>(T Value, DateTimeOffset Expires);

    public LedgerApiClient(Uri node, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = new NodeClient(node.AbsoluteUri.EndsWith('/') ? node : new Uri(node.AbsoluteUri + "/"));
        _time = time ?? TimeProvider.System;
    }

    public Uri BaseAddress => _node.BaseAddress;

    public Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken) => GetHeadAsync(false, cancellationToken);

    public async Task<LedgerHead> GetHeadAsync(bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _head is { } cached && cached.Expires > _time.GetUtcNow())
            return cached.Value;
        var status = await _node.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        _status = status;
        var head = new LedgerHead(
            status.ChainId,
            Hash256.Parse(status.GenesisHash),
            ulong.Parse(status.Height, CultureInfo.InvariantCulture),
            Hash256.Parse(status.HeadHash),
            status.MaxTransactionBytes
        );
        _head = new Cached<LedgerHead>(head, _time.GetUtcNow() + HeadTtl);
        RememberBlockHash(head.Height, head.Hash);
        return head;
    }

    public async Task<LedgerModel?> FindModelAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_models.TryGetValue(reference, out var cached))
            return cached;
        ModelResponse? response;
        try
        {
            if (Hash256.TryParse(reference, out var id))
                response = await _node.GetModelAsync(id, cancellationToken).ConfigureAwait(false);
            else
            {
                var at = reference.IndexOf('@', StringComparison.Ordinal);
                var name = at < 0 ? reference : reference[..at];
                var version =
                    at < 0
                        ? (await _node.GetModelVersionsAsync(name, cancellationToken).ConfigureAwait(false)).Latest
                        : reference[(at + 1)..];
                response = await _node.GetModelAsync(name, version, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NodeClientException e) when (e.StatusCode is 404 or 400)
        {
            return null;
        }
        var model = ToModel(response);
        _models[model.ContentId.ToString()] = model;
        _models[model.Reference] = model;
        _servers[model.ContentId] = new Cached<IReadOnlyList<LedgerNode>>(
            Servers(response.Servers),
            _time.GetUtcNow() + ServersTtl
        );
        return model;
    }

    /// <summary>The latest version of every registered model name.</summary>
    public async Task<IReadOnlyList<ModelSummaryView>> ListModelsAsync(CancellationToken cancellationToken) =>
        (await _node.GetModelsAsync(cancellationToken).ConfigureAwait(false)).Models;

    public async Task<IReadOnlyList<LedgerNode>> GetServersAsync(Hash256 modelId, CancellationToken cancellationToken)
    {
        if (_servers.TryGetValue(modelId, out var cached) && cached.Expires > _time.GetUtcNow())
            return cached.Value;
        var response = await _node.GetModelAsync(modelId, cancellationToken).ConfigureAwait(false);
        var servers = Servers(response.Servers);
        // No server is not cached: a model that just got its first server must not look unserved for the TTL.
        if (servers.Length > 0)
            _servers[modelId] = new Cached<IReadOnlyList<LedgerNode>>(servers, _time.GetUtcNow() + ServersTtl);
        return servers;
    }

    public async Task<InferenceParameters> GetParametersAsync(CancellationToken cancellationToken)
    {
        if (_parameters is { } cached)
            return cached;
        var p = await _node.GetInferenceParametersAsync(cancellationToken).ConfigureAwait(false);
        _parameters = new InferenceParameters
        {
            OwnerShareBps = p.OwnerShareBps,
            ExecutorShareBps = p.ExecutorShareBps,
            TreasuryShareBps = p.TreasuryShareBps,
            VerificationFeeBps = p.VerificationFeeBps,
            FullVerifiers = p.FullVerifiers,
            SamplingRatePpm = p.SamplingRatePpm,
            DisputeQuorum = p.DisputeQuorum,
            SlashBps = p.SlashBps,
            MinNodeStake = Amount.ParseTokens(p.MinNodeStake),
            AnchorWindow = ulong.Parse(p.AnchorWindow, CultureInfo.InvariantCulture),
            ReportBond = Amount.ParseTokens(p.ReportBond),
            DisputeWindow = ulong.Parse(p.DisputeWindow, CultureInfo.InvariantCulture),
        };
        return _parameters;
    }

    /// <summary>
    /// The ledger's draw (<see cref="VerifierSelection.ForRequest"/>), computed here from the anchor block's hash and the
    /// verifier index at the anchor block (both cached for good: a committed block never changes), so a request in mode
    /// sampled or full costs no ledger call once its anchor is known. The ledger re-draws from the same index when the
    /// record lands, whatever changed since.
    /// </summary>
    public async Task<IReadOnlyList<LedgerNode>> SelectVerifiersAsync(
        Hash256 requestId,
        ulong anchorHeight,
        Signature drawTicket,
        VerificationMode mode,
        Address executor,
        CancellationToken cancellationToken
    )
    {
        if (mode == VerificationMode.None)
            return [];
        var anchorHash = await GetBlockHashAsync(anchorHeight, cancellationToken).ConfigureAwait(false);
        var (nodes, candidates) = await GetVerifierCandidatesAsync(anchorHeight, cancellationToken)
            .ConfigureAwait(false);
        var parameters = await GetParametersAsync(cancellationToken).ConfigureAwait(false);
        var owner = await GetOwnerAsync(executor, cancellationToken).ConfigureAwait(false);
        var draw = new RequestDraw(requestId, anchorHash, drawTicket, executor, owner);
        var chosen = VerifierSelection.ForRequest(candidates, draw, mode, parameters);
        if (chosen.Count == 0 && VerifierSelection.NeedsVerification(draw, mode, parameters))
            throw new NoEligibleVerifierException(
                $"No verification node is registered with enough stake to verify request {requestId} in mode {InferenceViews.Mode(mode)}."
            );
        return chosen.Select(hotkey => nodes[hotkey]).ToArray();
    }

    /// <summary>The coldkey that registered <paramref name="hotkey"/> (itself when it is not a node); a hotkey's owner never changes, so it is cached for good.</summary>
    private async Task<Address> GetOwnerAsync(Address hotkey, CancellationToken cancellationToken)
    {
        if (_owners.TryGetValue(hotkey, out var owner))
            return owner;
        var account = await _node.GetAccountAsync(hotkey, cancellationToken).ConfigureAwait(false);
        if (account.Node is not { } view)
            return hotkey;
        owner = Address.Parse(view.Owner);
        _owners[hotkey] = owner;
        return owner;
    }

    public async Task<Hash256> GetBlockHashAsync(ulong height, CancellationToken cancellationToken)
    {
        if (_blockHashes.TryGetValue(height, out var cached))
            return cached;
        if (_head is { } head && head.Value.Height == height)
            return head.Value.Hash;
        BlockResponse block;
        try
        {
            block = await _node
                .GetBlockAsync(height.ToString(CultureInfo.InvariantCulture), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NodeClientException e) when (e.StatusCode == 404)
        {
            throw new InvalidOperationException($"The ledger has no block {height} to anchor a request at.", e);
        }
        var hash = Hash256.Parse(block.Hash);
        RememberBlockHash(height, hash);
        return hash;
    }

    private void RememberBlockHash(ulong height, Hash256 hash)
    {
        // Only recent anchors are asked for; a bounded map is enough.
        if (_blockHashes.Count >= MaxCachedBlockHashes)
            _blockHashes.Clear();
        _blockHashes[height] = hash;
    }

    /// <summary>
    /// The verifiers a request anchored at <paramref name="anchorHeight"/> is drawn from (the index at that block,
    /// <see cref="VerifierHistory.CandidatesAt"/>), read from the API. Fixed once the block is committed, so it is cached
    /// by height.
    /// </summary>
    private async Task<VerifierPool> GetVerifierCandidatesAsync(ulong anchorHeight, CancellationToken cancellationToken)
    {
        if (_verifiers.TryGetValue(anchorHeight, out var cached))
            return cached;
        VerifierCandidatesResponse response;
        try
        {
            response = await _node.GetVerifierCandidatesAsync(anchorHeight, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeClientException e) when (e.StatusCode is 404 or 422)
        {
            throw new InvalidOperationException(
                $"The ledger cannot draw verifiers for anchor {anchorHeight}: {e.Message}",
                e
            );
        }
        var listed = response
            .Candidates.Select(c =>
                (
                    Node: new LedgerNode(Address.Parse(c.Hotkey), c.Endpoint, Amount.ParseTokens(c.Stake)),
                    Owner: Address.Parse(c.Owner)
                )
            )
            .ToArray();
        var pool = new VerifierPool(
            listed.ToDictionary(n => n.Node.Hotkey, n => n.Node),
            listed.Select(n => new VerifierCandidate(n.Node.Hotkey, n.Owner, n.Node.Stake)).ToArray()
        );
        if (_verifiers.Count >= MaxCachedBlockHashes)
            _verifiers.Clear();
        _verifiers[anchorHeight] = pool;
        return pool;
    }

    private sealed record VerifierPool(
        IReadOnlyDictionary<Address, LedgerNode> Nodes,
        IReadOnlyList<VerifierCandidate> Candidates
    );

    public async Task<IReadOnlyList<LedgerNode>> GetDisputeQuorumAsync(
        Hash256 disputeId,
        CancellationToken cancellationToken
    ) => Servers((await _node.GetDisputeQuorumAsync(disputeId, cancellationToken).ConfigureAwait(false)).Quorum);

    public async Task<LedgerDispute?> GetDisputeAsync(Hash256 disputeId, CancellationToken cancellationToken)
    {
        DisputeResponse dispute;
        try
        {
            dispute = await _node.GetDisputeAsync(disputeId, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeClientException e) when (e.StatusCode == 404)
        {
            return null;
        }
        var outcome = Enum.TryParse<DisputeOutcome>(dispute.Outcome, ignoreCase: true, out var parsed)
            ? parsed
            : throw new FormatException($"unknown dispute outcome '{dispute.Outcome}'");
        return new LedgerDispute(
            disputeId,
            outcome,
            ulong.Parse(dispute.OpenedAt, CultureInfo.InvariantCulture),
            ulong.Parse(dispute.ExpirableFrom, CultureInfo.InvariantCulture),
            Hash256.Parse(dispute.RequestId),
            Hash256.Parse(dispute.ModelId),
            Hash256.Parse(dispute.InputHash),
            Hash256.Parse(dispute.DisputedOutputHash)
        );
    }

    public Task<(LedgerNode Node, NodeRoles Roles)?> GetNodeAsync(
        Address hotkey,
        CancellationToken cancellationToken
    ) => GetNodeAsync(hotkey, false, cancellationToken);

    public async Task<(LedgerNode Node, NodeRoles Roles)?> GetNodeAsync(
        Address hotkey,
        bool fresh,
        CancellationToken cancellationToken
    )
    {
        if (!fresh && _nodes.TryGetValue(hotkey, out var cached) && cached.Expires > _time.GetUtcNow())
            return cached.Value;
        var account = await _node.GetAccountAsync(hotkey, cancellationToken).ConfigureAwait(false);
        (LedgerNode, NodeRoles)? node = account.Node is { } view
            ? (new LedgerNode(hotkey, view.Endpoint, Amount.ParseTokens(view.TotalStake)), ParseRoles(view.Roles))
            : null;
        _nodes[hotkey] = new Cached<(LedgerNode, NodeRoles)?>(node, _time.GetUtcNow() + NodeTtl);
        return node;
    }

    public async Task<Amount> GetBalanceAsync(Address account, CancellationToken cancellationToken)
    {
        if (_balances.TryGetValue(account, out var cached) && cached.Expires > _time.GetUtcNow())
            return cached.Value;
        var response = await _node.GetAccountAsync(account, cancellationToken).ConfigureAwait(false);
        var balance = new Amount(ulong.Parse(response.BalanceBaseUnits, CultureInfo.InvariantCulture));
        _balances[account] = new Cached<Amount>(balance, _time.GetUtcNow() + BalanceTtl);
        return balance;
    }

    public void ForgetBalance(Address account) => _balances.TryRemove(account, out _);

    public async Task<Hash256> SubmitAsync(
        KeyPair signer,
        TransactionPayload payload,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(payload);
        var head = await GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var minFee = Amount.ParseTokens(_status!.MinFee);
        await _submitLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The node's next nonce counts its pending transactions; ours counts those we sent and it may not have admitted yet.
            var account = await _node.GetAccountAsync(signer.Address, cancellationToken).ConfigureAwait(false);
            var nodeNonce = ulong.Parse(account.NextNonce, CultureInfo.InvariantCulture);
            var nonce = _nextNonce.TryGetValue(signer.Address, out var ours) ? Math.Max(ours, nodeNonce) : nodeNonce;
            var transaction = new Transaction(head.ChainId, head.Genesis, signer.Address, nonce, minFee, payload).Sign(
                signer
            );
            try
            {
                await _node.SubmitAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeClientException)
            {
                // Re-read the nonce next time: the node's view is the truth after a refusal.
                _nextNonce.Remove(signer.Address);
                throw;
            }
            _nextNonce[signer.Address] = nonce + 1;
            return transaction.Id;
        }
        finally
        {
            _submitLock.Release();
        }
    }

    public async Task<LedgerSubmission> WaitAsync(Hash256 transactionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await _node
                .GetTransactionAsync(transactionId, TimeSpan.FromSeconds(30), cancellationToken)
                .ConfigureAwait(false);
            switch (status.Status)
            {
                case "included":
                    return new LedgerSubmission(
                        transactionId,
                        true,
                        status.Receipt is { } r ? ulong.Parse(r.BlockHeight, CultureInfo.InvariantCulture) : null,
                        null
                    );
                case "pending":
                    continue;
                default:
                    return new LedgerSubmission(
                        transactionId,
                        false,
                        null,
                        status.Error is { } e ? $"{e.Code}: {e.Message}" : status.Status
                    );
            }
        }
    }

    public async Task<LedgerRecordView?> GetRecordAsync(Hash256 requestId, CancellationToken cancellationToken)
    {
        InferenceRecordResponse record;
        try
        {
            record = await _node.GetInferenceRecordAsync(requestId, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeClientException e) when (e.StatusCode == 404)
        {
            return null;
        }
        string? outcome = null;
        if (record.Mismatches > 0)
        {
            var dispute = await _node.GetDisputeAsync(requestId, cancellationToken).ConfigureAwait(false);
            outcome = dispute.Outcome;
        }
        return new LedgerRecordView(
            record.TransactionId,
            record.Height,
            record.Batch?.Root,
            record.Batch?.LeafIndex,
            record.Batch?.Count,
            record.Batch?.Proof,
            outcome
        );
    }

    private static LedgerModel ToModel(ModelResponse response) =>
        new(
            Hash256.Parse(response.ContentId),
            response.Name,
            response.Version,
            Address.Parse(response.Owner),
            response.SizeBytes,
            new ModelSignature(response.Inputs.Select(ToSpec).ToArray(), response.Outputs.Select(ToSpec).ToArray()),
            new Amount(ulong.Parse(response.PriceBaseUnits, CultureInfo.InvariantCulture)),
            new VerificationTolerance(
                response.Tolerance.AbsolutePico,
                response.Tolerance.RelativePico,
                response.Tolerance.Ulps
            )
        );

    private static TensorSpec ToSpec(TensorSpecView view) =>
        new(
            view.Name,
            TensorElementTypes.TryParse(view.Type, out var type)
                ? type
                : throw new FormatException($"unknown tensor type '{view.Type}'"),
            view.Shape.ToArray()
        );

    private static LedgerNode[] Servers(IReadOnlyList<NodeEndpointView> views) =>
        views.Select(v => new LedgerNode(Address.Parse(v.Hotkey), v.Endpoint, Amount.ParseTokens(v.Stake))).ToArray();

    private static NodeRoles ParseRoles(IReadOnlyList<string> roles) =>
        roles.Aggregate(NodeRoles.None, (all, role) =>
            Enum.TryParse<NodeRoles>(role, ignoreCase: true, out var r) ? all | r : all
        );

    public void Dispose()
    {
        _node.Dispose();
        _submitLock.Dispose();
    }
}
