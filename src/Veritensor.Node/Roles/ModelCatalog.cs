using System.Collections.Concurrent;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;

namespace Veritensor.Node.Roles;

/// <summary>
/// Resolves model references through the ledger and makes model files local. Registered models never change
/// (a content id names exactly one file), so lookups by id or name@version are cached for good; a bare name
/// means "latest version" and is re-read after <see cref="LatestTtl"/>.
/// </summary>
internal sealed class ModelCatalog(
    IInferenceLedger ledger,
    BlobStore blobs,
    BlobFetcher fetcher,
    RoleOptions options,
    TimeProvider time
)
{
    private static readonly TimeSpan LatestTtl = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, LedgerModel> _pinned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (LedgerModel Model, DateTimeOffset Expires)> _latest = new(
        StringComparer.Ordinal
    );
    private readonly ConcurrentDictionary<Hash256, Lazy<Task>> _fetches = new();

    public BlobStore Blobs => blobs;

    /// <summary>The model <paramref name="reference"/> names (name@version, name, or content id hex); <see cref="ApiException"/> (404) when unknown.</summary>
    public async Task<LedgerModel> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw ApiException.BadRequest("model is empty: name a model as name@version, name, or its content id.");
        var isLatest = !reference.Contains('@', StringComparison.Ordinal) && !Hash256.TryParse(reference, out _);
        if (!isLatest && _pinned.TryGetValue(reference, out var pinned))
            return pinned;
        if (isLatest && _latest.TryGetValue(reference, out var cached) && cached.Expires > time.GetUtcNow())
            return cached.Model;
        var model = await ledger.FindModelAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw ApiException.UnknownModel(reference);
        _pinned[model.ContentId.ToString()] = model;
        _pinned[model.Reference] = model;
        if (isLatest)
            _latest[reference] = (model, time.GetUtcNow() + LatestTtl);
        return model;
    }

    public Task<LedgerModel> GetAsync(Hash256 contentId, CancellationToken cancellationToken) =>
        ResolveAsync(contentId.ToString(), cancellationToken);

    /// <summary>
    /// The path of the model's file in the local blob store, fetched from the ledger node first when missing.
    /// Concurrent callers share one download; the hash is checked before the file becomes a blob.
    /// </summary>
    public async Task<string> EnsureLocalAsync(LedgerModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!blobs.Contains(model.ContentId))
        {
            if ((long)model.SizeBytes > options.MaxModelBytes)
                throw ApiException.TooLarge(
                    $"Model {model.Reference} is {model.SizeBytes} bytes; this server loads at most {options.MaxModelBytes} (Role:MaxModelBytes)."
                );
            var fetch = _fetches.GetOrAdd(model.ContentId, id => new Lazy<Task>(() =>
                fetcher.FetchAsync(options.LedgerUri, id, blobs, options.MaxModelBytes, CancellationToken.None)
            ));
            try
            {
                await fetch.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _fetches.TryRemove(model.ContentId, out _);
                throw ApiException.Unavailable(
                    $"Cannot fetch model {model.Reference} ({model.ContentId}) from {options.LedgerUri}: {e.Message}",
                    e
                );
            }
        }
        return blobs.GetPath(model.ContentId);
    }
}
