using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// The audit path: the sender planted a known-wrong output and reports <see cref="Evidence"/>, a verifier's attestation
/// that it matched. The sender locks the report bond; a dispute opens and is settled by ResolveDispute.
/// </summary>
public sealed record ReportAttestationPayload(Attestation Evidence) : TransactionPayload
{
    public override TransactionKind Kind => TransactionKind.ReportAttestation;

    internal override void Write(CanonicalWriter writer) => Evidence.Write(writer);

    internal static ReportAttestationPayload ReadFields(ref CanonicalReader reader) =>
        new(Attestation.Read(ref reader));
}
