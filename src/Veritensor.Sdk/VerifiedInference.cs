using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Tensors;

namespace Veritensor.Sdk;

/// <summary>
/// A gateway's answer after the client checked it: the outputs hash to what the executor signed, the receipt and
/// every attestation carry valid signatures, and each signer is registered on the ledger for its role (the
/// executor serves the model; the attestations are exactly those of the verifiers the ledger's rule draws for this
/// request with the gateway's <see cref="DrawTicket"/>). <see cref="State"/> comes from that evidence, and "final" only
/// when the ledger holds the record.
/// </summary>
public sealed record VerifiedInference(
    SignedInferenceRequest Request,
    Hash256 RequestId,
    string State,
    VerificationMode Mode,
    LedgerModel Model,
    IReadOnlyList<NamedTensor> Outputs,
    InferenceReceipt Receipt,
    IReadOnlyList<Attestation> Attestations,
    Signature DrawTicket,
    bool? Sampled,
    Amount Fee,
    InferenceApiResponse Response
)
{
    /// <summary>True when at least one independent verifier re-executed the request and every one of them matched.</summary>
    public bool IsVerified => Attestations.Count > 0 && Attestations.All(a => a.Verdict == AttestationVerdict.Match);

    /// <summary>The record the gateway sends to the ledger for this request; its hash is the leaf of a batch's Merkle root.</summary>
    public InferenceRecord Record => new(Request, Receipt, DrawTicket, Attestations);

    /// <summary>
    /// True when <paramref name="ledger"/> (the request's ledger view once final) proves this record is a leaf of its
    /// batch root; false for a proof that does not check out. Single records have no batch root.
    /// </summary>
    public bool VerifyInclusion(LedgerRecordView ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (
            ledger.BatchRoot is null
            || ledger.LeafIndex is not { } index
            || ledger.LeafCount is not { } count
            || ledger.InclusionProof is null
        )
            return false;
        if (!Hash256.TryParse(ledger.BatchRoot, out var root))
            return false;
        var proof = new Hash256[ledger.InclusionProof.Count];
        for (var i = 0; i < proof.Length; i++)
        {
            if (!Hash256.TryParse(ledger.InclusionProof[i], out proof[i]))
                return false;
        }
        return InferenceBatchProof.Verify(root, Record.Hash(), index, count, proof);
    }
}
