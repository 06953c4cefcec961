using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// The gateway's memory of recent requests: the answer it gave (whose state moves on to final as the ledger
/// records it), and the inputs and outputs a dispute quorum needs. Bounded in count (<see cref="Capacity"/>) and in
/// the bytes of tensors it holds (<see cref="RoleOptions.MaxStoredResultBytes"/>): the oldest entries go first, so
/// large answers cannot run the gateway out of memory.
/// </summary>
internal sealed class InferenceResultStore(RoleOptions options)
{
    public const int Capacity = 20_000;
    private readonly ConcurrentDictionary<Hash256, StoredInference> _entries = new();
    private readonly ConcurrentQueue<Hash256> _order = new();
    private long _bytes;

    /// <summary>Bytes of tensors held now (inputs and outputs, the wire outputs counted as their decoded size).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Adds a result; false when the request id is already known (a replayed request).</summary>
    public bool TryAdd(Hash256 requestId, StoredInference entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_entries.TryAdd(requestId, entry))
            return false;
        _order.Enqueue(requestId);
        Interlocked.Add(ref _bytes, entry.Bytes);
        while (
            (_entries.Count > Capacity || Interlocked.Read(ref _bytes) > options.MaxStoredResultBytes)
            && _order.TryDequeue(out var oldest)
        )
        {
            if (_entries.TryRemove(oldest, out var removed))
                Interlocked.Add(ref _bytes, -removed.Bytes);
        }
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

    /// <summary>What the entry holds in tensors: inputs, outputs, and the answer's copy of the outputs.</summary>
    public long Bytes { get; } = SizeOf(inputs) + 2 * SizeOf(outputs);

    private static long SizeOf(IReadOnlyList<NamedTensor> tensors) =>
        tensors.Sum(t => t.Tensor.IsString ? t.Tensor.Strings.Sum(s => (long)s.Length * 2) : t.Tensor.Data.Length);
}
