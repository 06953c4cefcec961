using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// What fixes one request's verifier draw (<see cref="VerifierSelection.ForRequest"/>): the request id, the hash of its
/// anchor block, the gateway's <see cref="DrawTicket"/>, and the executor with its owner, both left out of the draw.
/// </summary>
public sealed record RequestDraw(
    Hash256 RequestId,
    Hash256 AnchorHash,
    Signature Ticket,
    Address Executor,
    Address ExecutorOwner
);
