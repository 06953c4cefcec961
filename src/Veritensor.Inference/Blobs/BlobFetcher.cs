using Veritensor.Core.Crypto;

namespace Veritensor.Inference.Blobs;

/// <summary>
/// Downloads a blob from a peer (<c>GET {peer}/v1/blobs/{hex}</c>) straight into a <see cref="BlobStore"/>. The peer is
/// not trusted: the size limit is enforced on the bytes actually received (not Content-Length), and the content
/// must hash to the requested id before it becomes a blob.
/// </summary>
public sealed class BlobFetcher(HttpClient http)
{
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    public static Uri BlobUri(Uri peerBaseUri, Hash256 id)
    {
        ArgumentNullException.ThrowIfNull(peerBaseUri);
        return new Uri(peerBaseUri, $"v1/blobs/{id}");
    }

    /// <summary>Fetches <paramref name="id"/> unless the store has it already; returns its path in the store.</summary>
    public async Task<string> FetchAsync(
        Uri peerBaseUri,
        Hash256 id,
        BlobStore store,
        long maxBytes,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Contains(id))
            return store.GetPath(id);
        var uri = BlobUri(peerBaseUri, id);
        try
        {
            using var response = await _http
                .GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new BlobException($"peer {peerBaseUri} answered {(int)response.StatusCode} for blob {id}");
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new BlobException(
                    $"blob {id} is larger than the limit of {maxBytes} bytes ({response.Content.Headers.ContentLength} announced by {peerBaseUri})"
                );
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await store.PutAsync(body, maxBytes, id, cancellationToken).ConfigureAwait(false);
            return store.GetPath(id);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new BlobException($"fetching blob {id} from {peerBaseUri} failed: {e.Message}", e);
        }
    }
}
