using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// The audit path: the gateway of a recorded request showed one of its verifiers a planted wrong output, and reports
/// <see cref="Evidence"/>, the verifier's attestation that it matched. <see cref="Request"/> is that request (whose id the
/// ledger recorded), so the ledger can check the report is about a paid, recorded request and comes from its gateway.
/// The sender locks the report bond; a dispute opens and is settled by ResolveDispute.
/// </summary>
public sealed record ReportAttestationPayload(Attestation Evidence, InferenceRequest Request) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.ReportAttestation;

    internal override void Write(CanonicalWriter writer)
    {
        Evidence.Write(writer);
        Request.Write(writer);
    }

    internal static ReportAttestationPayload ReadFields(ref CanonicalReader reader) =>
        new(Attestation.Read(ref reader), InferenceRequest.Read(ref reader));
}
