using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// The gateway's memory of recent requests: the answer it gave (whose state moves on to final as the ledger
/// records it), and the inputs and outputs a dispute quorum needs. Bounded: the oldest entries go first.
/// </summary>
internal sealed class InferenceResultStore
{
    public const int Capacity = 20_000;
    private readonly ConcurrentDictionary<Hash256, StoredInference> _entries = new();
    private readonly ConcurrentQueue<Hash256> _order = new();

    /// <summary>Adds a result; false when the request id is already known (a replayed request).</summary>
    public bool TryAdd(Hash256 requestId, StoredInference entry)
    {
        if (!_entries.TryAdd(requestId, entry))
            return false;
        _order.Enqueue(requestId);
        while (_entries.Count > Capacity && _order.TryDequeue(out var oldest))
            _entries.TryRemove(oldest, out _);
        return true;
    }

    public bool Contains(Hash256 requestId) => _entries.ContainsKey(requestId);

    public StoredInference? Get(Hash256 requestId) => _entries.GetValueOrDefault(requestId);

    /// <summary>Replaces the client-visible answer (a new state, the ledger record) of a known request.</summary>
    public void Update(Hash256 requestId, Func<InferenceApiResponse, InferenceApiResponse> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_entries.TryGetValue(requestId, out var entry))
            return;
        lock (entry)
            entry.Response = change(entry.Response);
    }
}

/// <summary>One request the gateway served: its current answer and what a dispute needs to re-run it.</summary>
internal sealed class StoredInference(
    InferenceApiResponse response,
    LedgerModel model,
    IReadOnlyList<NamedTensor> inputs,
    IReadOnlyList<NamedTensor> outputs
)
{
    public InferenceApiResponse Response { get; set; } = response;
    public LedgerModel Model { get; } = model;
    public IReadOnlyList<NamedTensor> Inputs { get; } = inputs;
    public IReadOnlyList<NamedTensor> Outputs { get; } = outputs;
}
