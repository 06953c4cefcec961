using Veritensor.Core;
using Veritensor.Ledger.Inference;

namespace Veritensor.Sdk;

/// <summary>How to run one request: the verification mode, how the gateway records it, and the most the user will pay.</summary>
public sealed record InferenceOptions
{
    public VerificationMode Mode { get; init; } = VerificationMode.Full;

    /// <summary>"single" (one ledger record per request) or "batch" (many under one Merkle root, with an inclusion proof).</summary>
    public string Record { get; init; } = "single";

    /// <summary>The most the user authorises; default: the most the mode can cost at the model's price.</summary>
    public Amount? MaxFee { get; init; }

    /// <summary>
    /// The request's nonce; default: 8 random bytes. Set it only to replay a request deterministically (tests): a
    /// gateway refuses a request id it has served, so two requests must never share model, inputs, anchor and nonce.
    /// </summary>
    public ulong? Nonce { get; init; }
}
