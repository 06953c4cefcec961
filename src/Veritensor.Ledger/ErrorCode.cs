namespace Veritensor.Ledger;

/// <summary>
/// Every reason the ledger, a role server, the SDK or the CLI refuses something, in one place. The names are the stable
/// codes that the APIs (the problem's <c>code</c>), the CLI and the logs show; never rename or reuse one. Each has one
/// HTTP status (<see cref="ErrorCodes.HttpStatus"/>). docs/errors.md lists them.
/// </summary>
public enum ErrorCode
{
    /// <summary>The bytes are not a canonical encoding (truncated, trailing bytes, bad lengths, bad UTF-8).</summary>
    MalformedEncoding,

    /// <summary>The transaction kind byte names no known transaction type.</summary>
    UnknownTransactionType,

    /// <summary>The encoded transaction is larger than the chain's limit.</summary>
    TransactionTooLarge,

    /// <summary>The signature does not verify against the sender's public key.</summary>
    InvalidSignature,

    /// <summary>The transaction names another chain id (cross-chain replay).</summary>
    WrongChain,

    /// <summary>The nonce is below the account's next nonce: the transaction (or one with its nonce) was already applied.</summary>
    NonceTooLow,

    /// <summary>The nonce is too far above the account's next nonce for the mempool to hold it.</summary>
    NonceTooHigh,

    /// <summary>The same transaction id is already pending or included.</summary>
    DuplicateTransaction,

    /// <summary>Another transaction with the same sender and nonce is pending, and this one does not pay enough more to replace it.</summary>
    NonceAlreadyPending,

    /// <summary>The fee is below the chain's minimum.</summary>
    FeeTooLow,

    /// <summary>The sender cannot pay amount plus fee.</summary>
    InsufficientBalance,

    /// <summary>The stake to remove is larger than the stake held (less what is already unbonding), or a node would serve a model without the minimum stake.</summary>
    InsufficientStake,

    /// <summary>An amount of zero where a positive amount is required.</summary>
    ZeroAmount,

    /// <summary>The hotkey is not registered as a node.</summary>
    HotkeyNotRegistered,

    /// <summary>The hotkey is already registered to a different coldkey.</summary>
    HotkeyOwnedByAnother,

    /// <summary>The hotkey's proof of consent does not verify.</summary>
    InvalidHotkeyProof,

    /// <summary>A field is outside its allowed values (roles, endpoint, recipient).</summary>
    InvalidField,

    /// <summary>The mempool is full and the transaction does not pay more than the cheapest one it holds.</summary>
    MempoolFull,

    /// <summary>The sender already has the most pending transactions the mempool allows per account.</summary>
    TooManyPending,

    /// <summary>A block failed validation (bad parent, height, signature, roots or proposer).</summary>
    InvalidBlock,

    /// <summary>A request to the node is malformed.</summary>
    BadRequest,

    /// <summary>A request body is larger than the node accepts.</summary>
    RequestTooLarge,

    /// <summary>The node cannot do this now (e.g. it has no validator key to produce blocks with).</summary>
    Unavailable,

    /// <summary>The requested object does not exist.</summary>
    NotFound,

    /// <summary>No subnet has this netuid.</summary>
    SubnetNotFound,

    /// <summary>Only the subnet's owner coldkey may do this.</summary>
    NotSubnetOwner,

    /// <summary>Every netuid has been assigned.</summary>
    SubnetLimitReached,

    /// <summary>A subnet hyperparameter is outside its allowed range.</summary>
    InvalidHyperparameter,

    /// <summary>The hotkey already holds a uid on this subnet.</summary>
    NeuronAlreadyRegistered,

    /// <summary>The subnet has no free uid and every neuron is still immune, so none can be replaced.</summary>
    SubnetFull,

    /// <summary>The sending hotkey holds no uid on this subnet.</summary>
    NeuronNotRegistered,

    /// <summary>The weights are malformed: uids and values differ in length, a uid repeats, or a uid is not in use on the subnet.</summary>
    InvalidWeights,

    /// <summary>The row has fewer entries than the subnet's minimum allowed weights.</summary>
    TooFewWeights,

    /// <summary>One uid's share of the normalised row exceeds the subnet's max weight limit.</summary>
    MaxWeightLimitExceeded,

    /// <summary>The version key is below the subnet's weights version key.</summary>
    WeightsVersionTooLow,

    /// <summary>The hotkey updated its weights (set or commit) fewer than the weights rate limit blocks ago.</summary>
    WeightsRateLimited,

    /// <summary>The subnet runs commit-reveal, so weights must be committed and revealed, not set directly.</summary>
    CommitRevealEnabled,

    /// <summary>The subnet does not run commit-reveal, so there is nothing to commit or reveal.</summary>
    CommitRevealDisabled,

    /// <summary>The hotkey already has a commit that is not yet revealed or expired.</summary>
    WeightsCommitPending,

    /// <summary>The hotkey has no pending commit on this subnet.</summary>
    NoWeightsCommit,

    /// <summary>The revealed weights, salt or version key do not hash to the commit.</summary>
    WeightsCommitMismatch,

    /// <summary>The reveal comes before the commit's reveal epoch.</summary>
    WeightsRevealTooEarly,

    /// <summary>The commit's reveal epoch has passed: it expired unrevealed.</summary>
    WeightsCommitExpired,

    /// <summary>The delegate take is above the maximum (<c>DelegateTake.Max</c>, about 18 %).</summary>
    DelegateTakeTooHigh,

    /// <summary>No model has this content id (or name and version).</summary>
    ModelNotFound,

    /// <summary>The model's content id, or its name and version, is already published.</summary>
    ModelAlreadyPublished,

    /// <summary>Only the owner of a model name's first version may publish more versions of it.</summary>
    NotModelOwner,

    /// <summary>The node does not have the role this needs (inference to serve, verifier to attest).</summary>
    MissingNodeRole,

    /// <summary>An inference with this request id is already recorded (replay), or the batch repeats it.</summary>
    InferenceAlreadyRecorded,

    /// <summary>The request's anchor block is in the future, older than the anchor window, or unknown.</summary>
    InvalidAnchor,

    /// <summary>A user, executor, verifier or draw-ticket signature in an inference record does not verify.</summary>
    InvalidRecordSignature,

    /// <summary>A receipt or attestation does not refer to the request it is recorded with (ids, model, input or output hash).</summary>
    RecordMismatch,

    /// <summary>The executor is not a staked inference node serving the model.</summary>
    ExecutorNotEligible,

    /// <summary>An attestation comes from a verifier that was not drawn, repeats one, or is not allowed in the mode.</summary>
    VerifierNotSelected,

    /// <summary>A record lacks the attestation of a verifier its mode and draw require.</summary>
    MissingAttestation,

    /// <summary>Only the gateway the user named in the signed request may record it or ask nodes to work on it.</summary>
    NotRequestGateway,

    /// <summary>A pending dispute names the node: stake on it cannot be withdrawn until the dispute closes.</summary>
    StakeFrozen,

    /// <summary>The inference fee is above the request's maximum fee.</summary>
    FeeAboveMax,

    /// <summary>No dispute has this id.</summary>
    DisputeNotFound,

    /// <summary>The dispute was already resolved, or (for a report) already opened.</summary>
    DisputeClosed,

    /// <summary>The quorum attestations do not give one verdict a strict majority of the dispute quorum.</summary>
    NoQuorumMajority,

    /// <summary>The dispute has not been pending for more than the dispute window yet, so it cannot be expired.</summary>
    DisputeNotExpired,

    /// <summary>The genesis file cannot be used (a field is missing or out of range).</summary>
    InvalidGenesis,

    /// <summary>A file or database could not be read or written.</summary>
    StorageError,

    /// <summary>The inputs do not fit the model's signature (names, element types, shapes or sizes), or a wire tensor is malformed.</summary>
    InvalidInput,

    /// <summary>The user's signed authorisation of an inference request does not verify for this request.</summary>
    Unauthorized,

    /// <summary>The gateway already served a request with this id: sign each request with a fresh nonce.</summary>
    DuplicateRequest,

    /// <summary>An unexpected failure inside the server or tool; the message names what failed.</summary>
    InternalError,
}
