using Veritensor.Core;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Inference;

/// <summary>
/// What a request costs, by the ledger's rule: the model's price, plus one verification fee (the price times
/// VerificationFeeBps) per attestation recorded. A gateway quotes the most a mode can cost before it runs anything.
/// </summary>
public static class FeeQuote
{
    public static Amount VerificationFee(Amount price, InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new Amount((ulong)((UInt128)price.BaseUnits * parameters.VerificationFeeBps / 10_000));
    }

    public static int MaxAttestations(VerificationMode mode, InferenceParameters parameters) => mode switch
    {
        VerificationMode.Full => parameters.FullVerifiers,
        VerificationMode.Sampled => 1,
        _ => 0,
    };

    public static Amount Maximum(Amount price, VerificationMode mode, InferenceParameters parameters) =>
        For(price, MaxAttestations(mode, parameters), parameters);

    public static Amount For(Amount price, int attestations, InferenceParameters parameters) =>
        new(checked(price.BaseUnits + VerificationFee(price, parameters).BaseUnits * (ulong)attestations));
}
