using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;

namespace Veritensor.Node.Roles;

/// <summary>
/// GET /v1/blobs/{id}: streams a content-addressed file (a model) this server holds, so peers can fetch what
/// they lack; they check the hash themselves. POST /v1/blobs (ledger nodes only) stores an upload under its hash.
/// </summary>
internal static class BlobApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/blobs/{id}", (string id, BlobStore blobs) =>
        {
            if (!Hash256.TryParse(id, out var hash))
                return RoleApi.Problem(ApiException.BadRequest($"'{id}' is not a content id (64 hex characters)."));
            if (!blobs.Contains(hash))
                return RoleApi.Problem(ApiException.NotFound($"This server holds no blob {hash}."));
            return Results.File(blobs.GetPath(hash), "application/octet-stream", enableRangeProcessing: false);
        });
    }

    /// <summary>POST /v1/blobs: stores the request body as a blob (at most <paramref name="maxBytes"/>) and answers its content id.</summary>
    public static void MapUpload(RouteGroupBuilder v1, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/blobs", async (HttpRequest request, BlobStore blobs, CancellationToken ct) =>
        {
            var sizeFeature =
                request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
            if (sizeFeature is { IsReadOnly: false })
                sizeFeature.MaxRequestBodySize = maxBytes;
            try
            {
                var id = await blobs.PutAsync(request.Body, maxBytes, ct).ConfigureAwait(false);
                return Results.Ok(new BlobUploadResponse(id.ToString(), new FileInfo(blobs.GetPath(id)).Length));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return RoleApi.Problem(
                    ApiException.TooLarge($"The blob is larger than this node stores ({maxBytes} bytes).")
                );
            }
            catch (BlobException e)
            {
                return RoleApi.Problem(ApiException.TooLarge(e.Message));
            }
        });
    }
}
