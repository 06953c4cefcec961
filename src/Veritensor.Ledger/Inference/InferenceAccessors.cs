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

    /// <summary>The hotkeys registered with the verifier role, in ascending order.</summary>
    /// <summary>Every hotkey in the verifier index: the verifier nodes whose stake reaches <see cref="InferenceParameters.MinNodeStake"/>.</summary>
    public static IReadOnlyList<Address> GetVerifierIndex(this IStateView state)
    {
        var list = new List<Address>();
        for (var bucket = 0; bucket < 256; bucket++)
            list.AddRange(ReadBucket(state, (byte)bucket));
        return list;
    }

    /// <summary>
    /// Puts <paramref name="hotkey"/> in the verifier index or takes it out, by the one rule: a node with the verifier role
    /// whose hotkey stake is non-zero and at least the minimum. Called whenever a node's roles or a hotkey's stake change.
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
        var bucket = hotkey.PublicKey[0];
        var list = new List<Address>(ReadBucket(state, bucket));
        var index = list.BinarySearch(hotkey);
        if (present && index < 0)
            list.Insert(~index, hotkey);
        else if (!present && index >= 0)
            list.RemoveAt(index);
        else
            return;
        var key = StateKeys.VerifierIndexBucket(bucket);
        if (list.Count == 0)
        {
            state.Delete(key);
            return;
        }
        var bytes = new byte[list.Count * Address.Size];
        for (var i = 0; i < list.Count; i++)
            list[i].PublicKey.CopyTo(bytes.AsSpan(i * Address.Size));
        state.Set(key, bytes);
    }

    private static Address[] ReadBucket(IStateView state, byte bucket)
    {
        if (state.Get(StateKeys.VerifierIndexBucket(bucket)) is not { } bytes)
            return [];
        if (bytes.Length % Address.Size != 0)
            throw new InvalidOperationException($"The verifier index bucket {bucket} is corrupt.");
        var list = new Address[bytes.Length / Address.Size];
        for (var i = 0; i < list.Length; i++)
            list[i] = new Address(bytes.AsSpan(i * Address.Size, Address.Size));
        return list;
    }
}
