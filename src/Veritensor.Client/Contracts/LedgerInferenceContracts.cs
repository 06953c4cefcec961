namespace Veritensor.Client;

/// <summary>GET /v1/models: the latest version of every model name, in name order.</summary>
public sealed record ModelListResponse(IReadOnlyList<ModelSummaryView> Models);

/// <summary>One model version in a list. Hashes are lower-case hex; amounts are token strings plus base units.</summary>
public sealed record ModelSummaryView(
    string Name,
    string Version,
    string ContentId,
    string Owner,
    string Price,
    string PriceBaseUnits,
    ulong SizeBytes
);

/// <summary>GET /v1/models/{name}: every version of a name, in version order, and the latest (last published) one.</summary>
public sealed record ModelVersionsResponse(string Name, string Latest, IReadOnlyList<ModelSummaryView> Versions);

/// <summary>GET /v1/models/{name}/{version} and /v1/models/by-id/{contentId}: the full record and the nodes serving it.</summary>
public sealed record ModelResponse(
    string Name,
    string Version,
    string ContentId,
    string Owner,
    string Price,
    string PriceBaseUnits,
    ulong SizeBytes,
    string PublishedAt,
    IReadOnlyList<TensorSpecView> Inputs,
    IReadOnlyList<TensorSpecView> Outputs,
    ToleranceView Tolerance,
    IReadOnlyList<NodeEndpointView> Servers
);

/// <summary>A tensor: its name, element type name ("float32", "int64", ...) and shape (-1 = any size).</summary>
public sealed record TensorSpecView(string Name, string Type, IReadOnlyList<long> Shape);

/// <summary>The verification tolerance in its ledger units: 10^-12 for absolute and relative, ULPs as is.</summary>
public sealed record ToleranceView(ulong AbsolutePico, ulong RelativePico, uint Ulps);

/// <summary>A node to talk to: its hotkey, endpoint and the stake on it.</summary>
public sealed record NodeEndpointView(string Hotkey, string Endpoint, string Stake);

/// <summary>
/// GET /v1/nodes[?role=&amp;after=&amp;limit=]: registered nodes, in hotkey order, filtered by role before the page is cut.
/// <see cref="Next"/> is the cursor of the next page (pass it as <c>after</c>), null on the last page.
/// </summary>
public sealed record NodeListResponse(IReadOnlyList<NodeSummaryView> Nodes, string? Next = null);

public sealed record NodeSummaryView(
    string Hotkey,
    string Owner,
    IReadOnlyList<string> Roles,
    string Endpoint,
    string Stake,
    string RegisteredAt
);

/// <summary>GET /v1/inference/parameters: the inference economics fixed by genesis, and the treasury address.</summary>
public sealed record InferenceParametersResponse(
    uint OwnerShareBps,
    uint ExecutorShareBps,
    uint TreasuryShareBps,
    uint VerificationFeeBps,
    int FullVerifiers,
    uint SamplingRatePpm,
    int DisputeQuorum,
    uint SlashBps,
    string MinNodeStake,
    string AnchorWindow,
    string ReportBond,
    string Treasury,
    string DisputeWindow
);

/// <summary>
/// GET /v1/inference/selection?requestId=&amp;anchor=&amp;ticket=&amp;executor=: the verifiers the ledger requires for a request
/// anchored at that block, with that draw ticket (base64url) and executor, in draw order: <see cref="Full"/> for full
/// verification, <see cref="Sampled"/> for sampled (one, or none when the draw does not sample the request).
/// </summary>
public sealed record VerifierSelectionResponse(
    string RequestId,
    string AnchorHeight,
    string AnchorHash,
    IReadOnlyList<NodeEndpointView> Full,
    IReadOnlyList<NodeEndpointView> Sampled
);

/// <summary>
/// GET /v1/inference/candidates?anchor=H: the verifiers a request anchored at block H is drawn from (the verifier index
/// as it stood at that block), in ascending hotkey order, with their owners, the stakes they are drawn with, and their
/// endpoints. Fixed once block H is committed.
/// </summary>
public sealed record VerifierCandidatesResponse(
    string AnchorHeight,
    string AnchorHash,
    IReadOnlyList<VerifierCandidateView> Candidates
);

public sealed record VerifierCandidateView(string Hotkey, string Owner, string Stake, string Endpoint);

/// <summary>GET /v1/inference/dispute-quorum/{disputeId}: the verifiers whose votes can resolve the dispute, drawn from the hash of the block that opened it.</summary>
public sealed record DisputeQuorumResponse(
    string DisputeId,
    string OpeningBlockHash,
    int QuorumSize,
    IReadOnlyList<NodeEndpointView> Quorum
);

/// <summary>GET /v1/inference/records/{requestId}: the recorded summary and, for a batch, the inclusion proof.</summary>
public sealed record InferenceRecordResponse(
    string RequestId,
    string User,
    string ModelId,
    string Executor,
    string OutputHash,
    string Mode,
    int Matches,
    int Mismatches,
    string Fee,
    string FeeBaseUnits,
    string Height,
    string TransactionId,
    string Status,
    BatchProofView? Batch
);

/// <summary>Leaf <see cref="LeafIndex"/> of <see cref="Count"/> under <see cref="Root"/>: check with InferenceBatchProof.Verify.</summary>
public sealed record BatchProofView(
    string Root,
    int LeafIndex,
    int Count,
    string LeafHash,
    IReadOnlyList<string> Proof
);

/// <summary>
/// GET /v1/disputes/{id}: the dispute, its escrow and outcome ("pending", "outputwrong", "outputright", "expired").
/// <see cref="ExpirableFrom"/> is the first block at which ExpireDispute is accepted while it is still pending;
/// <see cref="ResolvedAt"/> is the block that resolved or expired it.
/// </summary>
public sealed record DisputeResponse(
    string Id,
    string RequestId,
    string ModelId,
    string InputHash,
    string DisputedOutputHash,
    string? Executor,
    string User,
    string? Reporter,
    IReadOnlyList<string> Matchers,
    IReadOnlyList<string> Mismatchers,
    string Escrow,
    string AnchorHash,
    string OpenedAt,
    string Outcome,
    string? ResolvedAt,
    string ExpirableFrom
);
