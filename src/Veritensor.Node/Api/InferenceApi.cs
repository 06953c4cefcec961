using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Storage;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Hosting;

namespace Veritensor.Node.Api;

/// <summary>
/// The read API of verified inference: models, nodes, parameters, verifier selection, inference records and disputes,
/// each answer read from one durable state snapshot.
/// </summary>
internal static class InferenceApi
{
    private const int MaxListed = 10_000;

    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/models", ListModels);
        v1.MapGet("/models/by-id/{contentId}", GetModelById);
        v1.MapGet("/models/{name}", GetModelVersions);
        v1.MapGet("/models/{name}/{version}", GetModel);
        v1.MapGet("/nodes", ListNodes);
        v1.MapGet("/inference/parameters", GetParameters);
        v1.MapGet("/inference/selection", GetSelection);
        v1.MapGet("/inference/candidates", GetCandidates);
        v1.MapGet("/inference/dispute-quorum/{disputeId}", GetDisputeQuorum);
        v1.MapGet("/inference/records/{requestId}", GetRecord);
        v1.MapGet("/disputes/{id}", GetDispute);
    }

    private static IResult ListModels(NodeRuntime node)
    {
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var models = new List<ModelSummaryView>();
        foreach (var entry in snapshot.Scan([StateKeys.ModelLatestNamespace], MaxListed))
        {
            var name = System.Text.Encoding.UTF8.GetString(entry.Key.AsSpan(1));
            var version = System.Text.Encoding.UTF8.GetString(entry.Value);
            if (snapshot.GetModelId(name, version) is { } id && snapshot.GetModel(id) is { } model)
                models.Add(Summary(model));
        }
        return Results.Ok(new ModelListResponse(models));
    }

    private static IResult GetModelVersions(string name, NodeRuntime node)
    {
        if (!ModelNames.IsValidName(name))
            return BadName(name);
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var versions = snapshot
            .Scan(StateKeys.ModelVersionsOf(name), MaxListed)
            .Select(e => snapshot.GetModel(new Hash256(e.Value)))
            .OfType<ModelRecord>()
            .Select(Summary)
            .ToList();
        return snapshot.GetLatestVersion(name) is { } latest
            ? Results.Ok(new ModelVersionsResponse(name, latest, versions))
            : Problems.From(ErrorCode.ModelNotFound, $"No model is named '{name}'.");
    }

    private static IResult GetModel(string name, string version, NodeRuntime node)
    {
        if (!ModelNames.IsValidName(name))
            return BadName(name);
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        return snapshot.GetModelId(name, version) is { } id && snapshot.GetModel(id) is { } model
            ? Results.Ok(Full(snapshot, model))
            : Problems.From(ErrorCode.ModelNotFound, $"No model {name}:{version} is published.");
    }

    private static IResult GetModelById(string contentId, NodeRuntime node)
    {
        if (!TryParseHash(contentId, "content id", out var id, out var problem))
            return problem;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        return snapshot.GetModel(id) is { } model
            ? Results.Ok(Full(snapshot, model))
            : Problems.From(ErrorCode.ModelNotFound, $"No model has content id {id}.");
    }

    /// <summary>The most nodes one page lists, and the default.</summary>
    internal const int MaxNodesPerPage = 10_000;

    /// <summary>The most registrations one page reads while filtering by role: the work a request may cost.</summary>
    internal const int MaxNodesScannedPerPage = 100_000;

    private static IResult ListNodes(string? role, string? after, int? limit, NodeRuntime node)
    {
        var pageSize = limit ?? MaxNodesPerPage;
        if (pageSize is < 1 or > MaxNodesPerPage)
            return Problems.From(ErrorCode.BadRequest, $"limit must be 1 to {MaxNodesPerPage}, got {pageSize}.");
        Address? start = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (!Address.TryParse(after, out var cursor, out var cursorError))
                return Problems.From(ErrorCode.BadRequest, $"after: {cursorError}");
            start = cursor;
        }
        NodeRoles? parsed = string.IsNullOrEmpty(role)
            ? NodeRoles.None
            : role.ToLowerInvariant() switch
            {
                "inference" => NodeRoles.Inference,
                "verifier" => NodeRoles.Verifier,
                "gateway" => NodeRoles.Gateway,
                "validator" => NodeRoles.Validator,
                _ => null,
            };
        if (parsed is not { } wanted)
            return Problems.From(
                ErrorCode.BadRequest,
                $"role '{role}' must be one of inference, verifier, gateway, validator."
            );
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var nodes = new List<NodeSummaryView>();
        string? next = null;
        // Verifiers come from the verifier index (staked verifiers only, each costing the minimum stake), so cheap
        // registrations of other roles cannot crowd them out of the listing gateways draw from.
        var listed =
            wanted == NodeRoles.Verifier
                ? snapshot
                    .GetVerifierIndex()
                    .Where(h => start is not { } s || h.CompareTo(s) > 0)
                    .Select(h => (Hotkey: h, Record: snapshot.GetNode(h)!))
                : ScanNodes(snapshot, start, pageSize, wanted, out next);
        foreach (var (hotkey, record) in listed)
        {
            if (wanted != NodeRoles.None && !record.Roles.HasFlag(wanted))
                continue;
            if (nodes.Count == pageSize)
            {
                next = nodes[^1].Hotkey;
                break;
            }
            nodes.Add(
                new NodeSummaryView(
                    hotkey.ToString(),
                    record.Owner.ToString(),
                    ApiViews.RoleNames(record.Roles),
                    record.Endpoint,
                    snapshot.GetHotkeyStake(hotkey).ToString(),
                    record.RegisteredAt.ToString(CultureInfo.InvariantCulture)
                )
            );
        }
        return Results.Ok(new NodeListResponse(nodes, next));
    }

    /// <summary>
    /// Registrations after <paramref name="start"/> in hotkey order, filtered by role before they count toward the page,
    /// read in chunks until the page holds <paramref name="pageSize"/> nodes or <see cref="MaxNodesScannedPerPage"/>
    /// entries were read. <paramref name="next"/> is where the next page starts: the last hotkey read when the scan
    /// stopped early, null when the registrations are exhausted. So a flood of cheap registrations of one role can slow a
    /// listing of another, but never hide a node from it.
    /// </summary>
    private static List<(Address Hotkey, NodeRecord Record)> ScanNodes(
        IStateSnapshot snapshot,
        Address? start,
        int pageSize,
        NodeRoles wanted,
        out string? next
    )
    {
        const int Chunk = 1024;
        var found = new List<(Address, NodeRecord)>();
        byte[]? after = start is { } s ? StateKeys.Node(s) : null;
        var scanned = 0;
        next = null;
        while (true)
        {
            var chunk = snapshot.Scan([StateKeys.NodeNamespace], after, Chunk);
            foreach (var entry in chunk)
            {
                var record = NodeRecord.Decode(entry.Value);
                if (wanted == NodeRoles.None || record.Roles.HasFlag(wanted))
                    found.Add((new Address(entry.Key.AsSpan(1)), record));
            }
            scanned += chunk.Count;
            if (chunk.Count < Chunk)
                return found;
            after = chunk[^1].Key;
            // One more than a page, so the caller sees there is more and sets the cursor at the page's last node.
            if (found.Count > pageSize)
                return found;
            if (scanned >= MaxNodesScannedPerPage)
            {
                next = new Address(after.AsSpan(1)).ToString();
                return found;
            }
        }
    }

    private static IResult GetParameters(NodeRuntime node)
    {
        var p = node.Chain.ReadState(view => view.GetInferenceParameters());
        return Results.Ok(
            new InferenceParametersResponse(
                p.OwnerShareBps,
                p.ExecutorShareBps,
                p.TreasuryShareBps,
                p.VerificationFeeBps,
                p.FullVerifiers,
                p.SamplingRatePpm,
                p.DisputeQuorum,
                p.SlashBps,
                p.MinNodeStake.ToString(),
                p.AnchorWindow.ToString(CultureInfo.InvariantCulture),
                p.ReportBond.ToString(),
                InferenceParameters.Treasury.ToString(),
                p.DisputeWindow.ToString(CultureInfo.InvariantCulture)
            )
        );
    }

    private static IResult GetSelection(
        string? requestId,
        string? anchor,
        string? ticket,
        string? executor,
        NodeRuntime node
    )
    {
        if (!TryParseHash(requestId, "requestId", out var id, out var problem))
            return problem;
        if (!ulong.TryParse(anchor, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            return Problems.From(ErrorCode.BadRequest, $"anchor '{anchor}' must be a block height.");
        if (!TryParseSignature(ticket, out var drawTicket))
            return Problems.From(
                ErrorCode.BadRequest,
                "ticket must be the gateway's draw ticket: a base64url Ed25519 signature (64 bytes)."
            );
        if (!Address.TryParse(executor, out var executorAddress, out var error))
            return Problems.From(ErrorCode.BadRequest, $"executor: {error}");
        if (node.Chain.BlockHashAt(height) is not { } anchorHash)
            return Problems.From(
                ErrorCode.NotFound,
                $"No block {height}; the chain's height is {node.Chain.Head.Height}."
            );
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        if (!TryCandidatesAt(snapshot, height, node, out var candidates, out problem))
            return problem;
        var parameters = snapshot.GetInferenceParameters();
        var owner = snapshot.GetNode(executorAddress)?.Owner ?? executorAddress;
        var draw = new RequestDraw(id, anchorHash, drawTicket, executorAddress, owner);
        var full = VerifierSelection.ForRequest(candidates, draw, VerificationMode.Full, parameters);
        var sampled = VerifierSelection.ForRequest(candidates, draw, VerificationMode.Sampled, parameters);
        return Results.Ok(
            new VerifierSelectionResponse(
                id.ToString(),
                height.ToString(CultureInfo.InvariantCulture),
                anchorHash.ToString(),
                Endpoints(snapshot, candidates, full),
                Endpoints(snapshot, candidates, sampled)
            )
        );
    }

    private static IResult GetCandidates(string? anchor, NodeRuntime node)
    {
        if (!ulong.TryParse(anchor, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            return Problems.From(ErrorCode.BadRequest, $"anchor '{anchor}' must be a block height.");
        if (node.Chain.BlockHashAt(height) is not { } anchorHash)
            return Problems.From(
                ErrorCode.NotFound,
                $"No block {height}; the chain's height is {node.Chain.Head.Height}."
            );
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        if (!TryCandidatesAt(snapshot, height, node, out var candidates, out var problem))
            return problem;
        return Results.Ok(
            new VerifierCandidatesResponse(
                height.ToString(CultureInfo.InvariantCulture),
                anchorHash.ToString(),
                candidates
                    .Select(c => new VerifierCandidateView(
                        c.Hotkey.ToString(),
                        c.Owner.ToString(),
                        c.Stake.ToString(),
                        snapshot.GetNode(c.Hotkey)?.Endpoint ?? ""
                    ))
                    .ToList()
            )
        );
    }

    /// <summary>
    /// The verifier index at anchor block <paramref name="height"/>, read from <paramref name="snapshot"/>. The head is read
    /// after the snapshot was opened, so it is at least the snapshot's height: undoing the changes of blocks the snapshot
    /// does not hold yet finds none.
    /// </summary>
    private static bool TryCandidatesAt(
        IStateView snapshot,
        ulong height,
        NodeRuntime node,
        out IReadOnlyList<VerifierCandidate> candidates,
        out IResult problem
    )
    {
        var next = node.Chain.Head.Height + 1;
        var window = snapshot.GetInferenceParameters().AnchorWindow;
        if (height >= next || next - height > window)
        {
            candidates = [];
            problem = Problems.From(
                ErrorCode.InvalidAnchor,
                $"anchor {height} must be one of the last {window} blocks (the chain's height is {next - 1})."
            );
            return false;
        }
        candidates = VerifierHistory.CandidatesAt(snapshot, height, next);
        problem = Results.Empty;
        return true;
    }

    private static bool TryParseSignature(string? text, out Signature signature)
    {
        signature = default;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
            return false;
        try
        {
            signature = new Signature(Base64UrlDecode(text));
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static IResult GetDisputeQuorum(string disputeId, NodeRuntime node)
    {
        if (!TryParseHash(disputeId, "dispute id", out var id, out var problem))
            return problem;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        if (snapshot.GetDispute(id) is not { } dispute)
            return Problems.From(ErrorCode.DisputeNotFound, $"No dispute has id {id}.");
        var parameters = snapshot.GetInferenceParameters();
        if (node.Chain.BlockHashAt(dispute.OpenedAt) is not { } openingHash)
            return Problems.From(
                ErrorCode.Unavailable,
                $"Dispute {id} was opened in block {dispute.OpenedAt}, which this node has not committed yet."
            );
        var quorum = VerifierSelection.DisputeQuorum(snapshot, id, dispute, openingHash, parameters);
        return Results.Ok(
            new DisputeQuorumResponse(
                id.ToString(),
                openingHash.ToString(),
                parameters.DisputeQuorum,
                Endpoints(snapshot, quorum)
            )
        );
    }

    private static IResult GetRecord(string requestId, NodeRuntime node)
    {
        if (!TryParseHash(requestId, "request id", out var id, out var problem))
            return problem;
        InferenceRecordSummary? summary;
        using (var snapshot = node.Chain.Store.OpenStateSnapshot())
            summary = snapshot.GetInferenceRecord(id);
        if (summary is null)
            return Problems.From(ErrorCode.NotFound, $"No inference with request id {id} is recorded.");
        BatchProofView? batch = null;
        if (summary.BatchRoot is { } root)
        {
            // The proof is re-derived from the transaction that carried the batch.
            var location = node.Chain.Store.FindTransaction(summary.TransactionId);
            if (
                location is null
                || SignedTransaction.Decode(location.Encoded, int.MaxValue).Transaction.Payload
                    is not RecordInferencePayload payload
            )
                return Problems.From(
                    ErrorCode.Unavailable,
                    $"Transaction {summary.TransactionId} that recorded the batch is not in this node's store."
                );
            var leaves = payload.Records.Select(r => r.Hash()).ToArray();
            batch = new BatchProofView(
                root.ToString(),
                summary.LeafIndex,
                leaves.Length,
                leaves[summary.LeafIndex].ToString(),
                InferenceBatchProof.Build(leaves, summary.LeafIndex).Select(h => h.ToString()).ToList()
            );
        }
        return Results.Ok(
            new InferenceRecordResponse(
                id.ToString(),
                summary.User.ToString(),
                summary.ModelId.ToString(),
                summary.Executor.ToString(),
                summary.OutputHash.ToString(),
                summary.Mode.ToString().ToLowerInvariant(),
                summary.Matches,
                summary.Mismatches,
                summary.Fee.ToString(),
                summary.Fee.BaseUnits.ToString(CultureInfo.InvariantCulture),
                summary.Height.ToString(CultureInfo.InvariantCulture),
                summary.TransactionId.ToString(),
                summary.Status.ToString().ToLowerInvariant(),
                batch
            )
        );
    }

    private static IResult GetDispute(string id, NodeRuntime node)
    {
        if (!TryParseHash(id, "dispute id", out var disputeId, out var problem))
            return problem;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        if (snapshot.GetDispute(disputeId) is not { } d)
            return Problems.From(ErrorCode.DisputeNotFound, $"No dispute has id {disputeId}.");
        var expirableFrom = snapshot.GetInferenceParameters().DisputeExpirableFrom(d.OpenedAt);
        return Results.Ok(
            new DisputeResponse(
                disputeId.ToString(),
                d.RequestId.ToString(),
                d.ModelId.ToString(),
                d.InputHash.ToString(),
                d.DisputedOutputHash.ToString(),
                d.Executor?.ToString(),
                d.User.ToString(),
                d.Reporter?.ToString(),
                d.Matchers.Select(a => a.ToString()).ToList(),
                d.Mismatchers.Select(a => a.ToString()).ToList(),
                d.Escrow.ToString(),
                d.AnchorHash.ToString(),
                d.OpenedAt.ToString(CultureInfo.InvariantCulture),
                d.Outcome.ToString().ToLowerInvariant(),
                d.Outcome == DisputeOutcome.Pending ? null : d.ResolvedAt.ToString(CultureInfo.InvariantCulture),
                expirableFrom.ToString(CultureInfo.InvariantCulture)
            )
        );
    }

    private static ModelSummaryView Summary(ModelRecord m) =>
        new(
            m.Name,
            m.Version,
            m.ContentId.ToString(),
            m.Owner.ToString(),
            m.Price.ToString(),
            m.Price.BaseUnits.ToString(CultureInfo.InvariantCulture),
            m.SizeBytes
        );

    private static ModelResponse Full(IStateSnapshot state, ModelRecord m)
    {
        var servers = state
            .Scan(StateKeys.ModelServersOf(m.ContentId), MaxListed)
            .Select(e => new Address(e.Key.AsSpan(1 + Hash256.Size)))
            .ToList();
        return new ModelResponse(
            m.Name,
            m.Version,
            m.ContentId.ToString(),
            m.Owner.ToString(),
            m.Price.ToString(),
            m.Price.BaseUnits.ToString(CultureInfo.InvariantCulture),
            m.SizeBytes,
            m.PublishedAt.ToString(CultureInfo.InvariantCulture),
            Specs(m.Signature.Inputs),
            Specs(m.Signature.Outputs),
            new ToleranceView(m.Tolerance.AbsolutePico, m.Tolerance.RelativePico, m.Tolerance.Ulps),
            Endpoints(state, servers)
        );
    }

    private static List<TensorSpecView> Specs(IReadOnlyList<Tensors.TensorSpec> specs) =>
        specs.Select(s => new TensorSpecView(s.Name, Tensors.TensorElementTypes.Name(s.ElementType), s.Shape)).ToList();

    private static List<NodeEndpointView> Endpoints(IStateView state, IEnumerable<Address> hotkeys) =>
        hotkeys
            .Select(h => new NodeEndpointView(
                h.ToString(),
                state.GetNode(h)?.Endpoint ?? "",
                state.GetHotkeyStake(h).ToString()
            ))
            .ToList();

    /// <summary>The drawn verifiers with the stakes they were drawn with (the index at the anchor), not their stakes now.</summary>
    private static List<NodeEndpointView> Endpoints(
        IStateView state,
        IReadOnlyList<VerifierCandidate> candidates,
        IEnumerable<Address> hotkeys
    ) =>
        hotkeys
            .Select(h => new NodeEndpointView(
                h.ToString(),
                state.GetNode(h)?.Endpoint ?? "",
                candidates.First(c => c.Hotkey == h).Stake.ToString()
            ))
            .ToList();

    private static IResult BadName(string name) =>
        Problems.From(ErrorCode.BadRequest, $"'{name}' is not a model name ([a-z0-9][a-z0-9._-]{{0,63}}).");

    private static bool TryParseHash(string? text, string what, out Hash256 hash, out IResult problem)
    {
        problem = Results.Empty;
        if (Hash256.TryParse(text, out hash))
            return true;
        problem = Problems.From(ErrorCode.BadRequest, $"{what} '{text}' is not a hash (64 hex characters).");
        return false;
    }
}
