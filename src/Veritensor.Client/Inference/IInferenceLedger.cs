using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Client;

/// <summary>
/// What the access, execution and verification roles read from (and send to) the ledger. Role servers run
/// apart from the ledger node, so the production implementation (<see cref="LedgerApiClient"/>) talks to a
/// node's /v1 API; every answer that moves value is re-checked by the ledger itself when the record lands.
/// </summary>
public interface IInferenceLedger
{
    /// <summary>The chain's head, possibly a few hundred milliseconds old; <paramref name="fresh"/> reads it from the ledger now.</summary>
    Task<LedgerHead> GetHeadAsync(bool fresh, CancellationToken cancellationToken);

    Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken) => GetHeadAsync(false, cancellationToken);

    /// <summary>The hash of committed block <paramref name="height"/>; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    Task<Hash256> GetBlockHashAsync(ulong height, CancellationToken cancellationToken);

    /// <summary>The model named by name@version, a bare name (its latest version), or a content id in hex; null when unknown.</summary>
    Task<LedgerModel?> FindModelAsync(string reference, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerNode>> GetServersAsync(Hash256 modelId, CancellationToken cancellationToken);

    Task<InferenceParameters> GetParametersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The verifiers the ledger's rule (<see cref="VerifierSelection.ForRequest"/>) requires for a request in
    /// <paramref name="mode"/> anchored at <paramref name="anchorHeight"/>, with the gateway's <paramref name="drawTicket"/>,
    /// executed by <paramref name="executor"/>, in draw order (empty for a sampled request the draw does not sample).
    /// Throws <see cref="NoEligibleVerifierException"/> when the request needs a verifier and none is eligible.
    /// </summary>
    Task<IReadOnlyList<LedgerNode>> SelectVerifiersAsync(
        Hash256 requestId,
        ulong anchorHeight,
        Signature drawTicket,
        VerificationMode mode,
        Address executor,
        CancellationToken cancellationToken
    );

    Task<IReadOnlyList<LedgerNode>> GetDisputeQuorumAsync(Hash256 disputeId, CancellationToken cancellationToken);

    /// <summary>The dispute's outcome and when it may be expired, read now; null when no dispute has this id.</summary>
    Task<LedgerDispute?> GetDisputeAsync(Hash256 disputeId, CancellationToken cancellationToken);

    /// <summary>A registered node by hotkey, with the roles it holds; null when not registered. <paramref name="fresh"/> bypasses any cache.</summary>
    Task<(LedgerNode Node, NodeRoles Roles)?> GetNodeAsync(
        Address hotkey,
        bool fresh,
        CancellationToken cancellationToken
    );

    Task<(LedgerNode Node, NodeRoles Roles)?> GetNodeAsync(Address hotkey, CancellationToken cancellationToken) =>
        GetNodeAsync(hotkey, false, cancellationToken);

    Task<Amount> GetBalanceAsync(Address account, CancellationToken cancellationToken);

    /// <summary>Drops any cached balance of <paramref name="account"/>, so the next read asks the ledger (after a debit this gateway knows of).</summary>
    void ForgetBalance(Address account) { }

    /// <summary>
    /// Signs <paramref name="payload"/> with <paramref name="signer"/> (its next nonce, the minimum fee) and submits it;
    /// calls for one signer are serialised so their nonces follow each other. Returns the transaction id.
    /// </summary>
    Task<Hash256> SubmitAsync(KeyPair signer, TransactionPayload payload, CancellationToken cancellationToken);

    /// <summary>Waits until the transaction is in a block or dropped.</summary>
    Task<LedgerSubmission> WaitAsync(Hash256 transactionId, CancellationToken cancellationToken);

    /// <summary>The ledger's record of a request, or null while it is not recorded.</summary>
    Task<LedgerRecordView?> GetRecordAsync(Hash256 requestId, CancellationToken cancellationToken);
}

/// <summary>A dispute as its resolver needs it: how it stands, when it opened and the first block at which ExpireDispute is accepted.</summary>
public sealed record LedgerDispute(
    Hash256 Id,
    DisputeOutcome Outcome,
    ulong OpenedAt,
    ulong ExpirableFrom,
    Hash256 RequestId,
    Hash256 ModelId,
    Hash256 InputHash,
    Hash256 DisputedOutputHash
);

/// <summary>The outcome of a submitted transaction: included (with its block) or dropped (with the reason).</summary>
public sealed record LedgerSubmission(Hash256 TransactionId, bool Included, ulong? BlockHeight, string? Error);
