namespace Veritensor.Ledger.Inference;

/// <summary>Where a recorded inference stands. Values are stored: never renumber.</summary>
public enum InferenceRecordStatus : byte
{
    /// <summary>Settled: the fee was paid out.</summary>
    Final = 1,

    /// <summary>A verifier attested a mismatch; the fee is in escrow until the dispute is resolved.</summary>
    Disputed = 2,
}
