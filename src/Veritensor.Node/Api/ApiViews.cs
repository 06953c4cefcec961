using System.Globalization;
using Veritensor.Client;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Api;

/// <summary>Maps ledger objects to API contracts.</summary>
public static class ApiViews
{
    public static TransactionView Transaction(SignedTransaction signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var tx = signed.Transaction;
        var view = new TransactionView(
            signed.Id.ToString(),
            KindName(tx.Kind),
            tx.ChainId,
            tx.Sender.ToString(),
            tx.Nonce.ToString(CultureInfo.InvariantCulture),
            tx.Fee.ToString()
        );
        return tx.Payload switch
        {
            TransferPayload transfer => view with { To = transfer.To.ToString(), Amount = transfer.Amount.ToString() },
            StakePayload stake => view with { Hotkey = stake.Hotkey.ToString(), Amount = stake.Amount.ToString() },
            RegisterNodePayload register => view with
            {
                Hotkey = register.Hotkey.ToString(),
                Roles = RoleNames(register.Roles),
                Endpoint = register.Endpoint,
            },
            SetSubnetHyperparametersPayload set => view with { Netuid = set.Netuid },
            RegisterNeuronPayload neuron => view with { Netuid = neuron.Netuid, Hotkey = neuron.Hotkey.ToString() },
            SetWeightsPayload weights => view with { Netuid = weights.Netuid },
            CommitWeightsPayload commit => view with { Netuid = commit.Netuid },
            RevealWeightsPayload reveal => view with { Netuid = reveal.Netuid },
            SetDelegateTakePayload take => view with { Hotkey = take.Hotkey.ToString(), Take = take.Take },
            ServeModelPayload serve => view with { Hotkey = serve.Hotkey.ToString() },
            _ => view,
        };
    }

    public static TransactionStatusResponse Status(TransactionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var state = status.State.ToString().ToLowerInvariant();
        var transaction = status.Transaction is null ? null : Transaction(status.Transaction);
        var receipt =
            status.State == TransactionState.Included
                ? new TransactionReceipt(
                    status.BlockHeight!.Value.ToString(CultureInfo.InvariantCulture),
                    status.BlockHash!.Value.ToString(),
                    status.Position!.Value,
                    status.Transaction!.Transaction.Fee.ToString()
                )
                : null;
        var error = status.Error is { } code ? new ErrorView(code.ToString(), status.ErrorMessage ?? "") : null;
        return new TransactionStatusResponse(status.Id.ToString(), state, transaction, receipt, error);
    }

    public static BlockResponse Block(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var header = block.Header;
        return new BlockResponse(
            header.Height.ToString(CultureInfo.InvariantCulture),
            block.Hash.ToString(),
            header.ParentHash.ToString(),
            header.Timestamp,
            header.Proposer.ToString(),
            header.TransactionRoot.ToString(),
            header.StateRoot.ToString(),
            block.Transactions.Count,
            block.Signature.ToString(),
            block.Transactions.Select(Transaction).ToList()
        );
    }

    public static string KindName(TransactionKind kind) =>
        kind switch
        {
            TransactionKind.Transfer => "transfer",
            TransactionKind.AddStake => "addStake",
            TransactionKind.RemoveStake => "removeStake",
            TransactionKind.RegisterNode => "registerNode",
            TransactionKind.CreateSubnet => "createSubnet",
            TransactionKind.SetSubnetHyperparameters => "setSubnetHyperparameters",
            TransactionKind.RegisterNeuron => "registerNeuron",
            TransactionKind.SetWeights => "setWeights",
            TransactionKind.CommitWeights => "commitWeights",
            TransactionKind.RevealWeights => "revealWeights",
            TransactionKind.SetDelegateTake => "setDelegateTake",
            TransactionKind.PublishModel => "publishModel",
            TransactionKind.ServeModel => "serveModel",
            TransactionKind.RecordInference => "recordInference",
            TransactionKind.ResolveDispute => "resolveDispute",
            TransactionKind.ReportAttestation => "reportAttestation",
            TransactionKind.ExpireDispute => "expireDispute",
            _ => ((byte)kind).ToString(CultureInfo.InvariantCulture),
        };

    public static IReadOnlyList<string> RoleNames(NodeRoles roles) =>
        Enum.GetValues<NodeRoles>()
            .Where(r => r is not (NodeRoles.None or NodeRoles.All) && roles.HasFlag(r))
            .Select(r => r.ToString().ToLowerInvariant())
            .ToList();
}
