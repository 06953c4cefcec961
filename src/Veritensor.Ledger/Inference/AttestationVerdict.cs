namespace Veritensor.Ledger.Inference;

/// <summary>A verifier's finding about an executor's output. Values are wire format: never renumber.</summary>
public enum AttestationVerdict : byte
{
    /// <summary>The verifier's re-execution matched the executor's output within the model's tolerance.</summary>
    Match = 1,

    /// <summary>It did not.</summary>
    Mismatch = 2,
}
