using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// The inference transactions: publish and serve models, record inferences (fees, escrow), resolve disputes (slashing),
/// report attestations and expire disputes that found no majority (refunds). As in <see cref="TransactionExecutor"/>, <see cref="Validate"/> makes every check and plans
/// every write before <see cref="Apply"/> writes anything. Fees move between balances, slashes move stake to balances and
/// escrow stays inside <see cref="Dispute"/> records: the total issuance never changes.
/// </summary>
internal static class InferenceExecutor
{
    /// <summary>What the payload takes from the sender's balance besides the fee: the report bond.</summary>
    public static Amount Spend(IStateView state, TransactionPayload payload) =>
        payload is ReportAttestationPayload ? state.GetInferenceParameters().ReportBond : Amount.Zero;

    /// <summary>Checks the payload against <paramref name="state"/> at <paramref name="height"/> and returns the writes it will make.</summary>
    public static InferencePlan Validate(
        IStateView state,
        SignedTransaction signed,
        ulong height,
        Func<ulong, Hash256?>? blockHash
    )
    {
        try
        {
            return Plan(state, signed, height, blockHash);
        }
        catch (OverflowException)
        {
            // Only absurd prices get here (a fee or a user's total above what an amount can hold); a block must never fail on them.
            throw Reject(ErrorCode.InvalidField, signed, "the fees add up to more than an amount can hold");
        }
    }

    private static InferencePlan Plan(
        IStateView state,
        SignedTransaction signed,
        ulong height,
        Func<ulong, Hash256?>? blockHash
    )
    {
        var plan = new InferencePlan();
        var sender = signed.Transaction.Sender;
        switch (signed.Transaction.Payload)
        {
            case PublishModelPayload publish:
                ModelTransactions.ValidatePublish(state, signed, publish);
                plan.Records.Add(s =>
                    s.AddModel(
                        new ModelRecord(
                            sender,
                            publish.Name,
                            publish.Version,
                            publish.ContentId,
                            publish.SizeBytes,
                            publish.Signature,
                            publish.Price,
                            publish.Tolerance,
                            height
                        )
                    )
                );
                break;
            case ServeModelPayload serve:
                ModelTransactions.ValidateServe(state, signed, serve);
                plan.Records.Add(s => s.SetServing(serve.ContentId, serve.Hotkey, serve.Serving));
                break;
            case RecordInferencePayload record:
                InferenceRecords.PlanRecords(state, signed, record, height, blockHash, plan);
                break;
            case ResolveDisputePayload resolve:
                DisputeTransactions.PlanResolution(state, signed, resolve, height, blockHash, plan);
                break;
            case ReportAttestationPayload report:
                AttestationReports.PlanReport(state, signed, report, height, blockHash, plan);
                break;
            case ExpireDisputePayload expire:
                DisputeTransactions.PlanExpiry(state, signed, expire, height, plan);
                break;
            default:
                throw new InvalidOperationException(
                    $"{signed.Transaction.Payload.Kind} is not an inference transaction."
                );
        }
        return plan;
    }

    public static void Apply(IStateView state, InferencePlan plan) => plan.Apply(state);

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
