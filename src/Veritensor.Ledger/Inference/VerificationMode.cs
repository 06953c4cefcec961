namespace Veritensor.Ledger.Inference;

/// <summary>How much re-execution a user buys for an inference. Values are wire format: never renumber.</summary>
public enum VerificationMode : byte
{
    /// <summary>No verifier re-executes; the executor's signed receipt is all there is.</summary>
    None = 0,

    /// <summary>A share of requests (<see cref="InferenceParameters.SamplingRatePpm"/>, decided by the draw seed) is re-executed by one drawn verifier.</summary>
    Sampled = 1,

    /// <summary><see cref="InferenceParameters.FullVerifiers"/> selected verifiers re-execute every request.</summary>
    Full = 2,
}
