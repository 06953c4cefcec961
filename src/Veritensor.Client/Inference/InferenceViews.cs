using Veritensor.Ledger.Inference;

namespace Veritensor.Client;

/// <summary>How receipts and attestations appear in API answers: the signed bytes, plus their fields for people.</summary>
public static class InferenceViews
{
    public static ReceiptView Receipt(InferenceReceipt receipt, string? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new ReceiptView(
            Convert.ToBase64String(receipt.Encode()),
            receipt.RequestId.ToString(),
            receipt.ModelId.ToString(),
            receipt.InputHash.ToString(),
            receipt.OutputHash.ToString(),
            receipt.ProfileHash.ToString(),
            receipt.TimestampMs,
            receipt.Executor.ToString(),
            endpoint
        );
    }

    public static AttestationView Attestation(Attestation attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return new AttestationView(
            Convert.ToBase64String(attestation.Encode()),
            attestation.Verifier.ToString(),
            Verdict(attestation.Verdict),
            attestation.VerifierOutputHash.ToString(),
            attestation.VerifierProfileHash.ToString(),
            BitConverter.UInt64BitsToDouble(attestation.MaxAbsErrorBits),
            attestation.MaxUlpDistance
        );
    }

    public static string Verdict(AttestationVerdict verdict) =>
        verdict == AttestationVerdict.Match ? "match" : "mismatch";

    public static string Mode(VerificationMode mode) => mode.ToString().ToLowerInvariant();

    public static VerificationMode ParseMode(string? text) =>
        (text ?? "full").ToLowerInvariant() switch
        {
            "none" => VerificationMode.None,
            "sampled" => VerificationMode.Sampled,
            "full" => VerificationMode.Full,
            _ => throw ApiException.BadRequest($"mode must be none, sampled or full, got '{text}'."),
        };
}

/// <summary>The states a client sees, in order: returned, verified or disputed, then final.</summary>
public static class InferenceStates
{
    public const string Returned = "returned";
    public const string Verified = "verified";
    public const string Disputed = "disputed";
    public const string Final = "final";
}
