using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>What a transaction does. Each kind writes its fields in a fixed order after the common header.</summary>
public abstract record TransactionPayload
{
    public abstract TransactionKind Kind { get; }

    internal abstract void Write(CanonicalWriter writer);

    internal static TransactionPayload Read(TransactionKind kind, ref CanonicalReader reader) =>
        kind switch
        {
            TransactionKind.Transfer => TransferPayload.ReadFields(ref reader),
            TransactionKind.AddStake => StakePayload.ReadFields(kind, ref reader),
            TransactionKind.RemoveStake => StakePayload.ReadFields(kind, ref reader),
            TransactionKind.RegisterNode => RegisterNodePayload.ReadFields(ref reader),
            TransactionKind.CreateSubnet => new CreateSubnetPayload(),
            TransactionKind.SetSubnetHyperparameters => SetSubnetHyperparametersPayload.ReadFields(ref reader),
            TransactionKind.RegisterNeuron => RegisterNeuronPayload.ReadFields(ref reader),
            TransactionKind.SetWeights => SetWeightsPayload.ReadFields(ref reader),
            TransactionKind.CommitWeights => CommitWeightsPayload.ReadFields(ref reader),
            TransactionKind.RevealWeights => RevealWeightsPayload.ReadFields(ref reader),
            TransactionKind.SetDelegateTake => SetDelegateTakePayload.ReadFields(ref reader),
            TransactionKind.PublishModel => PublishModelPayload.ReadFields(ref reader),
            TransactionKind.ServeModel => ServeModelPayload.ReadFields(ref reader),
            TransactionKind.RecordInference => RecordInferencePayload.ReadFields(ref reader),
            TransactionKind.ResolveDispute => ResolveDisputePayload.ReadFields(ref reader),
            TransactionKind.ReportAttestation => ReportAttestationPayload.ReadFields(ref reader),
            TransactionKind.ExpireDispute => ExpireDisputePayload.ReadFields(ref reader),
            _ => throw new LedgerException(ErrorCode.UnknownTransactionType, $"Unknown transaction type {(byte)kind}."),
        };
}
