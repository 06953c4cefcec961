using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Inference;

/// <summary>Typed reads and writes of the inference state (models, servers, records, disputes, batches, the verifier index).</summary>
public static class InferenceAccessors
{
    public static InferenceParameters GetInferenceParameters(this IStateView state) =>
        state.Get(StateKeys.InferenceParameters) is { } bytes
            ? InferenceParameters.Decode(bytes)
            : InferenceParameters.Default;

    public static void SetInferenceParameters(this IStateView state, InferenceParameters parameters) =>
        state.Set(StateKeys.InferenceParameters, parameters.Encode());

    public static ModelRecord? GetModel(this IStateView state, Hash256 contentId) =>
        state.Get(StateKeys.Model(contentId)) is { } bytes ? ModelRecord.Decode(bytes) : null;

    public static Hash256? GetModelId(this IStateView state, string name, string version) =>
        state.Get(StateKeys.ModelVersion(name, version)) is { } bytes ? new Hash256(bytes) : null;

    public static string? GetLatestVersion(this IStateView state, string name) =>
        state.Get(StateKeys.ModelLatest(name)) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Stores a new model version and makes it the name's latest.</summary>
    public static void AddModel(this IStateView state, ModelRecord model)
    {
        ArgumentNullException.ThrowIfNull(model);
        state.Set(StateKeys.Model(model.ContentId), model.Encode());
        state.Set(StateKeys.ModelVersion(model.Name, model.Version), model.ContentId.ToArray());
        state.Set(StateKeys.ModelLatest(model.Name), System.Text.Encoding.UTF8.GetBytes(model.Version));
    }

    public static bool IsServing(this IStateView state, Hash256 contentId, Address hotkey) =>
        state.Get(StateKeys.ModelServer(contentId, hotkey)) is not null;

    public static void SetServing(this IStateView state, Hash256 contentId, Address hotkey, bool serving)
    {
        if (serving)
            state.Set(StateKeys.ModelServer(contentId, hotkey), [1]);
        else
            state.Delete(StateKeys.ModelServer(contentId, hotkey));
    }

    public static InferenceRecordSummary? GetInferenceRecord(this IStateView state, Hash256 requestId) =>
        state.Get(StateKeys.InferenceRecord(requestId)) is { } bytes ? InferenceRecordSummary.Decode(bytes) : null;

    public static void SetInferenceRecord(this IStateView state, Hash256 requestId, InferenceRecordSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        state.Set(StateKeys.InferenceRecord(requestId), summary.Encode());
    }

    public static Dispute? GetDispute(this IStateView state, Hash256 id) =>
        state.Get(StateKeys.Dispute(id)) is { } bytes ? Dispute.Decode(bytes) : null;

    public static void SetDispute(this IStateView state, Hash256 id, Dispute dispute)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        state.Set(StateKeys.Dispute(id), dispute.Encode());
    }

    public static InferenceBatch? GetInferenceBatch(this IStateView state, Hash256 root) =>
        state.Get(StateKeys.InferenceBatch(root)) is { } bytes ? InferenceBatch.Decode(bytes) : null;

    public static void SetInferenceBatch(this IStateView state, Hash256 root, InferenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        state.Set(StateKeys.InferenceBatch(root), batch.Encode());
    }

    /// <summary>Every hotkey in the verifier index (the verifier nodes whose stake reaches <see cref="InferenceParameters.MinNodeStake"/>), in ascending order.</summary>
    public static IReadOnlyList<Address> GetVerifierIndex(this IStateView state)
    {
        var count = ReadU32(state, StateKeys.VerifierCount) ?? 0;
        var list = new List<Address>((int)Math.Min(count, 1u << 16));
        for (var slot = 0u; slot < count; slot++)
            list.Add(
                state.Get(StateKeys.VerifierSlot(slot)) is { Length: Address.Size } bytes
                    ? new Address(bytes)
                    : throw new InvalidOperationException($"The verifier index slot {slot} of {count} is corrupt.")
            );
        list.Sort();
        return list;
    }

    /// <summary>The stake <paramref name="hotkey"/> is indexed with as a verifier, or null when it is not in the verifier index.</summary>
    public static Amount? GetIndexedVerifierStake(this IStateView state, Address hotkey) =>
        ReadPosition(state, hotkey)?.Stake;

    /// <summary>
    /// Puts <paramref name="hotkey"/> in the verifier index, takes it out, or updates the stake it is indexed with, by the
    /// one rule: a node with the verifier role whose hotkey stake is non-zero and at least the minimum. Called whenever a
    /// node's roles or a hotkey's stake change. It enters at the end; it leaves by moving the last verifier into its slot.
    /// Either writes at most three index keys, and notes what the index held before (<see cref="VerifierHistory"/>).
    /// </summary>
    public static void RefreshVerifierIndex(this IStateView state, Address hotkey)
    {
        var stake = state.GetHotkeyStake(hotkey);
        var present =
            state.GetNode(hotkey) is { } node
            && VerifierSelection.IsCandidate(node.Roles, stake, state.GetInferenceParameters().MinNodeStake);
        var position = ReadPosition(state, hotkey);
        var indexed = position?.Stake;
        Amount? now = present ? stake : null;
        if (indexed == now)
            return;
        VerifierHistory.NoteChange(state, hotkey, indexed);
        var positionKey = StateKeys.VerifierPosition(hotkey);
        if (present && position is { } kept)
        {
            state.Set(positionKey, Position(kept.Slot, stake));
            return;
        }
        var count = ReadU32(state, StateKeys.VerifierCount) ?? 0;
        if (present)
        {
            state.Set(StateKeys.VerifierSlot(count), hotkey.PublicKey.ToArray());
            state.Set(positionKey, Position(count, stake));
            state.Set(StateKeys.VerifierCount, U32(count + 1));
            return;
        }
        var slot = position!.Value.Slot;
        var last = count - 1;
        if (slot != last)
        {
            var moved = new Address(
                state.Get(StateKeys.VerifierSlot(last))
                    ?? throw new InvalidOperationException($"The verifier index slot {last} of {count} is missing.")
            );
            var movedStake = ReadPosition(state, moved)?.Stake
                ?? throw new InvalidOperationException($"The verifier index has no position for {moved}.");
            state.Set(StateKeys.VerifierSlot(slot), moved.PublicKey.ToArray());
            state.Set(StateKeys.VerifierPosition(moved), Position(slot, movedStake));
        }
        state.Delete(StateKeys.VerifierSlot(last));
        state.Delete(positionKey);
        if (last == 0)
            state.Delete(StateKeys.VerifierCount);
        else
            state.Set(StateKeys.VerifierCount, U32(last));
    }

    private static (uint Slot, Amount Stake)? ReadPosition(IStateView state, Address hotkey)
    {
        if (state.Get(StateKeys.VerifierPosition(hotkey)) is not { } bytes)
            return null;
        if (bytes.Length != 12)
            throw new InvalidOperationException($"The verifier index position of {hotkey} is corrupt.");
        return (
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes),
            new Amount(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(4)))
        );
    }

    private static byte[] Position(uint slot, Amount stake)
    {
        var bytes = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, slot);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(4), stake.BaseUnits);
        return bytes;
    }

    private static uint? ReadU32(IStateView state, byte[] key) =>
        state.Get(key) is { } bytes
            ? bytes.Length == 4
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes)
                : throw new InvalidOperationException("The verifier index count is not a u32.")
            : null;

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
