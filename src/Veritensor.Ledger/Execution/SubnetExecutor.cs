using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Execution;

/// <summary>
/// The subnet transactions (create, hyperparameters, burned registration, weights, commit-reveal). As in
/// <see cref="TransactionExecutor"/>, <see cref="Validate"/> makes every check before <see cref="Apply"/> writes.
/// </summary>
internal static class SubnetExecutor
{
    /// <summary>What the payload takes from the sender's balance besides the fee: the lock, or the burn at <paramref name="height"/>.</summary>
    public static Amount Spend(IStateView state, TransactionPayload payload, ulong height) =>
        payload switch
        {
            CreateSubnetPayload => state.GetSubnetParameters().LockCost,
            RegisterNeuronPayload register when state.GetSubnet(register.Netuid) is { } subnet => subnet.BurnAt(height),
            _ => Amount.Zero,
        };

    public static void Validate(IStateView state, SignedTransaction signed, ulong height)
    {
        var sender = signed.Transaction.Sender;
        switch (signed.Transaction.Payload)
        {
            case CreateSubnetPayload:
                if (state.GetNextNetuid() == SubnetRules.NoMoreNetuids)
                    throw Reject(ErrorCode.SubnetLimitReached, signed, "every netuid has been assigned");
                break;
            case SetSubnetHyperparametersPayload set:
                var owned = RequireSubnet(state, signed, set.Netuid);
                if (owned.Owner != sender)
                    throw Reject(ErrorCode.NotSubnetOwner, signed, $"subnet {set.Netuid} belongs to {owned.Owner}");
                if (set.Hyperparameters.Validate(state.GetSubnetParameters().MinTempo) is { } problem)
                    throw Reject(ErrorCode.InvalidHyperparameter, signed, problem);
                // Shrinking below the uids in use would strand neurons beyond the limit; trimming is not supported.
                if (set.Hyperparameters.MaxAllowedUids < owned.N)
                    throw Reject(
                        ErrorCode.InvalidHyperparameter,
                        signed,
                        $"maxAllowedUids {set.Hyperparameters.MaxAllowedUids} is below the {owned.N} uids in use"
                    );
                break;
            case RegisterNeuronPayload register:
                ValidateRegistration(state, signed, register, height);
                break;
            case SetWeightsPayload weights:
            {
                var subnet = RequireSubnet(state, signed, weights.Netuid);
                if (subnet.Hyperparameters.CommitRevealEnabled)
                    throw Reject(
                        ErrorCode.CommitRevealEnabled,
                        signed,
                        $"subnet {weights.Netuid} runs commit-reveal; commit and reveal the weights instead"
                    );
                var neuron = RequireNeuron(state, signed, weights.Netuid, sender);
                RequireRateLimit(signed, subnet, neuron, height);
                ValidateRow(signed, subnet, neuron.Uid, weights.Uids, weights.Values, weights.VersionKey);
                break;
            }
            case CommitWeightsPayload commit:
            {
                var subnet = RequireSubnet(state, signed, commit.Netuid);
                RequireCommitReveal(signed, subnet, commit.Netuid);
                var neuron = RequireNeuron(state, signed, commit.Netuid, sender);
                RequireRateLimit(signed, subnet, neuron, height);
                if (
                    state.GetWeightCommit(commit.Netuid, sender) is { } pending
                    && RevealEpochOf(commit.Netuid, subnet, pending)
                        >= EpochSchedule.EpochIndex(commit.Netuid, subnet.Hyperparameters.Tempo, height)
                )
                    throw Reject(
                        ErrorCode.WeightsCommitPending,
                        signed,
                        $"the commit made at block {pending.CommittedAt} is not yet revealed or expired"
                    );
                break;
            }
            case RevealWeightsPayload reveal:
            {
                var subnet = RequireSubnet(state, signed, reveal.Netuid);
                RequireCommitReveal(signed, subnet, reveal.Netuid);
                var neuron = RequireNeuron(state, signed, reveal.Netuid, sender);
                var pending = state.GetWeightCommit(reveal.Netuid, sender)
                    ?? throw Reject(
                        ErrorCode.NoWeightsCommit,
                        signed,
                        $"hotkey {sender} has no pending commit on subnet {reveal.Netuid}"
                    );
                var revealEpoch = RevealEpochOf(reveal.Netuid, subnet, pending);
                var epoch = EpochSchedule.EpochIndex(reveal.Netuid, subnet.Hyperparameters.Tempo, height);
                if (epoch < revealEpoch)
                    throw Reject(
                        ErrorCode.WeightsRevealTooEarly,
                        signed,
                        $"the commit can be revealed in epoch {revealEpoch}; this block is in epoch {epoch}"
                    );
                if (epoch > revealEpoch)
                    throw Reject(
                        ErrorCode.WeightsCommitExpired,
                        signed,
                        $"the commit had to be revealed in epoch {revealEpoch}; this block is in epoch {epoch}"
                    );
                if (
                    reveal.Uids.Count != reveal.Values.Count
                    || WeightsCommitment.Compute(
                        sender,
                        reveal.Netuid,
                        reveal.Uids,
                        reveal.Values,
                        reveal.Salt,
                        reveal.VersionKey
                    ) != pending.Hash
                )
                    throw Reject(
                        ErrorCode.WeightsCommitMismatch,
                        signed,
                        "the revealed weights, salt and version key do not hash to the commit"
                    );
                ValidateRow(signed, subnet, neuron.Uid, reveal.Uids, reveal.Values, reveal.VersionKey);
                break;
            }
        }
    }

    public static void Apply(IStateView state, SignedTransaction signed, BlockContext block)
    {
        var sender = signed.Transaction.Sender;
        switch (signed.Transaction.Payload)
        {
            case CreateSubnetPayload:
            {
                // The lock already left the sender's balance with the fee; the subnet record now holds it.
                var netuid = state.GetNextNetuid();
                var rules = state.GetSubnetParameters();
                // A genesis floor above the default tempo lifts the new subnet's tempo to it, so its set stays valid.
                var hyperparameters = new SubnetHyperparameters();
                if (hyperparameters.Tempo < rules.MinTempo)
                    hyperparameters = hyperparameters with { Tempo = rules.MinTempo };
                state.SetSubnet(
                    netuid,
                    new Subnet(
                        sender,
                        block.Height,
                        rules.LockCost,
                        BurnSchedule.Initial,
                        block.Height,
                        0,
                        hyperparameters
                    )
                );
                state.SetNextNetuid((ushort)(netuid + 1));
                break;
            }
            case SetSubnetHyperparametersPayload set:
                state.SetSubnet(
                    set.Netuid,
                    state.GetSubnet(set.Netuid)! with
                    {
                        Hyperparameters = set.Hyperparameters,
                    }
                );
                break;
            case RegisterNeuronPayload register:
                ApplyRegistration(state, sender, register, block.Height);
                break;
            case SetWeightsPayload weights:
            {
                var uid = state.GetUid(weights.Netuid, sender)!.Value;
                state.SetWeights(weights.Netuid, uid, weights.Uids, WeightMath.MaxUpscale(weights.Values));
                state.SetNeuron(
                    weights.Netuid,
                    state.GetNeuron(weights.Netuid, uid)! with
                    {
                        LastUpdate = block.Height,
                    }
                );
                break;
            }
            case CommitWeightsPayload commit:
            {
                var uid = state.GetUid(commit.Netuid, sender)!.Value;
                state.SetWeightCommit(commit.Netuid, sender, new WeightCommit(commit.Hash, block.Height));
                // As in subtensor, last update moves at commit time; the reveal leaves it alone.
                state.SetNeuron(commit.Netuid, state.GetNeuron(commit.Netuid, uid)! with { LastUpdate = block.Height });
                break;
            }
            case RevealWeightsPayload reveal:
            {
                var uid = state.GetUid(reveal.Netuid, sender)!.Value;
                state.SetWeights(reveal.Netuid, uid, reveal.Uids, WeightMath.MaxUpscale(reveal.Values));
                state.DeleteWeightCommit(reveal.Netuid, sender);
                break;
            }
        }
    }

    private static void ValidateRegistration(
        IStateView state,
        SignedTransaction signed,
        RegisterNeuronPayload register,
        ulong height
    )
    {
        var sender = signed.Transaction.Sender;
        var subnet = RequireSubnet(state, signed, register.Netuid);
        // Execution checked this already; admission has only the fee in the mempool's balance check, so repeat it here.
        var burn = subnet.BurnAt(height);
        var balance = state.GetAccount(sender).Balance;
        if (balance < burn || balance - burn < signed.Transaction.Fee)
            throw Reject(
                ErrorCode.InsufficientBalance,
                signed,
                $"the account holds {balance} and the registration burn is {burn} plus the fee {signed.Transaction.Fee}"
            );
        if (state.GetUid(register.Netuid, register.Hotkey) is { } uid)
            throw Reject(
                ErrorCode.NeuronAlreadyRegistered,
                signed,
                $"hotkey {register.Hotkey} already holds uid {uid} on subnet {register.Netuid}"
            );
        var owner = state.GetHotkeyOwner(register.Hotkey) ?? state.GetNode(register.Hotkey)?.Owner;
        if (owner is { } existing && existing != sender)
            throw Reject(
                ErrorCode.HotkeyOwnedByAnother,
                signed,
                $"hotkey {register.Hotkey} belongs to coldkey {existing}"
            );
        if (
            subnet.N >= subnet.Hyperparameters.MaxAllowedUids
            && NeuronToReplace(state, register.Netuid, subnet, height) is null
        )
            throw Reject(
                ErrorCode.SubnetFull,
                signed,
                $"subnet {register.Netuid} has all {subnet.N} uids in use and every neuron is within its immunity period of {subnet.Hyperparameters.ImmunityPeriod} blocks"
            );
    }

    private static void ApplyRegistration(
        IStateView state,
        Address coldkey,
        RegisterNeuronPayload register,
        ulong height
    )
    {
        var subnet = state.GetSubnet(register.Netuid)!;
        var (burn, burnAnchor) = BurnSchedule.At(subnet.Burn, subnet.BurnUpdatedAt, height);
        // The burn left the sender's balance with the fee; it is destroyed, so total issuance falls by as much.
        state.SetTotalIssuance(state.GetTotalIssuance() - burn);
        state.SetTotalBurned(state.GetTotalBurned() + burn);

        ushort uid;
        var n = subnet.N;
        if (n < subnet.Hyperparameters.MaxAllowedUids)
        {
            uid = n++;
        }
        else
        {
            var replaced = NeuronToReplace(state, register.Netuid, subnet, height)!;
            uid = replaced.Uid;
            state.DeleteUid(register.Netuid, replaced.Hotkey);
            state.DeleteWeightCommit(register.Netuid, replaced.Hotkey);
            state.DeleteWeights(register.Netuid, uid);
            // The predecessor's bonds are not the newcomer's; bonds others hold on this uid the epoch drops by registration block.
            state.SetBonds(register.Netuid, uid, []);
        }
        state.SetNeuron(register.Netuid, Neuron.Registered(register.Hotkey, coldkey, uid, height));
        state.SetUid(register.Netuid, register.Hotkey, uid);
        state.SetHotkeyOwner(register.Hotkey, coldkey);
        state.SetSubnet(
            register.Netuid,
            subnet with
            {
                Burn = BurnSchedule.AfterRegistration(burn),
                BurnUpdatedAt = burnAnchor,
                N = n,
            }
        );
    }

    /// <summary>
    /// The uid a registration into a full subnet takes over (yuma.md §7): among neurons past their immunity period,
    /// the lowest emission, ties to the earliest registration block, then the lowest uid. Null when all are immune.
    /// </summary>
    public static Neuron? NeuronToReplace(IStateView state, ushort netuid, Subnet subnet, ulong height)
    {
        Neuron? best = null;
        for (ushort uid = 0; uid < subnet.N; uid++)
        {
            var neuron = state.GetNeuron(netuid, uid)!;
            if (height - neuron.RegisteredAt < subnet.Hyperparameters.ImmunityPeriod)
                continue;
            if (
                best is null
                || neuron.Emission < best.Emission
                || (neuron.Emission == best.Emission && neuron.RegisteredAt < best.RegisteredAt)
            )
                best = neuron;
        }
        return best;
    }

    private static void ValidateRow(
        SignedTransaction signed,
        Subnet subnet,
        ushort selfUid,
        IReadOnlyList<ushort> uids,
        IReadOnlyList<ushort> values,
        ulong versionKey
    )
    {
        var rules = subnet.Hyperparameters;
        if (uids.Count != values.Count)
            throw Reject(ErrorCode.InvalidWeights, signed, $"{uids.Count} uids but {values.Count} values");
        if (versionKey < rules.WeightsVersionKey)
            throw Reject(
                ErrorCode.WeightsVersionTooLow,
                signed,
                $"version key {versionKey} is below the subnet's {rules.WeightsVersionKey}"
            );
        var seen = new HashSet<ushort>();
        foreach (var uid in uids)
        {
            if (!seen.Add(uid))
                throw Reject(ErrorCode.InvalidWeights, signed, $"uid {uid} appears more than once");
            if (uid >= subnet.N)
                throw Reject(
                    ErrorCode.InvalidWeights,
                    signed,
                    $"uid {uid} is not in use; the subnet has {subnet.N} uids"
                );
        }
        // subtensor: at least min(n, min allowed weights) entries, unless the row is a single self-weight.
        var required = Math.Min(subnet.N, rules.MinAllowedWeights);
        var selfWeightOnly = uids.Count == 1 && uids[0] == selfUid;
        if (uids.Count < required && !selfWeightOnly)
            throw Reject(
                ErrorCode.TooFewWeights,
                signed,
                $"{uids.Count} weights; the subnet requires at least {required}"
            );
        if (!selfWeightOnly && !WeightMath.WithinMaxWeightLimit(values, rules.MaxWeightLimit))
            throw Reject(
                ErrorCode.MaxWeightLimitExceeded,
                signed,
                $"one uid's normalised weight exceeds the limit {rules.MaxWeightLimit} of 65535"
            );
    }

    private static void RequireRateLimit(SignedTransaction signed, Subnet subnet, Neuron neuron, ulong height)
    {
        var since = height - Math.Min(height, neuron.LastUpdate);
        if (since < subnet.Hyperparameters.WeightsRateLimit)
            throw Reject(
                ErrorCode.WeightsRateLimited,
                signed,
                $"uid {neuron.Uid} last updated its weights at block {neuron.LastUpdate}; the rate limit is {subnet.Hyperparameters.WeightsRateLimit} blocks"
            );
    }

    private static void RequireCommitReveal(SignedTransaction signed, Subnet subnet, ushort netuid)
    {
        if (!subnet.Hyperparameters.CommitRevealEnabled)
            throw Reject(
                ErrorCode.CommitRevealDisabled,
                signed,
                $"subnet {netuid} does not run commit-reveal; set the weights directly"
            );
    }

    /// <summary>The one epoch in which <paramref name="commit"/> may be revealed: its own epoch plus the reveal period.</summary>
    internal static ulong RevealEpochOf(ushort netuid, Subnet subnet, WeightCommit commit) =>
        EpochSchedule.EpochIndex(netuid, subnet.Hyperparameters.Tempo, commit.CommittedAt)
        + subnet.Hyperparameters.RevealPeriodEpochs;

    private static Subnet RequireSubnet(IStateView state, SignedTransaction signed, ushort netuid) =>
        state.GetSubnet(netuid) ?? throw Reject(ErrorCode.SubnetNotFound, signed, $"there is no subnet {netuid}");

    private static Neuron RequireNeuron(IStateView state, SignedTransaction signed, ushort netuid, Address hotkey) =>
        state.GetUid(netuid, hotkey) is { } uid
            ? state.GetNeuron(netuid, uid)!
            : throw Reject(ErrorCode.NeuronNotRegistered, signed, $"hotkey {hotkey} holds no uid on subnet {netuid}");

    private static LedgerException Reject(ErrorCode code, SignedTransaction signed, string reason) =>
        TransactionExecutor.Reject(code, signed, reason);
}
