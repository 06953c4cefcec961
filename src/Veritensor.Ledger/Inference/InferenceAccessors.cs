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

    /// <summary>
    /// Puts <paramref name="hotkey"/> in the verifier index or takes it out, by the one rule: a node with the verifier role
    /// whose hotkey stake is non-zero and at least the minimum. Called whenever a node's roles or a hotkey's stake change.
    /// It enters at the end; it leaves by moving the last verifier into its slot. Either writes at most three keys.
    /// </summary>
    public static void RefreshVerifierIndex(this IStateView state, Address hotkey)
    {
        var present =
            state.GetNode(hotkey) is { } node
            && VerifierSelection.IsCandidate(
                node.Roles,
                state.GetHotkeyStake(hotkey),
                state.GetInferenceParameters().MinNodeStake
            );
        var positionKey = StateKeys.VerifierPosition(hotkey);
        var position = ReadU32(state, positionKey);
        if (present == position.HasValue)
            return;
        var count = ReadU32(state, StateKeys.VerifierCount) ?? 0;
        if (present)
        {
            state.Set(StateKeys.VerifierSlot(count), hotkey.PublicKey.ToArray());
            state.Set(positionKey, U32(count));
            state.Set(StateKeys.VerifierCount, U32(count + 1));
            return;
        }
        var slot = position!.Value;
        var last = count - 1;
        if (slot != last)
        {
            var moved = state.Get(StateKeys.VerifierSlot(last))
                ?? throw new InvalidOperationException($"The verifier index slot {last} of {count} is missing.");
            state.Set(StateKeys.VerifierSlot(slot), moved);
            state.Set(StateKeys.VerifierPosition(new Address(moved)), U32(slot));
        }
        state.Delete(StateKeys.VerifierSlot(last));
        state.Delete(positionKey);
        if (last == 0)
            state.Delete(StateKeys.VerifierCount);
        else
            state.Set(StateKeys.VerifierCount, U32(last));
    }

    private static uint? ReadU32(IStateView state, byte[] key) =>
        state.Get(key) is { } bytes
            ? bytes.Length == 4
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes)
                : throw new InvalidOperationException("A verifier index entry is not a u32.")
            : null;

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
