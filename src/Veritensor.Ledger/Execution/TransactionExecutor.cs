using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// The deterministic state machine: applies one transaction whose signatures were already verified.
/// Every check runs before the first write, and <see cref="Execute"/> also undoes partial writes on any
/// failure, so a rejected transaction changes nothing. Pure: no I/O, no clock.
/// </summary>
internal static class TransactionExecutor
{
    public static void Execute(StateOverlay state, SignedTransaction signed, BlockContext block)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(block);
        var checkpoint = state.Checkpoint();
        try
        {
            Apply(state, signed, block);
            // Measuring growth walks the transaction's writes, so a chain that does not price state skips it.
            var growth = block.Parameters.StateByteFee == Amount.Zero ? 0 : state.GrowthSince(checkpoint);
            BurnResourceCharge(state, signed, block.Parameters, growth);
        }
        catch
        {
            state.RevertTo(checkpoint);
            throw;
        }
    }

    /// <summary>
    /// Burns what the transaction costs the chain besides its fee (<see cref="ChainParameters.TryResourceCharge"/>):
    /// its bytes, and the state it added, measured on what it actually wrote. A sender that cannot pay it after the
    /// transaction is refused, and <see cref="Execute"/> undoes the transaction's writes.
    /// </summary>
    private static void BurnResourceCharge(
        StateOverlay state,
        SignedTransaction signed,
        ChainParameters parameters,
        long stateBytes
    )
    {
        var sender = signed.Transaction.Sender;
        var account = state.GetAccount(sender);
        if (!parameters.TryResourceCharge(signed.Size, stateBytes, out var charge) || charge > account.Balance)
            throw Reject(
                ErrorCode.InsufficientBalance,
                signed,
                $"it is {signed.Size} bytes and adds {Math.Max(0, stateBytes)} bytes of state, which burns {ResourceChargeText(parameters, signed.Size, stateBytes)}; the account holds {account.Balance} after the transaction"
            );
        if (charge == Amount.Zero)
            return;
        state.SetAccount(sender, account with { Balance = account.Balance - charge });
        state.SetTotalIssuance(state.GetTotalIssuance() - charge);
        state.SetTotalBurned(state.GetTotalBurned() + charge);
    }

    private static string ResourceChargeText(ChainParameters parameters, int size, long stateBytes) =>
        parameters.TryResourceCharge(size, stateBytes, out var charge) ? charge.ToString() : "more than exists";

    /// <summary>Why a transaction signed for another chain of the same name is refused.</summary>
    internal static string WrongGenesis(Transaction tx, Hash256 genesis) =>
        $"it is signed for genesis {tx.Genesis}, but chain '{tx.ChainId}' here started from genesis {genesis}: "
        + "the chain was reset or relaunched since it was signed; sign it again for this chain";

    private static void Apply(StateOverlay state, SignedTransaction signed, BlockContext block)
    {
        var tx = signed.Transaction;
        if (tx.ChainId != block.ChainId)
            throw Reject(ErrorCode.WrongChain, signed, $"it is for chain '{tx.ChainId}', this is '{block.ChainId}'");
        if (tx.Genesis != block.Genesis)
            throw Reject(ErrorCode.WrongChain, signed, WrongGenesis(tx, block.Genesis));
        if (signed.Size > block.Parameters.MaxTransactionBytes)
            throw Reject(
                ErrorCode.TransactionTooLarge,
                signed,
                $"it is {signed.Size} bytes; the limit is {block.Parameters.MaxTransactionBytes}"
            );
        if (tx.Fee < block.Parameters.MinFee)
            throw Reject(
                ErrorCode.FeeTooLow,
                signed,
                $"the fee {tx.Fee} is below the minimum {block.Parameters.MinFee}"
            );
        var sender = state.GetAccount(tx.Sender);
        if (tx.Nonce < sender.Nonce)
            throw Reject(
                ErrorCode.NonceTooLow,
                signed,
                $"nonce {tx.Nonce} was already used; the account's next nonce is {sender.Nonce}"
            );
        if (tx.Nonce > sender.Nonce)
            throw Reject(
                ErrorCode.NonceTooHigh,
                signed,
                $"nonce {tx.Nonce} is ahead of the account's next nonce {sender.Nonce}"
            );

        var family = TransactionDispatch.FamilyOf(tx.Payload.Kind);
        var spend = family switch
        {
            TransactionFamily.Inference => InferenceExecutor.Spend(state, tx.Payload),
            TransactionFamily.Subnet => SubnetExecutor.Spend(state, tx.Payload, block.Height),
            _ => tx.Payload switch
            {
                TransferPayload transfer => transfer.Amount,
                StakePayload { Kind: TransactionKind.AddStake } stake => stake.Amount,
                _ => Amount.Zero,
            },
        };
        if (!TryAdd(spend, tx.Fee, out var debit) || debit > sender.Balance)
            throw Reject(
                ErrorCode.InsufficientBalance,
                signed,
                $"the account holds {sender.Balance} and needs {(TryAdd(spend, tx.Fee, out var total) ? total.ToString() : "more than exists")} (amount plus fee)"
            );

        // Checks specific to the payload come before any write. Inference checks also plan the writes (they verify
        // many signatures and draw verifiers, which is worth doing once).
        var inferencePlan =
            family == TransactionFamily.Inference
                ? InferenceExecutor.Validate(state, signed, block.Height, block.BlockHash)
                : null;
        if (inferencePlan is null)
            ValidatePayload(state, signed, block.Height);

        state.SetAccount(tx.Sender, new AccountState(sender.Balance - debit, sender.Nonce + 1));
        Credit(state, block.Proposer, tx.Fee);
        if (family == TransactionFamily.Inference)
        {
            InferenceExecutor.Apply(state, inferencePlan!);
            return;
        }
        if (family == TransactionFamily.Subnet)
        {
            SubnetExecutor.Apply(state, signed, block);
            return;
        }
        switch (tx.Payload)
        {
            case TransferPayload transfer:
                Credit(state, transfer.To, transfer.Amount);
                break;
            case StakePayload { Kind: TransactionKind.AddStake } add:
                state.SetStake(tx.Sender, add.Hotkey, state.GetStake(tx.Sender, add.Hotkey) + add.Amount);
                state.SetHotkeyStake(add.Hotkey, state.GetHotkeyStake(add.Hotkey) + add.Amount);
                StakeMaturity.Added(state, tx.Sender, add.Hotkey, add.Amount, block.Height);
                break;
            case StakePayload remove when Unbonding.Applies(state, remove.Hotkey):
                state.BeginWithdrawal(
                    tx.Sender,
                    remove.Hotkey,
                    remove.Amount,
                    block.Height,
                    state.GetInferenceParameters()
                );
                StakeMaturity.Removed(state, tx.Sender, remove.Hotkey, remove.Amount);
                break;
            case StakePayload remove:
                state.SetStake(tx.Sender, remove.Hotkey, state.GetStake(tx.Sender, remove.Hotkey) - remove.Amount);
                state.SetHotkeyStake(remove.Hotkey, state.GetHotkeyStake(remove.Hotkey) - remove.Amount);
                StakeMaturity.Removed(state, tx.Sender, remove.Hotkey, remove.Amount);
                Credit(state, tx.Sender, remove.Amount);
                break;
            case SetDelegateTakePayload take:
                state.SetDelegateTake(take.Hotkey, take.Take);
                break;
            case RegisterNodePayload register:
                var registeredAt = state.GetNode(register.Hotkey)?.RegisteredAt ?? block.Height;
                state.SetNode(
                    register.Hotkey,
                    new NodeRecord(tx.Sender, register.Roles, register.Endpoint, registeredAt)
                );
                state.RefreshVerifierIndex(register.Hotkey);
                break;
            default:
                throw new InvalidOperationException(
                    $"{tx.Payload.Kind} is listed as a core transaction but has no branch here."
                );
        }
    }

    /// <summary>
    /// The checks a payload must pass against <paramref name="state"/> (amounts, recipient, hotkey registration,
    /// stake held, roles, endpoint, ownership). Blocks run them before applying; admission runs them against the
    /// committed state so that most rejections reach the sender at once rather than as a dropped transaction.
    /// <paramref name="height"/> is the block the transaction would run in (rate limits, immunity, burn, reveal windows);
    /// <paramref name="blockHash"/> gives committed blocks' hashes (inference anchors), or null when none are known.
    /// </summary>
    public static void ValidatePayload(
        IStateView state,
        SignedTransaction signed,
        ulong height,
        Func<ulong, Hash256?>? blockHash = null
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signed);
        var sender = signed.Transaction.Sender;
        switch (TransactionDispatch.FamilyOf(signed.Transaction.Payload.Kind))
        {
            case TransactionFamily.Inference:
                InferenceExecutor.Validate(state, signed, height, blockHash);
                return;
            case TransactionFamily.Subnet:
                SubnetExecutor.Validate(state, signed, height);
                return;
        }
        switch (signed.Transaction.Payload)
        {
            case TransferPayload transfer:
                RequirePositive(transfer.Amount, signed);
                if (transfer.To.IsZero)
                    throw Reject(ErrorCode.InvalidField, signed, "the recipient is the zero address");
                break;
            case StakePayload stake:
                RequirePositive(stake.Amount, signed);
                // A node or a neuron hotkey: a miner withdraws what its neuron earned, and anyone may nominate either.
                if (state.GetNode(stake.Hotkey) is null && state.GetHotkeyOwner(stake.Hotkey) is null)
                    throw Reject(
                        ErrorCode.HotkeyNotRegistered,
                        signed,
                        $"hotkey {stake.Hotkey} is neither a registered node nor a neuron"
                    );
                if (stake.Kind == TransactionKind.RemoveStake)
                    ValidateRemoval(state, signed, stake);
                break;
            case SetDelegateTakePayload take:
                ValidateDelegateTake(state, signed, take);
                break;
            case RegisterNodePayload register:
                ValidateRegistration(state, signed, register);
                break;
            default:
                throw new InvalidOperationException(
                    $"{signed.Transaction.Payload.Kind} is listed as a core transaction but has no check here."
                );
        }
    }

    /// <summary>Stake that is not already unbonding, on a node no pending dispute names.</summary>
    private static void ValidateRemoval(IStateView state, SignedTransaction signed, StakePayload stake)
    {
        var sender = signed.Transaction.Sender;
        var unbonding = state.GetWithdrawal(sender, stake.Hotkey)?.Amount ?? Amount.Zero;
        var free = state.GetStake(sender, stake.Hotkey) - unbonding;
        if (free < stake.Amount)
            throw Reject(
                ErrorCode.InsufficientStake,
                signed,
                unbonding == Amount.Zero
                    ? $"the stake on {stake.Hotkey} is {free}, less than {stake.Amount}"
                    : $"the stake on {stake.Hotkey} that is not already unbonding is {free} ({unbonding} is), less than {stake.Amount}"
            );
        if (state.GetOpenDisputes(stake.Hotkey) is > 0 and var open)
            throw Reject(
                ErrorCode.StakeFrozen,
                signed,
                $"{open} pending dispute(s) name node {stake.Hotkey}; its stake cannot leave until they close"
            );
    }

    private static void ValidateDelegateTake(IStateView state, SignedTransaction signed, SetDelegateTakePayload take)
    {
        if (take.Take > DelegateTake.Max)
            throw Reject(
                ErrorCode.DelegateTakeTooHigh,
                signed,
                $"take {take.Take} is above the maximum {DelegateTake.Max} (about 18 %)"
            );
        var nodeOwner = state.GetNode(take.Hotkey)?.Owner;
        var neuronOwner = state.GetHotkeyOwner(take.Hotkey);
        if (nodeOwner is null && neuronOwner is null)
            throw Reject(
                ErrorCode.HotkeyNotRegistered,
                signed,
                $"hotkey {take.Hotkey} is neither a registered node nor a neuron"
            );
        var sender = signed.Transaction.Sender;
        if ((nodeOwner is { } n && n != sender) || (neuronOwner is { } o && o != sender))
            throw Reject(
                ErrorCode.HotkeyOwnedByAnother,
                signed,
                $"hotkey {take.Hotkey} belongs to coldkey {nodeOwner ?? neuronOwner}"
            );
    }

    private static void ValidateRegistration(IStateView state, SignedTransaction signed, RegisterNodePayload register)
    {
        if (register.Roles == NodeRoles.None || (register.Roles & ~NodeRoles.All) != 0)
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                $"roles {(byte)register.Roles} must be a non-empty combination of validator, gateway, inference, verifier"
            );
        if (!IsValidEndpoint(register.Endpoint))
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                $"endpoint '{register.Endpoint}' must be empty or an absolute http(s) URL"
            );
        var existing = state.GetNode(register.Hotkey);
        if (existing is not null && existing.Owner != signed.Transaction.Sender)
            throw Reject(
                ErrorCode.HotkeyOwnedByAnother,
                signed,
                $"hotkey {register.Hotkey} belongs to coldkey {existing.Owner}"
            );
        // A hotkey registered as a neuron is bound to that coldkey on every subnet; its node must be the same coldkey's.
        if (state.GetHotkeyOwner(register.Hotkey) is { } neuronOwner && neuronOwner != signed.Transaction.Sender)
            throw Reject(
                ErrorCode.HotkeyOwnedByAnother,
                signed,
                $"hotkey {register.Hotkey} is a neuron of coldkey {neuronOwner}"
            );
        // Validators sign blocks, so the set is fixed by genesis until validator election exists: a registration
        // may neither make a node a validator (anyone could then propose blocks) nor drop the role (the last
        // validator could halt the chain).
        var wasValidator = existing?.Roles.HasFlag(NodeRoles.Validator) ?? false;
        if (register.Roles.HasFlag(NodeRoles.Validator) != wasValidator)
            throw Reject(
                ErrorCode.InvalidField,
                signed,
                wasValidator
                    ? $"hotkey {register.Hotkey} is a genesis validator and must keep the validator role"
                    : "the validator role is granted by genesis only; register as gateway, inference or verifier"
            );
    }

    public static bool IsValidEndpoint(string endpoint) =>
        endpoint.Length == 0
        || (
            Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        );

    private static void Credit(IStateView state, Address address, Amount amount)
    {
        if (amount == Amount.Zero)
            return;
        var account = state.GetAccount(address);
        state.SetAccount(address, account with { Balance = account.Balance + amount });
    }

    private static void RequirePositive(Amount amount, SignedTransaction signed)
    {
        if (amount == Amount.Zero)
            throw Reject(ErrorCode.ZeroAmount, signed, "the amount is zero");
    }

    private static bool TryAdd(Amount a, Amount b, out Amount sum)
    {
        if (ulong.MaxValue - a.BaseUnits < b.BaseUnits)
        {
            sum = default;
            return false;
        }
        sum = new Amount(a.BaseUnits + b.BaseUnits);
        return true;
    }

    internal static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        new(code, $"Transaction {signed.Id} rejected: {reason}.");
}
