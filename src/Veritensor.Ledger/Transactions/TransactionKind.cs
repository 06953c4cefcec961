namespace Veritensor.Ledger.Transactions;

/// <summary>The kind byte of a transaction. Values are part of the wire format: never reuse one.</summary>
public enum TransactionKind : byte
{
    Transfer = 1,
    AddStake = 2,
    RemoveStake = 3,
    RegisterNode = 4,
    CreateSubnet = 5,
    SetSubnetHyperparameters = 6,
    RegisterNeuron = 7,
    SetWeights = 8,
    CommitWeights = 9,
    RevealWeights = 10,
    SetDelegateTake = 11,
    PublishModel = 12,
    ServeModel = 13,
    RecordInference = 14,
    ResolveDispute = 15,
    ReportAttestation = 16,
    ExpireDispute = 17,
}
