using System.Collections.Frozen;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>Which executor owns a transaction kind.</summary>
internal enum TransactionFamily
{
    /// <summary>Balances, stake, delegate takes and node registration: <see cref="TransactionExecutor"/> itself.</summary>
    Core,

    /// <summary>Subnets, neurons and weights: <see cref="SubnetExecutor"/>.</summary>
    Subnet,

    /// <summary>Models, inference records, disputes and reports: <see cref="InferenceExecutor"/>.</summary>
    Inference,
}

/// <summary>
/// The table from transaction kind to executor. Every kind must be listed: a kind missing here throws instead of
/// silently reaching some executor's default branch.
/// </summary>
internal static class TransactionDispatch
{
    private static readonly FrozenDictionary<TransactionKind, TransactionFamily> Families = new Dictionary<
        TransactionKind,
        TransactionFamily
    >
    {
        [TransactionKind.Transfer] = TransactionFamily.Core,
        [TransactionKind.AddStake] = TransactionFamily.Core,
        [TransactionKind.RemoveStake] = TransactionFamily.Core,
        [TransactionKind.RegisterNode] = TransactionFamily.Core,
        [TransactionKind.SetDelegateTake] = TransactionFamily.Core,
        [TransactionKind.CreateSubnet] = TransactionFamily.Subnet,
        [TransactionKind.SetSubnetHyperparameters] = TransactionFamily.Subnet,
        [TransactionKind.RegisterNeuron] = TransactionFamily.Subnet,
        [TransactionKind.SetWeights] = TransactionFamily.Subnet,
        [TransactionKind.CommitWeights] = TransactionFamily.Subnet,
        [TransactionKind.RevealWeights] = TransactionFamily.Subnet,
        [TransactionKind.PublishModel] = TransactionFamily.Inference,
        [TransactionKind.ServeModel] = TransactionFamily.Inference,
        [TransactionKind.RecordInference] = TransactionFamily.Inference,
        [TransactionKind.ResolveDispute] = TransactionFamily.Inference,
        [TransactionKind.ReportAttestation] = TransactionFamily.Inference,
        [TransactionKind.ExpireDispute] = TransactionFamily.Inference,
    }.ToFrozenDictionary();

    public static TransactionFamily FamilyOf(TransactionKind kind) =>
        Families.TryGetValue(kind, out var family)
            ? family
            : throw new InvalidOperationException(
                $"No executor handles transaction kind {kind} ({(byte)kind}); add it to {nameof(TransactionDispatch)}."
            );
}
