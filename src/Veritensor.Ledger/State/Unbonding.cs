using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.State;

/// <summary>A coldkey's stake on a node hotkey on its way out: <see cref="Amount"/> leaves the stake at <see cref="ReleaseAt"/>.</summary>
public sealed record PendingWithdrawal(Amount Amount, ulong ReleaseAt);

/// <summary>
/// Stake on a node (an inference or verification hotkey) leaves only after an unbonding delay, and never while a
/// dispute names the node: until released it stays staked, so a slash for work it backed still reaches it. The delay
/// (<see cref="Blocks"/>) outlasts the anchor window plus the dispute window, the longest a dispute about work done
/// before the withdrawal can take to open and close. Stake on any other hotkey (a validator, a gateway, a subnet
/// neuron: nothing a dispute slashes) leaves at once.
/// </summary>
public static class Unbonding
{
    /// <summary>Whether stake on <paramref name="hotkey"/> unbonds: it is a node with a role a dispute can slash.</summary>
    public static bool Applies(IStateView state, Address hotkey) =>
        state.GetNode(hotkey) is { } node && (node.Roles & (NodeRoles.Inference | NodeRoles.Verifier)) != 0;

    /// <summary>How long stake on a node unbonds: anchor window plus dispute window plus one block.</summary>
    public static ulong Blocks(InferenceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return checked(parameters.AnchorWindow + parameters.DisputeWindow + 1);
    }

    public static PendingWithdrawal? GetWithdrawal(this IStateView state, Address coldkey, Address hotkey)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Get(StateKeys.Withdrawal(coldkey, hotkey)) is not { } bytes)
            return null;
        var reader = new CanonicalReader(bytes);
        var withdrawal = new PendingWithdrawal(reader.ReadAmount("amount"), reader.ReadU64("releaseAt"));
        reader.EnsureEnd("withdrawal");
        return withdrawal;
    }

    /// <summary>Starts (or adds to) a withdrawal of <paramref name="amount"/>; all of it is released <see cref="Blocks"/> after <paramref name="height"/>.</summary>
    public static void BeginWithdrawal(
        this IStateView state,
        Address coldkey,
        Address hotkey,
        Amount amount,
        ulong height,
        InferenceParameters parameters
    )
    {
        var pending = state.GetWithdrawal(coldkey, hotkey)?.Amount ?? Amount.Zero;
        Schedule(state, coldkey, hotkey, new PendingWithdrawal(pending + amount, checked(height + Blocks(parameters))));
    }

    /// <summary>
    /// The block step: releases every withdrawal due at <paramref name="height"/> (what is left of it after slashes),
    /// and puts off by one block those of a node a pending dispute names.
    /// </summary>
    public static void ReleaseDue(IStateView state, ulong height)
    {
        ArgumentNullException.ThrowIfNull(state);
        var dueKey = StateKeys.WithdrawalsDue(height);
        if (state.Get(dueKey) is not { } due)
            return;
        state.Delete(dueKey);
        for (var offset = 0; offset < due.Length; offset += 2 * Address.Size)
        {
            var coldkey = new Address(due.AsSpan(offset, Address.Size));
            var hotkey = new Address(due.AsSpan(offset + Address.Size, Address.Size));
            // A later withdrawal moved the release: this listing is stale.
            if (state.GetWithdrawal(coldkey, hotkey) is not { } withdrawal || withdrawal.ReleaseAt != height)
                continue;
            if (state.GetOpenDisputes(hotkey) > 0)
            {
                Schedule(state, coldkey, hotkey, withdrawal with { ReleaseAt = height + 1 });
                continue;
            }
            var staked = state.GetStake(coldkey, hotkey);
            var amount = withdrawal.Amount < staked ? withdrawal.Amount : staked;
            state.SetStake(coldkey, hotkey, staked - amount);
            state.SetHotkeyStake(hotkey, state.GetHotkeyStake(hotkey) - amount);
            var account = state.GetAccount(coldkey);
            state.SetAccount(coldkey, account with { Balance = account.Balance + amount });
            state.Delete(StateKeys.Withdrawal(coldkey, hotkey));
        }
    }

    public static uint GetOpenDisputes(this IStateView state, Address hotkey)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(StateKeys.OpenDisputes(hotkey)) is { } bytes
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : 0;
    }

    /// <summary>Counts a dispute opening (+1) or closing (-1) against each node it names.</summary>
    public static void CountOpenDispute(this IStateView state, Dispute dispute, bool opened)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        foreach (var hotkey in dispute.Accused.Distinct())
        {
            var count = state.GetOpenDisputes(hotkey);
            count = opened ? checked(count + 1) : count - 1;
            var key = StateKeys.OpenDisputes(hotkey);
            if (count == 0)
            {
                state.Delete(key);
                continue;
            }
            var bytes = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, count);
            state.Set(key, bytes);
        }
    }

    private static void Schedule(IStateView state, Address coldkey, Address hotkey, PendingWithdrawal withdrawal)
    {
        state.Set(
            StateKeys.Withdrawal(coldkey, hotkey),
            new CanonicalWriter(16).WriteAmount(withdrawal.Amount).WriteU64(withdrawal.ReleaseAt).ToArray()
        );
        var dueKey = StateKeys.WithdrawalsDue(withdrawal.ReleaseAt);
        var listed = state.Get(dueKey) ?? [];
        state.Set(dueKey, [.. listed, .. coldkey.PublicKey, .. hotkey.PublicKey]);
    }
}
