using System.Buffers.Binary;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The verifier index as it stood at a recent block. A request's verifiers are drawn from the index at its anchor block,
/// not at the block that records it: otherwise any stake change in between (a 1-token AddStake to some verifier, sent by
/// the user who just got its answer) would change the draw and make every in-flight record fail, and with it the
/// payment. Each block keeps, for each verifier it changed, what the index held before its first change (the hotkey and
/// its indexed stake, or absence); the index at block a is the live index with the changes of blocks a+1 onwards undone.
/// Changes are kept for the anchor window, the oldest anchor a record may have, and no longer.
/// </summary>
public static class VerifierHistory
{
    private const int EntrySize = Address.Size + 1 + 8;

    /// <summary>
    /// Notes, before the index changes <paramref name="hotkey"/>, what it held for it (its indexed stake, or null when it
    /// was not in the index). Only the first change of a hotkey in a block is kept: that is the state at the block's start.
    /// Each note writes three keys, whatever the block noted before.
    /// </summary>
    internal static void NoteChange(IStateView state, Address hotkey, Amount? before)
    {
        var mark = StateKeys.VerifierChangedThisBlock(hotkey);
        if (state.Get(mark) is not null)
            return;
        var count = PendingCount(state);
        var entry = new byte[EntrySize];
        hotkey.PublicKey.CopyTo(entry);
        entry[Address.Size] = before.HasValue ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(Address.Size + 1), before?.BaseUnits ?? 0);
        state.Set(StateKeys.VerifierChangePending(count), entry);
        state.Set(mark, [1]);
        var next = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(next, count + 1);
        state.Set(StateKeys.VerifierChangesPendingCount, next);
    }

    /// <summary>
    /// Ends block <paramref name="height"/>: its changes are filed under its height as one list, and the list of the block
    /// that left the anchor window is deleted.
    /// </summary>
    internal static void EndBlock(IStateView state, ulong height)
    {
        var pending = Pending(state);
        if (pending.Length > 0)
        {
            state.Set(StateKeys.VerifierChanges(height), pending);
            var count = PendingCount(state);
            for (var i = 0u; i < count; i++)
            {
                state.Delete(
                    StateKeys.VerifierChangedThisBlock(new Address(pending.AsSpan((int)i * EntrySize, Address.Size)))
                );
                state.Delete(StateKeys.VerifierChangePending(i));
            }
            state.Delete(StateKeys.VerifierChangesPendingCount);
        }
        // A record in block height + 1 anchors at height + 1 - anchorWindow or later, and needs the changes after it.
        var window = state.GetInferenceParameters().AnchorWindow;
        if (height + 1 >= window && state.Get(StateKeys.VerifierChanges(height + 1 - window)) is not null)
            state.Delete(StateKeys.VerifierChanges(height + 1 - window));
    }

    private static uint PendingCount(IStateView state) =>
        state.Get(StateKeys.VerifierChangesPendingCount) is { Length: 4 } bytes
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : 0;

    /// <summary>The block being executed's changes so far, in the order noted, as one list.</summary>
    private static byte[] Pending(IStateView state)
    {
        var count = PendingCount(state);
        var list = new byte[checked((int)count * EntrySize)];
        for (var i = 0u; i < count; i++)
            (
                state.Get(StateKeys.VerifierChangePending(i))
                ?? throw new InvalidOperationException($"The pending verifier change {i} of {count} is missing.")
            ).CopyTo(list, (int)i * EntrySize);
        return list;
    }

    /// <summary>
    /// The verifier candidates as the index held them at the end of block <paramref name="anchorHeight"/>, read from a
    /// state at the start of block <paramref name="nextHeight"/> (during its execution, or from the committed state with
    /// <paramref name="nextHeight"/> = head + 1): hotkeys in ascending order with their owners and stakes.
    /// </summary>
    public static IReadOnlyList<VerifierCandidate> CandidatesAt(IStateView state, ulong anchorHeight, ulong nextHeight)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (anchorHeight >= nextHeight)
            throw new ArgumentOutOfRangeException(
                nameof(anchorHeight),
                $"anchor {anchorHeight} is not a block before {nextHeight}"
            );
        var window = state.GetInferenceParameters().AnchorWindow;
        if (nextHeight - anchorHeight > window)
            throw new ArgumentOutOfRangeException(
                nameof(anchorHeight),
                $"anchor {anchorHeight} is older than the anchor window ({window} blocks) before block {nextHeight}"
            );
        var stakes = new SortedDictionary<Address, Amount>();
        foreach (var hotkey in state.GetVerifierIndex())
            stakes[hotkey] = state.GetIndexedVerifierStake(hotkey)!.Value;
        Undo(stakes, Pending(state));
        for (var height = nextHeight - 1; height > anchorHeight; height--)
            Undo(stakes, state.Get(StateKeys.VerifierChanges(height)));
        var candidates = new List<VerifierCandidate>(stakes.Count);
        foreach (var (hotkey, stake) in stakes)
        {
            // A hotkey's owner never changes once it is registered, and a node is never deleted.
            var owner = state.GetNode(hotkey)?.Owner
                ?? throw new InvalidOperationException($"verifier {hotkey} was indexed but is not a registered node");
            candidates.Add(new VerifierCandidate(hotkey, owner, stake));
        }
        return candidates;
    }

    private static void Undo(SortedDictionary<Address, Amount> stakes, byte[]? changes)
    {
        if (changes is null)
            return;
        foreach (var (hotkey, before) in Decode(changes))
        {
            if (before is { } stake)
                stakes[hotkey] = stake;
            else
                stakes.Remove(hotkey);
        }
    }

    private static IEnumerable<(Address Hotkey, Amount? Before)> Decode(byte[] changes)
    {
        if (changes.Length % EntrySize != 0)
            throw new InvalidOperationException("A verifier change list is corrupt.");
        for (var offset = 0; offset < changes.Length; offset += EntrySize)
        {
            var hotkey = new Address(changes.AsSpan(offset, Address.Size));
            var stake = new Amount(BinaryPrimitives.ReadUInt64LittleEndian(changes.AsSpan(offset + Address.Size + 1)));
            yield return (hotkey, changes[offset + Address.Size] == 1 ? stake : null);
        }
    }
}
