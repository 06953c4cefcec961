namespace Veritensor.Client;

// Wire contracts between clients, the gateway, inference nodes and verification nodes. Signed records
// (requests, receipts, attestations, commitments) travel as their canonical bytes in base64 ("encoded"), so
// every party checks signatures over exactly the bytes that were signed; the other fields are for people.

/// <summary>
/// A tensor on the wire: either <see cref="Proto"/>, an ONNX TensorProto in base64 (exact, any type), or the
/// JSON form (<see cref="Type"/>, <see cref="Shape"/>, <see cref="Data"/>) for small tensors.
/// </summary>
public sealed record WireTensor(
    string? Name = null,
    string? Proto = null,
    string? Type = null,
    IReadOnlyList<long>? Shape = null,
    System.Text.Json.JsonElement? Data = null
);

/// <summary>
/// The user's authorisation to pay for one request: the fields of the signed InferenceRequest the gateway cannot derive,
/// and <see cref="InputHash"/> (hex), the hash of the inputs the user signed, which lets the gateway check the signature
/// before it parses a single tensor (it then checks the inputs hash to it).
/// </summary>
public sealed record InferenceAuthorization(
    string User,
    string MaxFee,
    ulong AnchorHeight,
    ulong Nonce,
    string Signature,
    string? InputHash = null
);

/// <summary>
/// POST /v1/inference on a gateway. <see cref="Model"/> is name@version, a name (its latest version), or a content id
/// in hex; <see cref="Mode"/> is none, sampled or full (default full); <see cref="Record"/> says how the gateway records
/// the request on the ledger: "single" (one record per transaction) or "batch" (many under a Merkle root; the
/// inclusion proof is returned once recorded).
/// </summary>
public sealed record InferenceApiRequest(
    string Model,
    IReadOnlyList<WireTensor> Inputs,
    InferenceAuthorization Authorization,
    string? Mode = null,
    string? Record = null
);

public sealed record ReceiptView(
    string Encoded,
    string RequestId,
    string ModelId,
    string InputHash,
    string OutputHash,
    string ProfileHash,
    ulong TimestampMs,
    string Executor,
    string? ExecutorEndpoint = null
);

public sealed record AttestationView(
    string Encoded,
    string Verifier,
    string Verdict,
    string VerifierOutputHash,
    string VerifierProfileHash,
    double MaxAbsError,
    ulong MaxUlpDistance
);

/// <summary>Where the request sits on the ledger, once recorded.</summary>
public sealed record LedgerRecordView(
    string? TransactionId,
    string? BlockHeight,
    string? BatchRoot = null,
    int? LeafIndex = null,
    int? LeafCount = null,
    IReadOnlyList<string>? InclusionProof = null,
    string? DisputeOutcome = null
);

/// <summary>
/// The gateway's answer, and GET /v1/inference/{id}. State: returned (the executor answered, nothing re-executed),
/// verified (every chosen verifier matched), disputed (a verifier found a mismatch; a quorum decides on the ledger),
/// final (recorded on the ledger, and any dispute resolved or expired).
/// </summary>
public sealed record InferenceApiResponse(
    string RequestId,
    string State,
    string Mode,
    string ModelId,
    string ModelName,
    string Fee,
    IReadOnlyList<WireTensor> Outputs,
    ReceiptView Receipt,
    IReadOnlyList<AttestationView> Attestations,
    string? DrawTicket = null,
    bool? Sampled = null,
    LedgerRecordView? Ledger = null,
    string? Error = null
);

/// <summary>
/// POST /v1/execute on an inference node: the user's signed request (canonical bytes, base64), the inputs, and the
/// <see cref="Dispatch"/> (base64): the signature of the request's gateway ordering this node to execute it.
/// </summary>
public sealed record ExecuteRequest(string Request, IReadOnlyList<WireTensor> Inputs, string? Dispatch = null);

public sealed record ExecuteResponse(string Receipt, IReadOnlyList<WireTensor> Outputs);

/// <summary>
/// POST /v1/verify/commit on a verification node: it re-executes and commits to its output hash. It works only when the
/// gateway's <see cref="DrawTicket"/> draws it for this request and <see cref="Executor"/>, and the gateway's
/// <see cref="Dispatch"/> orders it to (both signatures, base64).
/// </summary>
public sealed record CommitRequest(
    string Request,
    IReadOnlyList<WireTensor> Inputs,
    string? Executor = null,
    string? DrawTicket = null,
    string? Dispatch = null
);

/// <summary>A verifier's answer to a commit: its OutputCommitment (base64).</summary>
public sealed record CommitResponse(string Commitment);

/// <summary>
/// POST /v1/verify/attest: after committing, the verifier sees the executor's outputs and attests. With the executor's
/// execution profile (from its receipt), equal profiles compare bit for bit.
/// </summary>
public sealed record AttestRequest(
    string RequestId,
    IReadOnlyList<WireTensor> ExecutorOutputs,
    string? ExecutorProfileHash = null,
    string? Dispatch = null
);

public sealed record AttestResponse(string Attestation);

/// <summary>
/// POST /v1/verify/judge: a dispute quorum member re-executes <see cref="Inputs"/> and judges <see cref="DisputedOutputs"/>.
/// It judges only an open dispute on the ledger whose quorum holds it, and only the model, inputs and outputs that
/// dispute names; its vote is signed in the vote domain, so it cannot stand in for an attestation. <see cref="DisputeId"/>
/// is the request id for a disputed record (the default) and the reported attestation's hash for an audit.
/// </summary>
public sealed record JudgeRequest(
    string RequestId,
    string ModelId,
    IReadOnlyList<WireTensor> Inputs,
    IReadOnlyList<WireTensor> DisputedOutputs,
    string? DisputeId = null
);

/// <summary>GET /v1/health on any role server: what it is, who it is, and how busy.</summary>
public sealed record RoleHealthResponse(string Role, string Hotkey, string ProfileHash, int InFlight, long Served);
